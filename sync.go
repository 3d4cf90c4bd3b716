package coop

import "fmt"

// The primitives in this file belong to the loop: use them from tasks and
// loop callbacks only. Other goroutines and interrupt handlers use
// [ThreadSafeFlag] or [Loop.CallSoon].

// wakeAll wakes every task in ws. With give set, a task cancelled before
// it resumes gives back what it was woken for (see [giver]).
func wakeAll(ws *waitList, give bool) {
	for t := ws.pop(); t != nil; t = ws.pop() {
		if give {
			t.set(handed)
		}
		t.loop.wakeTask(t, nil)
	}
}

// parkOn parks self on ws, waiting for k.
func (t *Task) parkOn(ws *waitList, k waitKind, obj any) error {
	t.setWait(k, obj)
	ws.push(t)
	t.suspend() // park, one call less (see there)
	return t.resumed()
}

// Event is a flag tasks can wait for (asyncio.Event). The zero value is a
// clear event, ready to use.
type Event struct {
	set     bool
	waiters waitList
}

// Set sets the event and wakes every task waiting on it. Call it on the
// loop; from other goroutines use a [ThreadSafeFlag].
func (e *Event) Set() {
	e.set = true
	wakeAll(&e.waiters, false) // nothing to give back: the event stays set
}

// Clear clears the event: later Waits block until the next Set.
func (e *Event) Clear() { e.set = false }

// IsSet reports whether the event is set.
func (e *Event) IsSet() bool { return e.set }

// Wait waits until the event is set. If it is set already, Wait returns at
// once without yielding.
func (e *Event) Wait(self *Task) error {
	if err := self.enter("Event.Wait"); err != nil {
		return err
	}
	if e.set {
		return nil
	}
	self.setWait(waitEvent, e)
	e.waiters.push(self)
	self.suspend() // park, one call less (see there)
	return self.resumed()
}

// Lock is a mutual-exclusion lock for tasks (asyncio.Lock): it keeps other
// tasks out of a section that awaits in the middle. The zero value is an
// unlocked lock. Waiters get the lock in the order they asked for it.
type Lock struct {
	locked  bool
	waiters waitList
}

// Acquire takes the lock, waiting while another task holds it. A free lock
// is taken at once, without yielding. If the task is cancelled while it
// waits, Acquire returns [ErrCancelled] and the lock is not taken, even if
// it had already been handed to the task: it goes on to the next waiter,
// or is released.
func (m *Lock) Acquire(self *Task) error {
	if err := self.enter("Lock.Acquire"); err != nil {
		return err
	}
	if !m.locked {
		m.locked = true
		return nil
	}
	return self.parkOn(&m.waiters, waitLock, m)
}

// hand wakes the first waiter of ws, handing it the resource (a lock, a
// permit, a notification, a queued value or a free slot) directly, and
// reports whether there was one. If the waiter is cancelled before it
// resumes, it gives the resource back (see [giver]), so nothing is lost.
// hand inlines, so that a Put or Get that nobody waits for makes no call.
func hand(ws *waitList) bool {
	if ws.head == nil {
		return false
	}
	handFirst(ws)
	return true
}

func handFirst(ws *waitList) {
	t := ws.pop()
	t.set(handed)
	t.loop.wakeTask(t, nil)
}

// giveBack passes on the lock handed to a waiter cancelled before it
// resumed.
func (m *Lock) giveBack(waitKind) { m.Release() }

// Release unlocks the lock, handing it to the first waiting task if there
// is one: the lock then stays locked, held by that task, as in
// MicroPython (asyncio's Lock reports itself unlocked until the waiter
// runs). It panics if the lock is not locked.
func (m *Lock) Release() {
	if !m.locked {
		panic("coop: Lock.Release of an unlocked lock; release only what Acquire took")
	}
	if !hand(&m.waiters) {
		m.locked = false
	}
}

// Locked reports whether the lock is held.
func (m *Lock) Locked() bool { return m.locked }

