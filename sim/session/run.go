package session

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/sim/scenario"
)

// StopReason is why a run ended before the program returned.
type StopReason int

const (
	NotStopped   StopReason = iota // the program returned, or failed
	StopFor                        // Config.For elapsed
	StopCalled                     // Stop was called, or Run's context was done
	StopScenario                   // the scenario ended
	StopLimit                      // VirtualLimit elapsed
)

// String names the reason in a few words.
func (r StopReason) String() string {
	switch r {
	case NotStopped:
		return "not stopped"
	case StopFor:
		return "its duration elapsed"
	case StopCalled:
		return "stopped"
	case StopScenario:
		return "its scenario ended"
	case StopLimit:
		return "the virtual time limit"
	}
	return fmt.Sprintf("StopReason(%d)", int(r))
}

// ErrNoEnd is the error of a virtual run without Config.For that is still
// going, without a scenario step to wait for, after [VirtualLimit]: the
// program never returns, so the run needs a duration. It is bad usage
// more than a failure of the program.
var ErrNoEnd = errors.New("still running")

// ProgramError is a failure of the program: it returned an error or
// panicked (Err is then a *coop.PanicError, with the stack).
type ProgramError struct {
	Name string // the program's, from Config
	Err  error  // what the program returned, or its *coop.PanicError
}

// Error is the program's name and its error: "blink: hw: …".
func (e *ProgramError) Error() string { return e.Name + ": " + e.Err.Error() }

// Unwrap returns Err, for errors.Is and errors.As.
func (e *ProgramError) Unwrap() error { return e.Err }

// Stop ends the run at once, if it has not ended: the program is
// cancelled, cleans up and returns, and Run returns. It may be called
// from any goroutine, before or during Run.
func (s *Session) Stop() { s.Do(func() { s.stop(StopCalled) }) }

// Reason returns why the run ended before the program returned, once Run
// has returned; NotStopped if it was not stopped.
func (s *Session) Reason() StopReason { return s.reason }

// End returns the board time the run ended at, once Run has returned.
func (s *Session) End() time.Duration { return s.end }

// stop ends the run early, on the loop.
func (s *Session) stop(why StopReason) {
	if s.reason != NotStopped || s.main == nil {
		return
	}
	s.reason = why
	s.stopProgram()
	if p := s.cfg.Pacer; p != nil {
		// The program cleans up as fast as it can, paused or not.
		p.SetSpeed(0)
		p.Resume()
	}
}

// stopProgram cancels the program and stops the scenario.
func (s *Session) stopProgram() {
	s.main.Cancel()
	if s.scenario != nil {
		s.scenario.Stop()
	}
}

// saw notes an event at board time at: a run limited to VirtualLimit
// stops at the first event past it.
func (s *Session) saw(at time.Duration) {
	if s.limited && at >= VirtualLimit && s.reason == NotStopped && s.main != nil {
		s.reason = StopLimit
		s.limit = &limitState{}
		s.limit.step, s.limit.inScenario = s.scenarioStep()
		s.loop.CallSoon(s.stopProgram)
	}
}

// scenarioStep returns the step the scenario is still on, if it has not
// ended.
func (s *Session) scenarioStep() (scenario.Step, bool) {
	if s.scenario == nil {
		return scenario.Step{}, false
	}
	return s.scenario.Current()
}

