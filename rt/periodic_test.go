package rt_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/rt"
)

// job returns a periodic job that works work[n] on its n-th run (from 1),
// or 5 ms.
func job(work map[int]time.Duration) func(t *coop.Task) error {
	n := 0
	return func(t *coop.Task) error {
		n++
		if d, ok := work[n]; ok {
			t.Busy(d)
		} else {
			t.Busy(5 * ms)
		}
		return nil
	}
}

// hogAt spawns a task that wakes at `at` and works d. Spawned before the
// periodic task's timer is set, it runs first when both are due at once.
func hogAt(t *coop.Task, at, d time.Duration) {
	t.Spawn("hog", func(t *coop.Task) error {
		if err := t.SleepUntil(at); err != nil {
			return err
		}
		t.Busy(d)
		return nil
	})
}

func TestPeriodicContract(t *testing.T) {
	contract := rt.Contract{Period: 50 * ms, Deadline: 40 * ms, Budget: 20 * ms}
	tests := []struct {
		name        string
		work        map[int]time.Duration
		hog         time.Duration // work of a task woken at 300 ms, ahead of the job
		jitterMax   time.Duration
		jitterP50   time.Duration
		releases    int64
		skipped     int64
		misses      int64
		overruns    int64
		execMax     time.Duration
		responseMax time.Duration
		missed      []string
	}{
		{
			name:     "on time",
			releases: 10, execMax: 5 * ms, responseMax: 5 * ms,
		},
		{
			name: "a step 30ms past its budget", work: map[int]time.Duration{3: 50 * ms},
			releases: 10, misses: 1, overruns: 1, execMax: 50 * ms, responseMax: 50 * ms,
			missed: []string{`deadline+budget: task "ctl", job released at 150ms: done at 200ms, 10ms past its 40ms deadline; ran 50ms, over its 20ms budget`},
		},
		{
			name: "a late start", hog: 10 * ms,
			releases: 10, jitterMax: 10 * ms, execMax: 5 * ms, responseMax: 15 * ms,
		},
		{
			name: "releases skipped", work: map[int]time.Duration{3: 120 * ms},
			releases: 9, skipped: 1, misses: 1, overruns: 1, jitterMax: 20 * ms, execMax: 120 * ms, responseMax: 120 * ms,
			missed: []string{
				`deadline+budget: task "ctl", job released at 150ms: done at 270ms, 80ms past its 40ms deadline; ran 120ms, over its 20ms budget`,
				`skipped: task "ctl", job released at 250ms: 1 releases skipped before it`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := virtualLoop(t)
			var missed []string
			c := contract
			c.OnMiss = func(m rt.Miss) { missed = append(missed, m.Kind.String()+": "+m.String()) }
			var p *rt.PeriodicTask
			l.Spawn("main", func(t *coop.Task) error {
				if tt.hog > 0 {
					hogAt(t, 300*ms, tt.hog)
				}
				p = rt.Periodic(t, "ctl", c, job(tt.work))
				return nil
			})
			if err := l.RunFor(520 * ms); err != nil {
				t.Fatal(err)
			}
			st := p.Stats()
			if st.Releases != tt.releases || st.Skipped != tt.skipped || st.DeadlineMisses != tt.misses || st.BudgetOverruns != tt.overruns {
				t.Errorf("Stats = %+v, want %d releases, %d skipped, %d deadline misses, %d budget overruns",
					st, tt.releases, tt.skipped, tt.misses, tt.overruns)
			}
			if st.Jitter.Max != tt.jitterMax || st.Jitter.P50 != tt.jitterP50 || st.Jitter.P99 != tt.jitterMax {
				t.Errorf("Jitter = %+v, want p50 %v, p99 and max %v", st.Jitter, tt.jitterP50, tt.jitterMax)
			}
			if st.Exec.Max != tt.execMax || st.Response.Max != tt.responseMax {
				t.Errorf("Exec max %v, Response max %v; want %v, %v", st.Exec.Max, st.Response.Max, tt.execMax, tt.responseMax)
			}
			if !slices.Equal(missed, tt.missed) {
				t.Errorf("OnMiss told of\n%q\nwant\n%q", missed, tt.missed)
			}
			// The task's own count, which dashboards read: late or
			// over-budget jobs, plus skipped releases.
			if got, want := p.Task().Info().Misses, int64(len(tt.missed)); got != want {
				t.Errorf("TaskInfo.Misses = %d, want %d", got, want)
			}
			if p.Task().Done() {
				t.Errorf("a soft task stopped: %v", p.Task().Err())
			}
		})
	}
}

