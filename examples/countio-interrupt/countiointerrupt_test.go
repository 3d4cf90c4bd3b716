package countiointerrupt_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
	countiointerrupt "github.com/coopgo/coop/examples/countio-interrupt"
	"github.com/coopgo/coop/examples/internal/exampletest"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/sim"
)

// One line per falling edge of the default scenario's clean edges: a click,
// a long hold, a click. Releases are rising edges and count nothing.
func TestApp(t *testing.T) {
	r := exampletest.New(t, "countio-interrupt", sim.Config{})
	if err := r.Run(countiointerrupt.App, 10*time.Second); err != nil {
		t.Fatalf("Run(countiointerrupt.App, 10s) = %v, want nil (still running)", err)
	}
	if !r.Scenario.Done() || r.Scenario.Err() != nil {
		t.Errorf("scenario: done %v, err %v; want done, nil", r.Scenario.Done(), r.Scenario.Err())
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"1s interrupted!",
		"3s interrupted!",
		"7s interrupted!",
	})
	exampletest.Equal(t, "D3", r.Levels("D3"), []string{"0s 1", "1s 0", "1.1s 1", "3s 0", "5s 1", "7s 0", "7.1s 1"})
}

// With a real, bouncing button countio counts every bounce, on release too:
// a poll that finds the count above zero prints once, however many edges it
// holds, and the next edges make the next lines.
func TestApp_bounce(t *testing.T) {
	p := exampletest.New(t, "countio-interrupt", sim.Config{}).Program
	p.Wiring = []byte(strings.Replace(string(p.Wiring), `"bounce": "0"`, `"bounce": "1"`, 1))
	r := exampletest.NewProgram(t, p, sim.Config{})
	if err := r.Run(countiointerrupt.App, 2*time.Second); err != nil {
		t.Fatal(err)
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"1s interrupted!", // the press
		"1.005s interrupted!",
		"1.101s interrupted!", // the release's bounces
		"1.102s interrupted!",
		"1.104s interrupted!",
	})
	exampletest.Equal(t, "D3", r.Levels("D3"), []string{
		"0s 1", "1s 0", "1.000883s 1", "1.004319s 0",
		"1.1s 1", "1.100101s 0", "1.100271s 1", "1.101988s 0", "1.103077s 1", "1.103335s 0", "1.10401s 1",
	})
}

// Cancelled, the task stops and frees D3.
func TestApp_cancel(t *testing.T) {
	r := exampletest.New(t, "countio-interrupt", sim.Config{})
	// Cancel at 1.5s from a task, and see when the program is done.
	done, doneAt, result := r.CancelAt(t, countiointerrupt.App, 1500*time.Millisecond, 2*time.Second)
	if !done || !errors.Is(result, coop.ErrCancelled) || doneAt != 1500*time.Millisecond {
		t.Fatalf("App cancelled at 1.5s: done %v at %v, returned %v; want done at once, ErrCancelled", done, doneAt, result)
	}
	exampletest.Equal(t, "console", r.Timed(), []string{"1s interrupted!"})
	if _, err := r.Board.Input("D3", hw.PullNone); err != nil {
		t.Errorf("D3 after cancel: %v, want it free", err)
	}
}
