//go:build !tinygo

package device_test

import (
	"fmt"
	"os"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/sim/session/cli"
)

// App blinks the board's LED: on for half a second, off for half a second.
func App(t *coop.Task, b hw.Board) error {
	led, err := b.Output("LED")
	if err != nil {
		return err
	}
	for {
		led.Toggle()
		b.Console().Println("LED", led.Get())
		if err := t.Sleep(500 * time.Millisecond); err != nil {
			return err
		}
	}
}

// A program's main is one line, device.Main(App); then
// `go run . --virtual --for 1s --pins --board pico2w` runs App on a
// simulated Pico 2 W (the first line is the pin's level when App makes it
// an output). On the host, Main is cli.Main with the process's
// arguments and streams (and os.Exit of its status), which this example
// calls so that it can show the output.
func ExampleMain() {
	// In the program: func main() { device.Main(App) }
	args := []string{"--virtual", "--for", "1s", "--pins", "--board", "pico2w"}
	status := cli.Main(App, args, cli.Stdio{Out: os.Stdout, Err: os.Stdout})
	fmt.Println("exit status", status)
	// Output:
	// [   0.000s] LED off
	// [   0.000s] LED on
	// LED true
	// [   0.500s] LED off
	// LED false
	// [   1.000s] LED on
	// LED true
	// exit status 0
}
