package rt_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/rt"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/sim/simtest"
)

// pyboard returns a simulated pyboard on a virtual-clock loop.
func pyboard(t *testing.T, opts ...coop.Option) *simtest.Rig {
	t.Helper()
	return simtest.New(t, "pyboard", sim.Config{Seed: 1}, opts...)
}

func openTimer(t *testing.T, b hw.Board, id int) hw.Timer {
	t.Helper()
	tm, err := hw.OpenTimer(b, id)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// collectFaults returns a foreground config whose faults land in *got,
// each as "TIME REPORTED: FAULT".
func collectFaults(got *[]string, l *coop.Loop) rt.ForegroundConfig {
	return rt.ForegroundConfig{OnFault: func(f rt.Fault) {
		*got = append(*got, fmt.Sprintf("%v: %v", l.Now(), f))
	}}
}

func TestForegroundTicks(t *testing.T) {
	tests := []struct {
		cfg  hw.TimerConfig
		want []time.Duration
	}{
		{hw.TimerConfig{Freq: 10}, []time.Duration{100 * ms, 200 * ms, 300 * ms, 400 * ms}},
		{hw.TimerConfig{Freq: 3}, []time.Duration{333333333, 666666666, time.Second}},
		{hw.TimerConfig{Period: 150 * ms}, []time.Duration{150 * ms, 300 * ms}},
		{hw.TimerConfig{Period: 150 * ms, OneShot: true}, []time.Duration{150 * ms}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%+v", tt.cfg), func(t *testing.T) {
			r := pyboard(t)
			fg := rt.NewForeground(r.Loop, rt.ForegroundConfig{})
			var got []time.Duration
			var ticks []int64
			_, err := fg.Every("", openTimer(t, r.Board, 4), tt.cfg, func(c *rt.ISR) error {
				got = append(got, c.Now())
				ticks = append(ticks, c.Tick())
				if c.Now() != r.Loop.Now() {
					t.Errorf("ISR.Now() = %v, loop at %v", c.Now(), r.Loop.Now())
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := r.Loop.RunFor(tt.want[len(tt.want)-1] + 10*ms); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("callbacks at %v, want %v", got, tt.want)
			}
			for i, n := range ticks {
				if n != int64(i+1) {
					t.Errorf("Tick() of callback %d = %d, want %d", i, n, i+1)
				}
			}
			st := fg.Stats().Timers[0]
			if st.Name != "timer 4" || st.Ticks != int64(len(tt.want)) || st.Latency.Max != 0 || st.Overruns != 0 {
				t.Errorf("Stats = %+v, want timer 4 with %d ticks, no latency, no overrun", st, len(tt.want))
			}
		})
	}
}

func TestForegroundLatencyFromBusyTask(t *testing.T) {
	r := pyboard(t)
	fg := rt.NewForeground(r.Loop, rt.ForegroundConfig{})
	if _, err := fg.Every("tick", openTimer(t, r.Board, 1), hw.TimerConfig{Freq: 10}, func(*rt.ISR) error { return nil }); err != nil {
		t.Fatal(err)
	}
	// A task that blocks from 250 ms to 320 ms delays the tick due at
	// 300 ms: interrupts run between task steps in the simulator.
	r.Loop.Spawn("hog", func(t *coop.Task) error {
		if err := t.Sleep(250 * ms); err != nil {
			return err
		}
		t.Busy(70 * ms)
		return nil
	})
	if err := r.Loop.RunFor(450 * ms); err != nil {
		t.Fatal(err)
	}
	st := fg.Stats().Timers[0]
	if st.Ticks != 4 || st.Latency.Max != 20*ms || st.Latency.P50 != 0 {
		t.Errorf("Stats = %+v, want 4 ticks, one 20ms late", st)
	}
}

func TestScheduleQueueFull(t *testing.T) {
	r := pyboard(t)
	var faults []string
	cfg := collectFaults(&faults, r.Loop)
	cfg.ScheduleDepth = 2
	fg := rt.NewForeground(r.Loop, cfg)
	var ran []string
	var errs []error
	_, err := fg.Every("irq", openTimer(t, r.Board, 2), hw.TimerConfig{Period: 100 * ms, OneShot: true}, func(c *rt.ISR) error {
		for i := range 3 {
			errs = append(errs, c.Schedule(func() error {
				ran = append(ran, fmt.Sprintf("job %d at %v", i, r.Loop.Now()))
				return nil
			}))
		}
		if len(ran) != 0 {
			t.Errorf("scheduled functions ran inside the callback: %v", ran)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Loop.RunFor(time.Second); err != nil {
		t.Fatal(err)
	}
	if want := []error{nil, nil, rt.ErrScheduleFull}; !slices.Equal(errs, want) {
		t.Errorf("Schedule returned %v, want %v", errs, want)
	}
	if want := []string{"job 0 at 100ms", "job 1 at 100ms"}; !slices.Equal(ran, want) {
		t.Errorf("ran %q, want %q", ran, want)
	}
	st := fg.Stats()
	if st.Scheduled != 2 || st.Ran != 2 || st.Full != 1 || st.MaxQueued != 2 || st.Faults != 0 {
		t.Errorf("Stats = %+v, want 2 scheduled, 2 ran, 1 refused, 2 queued at most, no fault", st)
	}
	if len(faults) != 0 {
		t.Errorf("faults %q, want none", faults)
	}
}

func TestScheduleFullReturnedIsAFault(t *testing.T) {
	r := pyboard(t)
	var faults []string
	cfg := collectFaults(&faults, r.Loop)
	cfg.ScheduleDepth = 1
	fg := rt.NewForeground(r.Loop, cfg)
	_, err := fg.Every("irq", openTimer(t, r.Board, 2), hw.TimerConfig{Freq: 10}, func(c *rt.ISR) error {
		for range 2 {
			if err := c.Schedule(func() error { return nil }); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Loop.RunFor(time.Second); err != nil {
		t.Fatal(err)
	}
	ft, ok := fg.Fault()
	if !ok || !errors.Is(ft, rt.ErrScheduleFull) || ft.At != 100*ms || ft.Source != "irq" {
		t.Errorf("Fault() = %v, %v; want the schedule queue full at 100ms in irq", ft, ok)
	}
	want := []string{"100ms: rt: uncaught error in irq callback at 100ms: rt: schedule queue full"}
	if !slices.Equal(faults, want) {
		t.Errorf("faults %q, want %q", faults, want)
	}
	if st := fg.Stats(); st.Full != 1 || st.Timers[0].Ticks != 1 || !st.Timers[0].Disabled {
		t.Errorf("Stats = %+v, want 1 refused, the timer disabled after its first tick", st)
	}
}

func TestForegroundOverrun(t *testing.T) {
	r := pyboard(t)
	fg := rt.NewForeground(r.Loop, rt.ForegroundConfig{})
	var at []string
	// Period 10 ms; the third callback works 25 ms, until 55 ms: the tick
	// of 40 ms waits until then, the tick of 50 ms is lost.
	_, err := fg.Every("ctl", openTimer(t, r.Board, 3), hw.TimerConfig{Freq: 100}, func(c *rt.ISR) error {
		at = append(at, fmt.Sprintf("%d@%v", c.Tick(), c.Now()))
		if c.Tick() == 3 {
			c.Work(25 * ms)
		} else {
			c.Work(ms)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Loop.RunFor(95 * ms); err != nil {
		t.Fatal(err)
	}
	want := []string{"1@10ms", "2@20ms", "3@30ms", "4@55ms", "6@60ms", "7@70ms", "8@80ms", "9@90ms"}
	if !slices.Equal(at, want) {
		t.Errorf("callbacks %v, want %v", at, want)
	}
	st := fg.Stats().Timers[0]
	if st.Ticks != 8 || st.Overruns != 1 || st.Lost != 1 || st.Latency.Max != 15*ms || st.Work.Max != 25*ms || st.Work.Sum != 32*ms {
		t.Errorf("Stats = %+v, want 8 ticks, 1 overrun, 1 lost, latency max 15ms, work max 25ms, 32ms in all", st)
	}
}

// Overruns in a row: each callback clears the interrupt flag when it
// starts, so the first tick that comes while it runs waits for it, however
// late the callback before it ended.
func TestForegroundOverrunChain(t *testing.T) {
	tests := []struct {
		name  string
		work  map[int64]time.Duration // per tick; 1 ms otherwise
		want  []string
		lost  int64
		overr int64
	}{
		{
			name: "one overrun",
			work: map[int64]time.Duration{3: 25 * ms},
			want: []string{"1@10ms", "2@20ms", "3@30ms", "4@55ms", "6@60ms", "7@70ms", "8@80ms", "9@90ms", "10@100ms"},
			lost: 1, overr: 1,
		},
		{
			// Tick 4 waits for tick 3 (30–55 ms) and runs 55–80 ms; tick 6
			// came during it and waits in turn; ticks 5 and 7 are lost.
			name: "two overruns in a row",
			work: map[int64]time.Duration{3: 25 * ms, 4: 25 * ms},
			want: []string{"1@10ms", "2@20ms", "3@30ms", "4@55ms", "6@80ms", "8@81ms", "9@90ms", "10@100ms"},
			lost: 2, overr: 2,
		},
		{
			// Each overrun lets one tick come: it waits, none is lost.
			name:  "overruns of one tick",
			work:  map[int64]time.Duration{2: 15 * ms, 3: 15 * ms, 5: 15 * ms, 7: 15 * ms},
			want:  []string{"1@10ms", "2@20ms", "3@35ms", "4@50ms", "5@51ms", "6@66ms", "7@70ms", "8@85ms", "9@90ms", "10@100ms"},
			overr: 4,
		},
		{
			// Each overrun lets two ticks come: the first waits, the
			// second is lost.
			name:  "overruns of two ticks",
			work:  map[int64]time.Duration{2: 25 * ms, 3: 25 * ms, 5: 25 * ms},
			want:  []string{"1@10ms", "2@20ms", "3@45ms", "5@70ms", "7@95ms", "10@100ms"},
			lost:  4,
			overr: 3,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := pyboard(t)
			fg := rt.NewForeground(r.Loop, rt.ForegroundConfig{})
			var at []string
			_, err := fg.Every("ctl", openTimer(t, r.Board, 3), hw.TimerConfig{Freq: 100}, func(c *rt.ISR) error {
				at = append(at, fmt.Sprintf("%d@%v", c.Tick(), c.Now()))
				if d, ok := tt.work[c.Tick()]; ok {
					c.Work(d)
				} else {
					c.Work(ms)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := r.Loop.RunFor(105 * ms); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(at, tt.want) {
				t.Errorf("callbacks %v, want %v", at, tt.want)
			}
			st := fg.Stats().Timers[0]
			if st.Ticks != int64(len(tt.want)) || st.Lost != tt.lost || st.Overruns != tt.overr {
				t.Errorf("Stats = %+v, want %d ticks, %d lost, %d overruns", st, len(tt.want), tt.lost, tt.overr)
			}
		})
	}
}

func TestEmergencyBufferKeepsFirstFault(t *testing.T) {
	r := pyboard(t)
	var faults []rt.Fault
	var reported []time.Duration
	fg := rt.NewForeground(r.Loop, rt.ForegroundConfig{OnFault: func(f rt.Fault) {
		faults = append(faults, f)
		reported = append(reported, r.Loop.Now())
	}})
	errA := errors.New("sensor A")
	ticksA := 0
	_, err := fg.Every("a", openTimer(t, r.Board, 5), hw.TimerConfig{Freq: 10}, func(c *rt.ISR) error {
		if ticksA++; ticksA == 2 {
			return errA
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = fg.Every("b", openTimer(t, r.Board, 6), hw.TimerConfig{Freq: 4}, func(c *rt.ISR) error {
		var readings []int
		_ = readings[c.Tick()] // panics: index out of range
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Loop.RunFor(time.Second); err != nil {
		t.Fatal(err)
	}
	ft, ok := fg.Fault()
	if !ok || ft.Err != errA || ft.Source != "a" || ft.At != 200*ms {
		t.Errorf("Fault() = %v, %v; want a's error at 200ms", ft, ok)
	}
	if got := ft.Error(); got != "rt: uncaught error in a callback at 200ms: sensor A" {
		t.Errorf("Fault().Error() = %q", got)
	}
	if len(faults) != 2 || faults[0] != ft || faults[1].Source != "b" || faults[1].At != 250*ms {
		t.Fatalf("reported %v, want a's fault, then b's at 250ms", faults)
	}
	var pe *coop.PanicError
	if !errors.As(faults[1], &pe) || !strings.Contains(fmt.Sprint(pe.Value), "index out of range") || len(pe.Stack) == 0 {
		t.Errorf("b's fault = %v, want a *coop.PanicError with its stack", faults[1].Err)
	}
	if !slices.Equal(reported, []time.Duration{200 * ms, 250 * ms}) {
		t.Errorf("reported at %v, want at once after each interrupt", reported)
	}
	st := fg.Stats()
	if st.Faults != 2 || !st.Timers[0].Disabled || !st.Timers[1].Disabled || st.Timers[0].Ticks != 2 || st.Timers[1].Ticks != 1 {
		t.Errorf("Stats = %+v, want 2 faults, both timers disabled after their failing tick", st)
	}
}

func TestScheduledFunctionFault(t *testing.T) {
	r := pyboard(t)
	var faults []string
	fg := rt.NewForeground(r.Loop, collectFaults(&faults, r.Loop))
	r.Loop.CallAt(30*ms, func() {
		fg.Schedule(func() error { return errors.New("parse") })
	})
	if err := r.Loop.RunFor(time.Second); err != nil {
		t.Fatal(err)
	}
	want := []string{"30ms: rt: uncaught error in schedule callback at 30ms: parse"}
	if !slices.Equal(faults, want) {
		t.Errorf("faults %q, want %q", faults, want)
	}
}

func TestForegroundStop(t *testing.T) {
	r := pyboard(t)
	fg := rt.NewForeground(r.Loop, rt.ForegroundConfig{})
	n := 0
	tt, err := fg.Every("", openTimer(t, r.Board, 7), hw.TimerConfig{Freq: 10}, func(*rt.ISR) error { n++; return nil })
	if err != nil {
		t.Fatal(err)
	}
	r.Loop.CallAt(250*ms, fg.Stop)
	if err := r.Loop.RunFor(time.Second); err != nil {
		t.Fatal(err)
	}
	if n != 2 || tt.Stop() {
		t.Errorf("%d callbacks, Stop() after Foreground.Stop = true; want 2 callbacks and false", n)
	}
}
