package rt_test

import (
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/rt"
)

func TestThreadsNeedTheRealClock(t *testing.T) {
	if _, err := rt.NewThreads(virtualLoop(t)); !errors.Is(err, rt.ErrRealClock) {
		t.Errorf("NewThreads(virtual loop) = %v, want ErrRealClock", err)
	}
}

// settled waits until the number of goroutines is back to n, and reports
// whether it is: goroutines that have returned may take a moment to be
// gone from the count.
func settled(n int) bool {
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > n {
		if time.Now().After(deadline) {
			return false
		}
		runtime.Gosched()
		time.Sleep(time.Millisecond)
	}
	return true
}

func TestThreadsStopCleanly(t *testing.T) {
	before := runtime.NumGoroutine()
	l := coop.NewLoop()
	counts := map[string]int{}
	var th *rt.Threads
	main := l.Spawn("main", func(t *coop.Task) error {
		var err error
		th, err = rt.NewThreads(t.Loop())
		if err != nil {
			return err
		}
		for _, name := range []string{"a", "b"} {
			th.Go(name, func(th *rt.Thread) error {
				for {
					th.Post(func() { counts[th.Name()]++ }) // runs on the loop
					if err := th.Sleep(2 * time.Millisecond); err != nil {
						return err
					}
				}
			})
		}
		th.Go("failing", func(th *rt.Thread) error {
			th.Sleep(time.Millisecond)
			return errors.New("bus error")
		})
		if err := t.Sleep(50 * time.Millisecond); err != nil {
			return err
		}
		return th.Stop(t)
	})
	err := l.RunUntilComplete(main)
	if err == nil || !strings.Contains(err.Error(), "thread failing: bus error") {
		t.Errorf("Stop = %v, want the failing thread's error", err)
	}
	if n := th.Running(); n != 0 {
		t.Errorf("Running() = %d after Stop, want 0", n)
	}
	posted := th.Posts()
	// Writes posted before Stop but not run yet are dropped: nothing
	// lands after it.
	after := counts["a"] + counts["b"]
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if got := counts["a"] + counts["b"]; got != after || int64(got) > posted || counts["a"] == 0 || counts["b"] == 0 {
		t.Errorf("writes %v (%d posted, %d before Close), want some of each, none after Stop", counts, posted, after)
	}
	if !settled(before) {
		t.Errorf("%d goroutines left, want %d", runtime.NumGoroutine(), before)
	}
}

func TestThreadsStopWhenCancelled(t *testing.T) {
	before := runtime.NumGoroutine()
	l := coop.NewLoop()
	var th *rt.Threads
	main := l.Spawn("main", func(t *coop.Task) error {
		var err error
		if th, err = rt.NewThreads(t.Loop()); err != nil {
			return err
		}
		th.Go("spin", func(th *rt.Thread) error {
			for {
				if err := th.Sleep(time.Millisecond); err != nil {
					return err
				}
			}
		})
		defer th.Stop(t) // runs even though t is cancelled
		return t.Sleep(time.Hour)
	})
	l.Spawn("canceller", func(t *coop.Task) error {
		if err := t.Sleep(10 * time.Millisecond); err != nil {
			return err
		}
		main.Cancel()
		return nil
	})
	if err := l.RunUntilComplete(main); !errors.Is(err, coop.ErrCancelled) {
		t.Errorf("main = %v, want cancelled", err)
	}
	if th.Running() != 0 {
		t.Errorf("Running() = %d, want 0", th.Running())
	}
	l.Close()
	if !settled(before) {
		t.Errorf("%d goroutines left, want %d", runtime.NumGoroutine(), before)
	}
}

// BenchmarkThreadPost measures a pin write handed from a thread to the
// loop: Post, and the loop running it.
func BenchmarkThreadPost(b *testing.B) {
	l := coop.NewLoop(coop.WithBlockingThreshold(0))
	defer l.Close()
	ran := 0
	main := l.Spawn("main", func(t *coop.Task) error {
		th, err := rt.NewThreads(t.Loop())
		if err != nil {
			return err
		}
		done := &coop.ThreadSafeFlag{}
		release := t.Loop().Hold()
		defer release()
		b.ResetTimer()
		th.Go("writer", func(th *rt.Thread) error {
			for range b.N {
				th.Post(func() { ran++ })
			}
			th.Post(done.Set)
			return nil
		})
		if err := done.Wait(t); err != nil {
			return err
		}
		b.StopTimer()
		return th.Stop(t)
	})
	if err := l.RunUntilComplete(main); err != nil {
		b.Fatal(err)
	}
	if ran != b.N {
		b.Fatalf("ran %d writes, want %d", ran, b.N)
	}
}
