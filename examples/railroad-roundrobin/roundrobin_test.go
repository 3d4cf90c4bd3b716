package railroadroundrobin_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/coopgo/coop/examples/internal/exampletest"
	railroadroundrobin "github.com/coopgo/coop/examples/railroad-roundrobin"
	"github.com/coopgo/coop/sim"
)

// The first pass toggles both LEDs at once, so blue is off and yellow on
// from 0 s; then they swap every 150 ms, for as long as it runs.
func TestApp(t *testing.T) {
	r := exampletest.New(t, "railroad-roundrobin", sim.Config{})
	if err := r.Run(railroadroundrobin.App, time.Second); err != nil {
		t.Fatalf("Run(App, 1s) = %v, want nil (still running)", err)
	}
	exampletest.Equal(t, "console (the book's program prints nothing)", r.Timed(), nil)
	exampletest.Equal(t, "blue LED(4)", r.Levels("LED(4)"), []string{
		"0s 0", "0s 1", "0s 0", "150ms 1", "300ms 0", "450ms 1", "600ms 0", "750ms 1", "900ms 0",
	})
	exampletest.Equal(t, "yellow LED(3)", r.Levels("LED(3)"), []string{
		"0s 0", "0s 1", "150ms 0", "300ms 1", "450ms 0", "600ms 1", "750ms 0", "900ms 1",
	})
}

// An hour later the loop has not drifted: nothing else runs, so every pass
// takes exactly the delay, and every toggle is on the 150 ms grid.
func TestApp_hour(t *testing.T) {
	r := exampletest.New(t, "railroad-roundrobin", sim.Config{})
	if err := r.Run(railroadroundrobin.App, time.Hour); err != nil {
		t.Fatal(err)
	}
	exampletest.Equal(t, "blue LED(4)", r.Levels("LED(4)"), append([]string{"0s 0", "0s 1"}, grid(0, false, time.Hour)...))
	exampletest.Equal(t, "yellow LED(3)", r.Levels("LED(3)"), append([]string{"0s 0"}, grid(0, true, time.Hour)...))
}

// grid returns an LED's toggles every Period from start to end, the first
// to level first, as "time level" strings.
func grid(start time.Duration, first bool, end time.Duration) []string {
	var s []string
	level := first
	for at := start; at <= end; at += railroadroundrobin.Period {
		s = append(s, fmt.Sprintf("%v %d", at, map[bool]int{false: 0, true: 1}[level]))
		level = !level
	}
	return s
}
