package coop

import "time"

// runnable is an entry of the ready queue: a task to resume or a callback
// to call.
type runnable struct {
	task *Task
	fn   func()
	tm   *timer // a callback's timer that fired: it runs unless cancelled since
	seq  uint32 // the task's queueSeq, or the timer's gen, when queued; a stale entry is skipped
}

// ring is a FIFO of values in a ring buffer whose length is a power of
// two, so an index wraps with a mask instead of a division. It grows as it
// fills, to hold at most limit values if limit > 0, and allocates nothing
// in a steady state. The ready queue, Queue and RingQueue all keep their
// values in one.
type ring[T any] struct {
	buf   []T
	head  int
	n     int
	limit int
}

func (r *ring[T]) push(v T) {
	if r.full() {
		r.grow()
	}
	r.put(v)
}

// full reports whether the ring has no free slot: push would grow it.
func (r *ring[T]) full() bool { return r.n == len(r.buf) }

// put adds v at the back of a ring that is not full. The hottest pushes
// (every step's, every Queue.Put's) call full, grow and put themselves:
// push, with its call to grow, is too big for the compiler to inline.
func (r *ring[T]) put(v T) {
	r.buf[(r.head+r.n)&(len(r.buf)-1)] = v
	r.n++
}

// grow doubles the ring, up to what limit needs.
//
//go:noinline
func (r *ring[T]) grow() { r.resize(r.capFor(max(8, 2*len(r.buf)))) }

// pop removes and returns the value at the front. The ring must not be
// empty.
func (r *ring[T]) pop() (v T) {
	p := &r.buf[r.head]
	v, *p = *p, v
	r.head = (r.head + 1) & (len(r.buf) - 1)
	r.n--
	return v
}

// at returns the i-th value from the front.
func (r *ring[T]) at(i int) *T { return &r.buf[(r.head+i)&(len(r.buf)-1)] }

// capFor returns the ring length that holds n values: the power of two at
// or above n, and above limit no more than limit needs.
func (r *ring[T]) capFor(n int) int {
	if r.limit > 0 {
		n = min(n, r.limit)
	}
	size := 1
	for size < n {
		size *= 2
	}
	return size
}

// resize moves the values to a ring of length size, a power of two that
// holds them.
func (r *ring[T]) resize(size int) {
	buf := make([]T, size)
	for i := range r.n {
		buf[i] = *r.at(i)
	}
	r.buf, r.head = buf, 0
}

// fifo is one priority's part of the ready queue: a ring sized by rounds
// (see trim).
type fifo struct {
	ring[runnable]
	// peak is the most entries a round has started with since the ring
	// last had its size checked, rounds how many rounds have started
	// since: see trim.
	peak, rounds int
}

// fifoKeep is the ring length a fifo keeps however empty it gets.
const fifoKeep = 1024

// trimRounds is how many rounds a ring's size is judged over: a ring that
// no round in that many needed an eighth of shrinks to fit twice the
// largest, so a burst of a million ready tasks does not hold its ring for
// good, while a loop that makes a million tasks ready every round keeps
// it instead of halving it as each round drains and doubling it again.
const trimRounds = 16

// watch counts a round starting for a ring longer than fifoKeep, and
// trims the ring every trimRounds rounds.
func (q *fifo) watch() {
	q.peak = max(q.peak, q.n)
	if q.rounds++; q.rounds >= trimRounds {
		q.trim()
	}
}

// trim shrinks the ring, longer than fifoKeep, if no round in the last
// trimRounds needed an eighth of it; watch calls it once every trimRounds
// rounds.
func (q *fifo) trim() {
	if q.peak < len(q.buf)>>3 {
		q.resize(max(fifoKeep, q.capFor(2*q.peak)))
	}
	q.peak, q.rounds = q.n, 0
}

// readyQueue holds what is ready to run: a FIFO per priority, highest
// priority first. Most programs use one priority, so there is usually one
// bucket and a push or pop is a FIFO operation.
type readyQueue struct {
	buckets []bucket // by priority, highest first
	n       int
	left    int // entries of this round still to run, in all buckets
	// plain is the one bucket's FIFO while every entry so far had
	// priority 0, as in most programs, nil after another priority came.
	plain *fifo
}

type bucket struct {
	prio  int
	q     fifo
	quota int // entries of this round still to run; entries pushed during the round wait for the next
}

func (r *readyQueue) len() int { return r.n }

