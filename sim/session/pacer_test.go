package session

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coopgo/coop"
)

// pacerRig runs a loop with a ticking task under a pacer, on a goroutine.
type pacerRig struct {
	loop  *coop.Loop
	pacer *Pacer
	main  *coop.Task
	ran   chan error

	mu     sync.Mutex
	ticks  []time.Duration // board times the task ticked at
	onTick func()          // on the loop, at each tick
}

func newPacerRig(t *testing.T, speed float64, paused bool, period time.Duration, n int) *pacerRig {
	t.Helper()
	r := &pacerRig{loop: coop.NewLoop(coop.WithVirtualClock()), ran: make(chan error, 1)}
	r.pacer = NewPacer(speed, paused)
	r.pacer.Bind(r.loop)
	r.main = r.loop.Spawn("main", func(t *coop.Task) error {
		for range n {
			if err := t.Sleep(period); err != nil {
				return err
			}
			r.mu.Lock()
			r.ticks = append(r.ticks, t.Now())
			fn := r.onTick
			r.mu.Unlock()
			if fn != nil {
				fn()
			}
		}
		return nil
	})
	go func() { r.ran <- r.pacer.Run(r.main.Done) }()
	t.Cleanup(func() {
		r.pacer.Do(func() { r.main.Cancel() })
		r.pacer.Resume()
		r.pacer.SetSpeed(0)
		if err := <-r.ran; err != nil {
			t.Errorf("Run: %v", err)
		}
		r.loop.Close()
	})
	return r
}

