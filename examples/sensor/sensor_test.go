package sensor_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples"
	"github.com/coopgo/coop/examples/internal/exampletest"
	"github.com/coopgo/coop/examples/sensor"
	"github.com/coopgo/coop/sim"
)

// bursts returns the board times at which the changes of levels (as
// Rig.Levels gives them) start again after a pause longer than gap: for
// the DHT22's data pin, the start of each read.
func bursts(t *testing.T, levels []string, gap time.Duration) []string {
	t.Helper()
	var starts []string
	last := -gap - 1
	for _, l := range levels {
		at, err := time.ParseDuration(strings.Fields(l)[0])
		if err != nil {
			t.Fatalf("level %q: %v", l, err)
		}
		if at-last > gap {
			starts = append(starts, at.String())
		}
		last = at
	}
	return starts
}

// The default scenario: the course's expected output for the first two
// reads (58 %, then 57 %), then a read with a bad checksum and one the
// sensor does not answer, each printed, and reads going on after each.
// Every read holds the loop for its frame (4.764 ms at 24 °C 58 %, a few
// µs more or less for other readings; 1.1 ms when the sensor does not
// answer), so the lines drift by that much per read and
// the heartbeat with them.
func TestApp(t *testing.T) {
	r := exampletest.New(t, "sensor", sim.Config{})
	if err := r.Run(sensor.App, 12100*time.Millisecond); err != nil {
		t.Fatalf("Run(sensor.App, 12.1s) = %v, want nil (still running)", err)
	}
	if !r.Scenario.Done() || r.Scenario.Err() != nil {
		t.Errorf("scenario: done %v, err %v; want done, nil", r.Scenario.Done(), r.Scenario.Err())
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"4.764ms Temperature: 24 C",
		"4.764ms Humidity: 58 %",
		"2.009572s Temperature: 24 C",
		"2.009572s Humidity: 57 %",
		"4.01438s Temperature: 24 C",
		"4.01438s Humidity: 57 %",
		"6.019232s Sensor read error: hw: checksum mismatch",
		"8.024128s Temperature: 24.5 C",
		"8.024128s Humidity: 57 %",
		"10.025228s Sensor read error: hw: sensor did not respond",
		"12.030124s Temperature: 24.5 C",
		"12.030124s Humidity: 57 %",
	})
	// The heartbeat's first toggle waits for the first read; later ones
	// are delayed by the reads due at the same instant.
	exampletest.Equal(t, "LED", r.Levels("LED"), []string{
		"0s 0", "4.764ms 1", "504.764ms 0", "1.004764s 1", "1.504764s 0",
		"2.009572s 1", "2.509572s 0", "3.009572s 1", "3.509572s 0",
		"4.01438s 1", "4.51438s 0", "5.01438s 1", "5.51438s 0",
		"6.019232s 1", "6.519232s 0", "7.019232s 1", "7.519232s 0",
		"8.024128s 1", "8.524128s 0", "9.024128s 1", "9.524128s 0",
		"10.025228s 1", "10.525228s 0", "11.025228s 1", "11.525228s 0",
		"12.030124s 1",
	})
	// GP16 carries the sensor's frames: one burst per read, 2 s after
	// the end of the one before.
	exampletest.Equal(t, "GP16 reads", bursts(t, r.Levels("GP16"), 100*time.Millisecond), []string{
		"0s", "2.004764s", "4.009572s", "6.01438s", "8.019232s", "10.024128s", "12.025228s",
	})
}

// A sensor that fails at random, from its wiring's coopFailRate instead of
// a scenario: the program prints each failure and reads on, every 2 s.
func TestApp_failRate(t *testing.T) {
	p, err := examples.Find("sensor")
	if err != nil {
		t.Fatal(err)
	}
	p.Wiring = bytes.Replace(p.Wiring, []byte(`"humidity": "58"`), []byte(`"humidity": "58", "coopFailRate": "0.4"`), 1)
	p.Scenario = nil
	r := exampletest.NewProgram(t, p, sim.Config{})
	if err := r.Run(sensor.App, 40*time.Second); err != nil {
		t.Fatal(err)
	}
	reads, failed := 0, 0
	for _, l := range r.Lines() {
		switch l {
		case "Temperature: 24 C":
			reads++
		case "Humidity: 58 %":
		case "Sensor read error: hw: checksum mismatch":
			reads++
			failed++
		default:
			t.Errorf("unexpected line %q", l)
		}
	}
	if reads != 20 || failed == 0 || failed == reads {
		t.Errorf("%d reads, %d failed; want 20 reads, some failed and some not", reads, failed)
	}
}

// Cancelled, the program stops reading and turns the heartbeat LED off.
func TestApp_cancel(t *testing.T) {
	r := exampletest.New(t, "sensor", sim.Config{})
	var result error
	r.Loop.Spawn("main", func(t *coop.Task) error {
		result = sensor.App(t, r.Board)
		return result
	})
	if err := r.Loop.RunFor(1200 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := r.Loop.Close(); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(result, coop.ErrCancelled) {
		t.Errorf("App cancelled returned %v, want ErrCancelled", result)
	}
	exampletest.Equal(t, "LED", r.Levels("LED"), []string{"0s 0", "4.764ms 1", "504.764ms 0", "1.004764s 1", "1.2s 0"})
	if got := fmt.Sprint(r.Lines()); got != "[Temperature: 24 C Humidity: 58 %]" {
		t.Errorf("console = %s, want the first read only", got)
	}
}
