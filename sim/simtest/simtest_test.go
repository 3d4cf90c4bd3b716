package simtest_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/sim/simtest"
)

// exercise3 is the seed's DHT22 exercise: read every 2 s, blink the LED.
func exercise3(t *coop.Task, b hw.Board) error {
	con := b.Console()
	sensor, err := hw.OpenDHT22(b, "GP16")
	if err != nil {
		return err
	}
	led, err := b.Output("LED")
	if err != nil {
		return err
	}
	t.Spawn("heartbeat", func(t *coop.Task) error {
		for {
			led.Toggle()
			if err := t.Sleep(500 * time.Millisecond); err != nil {
				return err
			}
		}
	})
	for {
		if err := sensor.Measure(t); err != nil {
			con.Println("Sensor read error:", err)
		} else {
			con.Println("Temperature:", sensor.Temperature(), "C")
			con.Println("Humidity:", sensor.Humidity(), "%")
		}
		if err := t.Sleep(2 * time.Second); err != nil {
			return err
		}
	}
}

func TestRunSeedExercise(t *testing.T) {
	r := simtest.New(t, "pico2w", sim.Config{})
	s := sim.NewDHT22(sim.DHT22Config{Name: "dht", Temperature: 24, Humidity: 58})
	if err := r.Board.Attach("GP16", s); err != nil {
		t.Fatal(err)
	}
	r.Loop.CallAt(time.Second, func() { s.SetHumidity(57) })
	if err := r.Run(exercise3, 3*time.Second); err != nil {
		t.Fatal(err)
	}
	want := "Temperature: 24 C\nHumidity: 58 %\nTemperature: 24 C\nHumidity: 57 %\n"
	if got := r.Output(); got != want {
		t.Errorf("Output() = %q, want %q", got, want)
	}
	timed := r.Timed()
	if len(timed) != 4 || timed[0] != "4.764ms Temperature: 24 C" || timed[2] != "2.009572s Temperature: 24 C" {
		t.Errorf("Timed() = %q", timed)
	}
	// The heartbeat is held up by each 4.764 ms sensor read.
	want2 := []string{"0s 0", "4.764ms 1", "504.764ms 0", "1.004764s 1", "1.504764s 0", "2.009572s 1", "2.509572s 0"}
	if got := r.Levels("LED"); !slices.Equal(got, want2) {
		t.Errorf("Levels(LED) = %q, want %q", got, want2)
	}
}

func TestRunFinishes(t *testing.T) {
	r := simtest.New(t, "pyboard", sim.Config{})
	boom := errors.New("boom")
	err := r.Run(func(t *coop.Task, b hw.Board) error {
		if err := t.Sleep(time.Second); err != nil {
			return err
		}
		b.Console().Println("done at", t.Now())
		return boom
	}, time.Minute)
	if err != boom || r.Loop.Now() != time.Second {
		t.Errorf("Run = %v at %v, want boom at 1s", err, r.Loop.Now())
	}
	if got := fmt.Sprint(r.Lines()); got != "[done at 1s]" {
		t.Errorf("Lines() = %s", got)
	}
}

// logTB is a testing.TB that keeps what a rig logs.
type logTB struct {
	*testing.T
	logs []string
}

func (l *logTB) Logf(format string, a ...any) { l.logs = append(l.logs, fmt.Sprintf(format, a...)) }

// A rig logs the board's warnings, as it does the loop's: a test that
// fails because an input floats says why.
func TestRigLogsBoardWarnings(t *testing.T) {
	tb := &logTB{T: t}
	r := simtest.New(tb, "pico2w", sim.Config{})
	if err := r.Board.Attach("GP14", sim.NewButton(sim.ButtonConfig{Name: "btn1"})); err != nil {
		t.Fatal(err)
	}
	err := r.Run(func(t *coop.Task, b hw.Board) error {
		if err := t.Sleep(time.Second); err != nil {
			return err
		}
		_, err := b.Input("GP14", hw.PullNone)
		return err
	}, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"1s: warning: GP14 (btn1) floats: no part drives it now and nothing pulls it, so it reads noise; " +
		"give the input a pull: hw.PullUp for a button to GND, hw.PullDown for one to 3V3"}
	if !slices.Equal(tb.logs, want) {
		t.Errorf("logged %q, want %q", tb.logs, want)
	}
}

// Open takes a program's directory as `go run .` does: without a
// diagram.json, the board is a bare Pico 2 W, and scenario.yaml still
// drives it.
func TestOpenWithoutWiring(t *testing.T) {
	dir := t.TempDir()
	scen := "steps:\n  - at: 250ms\n  - expect-serial: {text: \"tick 3\", within: 100ms}\n"
	if err := os.WriteFile(filepath.Join(dir, "scenario.yaml"), []byte(scen), 0o644); err != nil {
		t.Fatal(err)
	}
	r := simtest.Open(t, dir)
	if got := r.Board.Name(); got != "pico2w" {
		t.Errorf("Board.Name() = %q, want pico2w", got)
	}
	err := r.Run(func(t *coop.Task, b hw.Board) error {
		led, err := b.Output("LED")
		if err != nil {
			return err
		}
		for i := 1; i <= 3; i++ {
			if err := t.Sleep(100 * time.Millisecond); err != nil {
				return err
			}
			led.Toggle()
			b.Console().Println("tick", i)
		}
		return t.Sleep(time.Hour)
	}, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	simtest.Equal(t, "console", r.Timed(), []string{"100ms tick 1", "200ms tick 2", "300ms tick 3"})
	if err := r.Scenario.Err(); err != nil || !r.Scenario.Done() {
		t.Errorf("scenario: done %v, error %v; want done, no error", r.Scenario.Done(), err)
	}
}
