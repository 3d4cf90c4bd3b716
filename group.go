package coop

import (
	"errors"
	"fmt"
	"slices"
)

// Gather waits until every task in tasks is done (asyncio.gather) and
// returns their errors joined with [errors.Join], in the order of tasks; nil
// if all succeeded. The tasks count as awaited from the moment Gather is
// called, so their failures are not also reported to the error handler. If
// self is cancelled while it waits, every task is cancelled and Gather
// returns, once they have all finished, [ErrCancelled] joined with their
// failures; if self was cancelled before, Gather returns ErrCancelled at
// once and leaves the tasks alone (their failures are reported as usual).
//
// Unlike asyncio.gather, which raises the first failure at once, Gather
// returns only when the last task has ended: a task that fails beside one
// that runs forever (a blink loop) is not heard of, nor reported, until
// the other ends. To stop at the first failure and cancel the rest, spawn
// the tasks in a [TaskGroup].
func Gather(self *Task, tasks ...*Task) error {
	checkTasks("Gather", self, tasks)
	if err := self.enter("Gather"); err != nil {
		return err
	}
	for _, x := range tasks {
		x.set(awaited)
	}
	self.waitAll(tasks)
	var errs []error
	cancelled := self.cancelledNow()
	if cancelled {
		errs = append(errs, self.cancelErr())
	}
	for _, x := range tasks {
		if err := x.result(); err != nil && !(cancelled && onlyCancelled(err)) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// checkTasks panics, naming the call, if one of tasks is nil, is self,
// which would wait for its own end, or belongs to another loop than self,
// as [Task.Wait] does.
func checkTasks(call string, self *Task, tasks []*Task) {
	for i, x := range tasks {
		if x == nil {
			panic(fmt.Sprintf("coop: %s: nil task at index %d; pass tasks Spawn returned", call, i))
		}
		if x == self {
			panic(fmt.Sprintf("coop: %s: task %q waits on itself (index %d), which never ends; wait on other tasks", call, x.name, i))
		}
		if self != nil && x.loop != self.loop {
			panic(otherLoop(call, self, x))
		}
	}
}

// otherLoop is the panic message for self waiting, in call, on x of
// another loop, which would never wake self on its own loop (asyncio
// refuses a future attached to a different loop).
func otherLoop(call string, self, x *Task) string {
	return fmt.Sprintf("coop: %s: task %q waits on task %q of another loop, whose end would not wake it; "+
		"wait only on tasks of the same loop, and hand results between loops with Loop.CallSoon", call, self.name, x.name)
}

// WaitAny waits until one of tasks is done and returns it; if several are
// already done it returns the first of them in argument order. The task it
// returns counts as awaited; the others are not cancelled and are not
// awaited (a failure of theirs nobody awaits later is reported, as ever).
// If self is cancelled WaitAny returns nil and [ErrCancelled]. It panics if
// tasks is empty.
func WaitAny(self *Task, tasks ...*Task) (*Task, error) {
	if len(tasks) == 0 {
		panic("coop: WaitAny with no tasks; pass at least one")
	}
	checkTasks("WaitAny", self, tasks)
	if err := self.enter("WaitAny"); err != nil {
		return nil, err
	}
	for {
		for _, x := range tasks {
			if x.state.Final() {
				x.set(awaited)
				return x, nil
			}
		}
		for _, x := range tasks {
			r := x.more()
			r.anyWaiters = append(r.anyWaiters, self)
		}
		self.setWait(waitAny, nil)
		err := self.park()
		for _, x := range tasks {
			r := x.rare
			if i := slices.Index(r.anyWaiters, self); i >= 0 {
				r.anyWaiters = slices.Delete(r.anyWaiters, i, i+1)
			}
		}
		if err != nil {
			for _, x := range tasks {
				if x.state.Final() && !x.is(awaited) {
					l := self.loop
					l.unretrieved(x) // it ended while WaitAny waited: WaitAny was to return it
				}
			}
			return nil, err
		}
	}
}

// ValueTask is a task whose function returns a value as well as an error.
type ValueTask[T any] struct {
	*Task
	value T
}

// SpawnValue starts fn as a new task on parent's loop and returns a handle
// to its result.
func SpawnValue[T any](parent *Task, name string, fn func(t *Task) (T, error)) *ValueTask[T] {
	if parent == nil || fn == nil {
		panic("coop: SpawnValue with a nil parent task or function; pass the calling task and the task's body")
	}
	vt := &ValueTask[T]{}
	vt.Task = parent.Spawn(name, func(t *Task) error {
		v, err := fn(t)
		vt.value = v
		return err
	})
	return vt
}

// Result waits for the task, from inside self, and returns what its
// function returned. If self is cancelled, it returns the zero value and
// [ErrCancelled], even if the task itself ended cancelled or had already
// ended when self resumed; the result stays with the task for a later
// Result (inside [Task.Shield], or from another task).
func (vt *ValueTask[T]) Result(self *Task) (T, error) {
	err, own := vt.await(self, "ValueTask.Result")
	if own {
		var zero T
		return zero, err
	}
	return vt.value, err
}

// TaskGroup runs tasks as a unit (asyncio.TaskGroup): [TaskGroup.Wait]
// waits for all of them, the first failure cancels the rest, and Wait
// returns every failure joined. The group's own task is not cancelled by a
// failure; it learns of it from Wait (asyncio and Trio cancel the body of
// the group). A member that ends with a cancellation it was not asked for,
// such as another task's that it returned, has failed the group, where
// asyncio's TaskGroup ignores a cancelled member. If the parent ends
// without calling Wait (an early return between Spawn and Wait), nobody
// will: every member's failure, before the parent's end or after, goes to
// the error handler ([WithErrorHandler]), as a failure nobody awaits does,
// and members still running go on. Make one with NewTaskGroup: a zero
// TaskGroup has no parent, and Spawn and Wait panic on it.
type TaskGroup struct {
	parent  *Task
	members []*Task
	live    int
	errs    []error
	failing []*Task // the members whose failures errs holds
	failed  bool
	closed  bool
	// orphaned: the parent ended without Wait, so failures are reported.
	orphaned bool
}

// NewTaskGroup returns an empty group whose Wait will be called by parent.
func NewTaskGroup(parent *Task) *TaskGroup {
	if parent == nil {
		panic("coop: NewTaskGroup with a nil parent; pass the task that will call Wait")
	}
	g := &TaskGroup{parent: parent}
	if parent.state.Final() {
		g.orphaned = true // its Wait can never be called
	} else {
		r := parent.more()
		r.groups = append(r.groups, g)
	}
	return g
}

// Spawn starts fn as a member of the group. It panics if the group's Wait
// has returned. If a member has already failed, the new task is cancelled
// before it runs.
func (g *TaskGroup) Spawn(name string, fn func(t *Task) error) *Task {
	g.made("Spawn")
	if g.closed {
		panic(fmt.Sprintf("coop: TaskGroup.Spawn(%q) after the group's Wait returned; make a new group", name))
	}
	t := g.parent.loop.Spawn(name, fn)
	t.more().group = g
	t.set(awaited)
	g.members = append(g.members, t)
	g.live++
	if g.failed {
		t.Cancel()
	}
	return t
}

// Wait waits, from inside the group's parent task, until every member is
// done, and returns their failures joined (cancellations caused by the
// group are left out), or nil. If the parent is cancelled, every member is
// cancelled and Wait returns [ErrCancelled] joined with the failures.
func (g *TaskGroup) Wait() error {
	g.made("Wait")
	self := g.parent
	if self.loop.current != self {
		self.loop.misuse(self, "TaskGroup.Wait")
	}
	for g.live > 0 {
		if self.cancelledNow() {
			g.cancelMembers()
		}
		self.setWait(waitGroup, g)
		self.park()
	}
	g.closed = true
	if r := self.rare; r != nil {
		if i := slices.Index(r.groups, g); i >= 0 {
			r.groups = slices.Delete(r.groups, i, i+1)
		}
	}
	errs := g.errs
	if self.cancelledNow() {
		errs = append([]error{self.cancelErr()}, errs...)
	}
	return errors.Join(errs...)
}

// made panics, naming the call, for a TaskGroup not made with
// NewTaskGroup, which has no parent to spawn on or to wait in.
func (g *TaskGroup) made(what string) {
	if g.parent == nil {
		panic("coop: TaskGroup." + what + " on a TaskGroup not made with NewTaskGroup; make one with NewTaskGroup(self)")
	}
}

// cancelMembers cancels every member still alive.
func (g *TaskGroup) cancelMembers() {
	for _, m := range g.members {
		m.Cancel()
	}
}

// memberDone records the end of member t.
func (g *TaskGroup) memberDone(t *Task) {
	g.live--
	if t.state == StateFailed || t.state == StateCancelled && !t.is(cancelReq) {
		if g.orphaned {
			g.report(t)
		} else {
			g.errs = append(g.errs, failure(t.result()))
			g.failing = append(g.failing, t)
		}
		if !g.failed {
			g.failed = true
			g.cancelMembers()
		}
	}
	if g.live == 0 && g.parent.wait == waitGroup && g.parent.obj == g {
		g.parent.loop.wakeTask(g.parent, nil)
	}
}

// parentDone is called when the group's parent ends. If it never called
// Wait, nobody will return the members' failures: those recorded so far go
// to the error handler now, later ones as the members end.
func (g *TaskGroup) parentDone() {
	if g.closed {
		return
	}
	g.orphaned = true
	for _, t := range g.failing {
		g.report(t)
	}
	g.errs, g.failing = nil, nil
}

// report passes the failure of member t, which nobody will await, to the
// loop's error handler, once.
func (g *TaskGroup) report(t *Task) {
	if t.is(reported) {
		return
	}
	t.set(reported)
	g.parent.loop.cfg.onError(t, t.result())
}
