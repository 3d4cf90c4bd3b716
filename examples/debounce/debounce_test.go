package debounce_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples/debounce"
	"github.com/coopgo/coop/examples/internal/exampletest"
	"github.com/coopgo/coop/sim"
)

// gp14 is the button's pin in the default scenario (seed 0): each press
// and release bounces for up to 15 ms.
var gp14 = []string{
	"0s 1",
	"1.32s 0", "1.322648s 1", "1.332956s 0", // a click: pressed, bounced once
	"1.47s 1", "1.470301s 0", "1.470811s 1", "1.475962s 0", "1.47923s 1", "1.480003s 0", "1.482028s 1",
	"3.32s 0", "3.322746s 1", "3.333287s 0", // a click
	"3.47s 1", "3.473465s 0", "3.477389s 1", "3.481436s 0", "3.48248s 1",
	"5.02s 0", "5.025135s 1", "5.028322s 0", // held for 1.5 s
	"6.52s 1", "6.520738s 0", "6.524584s 1", "6.526707s 0", "6.527258s 1",
}

// presses returns the lines of the button task.
func presses(lines []string) []string {
	return slices.DeleteFunc(lines, func(l string) bool { return strings.Contains(l, "Uptime") })
}

// The default scenario: two clicks and a hold of a bouncing button give
// one report each, 20 ms after the contacts first close; the dashboard's
// other tasks go on as ever.
func TestApp(t *testing.T) {
	r := exampletest.New(t, "debounce", sim.Config{})
	if err := r.Run(debounce.App, 7*time.Second); err != nil {
		t.Fatalf("Run(debounce.App, 7s) = %v, want nil (still running)", err)
	}
	if !r.Scenario.Done() || r.Scenario.Err() != nil {
		t.Errorf("scenario: done %v, err %v; want done, nil", r.Scenario.Done(), r.Scenario.Err())
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"0s Uptime: 0 s",
		"1s Uptime: 1 s",
		"1.34s Button pressed (bounced once)",
		"2s Uptime: 2 s",
		"3s Uptime: 3 s",
		"3.34s Button pressed (bounced once)",
		"4s Uptime: 4 s",
		"5s Uptime: 5 s",
		"5.04s Button pressed (bounced once)",
		"6s Uptime: 6 s",
		"7s Uptime: 7 s",
	})
	exampletest.Equal(t, "GP14", r.Levels("GP14"), gp14)
	led := []string{"0s 0"}
	for i := range 36 {
		led = append(led, fmt.Sprintf("%v %d", time.Duration(i)*debounce.Blink, 1-i%2))
	}
	exampletest.Equal(t, "LED", r.Levels("LED"), led)
}

// Without debouncing, the same presses are reported several times: a poll
// every 10 ms catches the contacts open in the middle of a bounce, takes it
// for a release, and the next poll for a new press.
func TestConfig_noDebounce(t *testing.T) {
	r := exampletest.New(t, "debounce", sim.Config{})
	if err := r.Run(debounce.Config{Settle: -1}.App, 7*time.Second); err != nil {
		t.Fatal(err)
	}
	exampletest.Equal(t, "GP14", r.Levels("GP14"), gp14)
	exampletest.Equal(t, "presses", presses(r.Timed()), []string{
		"1.32s Button pressed",
		"1.34s Button pressed", // the contacts were open at 1.33 s
		"3.32s Button pressed (bounced 3 times)",
		"3.34s Button pressed",
		"5.02s Button pressed (bounced twice)",
	})
}

// A button that does not bounce gives the dashboard's lines.
func TestApp_noBounce(t *testing.T) {
	r := exampletest.New(t, "debounce", sim.Config{})
	r.Scenario.Stop()
	btn := sim.NewButton(sim.ButtonConfig{Name: "btn2"})
	if err := r.Board.Attach("GP14", btn); err != nil {
		t.Fatal(err)
	}
	btn.ClickAt(1320*time.Millisecond, 150*time.Millisecond)
	if err := r.Run(debounce.App, 2*time.Second); err != nil {
		t.Fatal(err)
	}
	exampletest.Equal(t, "presses", presses(r.Timed()), []string{"1.34s Button pressed"})
}

// Cancelled while the LED is lit, the program turns it off.
func TestApp_cancel(t *testing.T) {
	r := exampletest.New(t, "debounce", sim.Config{})
	var result error
	r.Loop.Spawn("main", func(t *coop.Task) error {
		result = debounce.App(t, r.Board)
		return result
	})
	if err := r.Loop.RunFor(1300 * time.Millisecond); err != nil { // LED on since 1.2 s
		t.Fatal(err)
	}
	if err := r.Loop.Close(); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(result, coop.ErrCancelled) {
		t.Errorf("App cancelled returned %v, want ErrCancelled", result)
	}
	exampletest.Equal(t, "LED", r.Levels("LED"), []string{
		"0s 0", "0s 1", "200ms 0", "400ms 1", "600ms 0", "800ms 1", "1s 0", "1.2s 1", "1.3s 0",
	})
}
