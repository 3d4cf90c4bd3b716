package main

import (
	"errors"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/sim/scenario"
)

// scenarioTask is the name of the task that waits for the scenario's end.
// It is coop's, not the program's, so traces leave it out.
const scenarioTask = "coop:scenario"

// scenarioRun is a scenario running on the board, and the task that waits
// for its end.
type scenarioRun struct {
	runner *scenario.Runner
	task   *coop.Task
}

// wait spawns the task that waits for the scenario to end, then calls
// onEnd on the loop.
func (s *scenarioRun) wait(l *coop.Loop, onEnd func()) {
	s.task = l.Spawn(scenarioTask, func(t *coop.Task) error {
		if err := s.runner.Wait(t); errors.Is(err, coop.ErrCancelled) {
			return nil // the run is closing
		}
		onEnd()
		return nil
	})
}

// stop ends the scenario where it is, when the run stops before it ended.
func (s *scenarioRun) stop() { s.runner.Stop() }

// err returns the scenario's failed expectation, naming the step, what it
// expected and what happened; nil if it passed or was stopped before its
// end (by --for or Ctrl-C).
func (s *scenarioRun) err() error {
	if err := s.runner.Err(); err != nil && !errors.Is(err, scenario.ErrStopped) {
		return err
	}
	return nil
}
