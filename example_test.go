//go:build !tinygo

package coop_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/coopgo/coop"
)

// The first program of every asyncio course: a task that starts, sleeps,
// and finishes, run on the virtual clock so the output is exact.
func ExampleRun() {
	err := coop.Run(func(t *coop.Task) error {
		fmt.Println(t.Now(), "Task started")
		if err := t.Sleep(time.Second); err != nil {
			return err
		}
		fmt.Println(t.Now(), "Task finished")
		return nil
	}, coop.WithVirtualClock())
	fmt.Println("Run:", err)
	// Output:
	// 0s Task started
	// 1s Task finished
	// Run: <nil>
}

// Two tasks blink at their own pace; main waits for both.
func ExampleTask_Spawn() {
	blink := func(name string, period time.Duration, times int) func(*coop.Task) error {
		return func(t *coop.Task) error {
			for range times {
				fmt.Println(t.Now(), name, "toggles")
				if err := t.Sleep(period); err != nil {
					return err
				}
			}
			return nil
		}
	}
	coop.Run(func(t *coop.Task) error {
		led1 := t.Spawn("led1", blink("LED1", 300*time.Millisecond, 3))
		led2 := t.Spawn("led2", blink("LED2", 500*time.Millisecond, 2))
		return coop.Gather(t, led1, led2)
	}, coop.WithVirtualClock())
	// Output:
	// 0s LED1 toggles
	// 0s LED2 toggles
	// 300ms LED1 toggles
	// 500ms LED2 toggles
	// 600ms LED1 toggles
}

// A worker that runs forever is cancelled; it cleans up and returns.
func ExampleTask_Cancel() {
	coop.Run(func(t *coop.Task) error {
		worker := t.Spawn("worker", func(t *coop.Task) error {
			defer func() { fmt.Println(t.Now(), "Worker cancelled, cleaning up...") }()
			for {
				fmt.Println(t.Now(), "Working...")
				if err := t.Sleep(time.Second); err != nil {
					return err
				}
			}
		})
		if err := t.Sleep(2500 * time.Millisecond); err != nil {
			return err
		}
		worker.Cancel()
		err := worker.Wait(t)
		fmt.Println(t.Now(), "worker:", err, "cancelled:", errors.Is(err, coop.ErrCancelled))
		return nil
	}, coop.WithVirtualClock())
	// Output:
	// 0s Working...
	// 1s Working...
	// 2s Working...
	// 2.5s Worker cancelled, cleaning up...
	// 2.5s worker: coop: task cancelled cancelled: true
}

// Gather waits for every task and joins their errors.
func ExampleGather() {
	coop.Run(func(t *coop.Task) error {
		ok := t.Spawn("ok", func(t *coop.Task) error { return t.Sleep(time.Second) })
		bad := t.Spawn("bad", func(t *coop.Task) error {
			if err := t.Sleep(500 * time.Millisecond); err != nil {
				return err
			}
			return errors.New("Something went wrong")
		})
		err := coop.Gather(t, ok, bad)
		fmt.Println(t.Now(), "Task error:", err)
		return nil
	}, coop.WithVirtualClock())
	// Output:
	// 1s Task error: Something went wrong
}

// In a task group the first failure cancels the other members.
func ExampleTaskGroup() {
	coop.Run(func(t *coop.Task) error {
		g := coop.NewTaskGroup(t)
		g.Spawn("sensor", func(t *coop.Task) error {
			for {
				if err := t.Sleep(time.Second); err != nil {
					fmt.Println(t.Now(), "sensor stopped:", err)
					return err
				}
				fmt.Println(t.Now(), "sensor read")
			}
		})
		g.Spawn("wifi", func(t *coop.Task) error {
			if err := t.Sleep(2500 * time.Millisecond); err != nil {
				return err
			}
			return errors.New("wifi: connection lost")
		})
		err := g.Wait()
		fmt.Println(t.Now(), "group:", err)
		return nil
	}, coop.WithVirtualClock())
	// Output:
	// 1s sensor read
	// 2s sensor read
	// 2.5s sensor stopped: coop: task cancelled
	// 2.5s group: wifi: connection lost
}

// A button task passes presses to an LED task through a queue.
func ExampleQueue() {
	coop.Run(func(t *coop.Task) error {
		presses := coop.NewQueue[string](4)
		t.Spawn("button", func(t *coop.Task) error {
			for _, at := range []time.Duration{300, 800, 1200} {
				t.SleepUntil(at * time.Millisecond)
				presses.Put(t, fmt.Sprintf("press at %v", t.Now()))
			}
			return nil
		})
		for range 3 {
			msg, err := presses.Get(t)
			if err != nil {
				return err
			}
			fmt.Println(t.Now(), "LED toggles on", msg)
		}
		return nil
	}, coop.WithVirtualClock())
	// Output:
	// 300ms LED toggles on press at 300ms
	// 800ms LED toggles on press at 800ms
	// 1.2s LED toggles on press at 1.2s
}