// Run runs the program until the run ends (see the package's doc), closes
// the loop and returns what failed: the program ([*ProgramError]), a
// scenario expectation, a deadlock, the cleanup, or [ErrNoEnd]; several at
// once are joined (errors.Join). It returns nil when the run ended as
// asked: the program returned nil, or was stopped and cleaned up, and
// every expectation that was reached held. When ctx is done the run is
// stopped as by Stop. Run may be called once.
func (s *Session) Run(ctx context.Context) error {
	if s.ran {
		panic("session: Run called twice; make a new Session for each run")
	}
	s.ran = true
	l := s.loop
	if s.scenario != nil {
		// The scenario's first step runs before the program starts, as
		// the scenario of a Wokwi simulation is there before the
		// firmware boots: a first wait-serial sees the first line.
		if err := l.RunFor(0); err != nil {
			s.end = l.Now()
			s.ended(s.end)
			l.Close()
			return &ProgramError{s.cfg.Name, err}
		}
		s.scenTask = l.Spawn(ScenarioTask, func(t *coop.Task) error {
			if err := s.scenario.Wait(t); errors.Is(err, coop.ErrCancelled) {
				return nil // the run is closing
			}
			// With For the run lasts that long: the world goes quiet
			// when its scenario is done, the program goes on. A failed
			// expectation ends the run at once.
			if s.cfg.For == 0 || s.scenarioErr() != nil {
				s.stop(StopScenario)
			}
			return nil
		})
	}
	s.main = s.fw.Start(s.board)
	if d := s.cfg.For; d > 0 {
		// What is due at d still runs, then the program is stopped.
		l.CallAt(d, func() { l.CallSoon(func() { s.stop(StopFor) }) })
	}
	stopWatching := s.watch(ctx)

	var loopErr error
	err := s.runMain()
	waitOn := s.main
	if s.scenarioGoesOn() {
		waitOn = s.scenTask
		err = s.runUntil(waitOn)
	}
	if !waitOn.Done() {
		loopErr = err
	}
	stopWatching()
	s.end = l.Now()
	// The program's result, before Close cancels a program the loop left
	// running (a deadlock): that cancellation is coop's, not a failure.
	progDone, progErr := s.main.Done(), s.main.Err()
	s.ended(s.end)
	closeErr := l.Close()
	s.board.FlushConsole()

	name := s.cfg.Name
	if s.reason == StopLimit {
		if st := s.limit.step; s.limit.inScenario {
			return fmt.Errorf("%s:%d: step %d (%v): still waiting after %v of board time (--for sets how long to run)",
				s.cfg.Scenario.Name, st.Line, st.Index, st, VirtualLimit)
		}
		return fmt.Errorf("%s: %w after %v of board time: give --virtual a duration with --for, such as --for 10s",
			name, ErrNoEnd, VirtualLimit)
	}
	var errs []error
	if st, ok := s.scenarioStep(); ok && loopErr != nil && progDone && errors.Is(loopErr, coop.ErrDeadlock) {
		// The program is over and the scenario waits for what can no
		// longer come: that is the scenario's failure, not the loop's.
		errs = append(errs, fmt.Errorf("%s:%d: step %d (%v): the program ended at %v, so the step can never finish",
			s.cfg.Scenario.Name, st.Line, st.Index, st, s.end))
		loopErr = nil
	}
	if loopErr != nil {
		errs = append(errs, fmt.Errorf("%s: %w", name, loopErr))
	}
	if progDone && progErr != nil && !(s.reason != NotStopped && errors.Is(progErr, coop.ErrCancelled)) {
		errs = append(errs, &ProgramError{name, progErr})
	}
	if err := s.scenarioErr(); err != nil {
		errs = append(errs, err)
	}
	if closeErr != nil {
		errs = append(errs, fmt.Errorf("%s: cleanup: %w", name, closeErr))
	}
	return errors.Join(errs...)
}

// scenarioErr returns the scenario's failed expectation; nil if it passed,
// was stopped before its end, or there is none.
func (s *Session) scenarioErr() error {
	if s.scenario == nil {
		return nil
	}
	if err := s.scenario.Err(); err != nil && !errors.Is(err, scenario.ErrStopped) {
		return err
	}
	return nil
}

// scenarioGoesOn reports whether the program has returned and the run
// goes on to the scenario's end.
func (s *Session) scenarioGoesOn() bool {
	return s.main.Done() && s.main.Err() == nil && s.scenario != nil && s.reason == NotStopped && !s.scenTask.Done()
}

// runMain runs the loop until the program's main task is done, and returns
// its result. After a reset the main task that ended is the old one: the
// run goes on with the new one.
//
// With a Pacer it runs once for the whole run, resets and a scenario that
// outlives the program included: between two runs the pacer reports the
// run ended (a live view showed it so) and takes no command (the view's
// inputs were refused as too late).
func (s *Session) runMain() error {
	if p := s.cfg.Pacer; p != nil {
		if err := p.Run(func() bool { return s.main.Done() && !s.scenarioGoesOn() }); err != nil {
			return err
		}
		return s.main.Err()
	}
	for {
		m := s.main
		err := s.runUntil(m)
		if s.main == m || !m.Done() {
			return err
		}
	}
}

// runUntil runs the loop until t is done and returns t's result: at the
// Pacer's pace if there is one.
func (s *Session) runUntil(t *coop.Task) error {
	p := s.cfg.Pacer
	if p == nil {
		return s.loop.RunUntilComplete(t)
	}
	if !t.Done() {
		if err := p.Run(t.Done); err != nil {
			return err
		}
	}
	return t.Err()
}

// watch stops the run when ctx is done. The function it returns stops
// watching.
func (s *Session) watch(ctx context.Context) (stop func()) {
	if ctx.Done() == nil {
		return func() {}
	}
	quit := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		select {
		case <-ctx.Done():
			s.Stop()
		case <-quit:
		}
	})
	return func() {
		close(quit)
		wg.Wait()
	}
}
