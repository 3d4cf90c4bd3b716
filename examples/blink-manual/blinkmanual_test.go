package blinkmanual_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/coopgo/coop"
	blinkmanual "github.com/coopgo/coop/examples/blink-manual"
	"github.com/coopgo/coop/examples/internal/exampletest"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/sim"
)

// Each change comes on the first pass after the interval, and the next
// interval counts from there: D1 every 251 ms, D2 every 101 ms. "done"
// comes after the pass that finds both Blinkers finished.
func TestApp(t *testing.T) {
	r := exampletest.New(t, "blink-manual", sim.Config{})
	if err := r.Run(blinkmanual.App, 10*time.Second); err != nil {
		t.Fatalf("Run(blinkmanual.App, 10s) = %v, want nil", err)
	}
	exampletest.Equal(t, "console", r.Timed(), []string{"5.022s done"})
	exampletest.Equal(t, "D1", r.Levels("D1"), []string{
		"0s 0",
		"251ms 1", "502ms 0", "753ms 1", "1.004s 0", "1.255s 1", "1.506s 0", "1.757s 1", "2.008s 0", "2.259s 1", "2.51s 0",
		"2.761s 1", "3.012s 0", "3.263s 1", "3.514s 0", "3.765s 1", "4.016s 0", "4.267s 1", "4.518s 0", "4.769s 1", "5.02s 0",
	})
	want := []string{"0s 0"}
	for i := 1; i <= 40; i++ {
		want = append(want, fmt.Sprintf("%v %d", time.Duration(i)*101*time.Millisecond, i%2))
	}
	exampletest.Equal(t, "D2", r.Levels("D2"), want)
}

func TestBlinker(t *testing.T) {
	var led bool
	out := fakeOutput{&led}
	b := blinkmanual.NewBlinker(out, 100*time.Millisecond, 1)
	for _, tt := range []struct {
		now     time.Duration
		running bool
		led     bool
	}{
		{0, true, false},
		{100 * time.Millisecond, true, false}, // not more than the interval yet
		{101 * time.Millisecond, true, true},
		{201 * time.Millisecond, true, true},
		{250 * time.Millisecond, true, false},
		{400 * time.Millisecond, false, false}, // two changes made: finished
	} {
		if running := b.Blink(tt.now); running != tt.running || led != tt.led {
			t.Errorf("Blink(%v) = %v with the LED at %v, want %v with %v", tt.now, running, led, tt.running, tt.led)
		}
	}
}

// Cancelled, the super-loop stops at once and leaves both LEDs off.
func TestApp_cancel(t *testing.T) {
	r := exampletest.New(t, "blink-manual", sim.Config{})
	var result error
	r.Loop.Spawn("main", func(t *coop.Task) error {
		result = blinkmanual.App(t, r.Board)
		return result
	})
	if err := r.Loop.RunFor(300 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := r.Loop.Close(); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(result, coop.ErrCancelled) {
		t.Errorf("App cancelled returned %v, want ErrCancelled", result)
	}
	exampletest.Equal(t, "console", r.Lines(), nil)
	exampletest.Equal(t, "D1", r.Levels("D1"), []string{"0s 0", "251ms 1", "300ms 0"})
	exampletest.Equal(t, "D2", r.Levels("D2"), []string{"0s 0", "101ms 1", "202ms 0"})
}

type fakeOutput struct{ v *bool }

func (o fakeOutput) Set(high bool) { *o.v = high }
func (o fakeOutput) Get() bool     { return *o.v }
func (o fakeOutput) Toggle()       { *o.v = !*o.v }

var _ hw.Output = fakeOutput{}
