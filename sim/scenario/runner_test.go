package scenario_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/sim/scenario"
	"github.com/coopgo/coop/sim/simtest"
)

func mustParse(t *testing.T, yaml string) *scenario.Scenario {
	t.Helper()
	s, err := scenario.Parse("scenario.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// A deadline includes its last instant: a line or a level that comes
// exactly then passes.
func TestDeadlineInclusive(t *testing.T) {
	r := start(t, `
steps:
  - wait-serial: Ready
  - expect-serial: {text: "LED ON", within: 1s}
  - expect-pin: {part-id: led1, pin: A, value: 0, within: 500ms}
`)
	btn := r.d.Part("btn1").(*sim.Button)
	btn.PressAt(time.Second)
	btn.ReleaseAt(1500 * time.Millisecond)
	if err := r.Run(buttonApp, 2*time.Second); err != nil {
		t.Fatal(err)
	}
	if !r.r.Done() || r.r.Err() != nil || r.r.StepsDone() != 3 {
		t.Errorf("Done() = %v, Err() = %v, StepsDone() = %d", r.r.Done(), r.r.Err(), r.r.StepsDone())
	}
}

// Without a diagram, steps find the board's own parts by name, and the
// board's pins through the part id "board".
func TestNoDiagram(t *testing.T) {
	r := simtest.New(t, "pyboard", sim.Config{})
	s := mustParse(t, `
steps:
  - at: 1s
  - click: USR
  - expect-pin: {part-id: LED(1), value: 1, within: 20ms}
  - expect-pin: {part-id: board, pin: X1, value: 1}
`)
	run, err := s.Start(r.Board, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = r.Run(func(t *coop.Task, b hw.Board) error {
		usr, err := b.Input("USR", hw.PullUp)
		if err != nil {
			return err
		}
		led, err := b.Output("LED(1)")
		if err != nil {
			return err
		}
		x1, err := b.Output("X1")
		if err != nil {
			return err
		}
		if err := usr.WaitEdge(t, hw.EdgeFalling); err != nil {
			return err
		}
		led.Set(true)
		x1.Set(true)
		return t.Sleep(time.Hour)
	}, 2*time.Second)
	if err != nil || !run.Done() || run.Err() != nil {
		t.Errorf("Run = %v; Done() = %v, Err() = %v", err, run.Done(), run.Err())
	}
	s = mustParse(t, "steps:\n  - expect-pin: {part-id: USR, pin: 1.l, value: 0}\n")
	_, err = s.Start(r.Board, nil)
	want := `scenario.yaml:2:37: step 1 (expect-pin): the pins of part "USR" are known from a diagram only: leave out pin: to check the pin the part is on`
	if fmt.Sprint(err) != want {
		t.Errorf("Start = %v\nwant %s", err, want)
	}
}

// A task waits for the run; Current and StepsDone tell where it is; Stop
// ends it.
func TestRunnerLifecycle(t *testing.T) {
	r := simtest.New(t, "pico2w", sim.Config{})
	s := mustParse(t, `
name: lifecycle
version: 1
steps:
  - delay: 1s
  - wait-serial: never
`)
	if s.Name != "lifecycle" || s.File() != "scenario.yaml" {
		t.Errorf("Name %q, File() %q", s.Name, s.File())
	}
	wantSteps := []scenario.Step{
		{Index: 1, Line: 5, Col: 5, Kind: "delay", Target: "1s"},
		{Index: 2, Line: 6, Col: 5, Kind: "wait-serial", Target: `"never"`},
	}
	if got := s.Steps(); !slices.Equal(got, wantSteps) {
		t.Errorf("Steps() = %+v, want %+v", got, wantSteps)
	}
	run, err := s.Start(r.Board, nil)
	if err != nil {
		t.Fatal(err)
	}
	var log []string
	err = r.Run(func(t *coop.Task, b hw.Board) error {
		t.Spawn("watch", func(t *coop.Task) error {
			err := run.Wait(t)
			log = append(log, fmt.Sprintf("%v run ended: %v", t.Now(), err))
			return nil
		})
		for _, at := range []time.Duration{500 * time.Millisecond, 2 * time.Second} {
			t.SleepUntil(at)
			st, ok := run.Current()
			log = append(log, fmt.Sprintf("%v at step %v (%v), %d done", at, st, ok, run.StepsDone()))
		}
		if !run.Stop() || run.Stop() {
			log = append(log, "Stop did not say whether it stopped")
		}
		return t.Sleep(time.Second)
	}, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"500ms at step delay 1s (true), 0 done",
		"2s at step wait-serial \"never\" (true), 1 done",
		"2s run ended: scenario: stopped",
	}
	if !slices.Equal(log, want) {
		t.Errorf("log = %q, want %q", log, want)
	}
	if !errors.Is(run.Err(), scenario.ErrStopped) || !run.Done() {
		t.Errorf("after Stop: Err() = %v, Done() = %v", run.Err(), run.Done())
	}
}

// A scenario with no steps is done at once.
func TestEmpty(t *testing.T) {
	r := simtest.New(t, "metro_m4", sim.Config{})
	for _, yaml := range []string{"steps:\n", "steps: []\n", "name: nothing\nsteps:\n"} {
		run, err := mustParse(t, yaml).Start(r.Board, nil)
		if err != nil || !run.Done() || run.Err() != nil {
			t.Errorf("%q: Start = %v, %v; Done() %v", yaml, run, err, run != nil && run.Done())
		}
	}
}

// The same scenario and program give the same run, to the nanosecond,
// bouncing contacts included.
func TestDeterministic(t *testing.T) {
	once := func() []string {
		r := start(t, `
steps:
  - at: 1s
  - click: btn1
  - delay: 1s
  - hold: {part-id: btn1, for: 1500ms}
`)
		// The diagram's button does not bounce; this one does.
		b := sim.NewButton(sim.ButtonConfig{Name: "bouncy", Bounce: sim.DefaultBounce})
		r.Board.Attach("GP14", b)
		b.ClickAt(500*time.Millisecond, 20*time.Millisecond)
		if err := r.Run(buttonApp, 5*time.Second); err != nil {
			t.Fatal(err)
		}
		return append(r.Timed(), r.Levels("GP14")...)
	}
	a, b := once(), once()
	if !slices.Equal(a, b) || len(a) < 10 {
		t.Errorf("two runs differ:\n%q\n%q", a, b)
	}
}

// On the real clock an `at` reached a little late still runs: timers fire
// late there.
func TestRealClockAt(t *testing.T) {
	l := coop.NewLoop()
	defer l.Close()
	b, err := sim.NewBoard(l, "pyboard", sim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	run, err := mustParse(t, "steps:\n  - at: 0s\n  - press: USR\n").Start(b, nil)
	if err != nil || !run.Done() || run.Err() != nil || !b.Part("USR").(*sim.Button).Pressed() {
		t.Errorf("Start = %v; Done() %v, Err() %v", err, run.Done(), run.Err())
	}
}

// Long texts are shortened in messages, on a rune boundary.
func TestLongTarget(t *testing.T) {
	text := strings.Repeat("é", 40) // 80 bytes
	s := mustParse(t, "steps:\n  - wait-serial: "+text+"\n")
	want := `"` + strings.Repeat("é", 28) + `..."`
	if got := s.Steps()[0].Target; got != want {
		t.Errorf("Target = %s, want %s", got, want)
	}
}
