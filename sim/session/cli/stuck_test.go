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

// The step watch names the task whose step has run for the threshold
// while the loop has not answered a heartbeat, once per step, and never a
// step that ended, on a clock the test moves. The loop answers the
// heartbeats handed to it when the test says a round began.
func TestStepWatch(t *testing.T) {
	type op struct {
		at    time.Duration   // wall time since the start
		ev    *coop.TaskEvent // a task event on the loop, or
		round bool            // a round began: the loop answers the heartbeats, or
		want  *string         // a tick: what it reports ("name held", "" for nothing)
	}
	tick := func(at time.Duration, want string) op { return op{at: at, want: &want} }
	tests := []struct {
		name string
		ops  func(a, b *coop.Task) []op
	}{
		{
			name: "a step that runs on is named once",
			ops: func(a, _ *coop.Task) []op {
				return []op{
					{at: 100 * time.Millisecond, ev: &coop.TaskEvent{Task: a, State: coop.StateRunning}},
					tick(time.Second, ""), // hands out a heartbeat, seeing a's step
					tick(2999*time.Millisecond, ""),
					tick(3*time.Second, "spin 2s"),
					tick(5*time.Second, ""),
				}
			},
		},
		{
			name: "a step that ended is not named",
			ops: func(a, _ *coop.Task) []op {
				return []op{
					{at: 0, ev: &coop.TaskEvent{Task: a, State: coop.StateRunning}},
					tick(0, ""),
					{at: time.Second, ev: &coop.TaskEvent{Task: a, State: coop.StateSleeping}},
					tick(10*time.Second, ""), // paused or idle: the heartbeat waits, no step runs
				}
			},
		},
		{
			name: "another task's event does not end the step",
			ops: func(a, b *coop.Task) []op {
				return []op{
					{at: 0, ev: &coop.TaskEvent{Task: a, State: coop.StateRunning}},
					tick(0, ""),
					{at: time.Second, ev: &coop.TaskEvent{Task: b, State: coop.StateReady}},
					tick(2*time.Second, "spin 2s"),
				}
			},
		},
		{
			name: "steps in rounds that answer the heartbeat are not named",
			ops: func(a, _ *coop.Task) []op {
				var ops []op
				for i := range 10 { // a task yielding with Sleep(0), round after round
					at := time.Duration(i) * time.Second
					ops = append(ops,
						op{at: at, ev: &coop.TaskEvent{Task: a, State: coop.StateRunning}},
						tick(at, ""),
						op{at: at, ev: &coop.TaskEvent{Task: a, State: coop.StateReady}},
						op{at: at, round: true})
				}
				return ops
			},
		},
		{
			name: "a step that began after the heartbeat went out is timed from when it is seen",
			ops: func(a, b *coop.Task) []op {
				return []op{
					tick(0, ""), // the loop idles: nothing runs
					{at: time.Second, ev: &coop.TaskEvent{Task: b, State: coop.StateRunning}},
					tick(1500*time.Millisecond, ""), // first seen
					tick(3*time.Second, ""),
					tick(3500*time.Millisecond, "other 2s"),
					{at: 4 * time.Second, ev: &coop.TaskEvent{Task: b, State: coop.StateReady}},
					{at: 4 * time.Second, round: true},
					{at: 4 * time.Second, ev: &coop.TaskEvent{Task: a, State: coop.StateRunning}},
					tick(4*time.Second, ""),
					tick(6*time.Second, "spin 2s"),
				}
			},
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
			var posted []func()
			var running *coop.Task // what the firmware's observer keeps
			w := stepWatch{
				running: func() *coop.Task { return running },
				post:    func(fn func()) { posted = append(posted, fn) },
			}
			for _, o := range tt.ops(a, b) {
				switch {
				case o.ev != nil:
					switch {
					case o.ev.State == coop.StateRunning:
						running = o.ev.Task
					case o.ev.Task == running:
						running = nil
					}
				case o.round:
					for _, fn := range posted {
						fn()
					}
					posted = nil
				default:
					got := ""
					if name, held, ok := w.check(start.Add(o.at), 2*time.Second); ok {
						got = name + " " + held.String()
					}
					if got != *o.want {
						t.Errorf("tick at %v: %q, want %q", o.at, got, *o.want)
					}
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