// waitState waits until the pacer's state satisfies ok.
func waitState(t *testing.T, p *Pacer, ok func(PaceState) bool) PaceState {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s := p.State()
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("pacer state %+v: condition never met", s)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestPacerFullSpeedRunsToTheEnd(t *testing.T) {
	r := newPacerRig(t, 0, false, 10*time.Millisecond, 500)
	if err := <-r.ran; err != nil {
		t.Fatalf("Run: %v", err)
	}
	r.ran <- nil
	if err := r.main.Err(); err != nil {
		t.Fatalf("main: %v", err)
	}
	if got := len(r.ticks); got != 500 {
		t.Fatalf("ticks = %d, want 500", got)
	}
	if got, want := r.ticks[499], 5*time.Second; got != want {
		t.Errorf("last tick at %v, want %v", got, want)
	}
	if !r.pacer.State().Ended {
		t.Errorf("State().Ended = false after Run returned")
	}
	// The board stops where the program ended, not at the end of the
	// slice it ended in.
	if got, want := r.pacer.State().Now, 5*time.Second; got != want || r.loop.Now() != want {
		t.Errorf("board time after the run: State().Now = %v, loop at %v; want %v", got, r.loop.Now(), want)
	}
	if r.pacer.Do(func() {}) {
		t.Errorf("Do after Run returned = true, want false")
	}
}

func TestPacerStepFromPause(t *testing.T) {
	r := newPacerRig(t, 1, true, 100*time.Millisecond, 1000)
	s := waitState(t, r.pacer, func(s PaceState) bool { return s.Paused })
	if s.Now != 0 {
		t.Fatalf("paused at %v, want 0", s.Now)
	}
	r.pacer.Step(250 * time.Millisecond)
	s = waitState(t, r.pacer, func(s PaceState) bool { return s.Paused && !s.Stepping && s.Now > 0 })
	if s.Now != 250*time.Millisecond {
		t.Errorf("after Step(250ms) board time = %v, want 250ms", s.Now)
	}
	r.mu.Lock()
	got := append([]time.Duration(nil), r.ticks...)
	r.mu.Unlock()
	if len(got) != 2 || got[1] != 200*time.Millisecond {
		t.Errorf("ticks = %v, want [100ms 200ms]", got)
	}
}

func TestPacerBreakStopsAtTheEvent(t *testing.T) {
	r := newPacerRig(t, 1, true, 70*time.Millisecond, 1000)
	waitState(t, r.pacer, func(s PaceState) bool { return s.Paused })
	r.mu.Lock()
	r.onTick = func() {
		if len(r.ticks) == 3 {
			r.pacer.Break()
		}
	}
	r.mu.Unlock()
	r.pacer.Step(time.Hour)
	s := waitState(t, r.pacer, func(s PaceState) bool { return s.Paused && !s.Stepping && s.Now > 0 })
	if s.Now != 210*time.Millisecond {
		t.Errorf("after a break at the third tick board time = %v, want 210ms", s.Now)
	}
}

func TestPacerDoWhilePaused(t *testing.T) {
	r := newPacerRig(t, 1, true, time.Second, 10)
	waitState(t, r.pacer, func(s PaceState) bool { return s.Paused })
	done := make(chan time.Duration)
	r.pacer.Do(func() { done <- r.loop.Now() })
	if got := <-done; got != 0 {
		t.Errorf("Do ran at board time %v, want 0", got)
	}
}

func TestPacerRealTimePace(t *testing.T) {
	r := newPacerRig(t, 1, false, 10*time.Millisecond, 1_000_000)
	// At 1× board time follows the wall clock: after some wall time the
	// board has moved, and not by much more than the wall clock did.
	start := time.Now()
	s := waitState(t, r.pacer, func(s PaceState) bool { return s.Now >= 50*time.Millisecond })
	if wall := time.Since(start); s.Now > wall+paceDebt {
		t.Errorf("board time %v after %v of wall time at 1×", s.Now, wall)
	}
	r.pacer.Pause()
	s = waitState(t, r.pacer, func(s PaceState) bool { return s.Paused })
	now := s.Now
	r.pacer.Do(func() {}) // a round trip: the loop is not running
	if s := r.pacer.State(); s.Now != now {
		t.Errorf("board time moved in pause: %v then %v", now, s.Now)
	}
}

func TestPacerSpeedLimits(t *testing.T) {
	p := NewPacer(1, true)
	for _, x := range []float64{0.001, -1, 5000} {
		if err := p.SetSpeed(x); err == nil {
			t.Errorf("SetSpeed(%g) = nil, want an error", x)
		}
	}
	for _, x := range []float64{0, 0.01, 1, 1000} {
		if err := p.SetSpeed(x); err != nil {
			t.Errorf("SetSpeed(%g) = %v, want nil", x, err)
		}
	}
}

func TestPacerInputInPause(t *testing.T) {
	r := newPacerRig(t, 1, true, time.Second, 10)
	waitState(t, r.pacer, func(s PaceState) bool { return s.Paused })
	got := make(chan time.Duration, 1)
	r.pacer.Input(func(at time.Duration) {
		if now := r.loop.Now(); now != at {
			t.Errorf("input given %v ran at %v", at, now)
		}
		got <- at
	})
	if at := <-got; at != InputDelay {
		t.Errorf("input at %v, want %v", at, InputDelay)
	}
	s := waitState(t, r.pacer, func(s PaceState) bool { return s.Now == InputDelay })
	if !s.Paused {
		t.Errorf("an input in pause resumed the board: %+v", s)
	}
}

// A break at the start of a task's step pauses the board right after that
// one step: of two tasks ready at the same instant, one step runs the
// first, the next the second, and the board time stands still between.
func TestPacerBreakAfterOneStep(t *testing.T) {
	loop := coop.NewLoop(coop.WithVirtualClock())
	p := NewPacer(1, true)
	p.Bind(loop)
	var (
		mu    sync.Mutex
		steps []string
		armed bool
	)
	loop.Observe(func(ev coop.TaskEvent) {
		if ev.State == coop.StateRunning && armed {
			armed = false
			p.Break()
		}
	})
	tick := func(t *coop.Task) error {
		for {
			mu.Lock()
			steps = append(steps, fmt.Sprintf("%v %s", t.Now(), t.Name()))
			mu.Unlock()
			if err := t.Sleep(100 * time.Millisecond); err != nil {
				return err
			}
		}
	}
	a, b := loop.Spawn("a", tick), loop.Spawn("b", tick)
	ran := make(chan error, 1)
	go func() { ran <- p.Run(func() bool { return a.Done() && b.Done() }) }()
	defer func() {
		p.Do(func() { a.Cancel(); b.Cancel() })
		p.Resume()
		if err := <-ran; err != nil {
			t.Errorf("Run: %v", err)
		}
		loop.Close()
	}()
	want := []string{"0s a", "0s b", "100ms a", "100ms b", "200ms a"}
	for i := range want {
		p.Do(func() { armed = true })
		p.Step(time.Hour)
		s := waitState(t, p, func(s PaceState) bool {
			mu.Lock()
			defer mu.Unlock()
			return len(steps) > i && s.Paused && !s.Stepping
		})
		mu.Lock()
		got := slices.Clone(steps)
		mu.Unlock()
		at, _ := time.ParseDuration(strings.Fields(want[i])[0])
		if !slices.Equal(got, want[:i+1]) || s.Now != at {
			t.Fatalf("after step %d: steps %q at board time %v; want %q at %v", i+1, got, s.Now, want[:i+1], at)
		}
	}
	tasks := make(chan []string)
	p.Do(func() {
		var states []string
		for _, in := range loop.Tasks() {
			states = append(states, in.Name+" "+in.State.String())
		}
		tasks <- states
	})
	states := <-tasks
	if want := []string{"a sleeping", "b ready"}; !slices.Equal(states, want) {
		t.Errorf("tasks after the fifth step: %q, want %q", states, want)
	}
}

// A Pause while the board is already paused leaves nothing behind: an
// input that follows lands at once, as any input in pause does.
func TestPacerInputAfterPauseInPause(t *testing.T) {
	r := newPacerRig(t, 1, true, time.Second, 10)
	waitState(t, r.pacer, func(s PaceState) bool { return s.Paused })
	r.pacer.Pause()
	var landed []time.Duration
	r.pacer.Input(func(at time.Duration) { landed = append(landed, at) })
	got := make(chan []time.Duration)
	r.pacer.Do(func() { got <- slices.Clone(landed) }) // after the input's own command
	if l := <-got; !slices.Equal(l, []time.Duration{InputDelay}) {
		t.Errorf("inputs landed after Pause in pause: %v, want [%v]", l, InputDelay)
	}
	if s := r.pacer.State(); s.Now != InputDelay || !s.Paused {
		t.Errorf("state %+v, want paused at %v", s, InputDelay)
	}
}

// A command the pacer took runs, even one handed to it after the last
// slice, as Run returns; once Run has returned, Do takes none. Here Run
// finds its end reached at once, and the command comes as it decides to
// return, as a Stop from another goroutine may come.
func TestPacerRunsEveryCommandItTook(t *testing.T) {
	loop := coop.NewLoop(coop.WithVirtualClock())
	defer loop.Close()
	p := NewPacer(0, false)
	p.Bind(loop)
	main := loop.Spawn("main", func(t *coop.Task) error { return nil })
	if err := loop.RunUntilComplete(main); err != nil {
		t.Fatal(err)
	}
	var took, ran bool
	err := p.Run(func() bool {
		if !took {
			took = p.Do(func() { ran = true })
		}
		return true
	})
	if err != nil || !took || !ran {
		t.Errorf("Run() = %v; Do took the command %v, ran it %v; want nil, true, true", err, took, ran)
	}
	if p.Do(func() { t.Error("a command ran after Run returned") }) {
		t.Error("Do after Run returned = true, want false")
	}
}

// A second Run, as a run goes on, counts the pace from where the board
// is: the wall time since the first (here a minute) is no debt for the
// board to race through.
func TestPacerRunAgainStartsThePaceAfresh(t *testing.T) {
	loop := coop.NewLoop(coop.WithVirtualClock())
	defer loop.Close()
	p := NewPacer(1, false)
	var wall time.Duration
	p.wall = func() time.Duration { return wall }
	p.Bind(loop)
	loop.Spawn("main", func(t *coop.Task) error { return t.Sleep(time.Hour) })
	twice := func() func() bool {
		calls := 0
		return func() bool { calls++; return calls > 2 } // one slice, or one wait for the wall clock
	}
	if err := p.Run(twice()); err != nil {
		t.Fatal(err)
	}
	wall += time.Minute
	if err := p.Run(twice()); err != nil {
		t.Fatal(err)
	}
	if now := loop.Now(); now != 0 {
		t.Errorf("board time after a second Run a minute later: %v, want 0 (no wall time passed in it)", now)
	}
}
