// Command blinky is a user's coop program: the same source runs on the
// simulated board (`go run .`) and on a real one
// (`tinygo flash -target=pico-w .`).
package main

import (
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/device"
	"github.com/coopgo/coop/hw"
)

// App blinks the LED and says so, every half second.
func App(t *coop.Task, b hw.Board) error {
	led, err := b.Output("LED")
	if err != nil {
		return err
	}
	con := b.Console()
	for {
		led.Toggle()
		con.Println("LED", led.Get())
		if err := t.Sleep(500 * time.Millisecond); err != nil {
			return err
		}
	}
}

func main() { device.Main(App) }