// A ring queue never blocks its producer: a sensor sampled faster than
// it is read keeps the newest samples and counts the ones it dropped.
func ExampleRingQueue() {
	coop.Run(func(t *coop.Task) error {
		samples := coop.NewRingQueue[int](3)
		t.Spawn("sensor", func(t *coop.Task) error {
			for v := 1; v <= 5; v++ { // every 10 ms, ahead of the reader
				samples.Put(v)
				if err := t.Sleep(10 * time.Millisecond); err != nil {
					return err
				}
			}
			return nil
		})
		if err := t.Sleep(45 * time.Millisecond); err != nil { // busy elsewhere
			return err
		}
		for samples.Len() > 0 {
			v, err := samples.Get(t)
			if err != nil {
				return err
			}
			fmt.Println(t.Now(), "sample", v)
		}
		fmt.Println("dropped", samples.Dropped())
		return nil
	}, coop.WithVirtualClock())
	// Output:
	// 45ms sample 3
	// 45ms sample 4
	// 45ms sample 5
	// dropped 2
}

// Offload runs blocking work (a file, a network call, a computation) on a
// goroutine of its own, so the loop goes on with the other tasks; on the
// virtual clock, time waits for the work instead of jumping past it.
func ExampleOffload() {
	coop.Run(func(t *coop.Task) error {
		n, err := coop.Offload(t, func(ctx context.Context) (int, error) {
			words := strings.Fields("a blocking read of a config file")
			return len(words), ctx.Err()
		})
		fmt.Println(t.Now(), "words:", n, err)
		return nil
	}, coop.WithVirtualClock())
	// Output:
	// 0s words: 7 <nil>
}

// A ticker keeps a period without drift, however long each tick's work
// takes.
func ExampleTicker() {
	coop.Run(func(t *coop.Task) error {
		tk := coop.NewTicker(t, 150*time.Millisecond)
		for range 3 {
			if err := tk.Next(t); err != nil {
				return err
			}
			fmt.Println(t.Now(), "tick", tk.Count())
			t.Busy(40 * time.Millisecond) // the tick's work holds the loop
		}
		return nil
	}, coop.WithVirtualClock())
	// Output:
	// 150ms tick 1
	// 300ms tick 2
	// 450ms tick 3
}

// WaitFor gives a slow operation a deadline.
func ExampleWaitFor() {
	coop.Run(func(t *coop.Task) error {
		err := coop.WaitFor(t, 2*time.Second, func(t *coop.Task) error {
			return t.Sleep(5 * time.Second) // a Wi-Fi join that takes too long
		})
		fmt.Println(t.Now(), err)
		return nil
	}, coop.WithVirtualClock())
	// Output:
	// 2s coop: timeout
}

// An interrupt handler, here a goroutine, wakes a task through a flag.
func ExampleThreadSafeFlag() {
	coop.Run(func(t *coop.Task) error {
		var pressed coop.ThreadSafeFlag
		release := t.Loop().Hold() // the virtual clock waits for the "interrupt"
		go func() {
			defer release()
			pressed.Set()
		}()
		if err := pressed.Wait(t); err != nil {
			return err
		}
		fmt.Println(t.Now(), "button pressed")
		return nil
	}, coop.WithVirtualClock())
	// Output:
	// 0s button pressed
}

// The book's style: make a loop, spawn tasks, run it for a while.
func ExampleLoop() {
	l := coop.NewLoop(coop.WithVirtualClock())
	l.Spawn("heartbeat", func(t *coop.Task) error {
		for {
			if err := t.Sleep(time.Second); err != nil {
				fmt.Println(t.Now(), "heartbeat stops")
				return err
			}
			fmt.Println(t.Now(), "beat")
		}
	})
	l.RunFor(2500 * time.Millisecond)
	l.Close()
	// Output:
	// 1s beat
	// 2s beat
	// 2.5s heartbeat stops
}

// An event lets tasks wait until another task says the board is ready;
// every waiter wakes when it is set.
func ExampleEvent() {
	coop.Run(func(t *coop.Task) error {
		var wifiUp coop.Event
		for _, name := range []string{"mqtt", "clock-sync"} {
			t.Spawn(name, func(t *coop.Task) error {
				if err := wifiUp.Wait(t); err != nil {
					return err
				}
				fmt.Println(t.Now(), name, "starts")
				return nil
			})
		}
		if err := t.Sleep(1500 * time.Millisecond); err != nil { // joining the network
			return err
		}
		fmt.Println(t.Now(), "Wi-Fi up")
		wifiUp.Set()
		return t.Sleep(0) // let the waiters run before main returns
	}, coop.WithVirtualClock())
	// Output:
	// 1.5s Wi-Fi up
	// 1.5s mqtt starts
	// 1.5s clock-sync starts
}