func TestPeriodicHardMiss(t *testing.T) {
	var failed []string
	l := virtualLoop(t, coop.WithErrorHandler(func(t *coop.Task, err error) {
		failed = append(failed, fmt.Sprintf("task %s failed: %v", t.Name(), err))
	}))
	var faults []rt.Miss
	var p *rt.PeriodicTask
	l.Spawn("main", func(t *coop.Task) error {
		p = rt.Periodic(t, "brake", rt.Contract{
			Period: 10 * ms, Budget: 2 * ms, Hard: true,
			OnMiss: func(m rt.Miss) { faults = append(faults, m) },
		}, job(map[int]time.Duration{1: ms, 2: ms, 3: 3 * ms}))
		return nil
	})
	if err := l.RunFor(100 * ms); err != nil {
		t.Fatal(err)
	}
	want := rt.Miss{Task: "brake", Kind: rt.MissBudget, Hard: true, Release: 30 * ms, Start: 30 * ms,
		Finish: 33 * ms, Exec: 3 * ms, Deadline: 10 * ms, Budget: 2 * ms}
	if len(faults) != 1 || faults[0] != want {
		t.Errorf("fault handler told of %+v, want once %+v", faults, want)
	}
	var me *rt.MissError
	if err := p.Task().Err(); !errors.Is(err, rt.ErrHardMiss) || !errors.As(err, &me) || me.Miss != want {
		t.Errorf("task result = %v, want a *MissError for %v", err, want)
	}
	wantFailed := []string{`task brake failed: rt: hard contract missed: task "brake", job released at 30ms: ran 3ms, over its 2ms budget`}
	if !slices.Equal(failed, wantFailed) {
		t.Errorf("error handler told %q, want %q", failed, wantFailed)
	}
	if st := p.Stats(); st.Releases != 3 || st.BudgetOverruns != 1 {
		t.Errorf("Stats = %+v, want 3 releases, 1 overrun", st)
	}
}

func TestPeriodicJobThatAwaits(t *testing.T) {
	l := virtualLoop(t)
	var p *rt.PeriodicTask
	var misses []rt.Miss
	l.Spawn("main", func(t *coop.Task) error {
		p = rt.Periodic(t, "sampler", rt.Contract{Period: 100 * ms, Budget: 10 * ms, OnMiss: func(m rt.Miss) { misses = append(misses, m) }},
			func(t *coop.Task) error {
				t.Busy(5 * ms) // start a conversion
				if err := t.Sleep(20 * ms); err != nil {
					return err
				}
				t.Busy(7 * ms) // read it
				return nil
			})
		return nil
	})
	if err := l.RunFor(250 * ms); err != nil {
		t.Fatal(err)
	}
	st := p.Stats()
	if st.Releases != 2 || st.Exec.Min != 12*ms || st.Exec.Max != 12*ms || st.Response.Max != 32*ms || st.BudgetOverruns != 2 {
		t.Errorf("Stats = %v, want 2 jobs of 12ms processor time, 32ms response, both over budget", st)
	}
	if len(misses) != 2 || misses[0].Exec != 12*ms || misses[0].Finish != 132*ms {
		t.Errorf("misses %+v, want two of 12ms, the first done at 132ms", misses)
	}
}

