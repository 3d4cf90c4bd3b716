package railroadtimers_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples/internal/exampletest"
	railroadtimers "github.com/coopgo/coop/examples/railroad-timers"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/sim"
)

// The timers tick at 5 Hz, one period after they start: blue stays on and
// green off for 200 ms, then they swap every 200 ms; the main loop reports
// every 5 s, as Python prints it.
func TestApp(t *testing.T) {
	r := exampletest.New(t, "railroad-timers", sim.Config{})
	if err := r.Run(railroadtimers.App, 11*time.Second); err != nil {
		t.Fatalf("Run(App, 11s) = %v, want nil (still running)", err)
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"0s Task 1 - Blue LED Toggle initialized ...",
		"0s Task 2 - Green LED Toggle initialized ...",
		"5s Executing for  5.0  seconds",
		"10s Executing for  10.0  seconds",
	})
	blue, green := r.Levels("LED(4)"), r.Levels("LED(2)")
	exampletest.Equal(t, "blue LED(4), first second", blue[:7], []string{
		"0s 0", "0s 1", "200ms 0", "400ms 1", "600ms 0", "800ms 1", "1s 0",
	})
	exampletest.Equal(t, "green LED(2), first second", green[:6], []string{
		"0s 0", "200ms 1", "400ms 0", "600ms 1", "800ms 0", "1s 1",
	})
	exampletest.Equal(t, "blue LED(4)", blue, append([]string{"0s 0", "0s 1"}, grid(railroadtimers.Period, false, 11*time.Second)...))
	exampletest.Equal(t, "green LED(2)", green, append([]string{"0s 0"}, grid(railroadtimers.Period, true, 11*time.Second)...))
	if got := r.Levels("LED(3)"); len(got) > 1 {
		t.Errorf("yellow LED(3) = %v, want untouched", got)
	}
}

// Railroad with the yellow LED every 150 ms is the railroad of the rest of
// the chapter, and its start line says so.
func TestRailroad_yellow(t *testing.T) {
	r := exampletest.New(t, "railroad-timers", sim.Config{})
	app := func(t *coop.Task, b hw.Board) error {
		return railroadtimers.Railroad(t, b, railroadtimers.Light{Pin: "LED(3)", Colour: "Yellow"},
			hw.TimerConfig{Period: 150 * time.Millisecond})
	}
	if err := r.Run(app, 6*time.Second); err != nil {
		t.Fatal(err)
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"0s Task 1 - Blue LED Toggle initialized ...",
		"0s Task 2 - Yellow LED Toggle initialized ...",
		"5s Executing for  5.0  seconds",
	})
	exampletest.Equal(t, "blue LED(4)", r.Levels("LED(4)"), append([]string{"0s 0", "0s 1"}, grid(150*time.Millisecond, false, 6*time.Second)...))
	exampletest.Equal(t, "yellow LED(3)", r.Levels("LED(3)"), append([]string{"0s 0"}, grid(150*time.Millisecond, true, 6*time.Second)...))
}

// Stopped, the program stops its timers: no tick comes after.
func TestApp_stopsTimers(t *testing.T) {
	r := exampletest.New(t, "railroad-timers", sim.Config{})
	main := r.Loop.Spawn("main", func(t *coop.Task) error { return railroadtimers.App(t, r.Board) })
	r.Loop.RunFor(500 * time.Millisecond)
	main.Cancel()
	r.Loop.RunFor(time.Second)
	if got := r.Levels("LED(4)"); got[len(got)-1] != "400ms 1" {
		t.Errorf("blue LED(4) changed after the program stopped: %v", got)
	}
}

func TestPyFloat(t *testing.T) {
	for _, tt := range []struct {
		f    float64
		want string
	}{{5, "5.0"}, {5.001, "5.001"}, {0.15, "0.15"}, {86400, "86400.0"}} {
		if got := railroadtimers.PyFloat(tt.f); got != tt.want {
			t.Errorf("PyFloat(%v) = %q, want %q", tt.f, got, tt.want)
		}
	}
}

// grid returns an LED's toggles every period from one period to end, the
// first to level first.
func grid(period time.Duration, first bool, end time.Duration) []string {
	var s []string
	level := first
	for at := period; at <= end; at += period {
		s = append(s, fmt.Sprintf("%v %d", at, map[bool]int{false: 0, true: 1}[level]))
		level = !level
	}
	return s
}
