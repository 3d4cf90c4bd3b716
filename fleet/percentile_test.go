package fleet

import (
	"slices"
	"testing"
	"time"
)

// percentile counts as the sorted list of every latency would.
func TestPercentile(t *testing.T) {
	for _, all := range [][]time.Duration{
		nil,
		{20},
		{20, 20, 20, 40},
		{40, 20, 60, 20, 20, 20, 20, 20, 20, 20, 20, 20, 1000},
		spread(101),
	} {
		lat := map[time.Duration]int{}
		for _, l := range all {
			lat[l]++
		}
		sorted := slices.Sorted(slices.Values(all))
		for _, p := range []int{0, 50, 99, 100} {
			var want time.Duration
			if len(sorted) > 0 {
				want = sorted[(len(sorted)-1)*p/100]
			}
			if got := percentile(lat, p); got != want {
				t.Errorf("%v: percentile %d = %v, want %v", all, p, got, want)
			}
		}
	}
}

// spread returns n latencies, n ns down to 1 ns.
func spread(n int) []time.Duration {
	var l []time.Duration
	for i := n; i > 0; i-- {
		l = append(l, time.Duration(i))
	}
	return l
}
