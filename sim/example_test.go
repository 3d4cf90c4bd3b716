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

// Every part says what it is, what it shows and what can be done to it:
// enough for a status line, a scenario or a web page to work with any
// part without knowing its Go type.
func ExamplePartTypes() {
	for _, t := range sim.PartTypes() {
		var inputs, shows []string
		for _, in := range t.Inputs {
			inputs = append(inputs, in.Name)
		}
		for _, f := range t.State {
			if f.Show != sim.ShowHidden {
				shows = append(shows, f.Name+f.Unit)
			}
		}
		fmt.Printf("%-19s %-13s shows %v, takes %v\n", t.Type, t.Kind, shows, inputs)
	}
	// Output:
	// wokwi-led           led           shows [on], takes []
	// wokwi-pushbutton    button        shows [pressed], takes [press release click hold]
	// wokwi-dht22         sensor        shows [temperature°C humidity%], takes [temperature humidity sensor-fail]
	// wokwi-potentiometer potentiometer shows [position], takes [turn]
	// wokwi-servo         servo         shows [angle°], takes []
	// wokwi-resistor      resistor      shows [], takes []
}

// A scenario or a person acts on a part through its inputs: a knob turned
// to three quarters over a second reads halfway through at 0.5 s.
func ExampleDo() {
	l := coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	b, _ := sim.NewBoard(l, "pico2w", sim.Config{})
	pot := sim.NewPotentiometer(sim.PotentiometerConfig{Name: "pot1"})
	if err := b.Attach("GP26", pot); err != nil {
		fmt.Println(err)
		return
	}
	if err := sim.Do(pot, "turn", sim.Args{"to": 0.75, "over": time.Second}); err != nil {
		fmt.Println(err)
	}
	l.RunUntilComplete(l.Spawn("main", func(t *coop.Task) error {
		adc, err := hw.OpenADC(b, "GP26")
		if err != nil {
			return err
		}
		for range 3 {
			fmt.Printf("%v %v %d\n", t.Now(), sim.StateOf(pot), adc.ReadU16())
			if err := t.Sleep(500 * time.Millisecond); err != nil {
				return err
			}
		}
		return nil
	}))
	fmt.Println(sim.Do(pot, "press", nil))
	// Output:
	// 0s map[position:0] 0
	// 500ms map[position:0.375] 24582
	// 1s map[position:0.75] 49147
	// sim: part "pot1" is a potentiometer, which takes no press (inputs: turn, set-control)
}
