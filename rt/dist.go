package rt

import (
	"fmt"
	"slices"
	"time"
)

// keptSamples is how many of the latest samples a distribution keeps for
// its percentiles: a bounded memory cost, as a board can afford.
const keptSamples = 1024

// Dist summarises a set of durations: jitter, latencies, step times.
// N, Min, Max, Sum and Mean cover every sample; P50 and P99 are
// nearest-rank percentiles of the latest 1024, so a long run costs bounded
// memory. The zero Dist has no samples.
type Dist struct {
	N        int64
	Min, Max time.Duration
	Sum      time.Duration
	Mean     time.Duration // Sum / N, rounded down
	P50, P99 time.Duration
}

// String returns "p50=… p99=… max=…", or "none" without samples.
func (d Dist) String() string {
	if d.N == 0 {
		return "none"
	}
	return fmt.Sprintf("p50=%v p99=%v max=%v", d.P50, d.P99, d.Max)
}

// sampler collects durations for a Dist. The zero value is empty.
type sampler struct {
	n        int64
	min, max time.Duration
	sum      time.Duration
	buf      []time.Duration // ring of the latest keptSamples
	next     int
}

func (s *sampler) add(d time.Duration) {
	if s.n == 0 || d < s.min {
		s.min = d
	}
	if s.n == 0 || d > s.max {
		s.max = d
	}
	s.n++
	s.sum += d
	if len(s.buf) < keptSamples {
		s.buf = append(s.buf, d)
		return
	}
	s.buf[s.next] = d
	s.next = (s.next + 1) % keptSamples
}

func (s *sampler) dist() Dist {
	if s.n == 0 {
		return Dist{}
	}
	sorted := slices.Clone(s.buf)
	slices.Sort(sorted)
	return Dist{
		N: s.n, Min: s.min, Max: s.max, Sum: s.sum,
		Mean: s.sum / time.Duration(s.n),
		P50:  rank(sorted, 50), P99: rank(sorted, 99),
	}
}

// rank returns the nearest-rank p-th percentile of sorted (not empty): the
// smallest sample with at least p% of the samples at or below it.
func rank(sorted []time.Duration, p int) time.Duration {
	i := (p*len(sorted)+99)/100 - 1
	return sorted[max(i, 0)]
}

// merge adds the samples of o to s; percentiles then cover the latest
// samples of each.
func (s *sampler) merge(o *sampler) {
	if o.n == 0 {
		return
	}
	if s.n == 0 || o.min < s.min {
		s.min = o.min
	}
	if s.n == 0 || o.max > s.max {
		s.max = o.max
	}
	s.n += o.n
	s.sum += o.sum
	for _, d := range o.buf {
		if len(s.buf) < keptSamples {
			s.buf = append(s.buf, d)
		} else {
			s.buf[s.next] = d
			s.next = (s.next + 1) % keptSamples
		}
	}
}
