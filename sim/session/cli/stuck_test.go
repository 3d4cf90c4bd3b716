package cli

import (
	"bytes"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// The step watch names the task whose step has run for the threshold,
// once per step, and never a step that ended, on a clock the test moves.
func TestStepWatch(t *testing.T) {
	type stamped struct {
		at time.Duration // wall time since the start
		ev coop.TaskEvent
	}
	type check struct {
		at   time.Duration // wall time since the start
		want string        // "name held", or "" for nothing to report
	}
	tests := []struct {
		name   string
		events func(a, b *coop.Task) []stamped
		checks []check
	}{
		{
			name: "a step that runs on is named once",
			events: func(a, _ *coop.Task) []stamped {
				return []stamped{{100 * time.Millisecond, coop.TaskEvent{Task: a, State: coop.StateRunning}}}
			},
			checks: []check{{time.Second, ""}, {2099 * time.Millisecond, ""}, {2100 * time.Millisecond, "spin 2s"}, {5 * time.Second, ""}},
		},
		{
			name: "a step that ended is not named",
			events: func(a, _ *coop.Task) []stamped {
				return []stamped{
					{0, coop.TaskEvent{Task: a, State: coop.StateRunning}},
					{time.Second, coop.TaskEvent{Task: a, State: coop.StateSleeping}},
				}
			},
			checks: []check{{10 * time.Second, ""}},
		},
		{
			name: "another task's event does not end the step",
			events: func(a, b *coop.Task) []stamped {
				return []stamped{
					{0, coop.TaskEvent{Task: a, State: coop.StateRunning}},
					{time.Second, coop.TaskEvent{Task: b, State: coop.StateReady}},
				}
			},
			checks: []check{{3 * time.Second, "spin 3s"}},
		},
		{
			name: "each new step is timed from its start and named once",
			events: func(a, b *coop.Task) []stamped {
				return []stamped{
					{0, coop.TaskEvent{Task: a, State: coop.StateRunning}},
					{2 * time.Second, coop.TaskEvent{Task: a, State: coop.StateReady}},
					{2 * time.Second, coop.TaskEvent{Task: b, State: coop.StateRunning}},
				}
			},
			checks: []check{{3 * time.Second, ""}, {4500 * time.Millisecond, "other 2.5s"}, {6 * time.Second, ""}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Two real tasks, for their names and identities.
			var a, b *coop.Task
			err := coop.Run(func(t *coop.Task) error {
				a = t.Spawn("spin", func(*coop.Task) error { return nil })
				b = t.Spawn("other", func(*coop.Task) error { return nil })
				return coop.Gather(t, a, b)
			}, coop.WithVirtualClock())
			if err != nil {
				t.Fatal(err)
			}
			start := time.Unix(1000, 0)
			var now time.Duration
			w := &stepWatch{now: func() time.Time { return start.Add(now) }}
			evs := tt.events(a, b)
			for _, c := range tt.checks {
				for len(evs) > 0 && evs[0].at <= c.at {
					now = evs[0].at
					w.event(evs[0].ev)
					evs = evs[1:]
				}
				now = c.at
				got := ""
				if name, held, ok := w.stuck(2 * time.Second); ok {
					got = name + " " + held.String()
				}
				if got != c.want {
					t.Errorf("at %v: stuck = %q, want %q", c.at, got, c.want)
				}
			}
		})
	}
}

// A task that never awaits holds the loop, the virtual clock and --for
// with it: the run says which task it is while it still runs, and once
// the task awaits, the run goes on and ends as asked.
func TestRun_stuckStepNamed(t *testing.T) {
	var release atomic.Bool
	p := Program{Name: "spinner", Board: "pico2w", App: func(t *coop.Task, b hw.Board) error {
		button, err := b.Input("GP14", hw.PullUp)
		if err != nil {
			return err
		}
		t.Spawn("spin", func(t *coop.Task) error {
			for button.Get() && !release.Load() { // the mistake: no await in the loop
			}
			return nil
		})
		return t.Sleep(time.Second)
	}}
	f, _, err := Parse("run", []string{"--virtual", "--for", "2s"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	errb := &syncBuffer{wrote: make(chan struct{})}
	scr := &screen{out: &out, err: errb, now: time.Now}
	r, err := newRun(p, f.c, scr)
	if err != nil {
		t.Fatal(err)
	}
	r.stuckAfter = 50 * time.Millisecond
	done := make(chan int)
	go func() { done <- r.execute() }()
	const want = `coop: spinner: task "spin" has run `
	found := errb.waitFor(want, 10*time.Second)
	release.Store(true)
	if code := <-done; code != ExitOK {
		t.Errorf("status %d, want %d; stderr:\n%s", code, ExitOK, errb)
	}
	if !found {
		t.Fatalf("stderr = %q, want a line starting %q", errb, want)
	}
	line, _, _ := strings.Cut(errb.String()[strings.Index(errb.String(), want):], "\n")
	const tail = ` without awaiting, and nothing else runs until it does: a loop that never calls t.Sleep or another await? (Ctrl-C twice kills coop)`
	if !strings.HasSuffix(line, tail) {
		t.Errorf("stuck line = %q, want it to end %q", line, tail)
	}
	if strings.Count(errb.String(), want) != 1 {
		t.Errorf("stderr names the step %d times, want once:\n%s", strings.Count(errb.String(), want), errb)
	}
}
