package rt

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/internal/table"
)

// Toggle is a change of an LED of the railroad, in time since the start
// of the run.
type Toggle struct {
	At    time.Duration
	LED   string // "blue" or "yellow"
	Level bool
}

// Run is what one run of the railroad measured, from the LEDs' writes.
type Run struct {
	// Toggles are the LEDs' changes during the run, after the initial
	// levels (blue on, yellow off).
	Toggles []Toggle
	// Phase is how far each toggle is from its ideal time on the period
	// grid (the first toggle's nearest grid point, then one period per
	// toggle), both LEDs together.
	Phase Dist
	// Skew is how far apart the n-th toggles of the two LEDs are: they
	// should change together, so that the lights alternate.
	Skew Dist
	// Jitter is how far each interval between toggles of an LED is from
	// the period.
	Jitter Dist
	// Latency is from an interrupt to the toggle's code running (timers,
	// event); none for the other techniques.
	Latency Dist
	// Busy is the processor time the technique's work took (task steps,
	// interrupt callbacks, thread work), and CPU its share of the run.
	Busy time.Duration
	CPU  float64
	// Hash is a hash of the writes' times, LEDs and levels: equal hashes
	// mean identical runs.
	Hash uint64
}

// Report compares runs of the railroad with one technique.
type Report struct {
	Technique Technique
	Period    time.Duration
	Duration  time.Duration
	Work      time.Duration
	Runs      []Run
	// Deterministic reports whether every run gave the same writes at
	// the same times (equal hashes): the book's definition of a real-time
	// system.
	Deterministic bool
}

// Comparison is the reports of several techniques, printed side by side.
type Comparison []Report

// String prints the reports as a table, a row per technique: toggles of
// the first run, its phase error (p50 and max) and skew between the LEDs,
// period jitter, CPU share of the work, and whether the runs gave the same
// trace (for runs that differ, the max phase error of each).
func (c Comparison) String() string {
	var cols []table.Column
	for _, title := range []string{"technique", "toggles", "phase p50", "phase max", "skew max", "jitter max", "latency max", "cpu", "same trace"} {
		cols = append(cols, table.Column{Title: title})
	}
	t := table.New(cols...)
	for _, r := range c {
		if len(r.Runs) == 0 {
			t.Add(r.Technique.String(), "-", "-", "-", "-", "-", "-", "-", "-")
			continue
		}
		run := r.Runs[0]
		same := fmt.Sprintf("yes, %d runs", len(r.Runs))
		if !r.Deterministic {
			var maxes []string
			for _, x := range r.Runs {
				maxes = append(maxes, x.Phase.Max.String())
			}
			same = "no: phase max " + strings.Join(maxes, ", ")
		}
		latency := "-"
		if run.Latency.N > 0 {
			latency = run.Latency.Max.String()
		}
		t.Add(r.Technique.String(), strconv.Itoa(len(run.Toggles)), run.Phase.P50.String(), run.Phase.Max.String(),
			run.Skew.Max.String(), run.Jitter.Max.String(), latency, fmt.Sprintf("%.1f%%", 100*run.CPU), same)
	}
	return t.String()
}

// String prints the report as a one-row Comparison table.
func (r Report) String() string { return Comparison{r}.String() }

// pinRecorder notes every write of the railroad's LEDs, on the loop.
type pinRecorder struct {
	loop    *coop.Loop
	t0      time.Duration
	started bool // the initial levels are set
	initial []Toggle
	toggles []Toggle
}

func (r *pinRecorder) output(b hw.Board, pin, led string) (*recordedOutput, error) {
	out, err := b.Output(pin)
	if err != nil {
		return nil, err
	}
	return &recordedOutput{out: out, rec: r, led: led}, nil
}

// recordedOutput is an LED whose changes a pinRecorder notes.
type recordedOutput struct {
	out hw.Output
	rec *pinRecorder
	led string
}

func (o *recordedOutput) Set(high bool) {
	changed := o.out.Get() != high
	o.out.Set(high)
	r := o.rec
	if !r.started {
		r.initial = append(r.initial, Toggle{At: r.loop.Now() - r.t0, LED: o.led, Level: high})
	} else if changed {
		r.toggles = append(r.toggles, Toggle{At: r.loop.Now() - r.t0, LED: o.led, Level: high})
	}
}

func (o *recordedOutput) Get() bool { return o.out.Get() }
func (o *recordedOutput) Toggle()   { o.Set(!o.out.Get()) }

// analyse measures the toggles that came within the run.
func (r *pinRecorder) analyse(cfg RailroadConfig) Run {
	var run Run
	h := fnv.New64a()
	var buf [10]byte
	write := func(tg Toggle) {
		for i := range 8 {
			buf[i] = byte(uint64(tg.At) >> (8 * i))
		}
		buf[8] = tg.LED[0]
		buf[9] = 0
		if tg.Level {
			buf[9] = 1
		}
		h.Write(buf[:])
	}
	for _, tg := range r.initial {
		write(tg)
	}
	var times [2][]time.Duration
	for _, tg := range r.toggles {
		if tg.At >= cfg.Duration {
			break
		}
		write(tg)
		run.Toggles = append(run.Toggles, tg)
		i := 0
		if tg.LED == "yellow" {
			i = 1
		}
		times[i] = append(times[i], tg.At)
	}
	run.Hash = h.Sum64()
	var phase, jitter, skew sampler
	p := cfg.Period
	for _, ts := range times {
		if len(ts) == 0 {
			continue
		}
		g0 := (ts[0] + p/2) / p
		for k, at := range ts {
			phase.add(abs(at - (g0+time.Duration(k))*p))
			if k > 0 {
				jitter.add(abs(at - ts[k-1] - p))
			}
		}
	}
	for k := range min(len(times[0]), len(times[1])) {
		skew.add(abs(times[0][k] - times[1][k]))
	}
	run.Phase, run.Jitter, run.Skew = phase.dist(), jitter.dist(), skew.dist()
	return run
}

func abs(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
