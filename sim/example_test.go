package sim_test

import (
	"fmt"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/sim"
)

// A program blinks the Pico 2 W's LED and reports; an observer prints the
// console and LED with board time.
func ExampleNewBoard() {
	l := coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	b, err := sim.NewBoard(l, "pico2w", sim.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	b.Observe(sim.ObserverFuncs{
		OnConsole: func(at time.Duration, line string) { fmt.Println(at, line) },
		OnPin:     func(at time.Duration, pin string, level bool) { fmt.Println(at, pin, level) },
	})
	app := func(t *coop.Task) error {
		led, err := b.Output("LED")
		if err != nil {
			return err
		}
		for range 2 {
			led.Set(true)
			b.Console().Println("LED ON")
			t.Sleep(500 * time.Millisecond)
			led.Set(false)
			b.Console().Println("LED OFF")
			t.Sleep(500 * time.Millisecond)
		}
		return nil
	}
	fmt.Println(l.RunUntilComplete(l.Spawn("main", app)))
	// Output:
	// 0s LED false
	// 0s LED true
	// 0s LED ON
	// 500ms LED false
	// 500ms LED OFF
	// 1s LED true
	// 1s LED ON
	// 1.5s LED false
	// 1.5s LED OFF
	// <nil>
}

// One press of a bouncing button fires the interrupt handler several
// times: why programs debounce. The bounce is the same for the same seed.
func ExampleButton_bounce() {
	l := coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	b, _ := sim.NewBoard(l, "pico2w", sim.Config{Seed: 1})
	btn := sim.NewButton(sim.ButtonConfig{Name: "btn", Bounce: sim.DefaultBounce})
	b.Attach("GP14", btn)
	in, _ := b.Input("GP14", hw.PullUp)
	in.SetInterrupt(hw.EdgeFalling, func(hw.Edge) { fmt.Println("pressed at", l.Now()) })
	btn.PressAt(time.Second)
	l.RunFor(2 * time.Second)
	// Output:
	// pressed at 1s
	// pressed at 1.001691s
	// pressed at 1.004736s
}

// Without a pull-up, a released button's pin floats and reads noise.
func ExampleBoard_Input_floating() {
	l := coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	b, _ := sim.NewBoard(l, "pico2w", sim.Config{Seed: 4})
	b.Attach("GP14", sim.NewButton(sim.ButtonConfig{Name: "btn"}))
	for _, pull := range []hw.Pull{hw.PullNone, hw.PullUp} {
		in, _ := b.Input("GP14", pull)
		s := ""
		for range 16 {
			l.RunFor(50 * time.Millisecond)
			if in.Get() {
				s += "1"
			} else {
				s += "0"
			}
		}
		fmt.Println(pull, s)
	}
	// Output:
	// none 0011010010110101
	// up 1111111111111111
}
