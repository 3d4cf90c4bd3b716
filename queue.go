package coop

import "fmt"

// Queue is a FIFO queue between tasks (asyncio.Queue): Get waits while it
// is empty and, when it has a maximum size, Put waits while it is full.
// Use it from tasks and loop callbacks; a hardware interrupt handler
// signals the loop with a [ThreadSafeFlag] (and leaves the value where a
// task reads it), another goroutine may hand values in with [Loop.CallSoon].
// The zero value is an empty queue without a maximum size, ready to use.
//
// [Queue.Close] is asyncio's Queue.shutdown without immediate (to drop the
// values left, TryGet them). There is no task_done or join: wait for the
// consumers themselves ([Task.Wait], a [TaskGroup]).
type Queue[T any] struct {
	items   ring[T]
	maxsize int
	closed  bool
	getters waitList
	putters waitList
}

// Close closes the queue: Put and TryPut fail from now on, and Get returns
// the values still queued, then [ErrClosed]. Tasks waiting in Put or Get
// are woken. Closing a closed queue does nothing.
func (q *Queue[T]) Close() {
	q.closed = true
	wakeAll(&q.getters, false)
	wakeAll(&q.putters, false)
}

// Closed reports whether the queue has been closed.
func (q *Queue[T]) Closed() bool { return q.closed }

// NewQueue returns a queue that holds at most maxsize values, or any
// number if maxsize <= 0. Its buffer grows as values arrive, so a large
// maxsize costs nothing until it fills.
func NewQueue[T any](maxsize int) *Queue[T] {
	q := &Queue[T]{maxsize: maxsize}
	q.items.limit = max(maxsize, 0)
	return q
}

// Len returns the number of values in the queue.
func (q *Queue[T]) Len() int { return q.items.n }

// Cap returns the queue's maximum size, 0 for unbounded.
func (q *Queue[T]) Cap() int { return max(q.maxsize, 0) }

// Full reports whether Put would wait.
func (q *Queue[T]) Full() bool { return q.maxsize > 0 && q.items.n >= q.maxsize }

// Put adds v at the back of the queue, waiting while the queue is full. If
// the task is cancelled while it waits, v is not added and Put returns
// [ErrCancelled]; if it had been woken for a free slot, the slot goes to
// the next waiting Put.
func (q *Queue[T]) Put(self *Task, v T) error {
	if err := self.enter("Queue.Put"); err != nil {
		return err
	}
	for q.Full() && !q.closed {
		// parkOn, one call less around the switch (see Task.park)
		self.setWait(waitQueuePut, q)
		q.putters.push(self)
		self.suspend()
		if err := self.resumed(); err != nil {
			return err
		}
	}
	if q.closed {
		return ErrClosed
	}
	if q.items.full() { // push, inlined (see ring.put)
		q.items.grow()
	}
	q.items.put(v)
	hand(&q.getters)
	return nil
}

// TryPut adds v if the queue has room and is open, and reports whether it
// did.
func (q *Queue[T]) TryPut(v T) bool {
	if q.Full() || q.closed {
		return false
	}
	q.items.push(v)
	hand(&q.getters)
	return true
}

// Get removes and returns the value at the front of the queue, waiting
// while the queue is empty. If the task is cancelled while it waits, Get
// returns [ErrCancelled] and takes nothing; if it had been woken for a
// value, the value stays at the front for the next waiting Get.
func (q *Queue[T]) Get(self *Task) (T, error) {
	if err := self.enter("Queue.Get"); err != nil {
		var zero T
		return zero, err
	}
	for q.items.n == 0 {
		if q.closed {
			var zero T
			return zero, ErrClosed
		}
		// parkOn, one call less around the switch (see Task.park)
		self.setWait(waitQueueGet, q)
		q.getters.push(self)
		self.suspend()
		if err := self.resumed(); err != nil {
			var zero T
			return zero, err
		}
	}
	v := q.items.pop()
	hand(&q.putters)
	return v, nil
}