// A lock keeps a section that awaits in the middle to one task at a time:
// here two tasks each write a two-part record, and the parts never
// interleave.
func ExampleLock() {
	coop.Run(func(t *coop.Task) error {
		var bus coop.Lock
		write := func(name string) func(t *coop.Task) error {
			return func(t *coop.Task) error {
				if err := bus.Acquire(t); err != nil {
					return err
				}
				defer bus.Release()
				fmt.Println(t.Now(), name, "header")
				if err := t.Sleep(10 * time.Millisecond); err != nil { // the transfer
					return err
				}
				fmt.Println(t.Now(), name, "body")
				return nil
			}
		}
		return coop.Gather(t, t.Spawn("a", write("a")), t.Spawn("b", write("b")))
	}, coop.WithVirtualClock())
	// Output:
	// 0s a header
	// 10ms a body
	// 10ms b header
	// 20ms b body
}

// Cleanup that must still await, after the task was cancelled, runs inside
// Shield: outside it every await of a cancelled task returns ErrCancelled.
func ExampleTask_Shield() {
	coop.Run(func(t *coop.Task) error {
		motor := t.Spawn("motor", func(t *coop.Task) error {
			err := t.Sleep(time.Hour) // runs until cancelled
			fmt.Println(t.Now(), "motor:", err)
			fmt.Println(t.Now(), "unshielded sleep:", t.Sleep(100*time.Millisecond))
			t.Shield(func() error {
				fmt.Println(t.Now(), "ramping down")
				return t.Sleep(100 * time.Millisecond) // the ramp takes time
			})
			fmt.Println(t.Now(), "motor stopped")
			return err
		})
		if err := t.Sleep(time.Second); err != nil {
			return err
		}
		motor.Cancel()
		err := motor.Wait(t)
		fmt.Println(t.Now(), "wait:", err)
		return nil
	}, coop.WithVirtualClock())
	// Output:
	// 1s motor: coop: task cancelled
	// 1s unshielded sleep: coop: task cancelled
	// 1s ramping down
	// 1.1s motor stopped
	// 1.1s wait: coop: task cancelled
}

// SpawnValue runs a task that returns a value, as an asyncio task returns
// the value of its coroutine.
func ExampleSpawnValue() {
	coop.Run(func(t *coop.Task) error {
		reading := coop.SpawnValue(t, "dht22", func(t *coop.Task) (float64, error) {
			if err := t.Sleep(2 * time.Second); err != nil { // the sensor's first read
				return 0, err
			}
			return 21.5, nil
		})
		celsius, err := reading.Result(t)
		fmt.Println(t.Now(), celsius, err)
		return nil
	}, coop.WithVirtualClock())
	// Output:
	// 2s 21.5 <nil>
}

// WaitAny returns the first task to finish; the others go on, and here
// are cancelled.
func ExampleWaitAny() {
	coop.Run(func(t *coop.Task) error {
		press := t.Spawn("button", func(t *coop.Task) error { return t.Sleep(700 * time.Millisecond) })
		timeout := t.Spawn("timeout", func(t *coop.Task) error { return t.Sleep(time.Second) })
		first, err := coop.WaitAny(t, press, timeout)
		if err != nil {
			return err
		}
		fmt.Println(t.Now(), "first:", first.Name())
		timeout.Cancel()
		err = timeout.Wait(t)
		fmt.Println(t.Now(), "timeout:", err)
		return nil
	}, coop.WithVirtualClock())
	// Output:
	// 700ms first: button
	// 700ms timeout: coop: task cancelled
}

// A semaphore lets at most two tasks use the radio at once.
func ExampleSemaphore() {
	coop.Run(func(t *coop.Task) error {
		radio := coop.NewSemaphore(2)
		send := func(name string) func(t *coop.Task) error {
			return func(t *coop.Task) error {
				if err := radio.Acquire(t); err != nil {
					return err
				}
				defer radio.Release()
				fmt.Println(t.Now(), name, "sends")
				return t.Sleep(100 * time.Millisecond)
			}
		}
		return coop.Gather(t, t.Spawn("a", send("a")), t.Spawn("b", send("b")), t.Spawn("c", send("c")))
	}, coop.WithVirtualClock())
	// Output:
	// 0s a sends
	// 0s b sends
	// 100ms c sends
}
