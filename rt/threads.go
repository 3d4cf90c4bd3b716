package rt

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coopgo/coop"
)

// ErrRealClock is returned by [NewThreads] for a loop on the virtual
// clock: threads run in real time, and virtual time would jump past them.
var ErrRealClock = errors.New("rt: threads run in real time; use a loop on the real clock")

// ErrStopped is returned by [Thread.Sleep] once the threads are being
// stopped: the thread should return.
var ErrStopped = errors.New("rt: threads stopped")

// Threads runs preemptive threads (MicroPython's _thread) next to a loop,
// for comparison with the cooperative techniques: each thread is a
// goroutine, scheduled by the Go runtime in real time, so nothing says
// which thread runs first or exactly when a sleep ends. Two runs of the
// same threads do not give the same timings; the book's warning that
// alternating LEDs driven by two threads drift apart is what they show.
//
// Threads never touch the board: its pins belong to the loop. A thread
// hands each write to the loop with [Thread.Post] ([coop.Loop.CallSoon]).
// That costs a lock, an allocation and a wake-up of the loop per write
// (about 0.2 µs each when writes stream in, BenchmarkThreadPost), and the
// write lands when the loop next takes its inbox, after the step running
// then; an idle loop's goroutine must first be woken (some 20 µs, up to
// milliseconds on a loaded machine). That latency adds to the thread's own
// jitter.
//
// [Threads.Stop] stops every thread and waits until all have returned: no
// goroutine outlives it, and no write posted before it lands after it.
// On TinyGo most targets schedule goroutines cooperatively; these threads
// are preemptive only on the standard Go runtime.
type Threads struct {
	loop    *coop.Loop
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	running atomic.Int32
	posts   atomic.Int64
	work    atomic.Int64 // ns of Thread.Work
	stopped bool         // on the loop: posted writes are dropped

	mu   sync.Mutex
	errs []error
}

// NewThreads returns an empty set of threads for loop, or ErrRealClock
// if loop runs on the virtual clock.
func NewThreads(loop *coop.Loop) (*Threads, error) {
	if loop.Virtual() {
		return nil, ErrRealClock
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Threads{loop: loop, ctx: ctx, cancel: cancel}, nil
}

// Go starts fn on a new thread (_thread.start_new_thread). An error fn
// returns, other than ErrStopped, is returned by Stop.
func (th *Threads) Go(name string, fn func(t *Thread) error) {
	t := &Thread{th: th, name: name}
	th.running.Add(1)
	th.wg.Add(1)
	go func() {
		defer th.wg.Done()
		defer th.running.Add(-1)
		err := protect(func() error { return fn(t) })
		if err != nil && !errors.Is(err, ErrStopped) {
			th.mu.Lock()
			th.errs = append(th.errs, fmt.Errorf("thread %s: %w", name, err))
			th.mu.Unlock()
		}
	}()
}

// Running returns how many threads have not returned yet.
func (th *Threads) Running() int { return int(th.running.Load()) }

// Posts returns how many writes the threads handed to the loop.
func (th *Threads) Posts() int64 { return th.posts.Load() }

// Busy returns the work the threads declared with [Thread.Work].
func (th *Threads) Busy() time.Duration { return time.Duration(th.work.Load()) }

// Stop asks every thread to stop (their Sleep returns ErrStopped), drops
// the writes they posted that have not landed yet, and waits, from inside
// self but without holding up the loop, until every thread has returned.
// It waits even if self is cancelled. It returns the threads' errors,
// joined.
func (th *Threads) Stop(self *coop.Task) error {
	th.stopped = true
	th.cancel()
	self.Shield(func() error {
		_, err := coop.Offload(self, func(context.Context) (struct{}, error) {
			th.wg.Wait()
			return struct{}{}, nil
		})
		return err
	})
	th.mu.Lock()
	defer th.mu.Unlock()
	return errors.Join(th.errs...)
}

// Thread is one thread of a [Threads], passed to its function.
type Thread struct {
	th   *Threads
	name string
}

// Name returns the thread's name.
func (t *Thread) Name() string { return t.name }

// Sleep sleeps d of real time (time.sleep_ms), or returns ErrStopped at
// once when the threads are being stopped.
func (t *Thread) Sleep(d time.Duration) error {
	if d <= 0 {
		if t.th.ctx.Err() != nil {
			return ErrStopped
		}
		return nil
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return nil
	case <-t.th.ctx.Done():
		return ErrStopped
	}
}

// Work stands for d of computation: the thread sleeps d and the time is
// counted in [Threads.Busy]. Unlike [coop.Task.Busy] it holds up nothing
// but this thread.
func (t *Thread) Work(d time.Duration) {
	if d <= 0 {
		return
	}
	t.th.work.Add(int64(d))
	time.Sleep(d)
}

// Post hands fn to the loop, which runs it as a callback (a pin write):
// the only way a thread may touch the board. fn does not run if the
// threads were stopped by the time the loop gets to it.
func (t *Thread) Post(fn func()) {
	th := t.th
	th.posts.Add(1)
	th.loop.CallSoon(func() {
		if !th.stopped {
			fn()
		}
	})
}
