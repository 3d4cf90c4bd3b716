//go:build !tinygo || coop_conformance

package coop_test

import (
	"errors"
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
		t.Run(c.name, func(t *testing.T) { runLogged(t, c.run, c.want, c.reported) })
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

// Where coop deliberately differs from asyncio, each case checks coop's
// documented behaviour (README, "How coop differs from asyncio, and why")
// and names what asyncio does.
func TestAuditDocumentedDifferences(t *testing.T) {
	errF := errors.New("f failed")
	runAuditCases(t, []auditCase{
		{"Run returns as soon as main returns: a task main spawned in its last step never runs (CPython runs it once more)",
			func(t *coop.Task, lg *logger) error {
				t.Spawn("late", func(t *coop.Task) error { lg.log(t, "late runs"); return nil })
				lg.log(t, "main returns")
				return nil
			}, []string{"0s main returns"}, nil},
		{"a TaskGroup's failure cancels the members, not the parent's own code, which hears of it at Wait (asyncio and Trio cancel the body)",
			func(t *coop.Task, lg *logger) error {
				g := coop.NewTaskGroup(t)
				g.Spawn("f", func(t *coop.Task) error { t.Sleep(ms); return errF })
				g.Spawn("s", func(t *coop.Task) error { err := t.Sleep(time.Hour); lg.log(t, "s: %v", err); return err })
				lg.log(t, "parent sleeps: %v", t.Sleep(time.Second))
				lg.log(t, "Wait: %v", g.Wait())
				return nil
			}, []string{"1ms s: coop: task cancelled", "1s parent sleeps: <nil>", "1s Wait: f failed"}, nil},
		{"a member that returns a cancellation it was not asked for fails the group (asyncio's TaskGroup ignores a cancelled member)",
			func(t *coop.Task, lg *logger) error {
				x := t.Spawn("x", func(t *coop.Task) error { return t.Sleep(time.Hour) })
				g := coop.NewTaskGroup(t)
				g.Spawn("m", func(t *coop.Task) error { return x.Wait(t) })
				g.Spawn("s", func(t *coop.Task) error { err := t.Sleep(time.Hour); lg.log(t, "s: %v", err); return err })
				t.Sleep(ms)
				x.Cancel()
				err := g.Wait()
				lg.log(t, "Wait: %v, cancelled %v", err, errors.Is(err, coop.ErrCancelled))
				return nil
			}, []string{"1ms s: coop: task cancelled", "1ms Wait: coop: task cancelled, cancelled true"}, nil},
		{"a cancelled awaiter gets ErrCancelled even when the task it awaits swallows the cancellation (asyncio returns that task's result)",
			func(t *coop.Task, lg *logger) error {
				x := t.Spawn("x", func(t *coop.Task) error { t.Sleep(time.Hour); return nil })
				w := t.Spawn("w", func(t *coop.Task) error { return x.Wait(t) })
				t.Sleep(ms)
				w.Cancel()
				lg.log(t, "w: %v, %v; x: %v, %v", w.Wait(t), w.State(), x.Err(), x.State())
				return nil
			}, []string{"1ms w: coop: task cancelled, cancelled; x: <nil>, done"}, nil},
		{"Cancelled reports the request (asyncio's cancelling()); State() == StateCancelled the end (asyncio's cancelled())",
			func(t *coop.Task, lg *logger) error {
				x := t.Spawn("x", func(t *coop.Task) error { t.Sleep(time.Hour); return nil })
				t.Sleep(ms)
				x.Cancel()
				lg.log(t, "asked: Cancelled %v, %v", x.Cancelled(), x.State())
				x.Wait(t)
				lg.log(t, "swallowed: Cancelled %v, %v", x.Cancelled(), x.State())
				return nil
			}, []string{"1ms asked: Cancelled true, ready", "1ms swallowed: Cancelled true, done"}, nil},
		{"Release hands the lock to the first waiter: Locked stays true, as in MicroPython (asyncio reports it free until the waiter runs)",
			func(t *coop.Task, lg *logger) error {
				var l coop.Lock
				l.Acquire(t)
				w := t.Spawn("w", func(t *coop.Task) error {
					err := l.Acquire(t)
					lg.log(t, "w: %v", err)
					l.Release()
					return err
				})
				t.Sleep(0)
				l.Release()
				lg.log(t, "released: Locked %v", l.Locked())
				return w.Wait(t)
			}, []string{"0s released: Locked true", "0s w: <nil>"}, nil},
	})
}

// Edge cases of WaitFor and Gather that asyncio's tests pin down.
func TestAuditWaitForAndGatherEdges(t *testing.T) {
	errX := errors.New("x failed")
	runAuditCases(t, []auditCase{
		{"nested WaitFor with equal deadlines: the outer timer was scheduled first and reports ErrTimeout; the inner, cancelled, returns ErrCancelled",
			func(t *coop.Task, lg *logger) error {
				err := coop.WaitFor(t, 10*ms, func(t *coop.Task) error {
					err := coop.WaitFor(t, 10*ms, func(t *coop.Task) error { return t.Sleep(time.Hour) })
					lg.log(t, "inner: %v", err)
					return err
				})
				lg.log(t, "outer: %v, timeout %v, cancelled %v", err, errors.Is(err, coop.ErrTimeout), errors.Is(err, coop.ErrCancelled))
				return nil
			}, []string{"10ms inner: coop: task cancelled", "10ms outer: coop: timeout, timeout true, cancelled false"}, nil},
		{"a Queue value handed to a getter whose WaitFor times out at that instant goes to the next getter",
			func(t *coop.Task, lg *logger) error {
				q := coop.NewQueue[int](0)
				g1 := t.Spawn("g1", func(t *coop.Task) error {
					err := coop.WaitFor(t, 10*ms, func(t *coop.Task) error { _, err := q.Get(t); return err })
					lg.log(t, "g1: %v, len %d", err, q.Len())
					return nil
				})
				g2 := t.Spawn("g2", func(t *coop.Task) error {
					v, err := q.Get(t)
					lg.log(t, "g2: %v %v", v, err)
					return err
				})
				t.Spawn("p", func(t *coop.Task) error { t.Sleep(10 * ms); return q.Put(t, 7) })
				return coop.Gather(t, g1, g2)
			}, []string{"10ms g2: 7 <nil>", "10ms g1: coop: timeout, len 0"}, nil},
		{"Gather of one task twice, done or not: its result once per place, in order; nothing reported",
			func(t *coop.Task, lg *logger) error {
				x := t.Spawn("x", func(t *coop.Task) error { return errX })
				y := t.Spawn("y", func(t *coop.Task) error { return t.Sleep(ms) })
				t.Sleep(0)
				err := coop.Gather(t, x, y, x, y)
				lg.log(t, "Gather: %q", err)
				return nil
			}, []string{`1ms Gather: "x failed\nx failed"`}, nil},
		{"empty Gather returns nil without yielding",
			func(t *coop.Task, lg *logger) error {
				t.Spawn("x", func(t *coop.Task) error { lg.log(t, "x runs"); return nil })
				lg.log(t, "Gather: %v", coop.Gather(t))
				return t.Sleep(0)
			}, []string{"0s Gather: <nil>", "0s x runs"}, nil},
	})
}
