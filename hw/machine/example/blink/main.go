//go:build tinygo && (pico || pico2)

// Command blink runs examples/blink's App, the program `coop run blink`
// runs on the simulated Pico 2 W, on a real Raspberry Pi Pico: the
// built-in LED and an LED on GP15 (through a 220 Ω resistor to GND) blink
// in turn, and the uptime goes to the USB serial console.
//
//	tinygo flash -target=pico ./hw/machine/example/blink
//	tinygo monitor
//
// On a Pico W the LED is on the Wi-Fi chip, which hw/machine does not
// drive: the App stops at once, and the program prints why on the console
// every few seconds.
package main

import (
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples/blink"
	"github.com/coopgo/coop/hw/machine"
)

func main() {
	err := coop.Run(func(t *coop.Task) error {
		b, err := machine.NewBoard(t.Loop(), machine.Config{})
		if err != nil {
			return err
		}
		return blink.App(t, b)
	})
	// A board has nowhere to return to. Keep saying what happened, for
	// whoever opens the serial console later.
	for {
		println("blink:", errText(err))
		time.Sleep(5 * time.Second)
	}
}

func errText(err error) string {
	if err == nil {
		return "done"
	}
	return err.Error()
}
