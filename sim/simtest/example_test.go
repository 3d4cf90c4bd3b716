package simtest_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/sim/session"
	"github.com/coopgo/coop/sim/simtest"
)

// ledWiring is an LED on GP15 of a Pico 2 W.
var ledWiring = session.File{Name: "diagram.json", Data: []byte(`{
  "version": 1, "author": "coop", "editor": "wokwi",
  "parts": [
    { "type": "board-pi-pico-w", "id": "pico", "attrs": {} },
    { "type": "wokwi-led", "id": "led1", "attrs": {} }
  ],
  "connections": [ [ "pico:GP15", "led1:A", "green", [] ], [ "led1:C", "pico:GND.4", "black", [] ] ]
}`)}

// blinkTwice turns the LED on GP15 on and off twice, saying so.
func blinkTwice(t *coop.Task, b hw.Board) error {
	led, err := b.Output("GP15")
	if err != nil {
		return err
	}
	for range 2 {
		led.Set(true)
		b.Console().Println("on")
		if err := t.Sleep(250 * time.Millisecond); err != nil {
			return err
		}
		led.Set(false)
		if err := t.Sleep(250 * time.Millisecond); err != nil {
			return err
		}
	}
	return nil
}

// A program's test: its wiring as bytes (Open reads a directory's
// diagram.json and scenario.yaml), its console and pins at board times.
func ExampleSetup() {
	t := &testing.T{} // in a test, the test's own
	r := simtest.Setup(t, simtest.Config{Wiring: ledWiring})
	if err := r.Run(blinkTwice, time.Second); err != nil {
		fmt.Println(err)
	}
	fmt.Println(r.Timed())
	fmt.Println(r.Pins())
	// Output:
	// [0s on 500ms on]
	// [0s GP15 (led1) off 0s GP15 (led1) on 250ms GP15 (led1) off 500ms GP15 (led1) on 750ms GP15 (led1) off]
}

// errorTB is a testing.TB that keeps its errors.
type errorTB struct {
	testing.TB
	errs []string
}

func (e *errorTB) Helper() {}
func (e *errorTB) Errorf(format string, a ...any) {
	e.errs = append(e.errs, fmt.Sprintf(format, a...))
}

// Equal fails the test with a diff when the lines differ.
func TestEqual(t *testing.T) {
	e := &errorTB{TB: t}
	simtest.Equal(e, "console", []string{"0s on"}, []string{"0s on"})
	simtest.Equal(e, "console", nil, []string{})
	if len(e.errs) > 0 {
		t.Errorf("Equal of equal lines (nil and empty are equal) failed: %q", e.errs)
	}
	simtest.Equal(e, "console", []string{"0s on", "1s off"}, []string{"0s on", "1s on"})
	// go-cmp's spacing varies on purpose: look for the lines it marks.
	if len(e.errs) != 1 || !strings.Contains(e.errs[0], "console: (- want, + got)") ||
		!regexp.MustCompile(`(?m)^-.*"1s on",$`).MatchString(e.errs[0]) || !regexp.MustCompile(`(?m)^\+.*"1s off",$`).MatchString(e.errs[0]) {
		t.Errorf("Equal of different lines reported %q, want a diff", e.errs)
	}
}
