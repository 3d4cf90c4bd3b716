package prim

import (
	"errors"

	"github.com/coopgo/coop"
)

// DefaultQueueSize is how many events a Switch or Pushbutton keeps for its
// Next method when its config leaves QueueSize zero, and the size of a
// broker queue subscription made with a size below 1.
const DefaultQueueSize = 16

var (
	// ErrStopped is returned by the Next method of a Switch, Pushbutton or
	// Encoder once it is stopped and the events queued before have been
	// taken.
	ErrStopped = errors.New("prim: stopped")
	// ErrUnsubscribed is returned by [Subscription.Next] once the
	// subscription is cancelled and the publications queued before have
	// been taken.
	ErrUnsubscribed = errors.New("prim: unsubscribed")
)

// Overflow says which value a full queue gives up.
type Overflow uint8

const (
	// DropNewest keeps what is queued and drops the value that does not
	// fit (keypad's EventQueue): the oldest values, which explain the
	// state, are kept.
	DropNewest Overflow = iota
	// DropOldest drops the oldest queued value to make room (a
	// [coop.RingQueue]): for samples, where the newest matter most.
	DropOldest
)

// String returns "drop newest" or "drop oldest".
func (o Overflow) String() string {
	if o == DropOldest {
		return "drop oldest"
	}
	return "drop newest"
}

// slot is a queued value, or the end marker a stopped source leaves after
// its last value.
type slot[T any] struct {
	v   T
	end bool
}

// inbox is the queue behind a Next method: bounded, never blocking its
// producer, counting what it drops, and closable so that a task waiting in
// Next learns the source is gone. It stores in a coop.Queue (DropNewest) or
// a coop.RingQueue (DropOldest), one slot larger than size so that the end
// marker always fits.
type inbox[T any] struct {
	q       *coop.Queue[slot[T]]
	r       *coop.RingQueue[slot[T]]
	size    int
	dropped uint64
	closed  bool
}

func newInbox[T any](size int, o Overflow) *inbox[T] {
	if size < 1 {
		size = DefaultQueueSize
	}
	b := &inbox[T]{size: size}
	if o == DropOldest {
		b.r = coop.NewRingQueue[slot[T]](size + 1)
	} else {
		b.q = coop.NewQueue[slot[T]](size + 1)
	}
	return b
}

// len returns the number of values queued, the end marker left out.
func (b *inbox[T]) len() int {
	n := 0
	if b.r != nil {
		n = b.r.Len()
	} else {
		n = b.q.Len()
	}
	if b.closed && n > 0 {
		n--
	}
	return n
}

// put queues v and reports whether it was kept without dropping anything.
func (b *inbox[T]) put(v T) bool {
	if b.closed {
		b.dropped++
		return false
	}
	full := b.len() >= b.size
	switch {
	case full && b.q != nil:
		b.dropped++
		return false
	case full:
		b.r.TryGet()
		b.dropped++
		b.r.Put(slot[T]{v: v})
		return false
	}
	b.push(slot[T]{v: v})
	return true
}

func (b *inbox[T]) push(s slot[T]) {
	if b.r != nil {
		b.r.Put(s)
	} else {
		b.q.TryPut(s)
	}
}

// next takes the oldest value, waiting while there is none. Once closed
// and drained it returns errEnd.
func (b *inbox[T]) next(self *coop.Task, errEnd error) (T, error) {
	var s slot[T]
	var err error
	if b.r != nil {
		s, err = b.r.Get(self)
	} else {
		s, err = b.q.Get(self)
	}
	if err != nil {
		return s.v, err
	}
	if s.end {
		b.push(s) // for the next caller
		return s.v, errEnd
	}
	return s.v, nil
}

// tryNext takes the oldest value if there is one.
func (b *inbox[T]) tryNext() (T, bool) {
	var s slot[T]
	var ok bool
	if b.r != nil {
		s, ok = b.r.TryGet()
	} else {
		s, ok = b.q.TryGet()
	}
	if ok && s.end {
		b.push(s)
		return s.v, false
	}
	return s.v, ok
}

// close queues the end marker: Next returns what was queued, then errEnd.
func (b *inbox[T]) close() {
	if b.closed {
		return
	}
	b.closed = true
	b.push(slot[T]{end: true})
}
