package prim

import (
	"errors"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/internal/topic"
)

var (
	// ErrBadPattern is returned by Subscribe for a pattern MQTT does not
	// allow as a topic filter: empty, longer than 65535 bytes, not UTF-8,
	// with a NUL, or with a wildcard that is not a whole level ("#" the
	// last one). The error says which, and what is allowed.
	ErrBadPattern = errors.New("prim: bad topic pattern")
	// ErrBadTopic is returned by Publish for a topic MQTT does not allow
	// as a topic name: empty, longer than 65535 bytes, not UTF-8, with a
	// NUL, or with a wildcard. The error says which.
	ErrBadTopic = errors.New("prim: bad topic")
)

// Publication is a payload published on a topic, as a queue subscriber
// receives it.
type Publication[T any] struct {
	Topic   string
	Payload T
}

// Broker passes payloads from publishers to subscribers by topic (Hinch's
// Broker, with MQTT's topic names and filters, checked by MQTT 3.1.1's
// rules). Topics are levels separated by "/", such as
// "sensors/kitchen/temp". A subscription's pattern is a topic that may use
// two wildcards, as in MQTT:
//
//   - "+" matches exactly one level, possibly empty: "a/+/c" matches
//     "a/b/c" and "a//c", not "a/c" or "a/b/b/c";
//   - "#", only as the last level, matches any number of levels, none
//     included: "a/#" matches "a", "a/b" and "a/b/c"; "#" alone matches
//     every topic;
//   - as in MQTT, a pattern starting with a wildcard does not match a topic
//     starting with "$" (system topics): "#" does not match "$SYS/x", but
//     "$SYS/#" does.
//
// Publish delivers at once, in the publisher's step: a callback subscriber
// is called, a queue subscriber gets the publication in its queue without
// waiting. Subscribers are served in the order they subscribed. A queue
// subscriber whose queue is full loses a publication (which one, its
// Overflow says), and the loss is counted by the subscription's Dropped and
// the broker's Dropped.
//
// The zero value is a broker without subscribers, ready to use. A Broker
// belongs to its loop: publish and subscribe from tasks and loop callbacks.
type Broker[T any] struct {
	subs    []*Subscription[T] // copied on change: Publish ranges over a snapshot
	dropped uint64
}

// Subscription is one subscriber of a [Broker]: a callback, or a queue a
// task reads with [Subscription.Next].
type Subscription[T any] struct {
	b       *Broker[T]
	pattern string
	fn      func(topic string, payload T)
	q       *inbox[Publication[T]]
	active  bool
}

// Subscribe calls fn with the topic and payload of every publication that
// matches pattern, in the publisher's step, until the subscription is
// cancelled. fn must not block. The error wraps ErrBadPattern.
func (b *Broker[T]) Subscribe(pattern string, fn func(topic string, payload T)) (*Subscription[T], error) {
	if fn == nil {
		panic("prim: Broker.Subscribe with a nil function")
	}
	return b.add(&Subscription[T]{pattern: pattern, fn: fn})
}

// SubscribeQueue queues every publication that matches pattern for
// [Subscription.Next], in a queue of size publications (DefaultQueueSize if
// size < 1). When the queue is full, full says what is dropped: the new
// publication (DropNewest) or the oldest queued one (DropOldest); either
// way it is counted. The error wraps ErrBadPattern.
func (b *Broker[T]) SubscribeQueue(pattern string, size int, full Overflow) (*Subscription[T], error) {
	return b.add(&Subscription[T]{pattern: pattern, q: newInbox[Publication[T]](size, full)})
}

func (b *Broker[T]) add(s *Subscription[T]) (*Subscription[T], error) {
	if err := checkPattern(s.pattern); err != nil {
		return nil, err
	}
	s.b, s.active = b, true
	subs := make([]*Subscription[T], len(b.subs), len(b.subs)+1)
	copy(subs, b.subs)
	b.subs = append(subs, s)
	return s, nil
}