// Semaphore holds a number of permits (asyncio.Semaphore): Acquire takes
// one, waiting while there are none; Release gives one back. A Release
// without an Acquire adds a permit, as in asyncio.Semaphore (coop has no
// BoundedSemaphore to refuse it). Waiters get permits in the order they
// asked, and a permit released while a task waits goes to that task.
// The zero value holds no permits: make one with [NewSemaphore].
type Semaphore struct {
	free    int
	waiters waitList
}

// NewSemaphore returns a semaphore with n permits. It panics if n < 0.
func NewSemaphore(n int) *Semaphore {
	if n < 0 {
		panic(fmt.Sprintf("coop: NewSemaphore(%d): the number of permits must be >= 0", n))
	}
	return &Semaphore{free: n}
}

// Acquire takes a permit, waiting in line while there is none. A free
// permit is taken at once, without yielding, even while a task handed a
// permit of its own has yet to resume (asyncio makes the caller wait for
// that task's step first; the permits go in the same order either way).
// If the task is cancelled while it waits, Acquire returns [ErrCancelled]
// and takes no permit, even if one had already been handed to it: it goes
// on to the next waiter, or back to the semaphore.
func (s *Semaphore) Acquire(self *Task) error {
	if err := self.enter("Semaphore.Acquire"); err != nil {
		return err
	}
	if s.free > 0 {
		s.free--
		return nil
	}
	return self.parkOn(&s.waiters, waitSemaphore, s)
}

// TryAcquire takes a permit if one is free, without waiting.
func (s *Semaphore) TryAcquire() bool {
	if s.free > 0 {
		s.free--
		return true
	}
	return false
}

// Release gives a permit back, handing it to the first waiting task if
// there is one.
func (s *Semaphore) Release() {
	if !hand(&s.waiters) {
		s.free++
	}
}

// giveBack passes on the permit handed to a waiter cancelled before it
// resumed.
func (s *Semaphore) giveBack(waitKind) { s.Release() }

// Available returns the number of free permits.
func (s *Semaphore) Available() int { return s.free }

// Condition lets tasks wait, holding a lock, until another task notifies
// them (asyncio.Condition). Make one with NewCondition: the zero value has
// no lock (L is nil), and Wait panics on it.
type Condition struct {
	L       *Lock
	waiters waitList
}

// NewCondition returns a condition over l, or over a new lock if l is nil.
func NewCondition(l *Lock) *Condition {
	if l == nil {
		l = new(Lock)
	}
	return &Condition{L: l}
}

// Wait releases the lock, waits to be notified, and takes the lock again
// before it returns, even when it returns [ErrCancelled]. The caller must
// hold the lock. A task cancelled after it was notified, before it
// resumed or while it waited to take the lock again, returns ErrCancelled
// and passes the notification on to the next waiter, as asyncio does, so
// no notification is lost. A task abandoned in Wait ([WithCancelLimit],
// [WithShutdownGrace]) unwinds with the lock taken if it is free, so that
// its deferred Release still finds it held.
func (c *Condition) Wait(self *Task) error {
	if self == nil {
		panic("coop: Condition.Wait with a nil task; pass the calling task (self)")
	}
	if c.L == nil {
		panic("coop: Condition.Wait on a Condition without a lock; make one with NewCondition")
	}
	if !c.L.locked {
		panic("coop: Condition.Wait without holding its lock; Acquire c.L first")
	}
	if err := self.enter("Condition.Wait"); err != nil {
		return err
	}
	c.L.Release()
	defer c.keepLockIfAbandoned()
	err := self.parkOn(&c.waiters, waitCondition, c)
	self.shield++
	c.L.Acquire(self)
	self.shield--
	if err == nil && self.cancelledNow() {
		// Cancelled while it waited for the lock, after the notification:
		// the await fails, and the notification goes on.
		c.Notify(1)
		return self.cancelErr()
	}
	return err
}

