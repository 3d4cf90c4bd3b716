package hw_test

import (
	"fmt"
	"os"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// A task waits for key events that a backend puts into the queue from
// interrupt context (here, loop callbacks at 1 s and 1.1 s).
func ExampleKeyQueue() {
	con := hw.NewConsole(os.Stdout)
	err := coop.Run(func(t *coop.Task) error {
		q := hw.NewKeyQueue(4)
		l := t.Loop()
		l.CallAt(time.Second, func() { q.Put(hw.KeyEvent{Key: 0, Pressed: true, At: l.Now()}) })
		l.CallAt(1100*time.Millisecond, func() { q.Put(hw.KeyEvent{Key: 0, At: l.Now()}) })
		for range 2 {
			e, err := q.Wait(t)
			if err != nil {
				return err
			}
			con.Println(e)
		}
		return nil
	}, coop.WithVirtualClock())
	fmt.Println(err)
	// Output:
	// key 0 pressed at 1s
	// key 0 released at 1.1s
	// <nil>
}

// Code that only reads a pin takes an hw.Input; InputFunc makes one from a
// function, for tests or computed inputs.
func ExampleInputFunc() {
	level := true
	var in hw.Input = hw.InputFunc(func() bool { return level })
	fmt.Println(in.Get())
	level = false
	fmt.Println(in.Get())
	// Output:
	// true
	// false
}

// A timer configured by frequency ticks at exact instants: 3 Hz does not
// drift by the nanosecond lost in rounding a third of a second.
func ExampleTimerConfig_Tick() {
	cfg := hw.TimerConfig{Freq: 3}
	for n := int64(1); n <= 3; n++ {
		fmt.Println(cfg.Tick(n))
	}
	// Output:
	// 333.333333ms
	// 666.666666ms
	// 1s
}
