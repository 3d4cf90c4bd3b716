package coop

import "time"

// runnable is an entry of the ready queue: a task to resume or a callback
// to call.
type runnable struct {
	task *Task
	fn   func()
	tm   *timer // a callback's timer that fired: it runs unless cancelled since
	seq  uint32 // the task's queueSeq, or the timer's runs, when queued; a stale entry is skipped
}

// fifo is one priority's part of the ready queue: a growable ring buffer
// whose length is a power of two, so an index wraps with a mask, and
// steady-state scheduling allocates nothing.
type fifo struct {
	buf  []runnable
	head int
	n    int
}

func (q *fifo) push(r runnable) {
	if q.n == len(q.buf) {
		q.grow()
	}
	q.buf[(q.head+q.n)&(len(q.buf)-1)] = r
	q.n++
}

func (q *fifo) shrink() { q.resize(len(q.buf) / 2) }

// fifoKeep is the ring length a fifo keeps however empty it gets: past it,
// a ring an eighth full halves, so that a burst of a million ready tasks
// does not hold its ring for good (an amortized O(1) copy per pop).
const fifoKeep = 1024

// at returns the i-th entry from the front.
func (q *fifo) at(i int) *runnable { return &q.buf[(q.head+i)&(len(q.buf)-1)] }

func (q *fifo) grow() { q.resize(max(16, 2*len(q.buf))) }

// resize moves the entries to a ring of length size, a power of two.
func (q *fifo) resize(size int) {
	buf := make([]runnable, size)
	for i := range q.n {
		buf[i] = *q.at(i)
	}
	q.buf, q.head = buf, 0
}

// readyQueue holds what is ready to run: a FIFO per priority, highest
// priority first. Most programs use one priority, so there is usually one
// bucket and a push or pop is a FIFO operation.
type readyQueue struct {
	buckets []bucket // by priority, highest first
	n       int
	left    int // entries of this round still to run, in all buckets
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
}

// startRound lets every entry ready now run in the coming round.
func (r *readyQueue) startRound() {
	for i := range r.buckets {
		r.buckets[i].quota = r.buckets[i].q.n
	}
	r.left = r.n
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

func (r *readyQueue) popNext() runnable {
	r.left--
	r.n--
	i := 0
	for r.buckets[i].quota == 0 {
		i++
	}
	b := &r.buckets[i]
	b.quota--
	// The ring's pop, here rather than in a method of fifo, which
	// would be too big to inline: this is every step's path.
	q := &b.q
	it := q.buf[q.head]
	q.buf[q.head] = runnable{}
	q.head = (q.head + 1) & (len(q.buf) - 1)
	q.n--
	if q.n < len(q.buf)>>3 && len(q.buf) > fifoKeep {
		q.shrink()
	}
	return it
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

// timer is an entry of the loop's timer heap. A task owns one timer for its
// sleeps and timeouts; callbacks get their own.
type timer struct {
	when  time.Duration
	index int32  // position in the heap; timerIdle or timerDue when not in it
	runs  uint32 // counts a callback's firings, so a queued run cancelled or reset since is skipped
	task  *Task  // task to wake, or nil
	fn    func() // callback to run, when task is nil
}

// The index of a timer not in the heap.
const (
	timerIdle = -1 // not scheduled
	timerDue  = -2 // a callback's timer that fired: its run waits in the ready queue
)

// timerEntry is a slot of the timer heap. It carries its timer's key, so
// that sifting compares entries in the heap's own array instead of
// following a pointer to each timer: with a million timers pending, those
// pointers are cache misses.
type timerEntry struct {
	when time.Duration
	seq  uint64
	tm   *timer
}

func (a *timerEntry) before(b *timerEntry) bool {
	return a.when < b.when || a.when == b.when && a.seq < b.seq
}

// timerHeap is a 4-ary min-heap ordered by (when, seq), written out rather
// than built on container/heap to keep interface conversions off the hot
// path. Four children per node halve the depth of a binary heap, and a
// sift moves entries into a hole instead of swapping them.
type timerHeap []timerEntry

// push adds t, whose deadline is t.when, with seq its scheduling order.
func (h *timerHeap) push(t *timer, seq uint64) {
	*h = append(*h, timerEntry{when: t.when, seq: seq, tm: t})
	h.up(len(*h) - 1)
}

func (h *timerHeap) popMin() *timer {
	old := *h
	t := old[0].tm
	last := len(old) - 1
	old[0] = old[last]
	old[last] = timerEntry{}
	*h = old[:last]
	if last > 0 {
		h.down(0)
	}
	t.index = timerIdle
	return t
}

func (h *timerHeap) remove(t *timer) {
	i := int(t.index)
	old := *h
	last := len(old) - 1
	if i != last {
		old[i] = old[last]
	}
	old[last] = timerEntry{}
	*h = old[:last]
	if i != last && !h.down(i) {
		h.up(i)
	}
	t.index = timerIdle
}

// up moves the entry at i up to its place.
func (h *timerHeap) up(i int) {
	a := *h
	e := a[i]
	for i > 0 {
		p := (i - 1) / 4
		if !e.before(&a[p]) {
			break
		}
		a[i] = a[p]
		a[i].tm.index = int32(i)
		i = p
	}
	a[i] = e
	e.tm.index = int32(i)
}

// down moves the entry at i down to its place and reports whether it
// moved.
func (h *timerHeap) down(i int) bool {
	a := *h
	e := a[i]
	start, n := i, len(a)
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
		a[i].tm.index = int32(i)
		i = m
	}
	a[i] = e
	e.tm.index = int32(i)
	return i > start
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
	if t != nil {
		l.remove(t)
	}
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
