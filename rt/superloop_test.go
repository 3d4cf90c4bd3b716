package rt_test

import (
	"errors"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/rt"
)

const ms = time.Millisecond

// virtualLoop returns a loop on the virtual clock, closed when the test
// ends.
func virtualLoop(t *testing.T, opts ...coop.Option) *coop.Loop {
	t.Helper()
	l := coop.NewLoop(append([]coop.Option{coop.WithVirtualClock()}, opts...)...)
	t.Cleanup(func() { l.Close() })
	return l
}

// busy returns a super-loop function that works d.
func busy(d time.Duration) func(t *coop.Task) error {
	return func(t *coop.Task) error { t.Busy(d); return nil }
}

func TestSuperLoopTiming(t *testing.T) {
	tests := []struct {
		name         string
		work         []time.Duration
		delay        time.Duration
		pass, period time.Duration
		passes       int64 // in one second; 0: not checked (RunFor stops a busy loop a round late)
	}{
		{"two tasks", []time.Duration{10 * ms, 20 * ms}, 50 * ms, 30 * ms, 80 * ms, 13},
		{"added code lengthens the loop", []time.Duration{10 * ms, 20 * ms, 15 * ms}, 50 * ms, 45 * ms, 95 * ms, 11},
		{"no delay", []time.Duration{5 * ms}, 0, 5 * ms, 5 * ms, 0},
		{"no work", []time.Duration{0, 0}, 150 * ms, 0, 150 * ms, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := virtualLoop(t)
			sl := &rt.SuperLoop{Delay: tt.delay}
			for _, d := range tt.work {
				sl.Funcs = append(sl.Funcs, busy(d))
			}
			l.Spawn("superloop", sl.Run)
			if err := l.RunFor(time.Second); err != nil {
				t.Fatal(err)
			}
			st := sl.Stats()
			if tt.passes != 0 && st.Passes != tt.passes {
				t.Errorf("Passes = %d, want %d", st.Passes, tt.passes)
			}
			if st.Pass.Min != tt.pass || st.Pass.Max != tt.pass || st.Pass.Mean != tt.pass {
				t.Errorf("Pass = %+v, want every pass %v", st.Pass, tt.pass)
			}
			if st.Period.N != st.Passes-1 || st.Period.Min != tt.period || st.Period.Max != tt.period {
				t.Errorf("Period = %+v over %d passes, want every period %v", st.Period, st.Passes, tt.period)
			}
			for i, d := range tt.work {
				if f := st.Funcs[i]; f.Max != d || f.Min != d {
					t.Errorf("Funcs[%d] = %+v, want %v", i, f, d)
				}
			}
		})
	}
}

func TestSuperLoopVaryingWork(t *testing.T) {
	l := virtualLoop(t)
	n := 0
	sl := &rt.SuperLoop{
		Funcs: []func(t *coop.Task) error{
			busy(10 * ms),
			func(t *coop.Task) error {
				n++
				if n%2 == 0 {
					t.Busy(30 * ms)
				} else {
					t.Busy(10 * ms)
				}
				return nil
			},
		},
		Delay: 60 * ms,
	}
	l.Spawn("superloop", sl.Run)
	if err := l.RunFor(time.Second); err != nil {
		t.Fatal(err)
	}
	st := sl.Stats()
	want := rt.Dist{N: st.Passes, Min: 20 * ms, Max: 40 * ms}
	if st.Pass.Min != want.Min || st.Pass.Max != want.Max || st.Pass.P50 != 20*ms || st.Pass.P99 != 40*ms {
		t.Errorf("Pass = %+v, want min 20ms, p50 20ms, p99 40ms, max 40ms", st.Pass)
	}
	if st.Period.Min != 80*ms || st.Period.Max != 100*ms {
		t.Errorf("Period = %+v, want 80ms to 100ms", st.Period)
	}
}

func TestSuperLoopError(t *testing.T) {
	l := virtualLoop(t)
	boom := errors.New("boom")
	n := 0
	sl := &rt.SuperLoop{Funcs: []func(t *coop.Task) error{func(t *coop.Task) error {
		if n++; n == 3 {
			return boom
		}
		return nil
	}}, Delay: 10 * ms}
	task := l.Spawn("superloop", sl.Run)
	if err := l.RunUntilComplete(task); !errors.Is(err, boom) {
		t.Fatalf("Run = %v, want %v", err, boom)
	}
	if got := sl.Stats().Passes; got != 2 {
		t.Errorf("Passes = %d, want 2", got)
	}
}