func (r *readyQueue) push(prio int, it runnable) {
	if len(r.buckets) == 1 && r.buckets[0].prio == prio {
		// One priority, as in most programs.
		r.n++
		r.buckets[0].q.push(it)
		return
	}
	r.pushBucket(prio, it)
}

func (r *readyQueue) pushBucket(prio int, it runnable) {
	if r.plain != nil {
		// The round so far counted its entries in left alone (see
		// popNext); the buckets count them from now on.
		r.buckets[0].quota = r.left
	}
	r.n++
	i := 0
	for ; i < len(r.buckets); i++ {
		if b := &r.buckets[i]; b.prio == prio {
			b.q.push(it)
			return
		} else if b.prio < prio {
			break
		}
	}
	r.buckets = append(r.buckets, bucket{})
	copy(r.buckets[i+1:], r.buckets[i:])
	r.buckets[i] = bucket{prio: prio}
	r.buckets[i].q.push(it)
	r.plain = nil
	if len(r.buckets) == 1 && prio == 0 {
		r.plain = &r.buckets[0].q
	}
}

// startRound lets every entry ready now run in the coming round.
func (r *readyQueue) startRound() {
	r.left = r.n
	if r.plain == nil || len(r.plain.buf) > fifoKeep {
		r.startBuckets()
	}
}

// startBuckets sets each bucket's share of the round starting, and
// watches the rings that may need trimming.
func (r *readyQueue) startBuckets() {
	for i := range r.buckets {
		b := &r.buckets[i]
		b.quota = b.q.n
		if len(b.q.buf) > fifoKeep {
			b.q.watch()
		}
	}
}

// popRound removes the oldest entry of the highest priority among those
// ready when the round started, and reports false when the round is over.
// An entry made ready during the round, even of a higher priority, waits
// for the next: so a high-priority task that keeps yielding cannot starve
// the rest (loop callbacks among them) for good.
func (r *readyQueue) popRound() (runnable, bool) {
	if r.left == 0 {
		return runnable{}, false
	}
	return r.popNext(), true
}

// popNext removes the next entry of the round. With one priority, left
// alone says how many the round has still to run.
func (r *readyQueue) popNext() runnable {
	r.left--
	r.n--
	if q := r.plain; q != nil {
		return q.pop()
	}
	return r.popBucket()
}

// popBucket is popNext with several priorities.
func (r *readyQueue) popBucket() runnable {
	i := 0
	for r.buckets[i].quota == 0 {
		i++
	}
	b := &r.buckets[i]
	b.quota--
	return b.q.pop()
}

// shuffle shuffles each priority's entries with swap, leaving the order
// between priorities alone.
func (r *readyQueue) shuffle(shuffle func(n int, swap func(i, j int))) {
	for i := range r.buckets {
		q := &r.buckets[i].q
		if q.n > 1 {
			shuffle(q.n, func(i, j int) {
				a, b := q.at(i), q.at(j)
				*a, *b = *b, *a
			})
		}
	}
}

// timer is a deadline on the loop's timer heap. A task owns one timer for
// its sleeps and timeouts; callbacks get their own.
type timer struct {
	when time.Duration
	// gen counts the timer's schedulings, removals and firings: a heap
	// entry or a queued callback run carrying another gen is stale.
	gen   uint32
	state timerState
	task  *Task  // task to wake, or nil
	fn    func() // callback to run, when task is nil
}

// timerState says where a timer is.
type timerState uint8

const (
	timerIdle    timerState = iota // not scheduled
	timerPending                   // on the heap
	timerDue                       // a callback's timer that fired: its run waits in the ready queue
)

// timerEntry is a slot of the timer heap. It carries its timer's key, so
// that sifting compares entries in the heap's own array instead of
// following a pointer to each timer: with a million timers pending, those
// pointers are cache misses. For the same reason the heap does not tell a
// timer where its entry is: a removed timer's entry stays where it is,
// stale (its gen is not the timer's), until it reaches the root or the
// heap is compacted.
type timerEntry struct {
	when time.Duration
	seq  uint64
	tm   *timer
	gen  uint32
}

func (a *timerEntry) before(b *timerEntry) bool {
	return a.when < b.when || a.when == b.when && a.seq < b.seq
}

func (a *timerEntry) stale() bool { return a.gen != a.tm.gen }

// timerHeap is a 4-ary min-heap ordered by (when, seq), written out rather
// than built on container/heap to keep interface conversions off the hot
// path. Four children per node halve the depth of a binary heap, and a
// sift moves entries into a hole instead of swapping them. Removal is
// lazy (see timerEntry); the root is never stale, so a[0] is always the
// next deadline, and the heap is compacted when most of it is stale.
type timerHeap struct {
	a     []timerEntry
	stale int // stale entries in a
}

