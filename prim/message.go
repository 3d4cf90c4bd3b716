package prim

import (
	"sync"

	"github.com/coopgo/coop"
)

// Message is an event that carries a payload (Hinch's Message), set from
// a task, a loop callback, package hw's interrupt handlers or another
// goroutine. It holds one payload; setting a set message replaces the
// payload, and waiters get the payload current when they run.
//
// Two ways to wait:
//
//   - [Message.Wait] is for many tasks: every task waiting when the message
//     is set wakes with the payload, also when a task woken before it
//     clears the message (as micropython-async has one waiting task do), and
//     the message stays set (later Waits return at once) until
//     [Message.Clear].
//   - [Message.Take] is for one consumer: it waits until the message is
//     set, then clears it and returns the payload in one step, so a Set
//     from another goroutine cannot slip in between the read and the
//     clear. If several tasks Take, each Set goes to one of them.
//
// A Message belongs to the loop of the first task that waits on it; tasks
// of another loop must not wait on it. On the virtual clock, a goroutine
// that will call Set must be announced with [coop.Loop.Hold] (or run by
// [coop.Offload]), or time may jump past it.
//
// The zero value is a clear message, ready to use.
type Message[T any] struct {
	mu      sync.Mutex
	set     bool
	val     T
	loop    *coop.Loop // of the waiters
	waiting int        // tasks in Wait or Take
	wakeFn  func()     // m.wake, bound once

	ev coop.Event // loop side: set and cleared at once to wake the waiters
}

// Set sets the message with payload v and wakes every waiting task. Any
// goroutine may call it, and package hw's interrupt handlers, which run on
// the loop: the waiters are woken from a loop callback
// ([coop.Loop.CallSoon]), so they run after the task or callback that is
// running now. It takes a lock and may allocate, so a hardware interrupt
// service routine sets a [coop.ThreadSafeFlag] instead.
func (m *Message[T]) Set(v T) {
	m.mu.Lock()
	m.val, m.set = v, true
	l, wake := m.loop, m.wakeFn
	if m.waiting == 0 {
		wake = nil
	}
	m.mu.Unlock()
	if wake != nil {
		l.CallSoon(wake)
	}
}

// wake runs on the loop: it wakes the waiters if the message is still set
// (a Clear in between withdraws the Set).
func (m *Message[T]) wake() {
	m.mu.Lock()
	set := m.set
	m.mu.Unlock()
	if set {
		m.ev.Set()
		m.ev.Clear()
	}
}

// Clear clears the message: later Waits and Takes wait for the next Set.
// Any goroutine may call it.
func (m *Message[T]) Clear() {
	m.mu.Lock()
	m.set = false
	m.mu.Unlock()
}

// IsSet reports whether the message is set. Any goroutine may call it.
func (m *Message[T]) IsSet() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.set
}

// Value returns the payload of the last Set and whether the message is set
// now. Any goroutine may call it.
func (m *Message[T]) Value() (T, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.val, m.set
}

// Wait waits, from inside the task self, until the message is set and
// returns its payload, leaving it set. If it is set already, Wait returns
// at once without yielding. It returns coop.ErrCancelled if self is
// cancelled.
func (m *Message[T]) Wait(self *coop.Task) (T, error) { return m.await(self, false) }

// Take waits, from inside the task self, until the message is set, then
// clears it and returns its payload. If it is set already, Take returns at
// once without yielding. It returns coop.ErrCancelled if self is
// cancelled; the message then stays as it is.
func (m *Message[T]) Take(self *coop.Task) (T, error) { return m.await(self, true) }

func (m *Message[T]) await(self *coop.Task, take bool) (T, error) {
	var zero T
	if err := self.Check(); err != nil {
		return zero, err
	}
	for {
		m.mu.Lock()
		if m.set {
			v := m.val
			if take {
				m.set = false
			}
			m.mu.Unlock()
			return v, nil
		}
		switch l := self.Loop(); {
		case m.loop == nil:
			m.loop = l
			m.wakeFn = m.wake
		case m.loop != l:
			m.mu.Unlock()
			panic("prim: task " + self.Name() + " waits on a Message whose waiters belong to another loop")
		}
		m.waiting++
		m.mu.Unlock()
		err := m.ev.Wait(self)
		m.mu.Lock()
		m.waiting--
		v := m.val
		m.mu.Unlock()
		if err != nil {
			return zero, err
		}
		if !take {
			// Woken by a Set: the payload is this waiter's even if a
			// task woken before it has cleared or taken the message.
			return v, nil
		}
	}
}
