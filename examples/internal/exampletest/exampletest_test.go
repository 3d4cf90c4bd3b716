package exampletest_test

import (
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples"
	"github.com/coopgo/coop/examples/internal/exampletest"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/sim"
)

// A program whose first line the scenario's first step waits for: the
// step runs before the program, so it sees the line.
func TestNewProgram_scenario(t *testing.T) {
	blink, err := examples.Find("blink")
	if err != nil {
		t.Fatal(err)
	}
	p := examples.Program{
		Name:   "ready",
		Board:  "pico2w",
		Wiring: blink.Wiring,
		Scenario: []byte(`steps:
  - wait-serial: {text: Ready, timeout: 10ms}
  - at: 1s
  - expect-pin: {part-id: led1, pin: A, value: 1, within: 100ms}
`),
	}
	app := func(t *coop.Task, b hw.Board) error {
		b.Console().Println("Ready")
		if err := t.Sleep(time.Second); err != nil {
			return err
		}
		led, err := b.Output("GP15")
		if err != nil {
			return err
		}
		led.Set(true)
		return t.Sleep(time.Second)
	}
	r := exampletest.NewProgram(t, p, sim.Config{})
	if err := r.Run(app, 3*time.Second); err != nil {
		t.Fatal(err)
	}
	if !r.Scenario.Done() || r.Scenario.Err() != nil {
		t.Errorf("scenario: done %v, err %v; want done, nil", r.Scenario.Done(), r.Scenario.Err())
	}
	exampletest.Equal(t, "GP15", r.Levels("GP15"), []string{"1s 0", "1s 1"})
}
