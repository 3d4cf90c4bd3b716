package watchdog_test

import (
	"slices"
	"testing"
	"time"

	"github.com/coopgo/coop/examples/internal/exampletest"
	"github.com/coopgo/coop/examples/watchdog"
	"github.com/coopgo/coop/sim"
)

// run runs the program under a Firmware, as coop run does, for d.
func run(t *testing.T, d time.Duration) (*exampletest.Rig, *sim.Firmware) {
	t.Helper()
	fw := &sim.Firmware{App: watchdog.App}
	r := exampletest.New(t, "watchdog", sim.Config{})
	fw.Start(r.Board)
	if err := r.Loop.RunFor(d); err != nil {
		t.Fatal(err)
	}
	return r, fw
}

// The scenario presses USR at 3.02 s; the sensor task sees it at 3.1 s and
// holds the loop for 2 s; the watchdog, last fed at 3 s, resets the board
// when the read ends, at 5.1 s; the program starts again, second boot,
// after a watchdog reset, and runs on.
func TestApp(t *testing.T) {
	r, fw := run(t, 8*time.Second)
	exampletest.Equal(t, "console", r.Timed(), []string{
		"0s boot 1, reset cause: power-on",
		"3.1s sensor: bus stuck",
		"5.1s boot 2, reset cause: watchdog",
	})
	var resets []string
	for _, rs := range fw.Resets() {
		resets = append(resets, rs.String())
	}
	exampletest.Equal(t, "resets", resets, []string{
		`watchdog reset at 5.1s: task "sensor" held the loop 2s (not fed for 2.1s, timeout 1s)`,
	})
	if rs := fw.Resets()[0]; rs.Feeder != "feeder" || rs.Deadline() != 4*time.Second {
		t.Errorf("reset %+v: want last fed by feeder, deadline 4s", rs)
	}
	// The red LED lights on the watchdog boot; the heartbeat stops with
	// the hog, goes dark at the reset and starts again on the new boot.
	exampletest.Equal(t, "red LED(1)", r.Levels("LED(1)"), []string{"0s 0", "5.1s 1"})
	exampletest.Equal(t, "green LED(2)", r.Levels("LED(2)"), []string{
		"0s 0", "0s 1", "500ms 0", "1s 1", "1.5s 0", "2s 1", "2.5s 0", "3s 1",
		"5.1s 0", "5.1s 1", "5.6s 0", "6.1s 1", "6.6s 0", "7.1s 1", "7.6s 0",
	})
	if !r.Scenario.Done() || r.Scenario.Err() != nil {
		t.Errorf("scenario done %v, error %v; want done, no error", r.Scenario.Done(), r.Scenario.Err())
	}
	if files := r.Board.FlashFiles(); !slices.Equal(files, []string{watchdog.BootsFile}) {
		t.Errorf("flash files %v, want [%s]", files, watchdog.BootsFile)
	}
	f, _ := r.Board.Flash()
	if data, err := f.ReadFile(watchdog.BootsFile); string(data) != "2" || err != nil {
		t.Errorf("boots file %q, %v; want 2", data, err)
	}
	// Only the second boot's tasks are alive.
	var names []string
	for _, ti := range r.Loop.Tasks() {
		names = append(names, ti.Name)
	}
	if want := []string{"main", "feeder", "heartbeat", "sensor"}; !slices.Equal(names, want) {
		t.Errorf("live tasks %v, want %v", names, want)
	}
}

// Without the fault the watchdog is fed and the board never resets.
func TestApp_healthy(t *testing.T) {
	fw := &sim.Firmware{App: watchdog.App}
	p := exampletest.New(t, "watchdog", sim.Config{}).Program
	p.Scenario = nil
	r := exampletest.NewProgram(t, p, sim.Config{})
	fw.Start(r.Board)
	if err := r.Loop.RunFor(time.Minute); err != nil {
		t.Fatal(err)
	}
	if len(fw.Resets()) != 0 {
		t.Errorf("resets %v, want none", fw.Resets())
	}
	exampletest.Equal(t, "console", r.Timed(), []string{"0s boot 1, reset cause: power-on"})
}