// TryGet removes and returns the value at the front, if there is one.
func (q *Queue[T]) TryGet() (T, bool) {
	if q.items.n == 0 {
		var zero T
		return zero, false
	}
	v := q.items.pop()
	hand(&q.putters)
	return v, true
}

// giveBack passes the turn of a task woken for a value (k is waitQueueGet)
// or a free slot (waitQueuePut), and cancelled before it resumed, on to the
// next one waiting for the same.
func (q *Queue[T]) giveBack(k waitKind) {
	switch {
	case k == waitQueueGet && q.items.n > 0:
		hand(&q.getters)
	case k == waitQueuePut && !q.Full() && !q.closed:
		hand(&q.putters)
	}
}

// giveBack passes the turn of a getter cancelled after it was woken for a
// value on to the next getter.
func (q *RingQueue[T]) giveBack(k waitKind) {
	if q.items.n > 0 {
		hand(&q.getters)
	}
}

// RingQueue is a fixed-size queue that never blocks its producer: when it
// is full, Put overwrites the oldest value and counts it as dropped. It
// allocates nothing after [NewRingQueue], which suits samples produced
// faster than they are consumed, where the newest matter most. Make one
// with NewRingQueue: the zero value has no room, and Put and Get panic.
type RingQueue[T any] struct {
	items   ring[T]
	size    int
	dropped uint64
	closed  bool
	getters waitList
}

// Close closes the queue: Put fails from now on, and Get returns the values
// still queued, then [ErrClosed].
func (q *RingQueue[T]) Close() {
	q.closed = true
	wakeAll(&q.getters, false)
}

// NewRingQueue returns a ring queue holding up to size values. It panics if
// size < 1.
func NewRingQueue[T any](size int) *RingQueue[T] {
	if size < 1 {
		panic(fmt.Sprintf("coop: NewRingQueue(%d): the size must be >= 1", size))
	}
	q := &RingQueue[T]{size: size}
	q.items.limit = size
	q.items.resize(q.items.capFor(size))
	return q
}

// Put adds v, overwriting the oldest value if the queue is full. It
// returns false if a value was dropped to make room, or if the queue is
// closed (v is then dropped and counted).
func (q *RingQueue[T]) Put(v T) bool {
	q.made("Put")
	if q.closed {
		q.dropped++
		return false
	}
	ok := true
	if q.items.n == q.size {
		q.items.pop()
		q.dropped++
		ok = false
	}
	q.items.push(v)
	hand(&q.getters)
	return ok
}

// Get removes and returns the oldest value, waiting while the queue is
// empty.
func (q *RingQueue[T]) Get(self *Task) (T, error) {
	q.made("Get")
	if err := self.enter("RingQueue.Get"); err != nil {
		var zero T
		return zero, err
	}
	for q.items.n == 0 {
		if q.closed {
			var zero T
			return zero, ErrClosed
		}
		if err := self.parkOn(&q.getters, waitQueueGet, q); err != nil {
			var zero T
			return zero, err
		}
	}
	v, _ := q.TryGet()
	return v, nil
}

// made panics, naming the call, for a RingQueue not made with
// NewRingQueue: with no room, it would fail on the first Put, or wait
// forever in Get.
func (q *RingQueue[T]) made(what string) {
	if q.size == 0 {
		panic("coop: RingQueue." + what + " on a RingQueue not made with NewRingQueue; make one with NewRingQueue(size)")
	}
}

// TryGet removes and returns the oldest value, if there is one.
func (q *RingQueue[T]) TryGet() (T, bool) {
	if q.items.n == 0 {
		var zero T
		return zero, false
	}
	return q.items.pop(), true
}

// Len returns the number of values in the queue.
func (q *RingQueue[T]) Len() int { return q.items.n }

// Cap returns the queue's size.
func (q *RingQueue[T]) Cap() int { return q.size }

// Dropped returns how many values were overwritten before anyone got them.
func (q *RingQueue[T]) Dropped() uint64 { return q.dropped }