// keepLockIfAbandoned runs as a Wait unwinds. A task abandoned in Wait (it
// ignored its cancellation, or its cleanup outlasted the shutdown grace)
// unwinds without waiting to take the lock again: if the lock is free it
// takes it, so that the caller's deferred Release finds the lock held, as
// after any Wait, instead of panicking over an unlocked lock and hiding
// the abandonment.
func (c *Condition) keepLockIfAbandoned() {
	if r := recover(); r != nil {
		if _, ok := r.(abandoned); ok && !c.L.locked {
			c.L.locked = true
		}
		panic(r)
	}
}

// WaitUntil waits until pred returns true, checking it with the lock held
// each time the condition is notified. If pred is true at once it returns
// without waiting, unless the task is cancelled: like every await, it then
// returns [ErrCancelled] (asyncio's wait_for returns True without a
// checkpoint).
func (c *Condition) WaitUntil(self *Task, pred func() bool) error {
	if pred == nil {
		panic("coop: Condition.WaitUntil with a nil predicate; pass the condition to wait for")
	}
	if err := self.enter("Condition.WaitUntil"); err != nil {
		return err
	}
	for !pred() {
		if err := c.Wait(self); err != nil {
			return err
		}
	}
	return nil
}

// Notify wakes up to n waiting tasks, first come, first served; with
// nobody waiting it does nothing, and nothing is kept for a later Wait. The
// caller should hold the lock. Without it Notify works all the same
// (asyncio raises instead): tasks switch only at awaits, so no Wait can
// begin between a waiter's check of its condition and its Wait.
func (c *Condition) Notify(n int) {
	for range n {
		if !hand(&c.waiters) {
			return
		}
	}
}

// giveBack passes the notification of a waiter cancelled before it resumed
// on to the next waiter (a spurious wake-up for it at worst, which
// condition code tolerates by checking its predicate).
func (c *Condition) giveBack(waitKind) { c.Notify(1) }

// NotifyAll wakes every waiting task.
func (c *Condition) NotifyAll() { wakeAll(&c.waiters, true) }

// Barrier makes a number of tasks wait until all of them have arrived
// (asyncio.Barrier). It is reusable: once all parties have passed, the next
// arrivals start a new round. Unlike asyncio.Barrier, Wait returns no
// arrival index and there is no Abort or Reset: a barrier never breaks.
// Make one with NewBarrier: the zero value has no parties, and Wait panics
// on it.
type Barrier struct {
	parties int
	arrived int
	waiters waitList
}

// NewBarrier returns a barrier for parties tasks. It panics if parties < 1.
func NewBarrier(parties int) *Barrier {
	if parties < 1 {
		panic(fmt.Sprintf("coop: NewBarrier(%d): the number of parties must be >= 1", parties))
	}
	return &Barrier{parties: parties}
}

// Wait waits until parties tasks have called Wait, then releases them all.
// A waiter cancelled before the last party arrives leaves the barrier
// without counting as arrived. One cancelled after the last arrived, before
// it resumed, returns [ErrCancelled] but counts as arrived: the others pass,
// and the next round starts empty.
func (b *Barrier) Wait(self *Task) error {
	if b.parties == 0 {
		panic("coop: Barrier.Wait on a Barrier not made with NewBarrier, which would never fill; make one with NewBarrier(parties)")
	}
	if err := self.enter("Barrier.Wait"); err != nil {
		return err
	}
	b.arrived++
	if b.arrived == b.parties {
		b.arrived = 0
		wakeAll(&b.waiters, false) // the round is over for all: nothing to give back
		return nil
	}
	return self.parkOn(&b.waiters, waitBarrier, b) // a cancelled waiter leaves the count at once
}

// Parties returns the number of tasks the barrier waits for.
func (b *Barrier) Parties() int { return b.parties }

// Waiting returns how many tasks wait at the barrier now.
func (b *Barrier) Waiting() int { return b.arrived }