// Publish delivers payload to every subscription whose pattern matches the
// topic name and returns how many took it: callbacks called, plus
// publications queued without a drop. A subscription added or cancelled by a callback
// during Publish takes effect for the next publication; one cancelled
// before its turn is skipped. The error wraps ErrBadTopic.
func (b *Broker[T]) Publish(name string, payload T) (int, error) {
	if err := topic.CheckName(name); err != nil {
		return 0, &topicError{topic: name, err: ErrBadTopic, why: err}
	}
	n := 0
	for _, s := range b.subs {
		if !s.active || !topic.Match(s.pattern, name) {
			continue
		}
		if s.fn != nil {
			s.fn(name, payload)
			n++
			continue
		}
		if s.q.put(Publication[T]{Topic: name, Payload: payload}) {
			n++
		} else {
			b.dropped++
		}
	}
	return n, nil
}

// Dropped returns how many publications the broker's queue subscribers
// have lost to full queues, counting those of subscriptions cancelled
// since.
func (b *Broker[T]) Dropped() uint64 { return b.dropped }

// Len returns the number of subscriptions.
func (b *Broker[T]) Len() int { return len(b.subs) }

// Pattern returns the pattern the subscription was made with.
func (s *Subscription[T]) Pattern() string { return s.pattern }

// Next returns the oldest queued publication, waiting from inside the task
// self while there is none. Once the subscription is cancelled and its
// queue drained, it returns ErrUnsubscribed; if self is cancelled,
// coop.ErrCancelled. It panics for a callback subscription.
func (s *Subscription[T]) Next(self *coop.Task) (Publication[T], error) {
	s.mustQueue("Next")
	return s.q.next(self, ErrUnsubscribed)
}

// TryNext returns the oldest queued publication, if there is one. It panics
// for a callback subscription.
func (s *Subscription[T]) TryNext() (Publication[T], bool) {
	s.mustQueue("TryNext")
	return s.q.tryNext()
}

// Len returns how many publications are queued (0 for a callback
// subscription).
func (s *Subscription[T]) Len() int {
	if s.q == nil {
		return 0
	}
	return s.q.len()
}

// Dropped returns how many publications this subscription lost because its
// queue was full (0 for a callback subscription).
func (s *Subscription[T]) Dropped() uint64 {
	if s.q == nil {
		return 0
	}
	return s.q.dropped
}

// Unsubscribe cancels the subscription and reports whether it was active.
// Publications already queued can still be taken with Next.
func (s *Subscription[T]) Unsubscribe() bool {
	if !s.active {
		return false
	}
	s.active = false
	b := s.b
	subs := make([]*Subscription[T], 0, len(b.subs))
	for _, x := range b.subs {
		if x != s {
			subs = append(subs, x)
		}
	}
	b.subs = subs
	if s.q != nil {
		s.q.close()
	}
	return true
}

func (s *Subscription[T]) mustQueue(what string) {
	if s.q == nil {
		panic("prim: Subscription." + what + " on a callback subscription of " + s.pattern)
	}
}

// Match reports whether the topic name matches pattern, by the rules of
// [Broker]. It does not check that they are well formed: in a pattern
// Subscribe refuses, a misplaced wildcard matches only itself.
func Match(pattern, name string) bool { return topic.Match(pattern, name) }

// checkPattern reports a malformed pattern.
func checkPattern(pattern string) error {
	if err := topic.CheckFilter(pattern); err != nil {
		return &topicError{topic: pattern, err: ErrBadPattern, why: err}
	}
	return nil
}

// topicError is ErrBadTopic or ErrBadPattern with the offending string and
// what is wrong with it.
type topicError struct {
	topic string
	err   error
	why   error
}

func (e *topicError) Error() string {
	return e.err.Error() + " " + topic.Quote(e.topic) + ": " + e.why.Error()
}
func (e *topicError) Unwrap() []error { return []error{e.err, e.why} }
