package railroadasync_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples/internal/exampletest"
	railroadasync "github.com/coopgo/coop/examples/railroad-async"
	"github.com/coopgo/coop/sim"
)

// task1 and task2 toggle at once, then every 150 ms: blue off and yellow
// on from 0 s, swapping on the 150 ms grid, with no drift after a minute.
func TestApp(t *testing.T) {
	r := exampletest.New(t, "railroad-async", sim.Config{})
	if err := r.Run(railroadasync.App, time.Minute); err != nil {
		t.Fatalf("Run(App, 1m) = %v, want nil (still running)", err)
	}
	exampletest.Equal(t, "console (the book's program prints nothing)", r.Timed(), nil)
	blue, yellow := r.Levels("LED(4)"), r.Levels("LED(3)")
	exampletest.Equal(t, "blue LED(4), first second", blue[:9], []string{
		"0s 0", "0s 1", "0s 0", "150ms 1", "300ms 0", "450ms 1", "600ms 0", "750ms 1", "900ms 0",
	})
	exampletest.Equal(t, "yellow LED(3), first second", yellow[:8], []string{
		"0s 0", "0s 1", "150ms 0", "300ms 1", "450ms 0", "600ms 1", "750ms 0", "900ms 1",
	})
	exampletest.Equal(t, "blue LED(4)", blue, append([]string{"0s 0", "0s 1"}, grid(false, time.Minute)...))
	exampletest.Equal(t, "yellow LED(3)", yellow, append([]string{"0s 0"}, grid(true, time.Minute)...))
}

// Cancelled, the program's tasks are cancelled with it.
func TestApp_cancel(t *testing.T) {
	r := exampletest.New(t, "railroad-async", sim.Config{})
	var result error
	main := r.Loop.Spawn("main", func(t *coop.Task) error {
		result = railroadasync.App(t, r.Board)
		return result
	})
	r.Loop.RunFor(200 * time.Millisecond)
	main.Cancel()
	r.Loop.RunFor(time.Second)
	if !errors.Is(result, coop.ErrCancelled) || len(r.Loop.Tasks()) != 0 {
		t.Errorf("App cancelled returned %v with tasks %v left, want ErrCancelled and none", result, r.Loop.Tasks())
	}
}

// grid returns an LED's toggles every Period from 0 to end, the first to
// level first.
func grid(first bool, end time.Duration) []string {
	var s []string
	level := first
	for at := time.Duration(0); at <= end; at += railroadasync.Period {
		s = append(s, fmt.Sprintf("%v %d", at, map[bool]int{false: 0, true: 1}[level]))
		level = !level
	}
	return s
}
