package railroad_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples/internal/exampletest"
	"github.com/coopgo/coop/examples/railroad"
	railroadasync "github.com/coopgo/coop/examples/railroad-async"
	railroadroundrobin "github.com/coopgo/coop/examples/railroad-roundrobin"
	railroadthreads "github.com/coopgo/coop/examples/railroad-threads"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/rt"
	"github.com/coopgo/coop/sim"
)

// The default program is the asyncio one.
func TestApp(t *testing.T) {
	r := exampletest.New(t, "railroad", sim.Config{})
	if err := r.Run(railroad.App, 450*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"0s railroad lights, asyncio: blue and yellow LEDs alternate every 150ms",
	})
	exampletest.Equal(t, "blue LED(4)", r.Levels("LED(4)"), []string{"0s 0", "0s 1", "0s 0", "150ms 1", "300ms 0", "450ms 1"})
}

// The threads technique is the book's program as it is.
func TestAppFor(t *testing.T) {
	app, err := railroad.AppFor(rt.TechThreads)
	if err != nil || reflect.ValueOf(app).Pointer() != reflect.ValueOf(railroadthreads.App).Pointer() {
		t.Errorf("AppFor(threads) is not the book's program (err %v)", err)
	}
	if _, err := railroad.AppFor(0); err == nil || err.Error() != "railroad: no program for technique Technique(0)" {
		t.Errorf("AppFor(0) error = %v", err)
	}
}

// The round-robin and asyncio techniques are the book's programs after a
// start line: they toggle exactly as the programs alone do.
func TestAppFor_bookPrograms(t *testing.T) {
	for tech, x := range map[rt.Technique]struct {
		line string
		book func(*coop.Task, hw.Board) error
	}{
		rt.TechRoundRobin: {"0s railroad lights, round-robin: blue and yellow LEDs alternate every 150ms", railroadroundrobin.App},
		rt.TechAsync:      {"0s railroad lights, asyncio: blue and yellow LEDs alternate every 150ms", railroadasync.App},
	} {
		t.Run(tech.String(), func(t *testing.T) {
			app, err := railroad.AppFor(tech)
			if err != nil {
				t.Fatal(err)
			}
			r := exampletest.New(t, "railroad", sim.Config{})
			if err := r.Run(app, 3*time.Second); err != nil {
				t.Fatal(err)
			}
			book := exampletest.New(t, "railroad", sim.Config{})
			if err := book.Run(x.book, 3*time.Second); err != nil {
				t.Fatal(err)
			}
			exampletest.Equal(t, "console", r.Timed(), []string{x.line})
			exampletest.Equal(t, "blue LED(4)", r.Levels("LED(4)"), book.Levels("LED(4)"))
			exampletest.Equal(t, "yellow LED(3)", r.Levels("LED(3)"), book.Levels("LED(3)"))
		})
	}
}

// The timers technique is the book's timer program on the railroad's
// LEDs and period: blue and yellow, first at 150 ms, then every 150 ms.
func TestAppFor_timers(t *testing.T) {
	app, err := railroad.AppFor(rt.TechTimers)
	if err != nil {
		t.Fatal(err)
	}
	r := exampletest.New(t, "railroad", sim.Config{})
	if err := r.Run(app, 10*time.Second+railroad.Period/2); err != nil {
		t.Fatal(err)
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"0s Task 1 - Blue LED Toggle initialized ...",
		"0s Task 2 - Yellow LED Toggle initialized ...",
		"5s Executing for  5.0  seconds",
		"10s Executing for  10.0  seconds",
	})
	exampletest.Equal(t, "blue LED(4)", r.Levels("LED(4)"), append([]string{"0s 0", "0s 1"}, grid(false, 10*time.Second+railroad.Period/2)...))
	exampletest.Equal(t, "yellow LED(3)", r.Levels("LED(3)"), append([]string{"0s 0"}, grid(true, 10*time.Second+railroad.Period/2)...))
}

// Event-driven and periodic scheduling, which the chapter describes
// without a listing, toggle as the timers do: first at 150 ms, then every
// 150 ms, with no drift.
func TestAppFor_eventAndPeriodic(t *testing.T) {
	for tech, line := range map[rt.Technique]string{
		rt.TechEvent:    "0s railroad lights, event-driven: blue and yellow LEDs alternate every 150ms",
		rt.TechPeriodic: "0s railroad lights, periodic tasks: blue and yellow LEDs alternate every 150ms",
	} {
		t.Run(tech.String(), func(t *testing.T) {
			app, err := railroad.AppFor(tech)
			if err != nil {
				t.Fatal(err)
			}
			r := exampletest.New(t, "railroad", sim.Config{})
			if err := r.Run(app, time.Minute+railroad.Period/2); err != nil {
				t.Fatal(err)
			}
			exampletest.Equal(t, "console", r.Timed(), []string{line})
			exampletest.Equal(t, "blue LED(4)", r.Levels("LED(4)"), append([]string{"0s 0", "0s 1"}, grid(false, time.Minute)...))
			exampletest.Equal(t, "yellow LED(3)", r.Levels("LED(3)"), append([]string{"0s 0"}, grid(true, time.Minute)...))
		})
	}
}

// grid returns an LED's toggles every Period from 150 ms to end, the first
// to level first.
func grid(first bool, end time.Duration) []string {
	var s []string
	level := first
	for at := railroad.Period; at <= end; at += railroad.Period {
		s = append(s, fmt.Sprintf("%v %d", at, map[bool]int{false: 0, true: 1}[level]))
		level = !level
	}
	return s
}
