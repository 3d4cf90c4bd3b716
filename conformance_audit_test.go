//go:build !tinygo || (!coop_conformance && !coop_lifecycle && !coop_tasks)

package coop_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
)

// An audit of the scheduler against what asyncio, Trio and MicroPython's
// asyncio document, case by case, for what the other conformance tests
// leave out. Each case runs on the virtual clock and checks the exact log
// and what went to the error handler.

// auditCase is a program, the log it must write, and the failures the
// error handler must hear of ("TIME NAME: ERR"), in order.
type auditCase struct {
	name     string
	run      func(t *coop.Task, lg *logger) error
	want     []string
	reported []string
}

func runAuditCases(t *testing.T, cases []auditCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var lg logger
			var reported []string
			err := coop.Run(func(task *coop.Task) error { return c.run(task, &lg) }, coop.WithVirtualClock(),
				coop.WithErrorHandler(func(task *coop.Task, err error) {
					reported = append(reported, fmt.Sprintf("%v %s: %v", task.Now(), task.Name(), err))
				}))
			if err != nil {
				t.Errorf("Run = %v, want nil", err)
			}
			lg.check(t, c.want...)
			if strings.Join(reported, "|") != strings.Join(c.reported, "|") {
				t.Errorf("reported %q, want %q", reported, c.reported)
			}
		})
	}
}

// WaitAny returns one task; a failure of another that ended while it
// waited is not retrieved by it, and must reach the error handler once
// (asyncio.wait leaves the others' exceptions to be retrieved, or logged
// as never retrieved).
func TestAuditWaitAnyOthersFailures(t *testing.T) {
	errB := errors.New("b failed")
	sleeper := func(d time.Duration, err error) func(*coop.Task) error {
		return func(t *coop.Task) error {
			if e := t.Sleep(d); e != nil {
				return e
			}
			return err
		}
	}
	runAuditCases(t, []auditCase{
		{"another ends failed in the same round as the one returned: reported",
			func(t *coop.Task, lg *logger) error {
				a := t.Spawn("a", sleeper(ms, nil))
				b := t.Spawn("b", sleeper(ms, errB))
				x, err := coop.WaitAny(t, a, b)
				lg.log(t, "WaitAny: %s, %v", x.Name(), err)
				return t.Sleep(ms)
			}, []string{"1ms WaitAny: a, <nil>"}, []string{"1ms b: b failed"}},
		{"both fail in one round: the first in argument order is returned, the other reported",
			func(t *coop.Task, lg *logger) error {
				a := t.Spawn("a", sleeper(ms, errors.New("a failed")))
				b := t.Spawn("b", sleeper(ms, errB))
				x, err := coop.WaitAny(t, a, b)
				lg.log(t, "WaitAny: %s, %v, %v", x.Name(), err, x.Err())
				return t.Sleep(ms)
			}, []string{"1ms WaitAny: a, <nil>, a failed"}, []string{"1ms b: b failed"}},
		{"the failed one is returned: not reported",
			func(t *coop.Task, lg *logger) error {
				a := t.Spawn("a", sleeper(2*ms, nil))
				b := t.Spawn("b", sleeper(ms, errB))
				x, err := coop.WaitAny(t, a, b)
				lg.log(t, "WaitAny: %s, %v, %v", x.Name(), err, x.Err())
				return a.Wait(t)
			}, []string{"1ms WaitAny: b, <nil>, b failed"}, nil},
		{"the failed one is returned to a waiter of lower priority than callbacks: not reported",
			func(t *coop.Task, lg *logger) error {
				t.SetPriority(-1)
				b := t.Spawn("b", sleeper(ms, errB))
				x, err := coop.WaitAny(t, b)
				lg.log(t, "WaitAny: %s, %v, %v", x.Name(), err, x.Err())
				return nil
			}, []string{"1ms WaitAny: b, <nil>, b failed"}, nil},
		{"two WaitAny on the same tasks, each returning another: the failure is returned once, not reported",
			func(t *coop.Task, lg *logger) error {
				a := t.Spawn("a", sleeper(ms, nil))
				b := t.Spawn("b", sleeper(ms, errB))
				w := t.Spawn("w", func(t *coop.Task) error {
					x, err := coop.WaitAny(t, b, a)
					lg.log(t, "w: %s, %v", x.Name(), err)
					return nil
				})
				x, err := coop.WaitAny(t, a, b)
				lg.log(t, "main: %s, %v", x.Name(), err)
				return w.Wait(t)
			}, []string{"1ms main: a, <nil>", "1ms w: b, <nil>"}, nil},
	})
}

// Cleanup bounded by a timeout, Trio's move_on_after with shield=True: a
// WaitFor inside Shield runs its function whether the task was cancelled
// by another task or by Run's shutdown, and its timeout still holds.
func TestAuditShieldedWaitForInCleanup(t *testing.T) {
	cleanup := func(lg *logger, work time.Duration) func(*coop.Task) error {
		return func(t *coop.Task) error {
			err := t.Sleep(time.Hour)
			cerr := t.Shield(func() error {
				return coop.WaitFor(t, 10*ms, func(t *coop.Task) error {
					lg.log(t, "cleanup runs")
					return t.Sleep(work)
				})
			})
			lg.log(t, "cleanup: %v", cerr)
			return err
		}
	}
	runAuditCases(t, []auditCase{
		{"cancelled by main",
			func(t *coop.Task, lg *logger) error {
				x := t.Spawn("x", cleanup(lg, ms))
				t.Sleep(ms)
				x.Cancel()
				lg.log(t, "x: %v", x.Wait(t))
				return nil
			}, []string{"1ms cleanup runs", "2ms cleanup: <nil>", "2ms x: coop: task cancelled"}, nil},
		{"cancelled by Run's shutdown",
			func(t *coop.Task, lg *logger) error {
				t.Spawn("x", cleanup(lg, ms))
				return t.Sleep(ms)
			}, []string{"1ms cleanup runs", "2ms cleanup: <nil>"}, nil},
		{"cancelled by Run's shutdown, cleanup too slow: the timeout ends it",
			func(t *coop.Task, lg *logger) error {
				t.Spawn("x", cleanup(lg, time.Hour))
				return t.Sleep(ms)
			}, []string{"1ms cleanup runs", "11ms cleanup: coop: timeout"}, nil},
	})
}
