package railroadtimers_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples/internal/exampletest"
	railroadtimers "github.com/coopgo/coop/examples/railroad-timers"
	"github.com/coopgo/coop/sim"
)

// The timers tick one period after they start: blue stays on and yellow
// off for 150 ms, then they swap every 150 ms; the main loop reports every
// 5 s, as Python prints it.
func TestApp(t *testing.T) {
	r := exampletest.New(t, "railroad-timers", sim.Config{})
	if err := r.Run(railroadtimers.App, 11*time.Second); err != nil {
		t.Fatalf("Run(App, 11s) = %v, want nil (still running)", err)
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"0s Task 1 - Blue LED Toggle initialized ...",
		"0s Task 2 - Yellow LED Toggle initialized ...",
		"5s Executing for  5.0  seconds",
		"10s Executing for  10.0  seconds",
	})
	blue, yellow := r.Levels("LED(4)"), r.Levels("LED(3)")
	exampletest.Equal(t, "blue LED(4), first second", blue[:8], []string{
		"0s 0", "0s 1", "150ms 0", "300ms 1", "450ms 0", "600ms 1", "750ms 0", "900ms 1",
	})
	exampletest.Equal(t, "yellow LED(3), first second", yellow[:7], []string{
		"0s 0", "150ms 1", "300ms 0", "450ms 1", "600ms 0", "750ms 1", "900ms 0",
	})
	exampletest.Equal(t, "blue LED(4)", blue, append([]string{"0s 0", "0s 1"}, grid(false, 11*time.Second)...))
	exampletest.Equal(t, "yellow LED(3)", yellow, append([]string{"0s 0"}, grid(true, 11*time.Second)...))
}

// Stopped, the program stops its timers: no tick comes after.
func TestApp_stopsTimers(t *testing.T) {
	r := exampletest.New(t, "railroad-timers", sim.Config{})
	main := r.Loop.Spawn("main", func(t *coop.Task) error { return railroadtimers.App(t, r.Board) })
	r.Loop.RunFor(400 * time.Millisecond)
	main.Cancel()
	r.Loop.RunFor(time.Second)
	if got := r.Levels("LED(4)"); got[len(got)-1] != "300ms 1" {
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

// grid returns an LED's toggles every Period from 150 ms to end, the first
// to level first.
func grid(first bool, end time.Duration) []string {
	var s []string
	level := first
	for at := railroadtimers.Period; at <= end; at += railroadtimers.Period {
		s = append(s, fmt.Sprintf("%v %d", at, map[bool]int{false: 0, true: 1}[level]))
		level = !level
	}
	return s
}