func TestContractStatsString(t *testing.T) {
	l := virtualLoop(t)
	var p *rt.PeriodicTask
	l.Spawn("main", func(t *coop.Task) error {
		p = rt.Periodic(t, "ctl", rt.Contract{Period: 50 * ms, Deadline: 40 * ms, Budget: 20 * ms}, job(map[int]time.Duration{3: 50 * ms}))
		return nil
	})
	if err := l.RunFor(520 * ms); err != nil {
		t.Fatal(err)
	}
	want := "ctl: period 50ms, deadline 40ms, budget 20ms, 10 jobs, jitter p50=0s p99=0s max=0s, exec max 50ms, " +
		"response max 50ms, 1 deadline misses, 1 budget overruns, 0 skipped"
	if got := p.Stats().String(); got != want {
		t.Errorf("String() =\n%s\nwant\n%s", got, want)
	}
}

// TestPeriodicPriority runs the periodic task at a higher priority than a
// task woken at the same instant: it runs first, without jitter.
func TestPeriodicPriority(t *testing.T) {
	for _, prio := range []int{0, 1} {
		t.Run(fmt.Sprint("priority ", prio), func(t *testing.T) {
			l := virtualLoop(t)
			var p *rt.PeriodicTask
			l.Spawn("main", func(t *coop.Task) error {
				hogAt(t, 300*ms, 10*ms)
				p = rt.Periodic(t, "ctl", rt.Contract{Period: 50 * ms}, job(nil))
				p.Task().SetPriority(prio)
				return nil
			})
			if err := l.RunFor(520 * ms); err != nil {
				t.Fatal(err)
			}
			want := 10 * ms
			if prio > 0 {
				want = 0
			}
			if got := p.Stats().Jitter.Max; got != want {
				t.Errorf("Jitter.Max = %v, want %v", got, want)
			}
		})
	}
}

// The edges of a contract: done exactly at the deadline is on time; an
// overrun of a whole period skips a release rather than catching up.
func TestPeriodicEdges(t *testing.T) {
	tests := []struct {
		name    string
		c       rt.Contract
		work    time.Duration // of the job released at 100 ms; 5 ms otherwise
		misses  []string
		skipped int64
		jitter  time.Duration // max
	}{
		{name: "done at the deadline", c: rt.Contract{Period: 50 * ms, Deadline: 40 * ms}, work: 40 * ms},
		{name: "done 1ns after the deadline", c: rt.Contract{Period: 50 * ms, Deadline: 40 * ms}, work: 40*ms + 1,
			misses: []string{`deadline: task "ctl", job released at 100ms: done at 140.000001ms, 1ns past its 40ms deadline`}},
		{name: "an overrun of less than a period starts the next job late", c: rt.Contract{Period: 50 * ms, Deadline: 80 * ms},
			work: 70 * ms, jitter: 20 * ms},
		{name: "an overrun of a whole period skips a release", c: rt.Contract{Period: 50 * ms}, work: 100 * ms, skipped: 1,
			misses: []string{
				`deadline: task "ctl", job released at 100ms: done at 200ms, 50ms past its 50ms deadline`,
				`skipped: task "ctl", job released at 200ms: 1 releases skipped before it`,
			}},
		{name: "the job after a skip starts late", c: rt.Contract{Period: 50 * ms}, work: 125 * ms, skipped: 1, jitter: 25 * ms,
			misses: []string{
				`deadline: task "ctl", job released at 100ms: done at 225ms, 75ms past its 50ms deadline`,
				`skipped: task "ctl", job released at 200ms: 1 releases skipped before it`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := virtualLoop(t)
			var misses []string
			c := tt.c
			c.OnMiss = func(m rt.Miss) { misses = append(misses, m.Kind.String()+": "+m.String()) }
			var p *rt.PeriodicTask
			l.Spawn("main", func(t *coop.Task) error {
				p = rt.Periodic(t, "ctl", c, job(map[int]time.Duration{2: tt.work}))
				return nil
			})
			if err := l.RunFor(520 * ms); err != nil {
				t.Fatal(err)
			}
			st := p.Stats()
			if !slices.Equal(misses, tt.misses) {
				t.Errorf("OnMiss told of\n%q\nwant\n%q", misses, tt.misses)
			}
			if st.Skipped != tt.skipped || st.Releases != 10-tt.skipped || st.Jitter.Max != tt.jitter {
				t.Errorf("Stats = %v, want %d releases, %d skipped, jitter max %v", st, 10-tt.skipped, tt.skipped, tt.jitter)
			}
		})
	}
}