// len returns the number of timers pending.
func (h *timerHeap) len() int { return len(h.a) - h.stale }

// next returns the pending entry due first. The heap must not be empty.
func (h *timerHeap) next() *timerEntry { return &h.a[0] }

// push schedules t, whose deadline is t.when, with seq its scheduling
// order.
func (h *timerHeap) push(t *timer, seq uint64) {
	t.gen++
	t.state = timerPending
	h.a = append(h.a, timerEntry{when: t.when, seq: seq, tm: t, gen: t.gen})
	h.up(len(h.a) - 1)
}

// popMin removes the timer due first and returns it, idle. The heap must
// not be empty.
func (h *timerHeap) popMin() *timer {
	t := h.a[0].tm
	h.dropRoot()
	t.gen++
	t.state = timerIdle
	h.clean()
	return t
}

// remove unschedules the pending timer t.
func (h *timerHeap) remove(t *timer) {
	t.gen++
	t.state = timerIdle
	h.stale++
	if h.a[0].tm == t {
		h.clean()
		return
	}
	if h.stale > len(h.a)/2 && len(h.a) > 64 {
		h.compact()
	}
}

// dropRoot removes the root entry.
func (h *timerHeap) dropRoot() {
	last := len(h.a) - 1
	h.a[0] = h.a[last]
	h.a[last] = timerEntry{}
	h.a = h.a[:last]
	if last > 0 {
		h.down(0)
	}
}

// clean drops stale entries from the root until a pending one is there.
func (h *timerHeap) clean() {
	for len(h.a) > 0 && h.a[0].stale() {
		h.dropRoot()
		h.stale--
	}
}

// compact drops every stale entry and heapifies what is left: an O(n)
// pass, made when at least half the entries are stale, so O(1) a removal.
func (h *timerHeap) compact() {
	live := h.a[:0]
	for _, e := range h.a {
		if !e.stale() {
			live = append(live, e)
		}
	}
	clear(h.a[len(live):])
	h.a, h.stale = live, 0
	if len(live) > 1 {
		for i := (len(live) - 2) / 4; i >= 0; i-- { // from the last parent
			h.down(i)
		}
	}
}

// up moves the entry at i up to its place.
func (h *timerHeap) up(i int) {
	a := h.a
	e := a[i]
	for i > 0 {
		p := (i - 1) / 4
		if !e.before(&a[p]) {
			break
		}
		a[i] = a[p]
		i = p
	}
	a[i] = e
}

// down moves the entry at i down to its place.
func (h *timerHeap) down(i int) {
	a := h.a
	e := a[i]
	n := len(a)
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := c
		for j := c + 1; j < min(c+4, n); j++ {
			if a[j].before(&a[m]) {
				m = j
			}
		}
		if !a[m].before(&e) {
			break
		}
		a[i] = a[m]
		i = m
	}
	a[i] = e
}

// waitList is an intrusive FIFO of waiting tasks. A task waits on at most
// one list at a time, so the links live in the task and removal, needed when
// a wait is cancelled or times out, is O(1) without allocation. The list
// is one word: the head's wprev is the tail (the tail's wnext is nil), so
// every Event, Lock and Task pays for one pointer.
type waitList struct {
	head *Task
}

func (l *waitList) push(t *Task) {
	t.wl = l
	t.wnext = nil
	if h := l.head; h != nil {
		tail := h.wprev
		tail.wnext = t
		t.wprev = tail
		h.wprev = t
	} else {
		l.head = t
		t.wprev = t
	}
}

func (l *waitList) pop() *Task {
	t := l.head
	if t == nil {
		return nil
	}
	// remove, for the head: small enough to inline into every wake.
	if next := t.wnext; next != nil {
		next.wprev = t.wprev
		l.head = next
	} else {
		l.head = nil
	}
	t.wl, t.wprev, t.wnext = nil, nil, nil
	return t
}

func (l *waitList) remove(t *Task) {
	h := l.head
	switch {
	case t == h:
		l.head = t.wnext
		if t.wnext != nil {
			t.wnext.wprev = t.wprev
		}
	case t.wnext == nil: // the tail
		t.wprev.wnext = nil
		h.wprev = t.wprev
	default:
		t.wprev.wnext = t.wnext
		t.wnext.wprev = t.wprev
	}
	t.wl, t.wprev, t.wnext = nil, nil, nil
}
