package session_test

import (
	"context"
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
	"github.com/coopgo/coop/sim/session"
)

// ledWiring is an LED on GP15 of a Pico 2 W, and a button on GP14.
var ledWiring = session.File{Name: "diagram.json", Data: []byte(`{
  "version": 1, "author": "coop", "editor": "wokwi",
  "parts": [
    { "type": "board-pi-pico-w", "id": "pico", "attrs": {} },
    { "type": "wokwi-led", "id": "led1", "attrs": {} },
    { "type": "wokwi-pushbutton", "id": "btn1", "attrs": { "bounce": "0" } }
  ],
  "connections": [
    [ "pico:GP15", "led1:A", "green", [] ], [ "led1:C", "pico:GND.4", "black", [] ],
    [ "btn1:1.l", "pico:GP14", "blue", [] ], [ "btn1:2.l", "pico:GND.4", "black", [] ]
  ]
}`)}

// blink toggles the LED on GP15 every 500ms, forever, and says so.
func blink(t *coop.Task, b hw.Board) error {
	led, err := b.Output("GP15")
	if err != nil {
		return err
	}
	for {
		led.Toggle()
		b.Console().Println("toggled")
		if err := t.Sleep(500 * time.Millisecond); err != nil {
			return err
		}
	}
}

// A program runs on its wiring for a duration of board time; observers see
// its console and its pins, with the parts on them.
func Example() {
	s, err := session.New(blink, session.Config{Name: "blink", Wiring: ledWiring, Virtual: true, For: time.Second})
	if err != nil {
		fmt.Println(err)
		return
	}
	s.Observe(session.Observer{Console: func(at time.Duration, line string) { fmt.Println(at, line) }})
	s.ObservePins(func(at time.Duration, text string) { fmt.Println(at, text) })
	fmt.Println("Run:", s.Run(context.Background()), "ended by:", s.Reason(), "at", s.End())
	// Output:
	// 0s GP15 (led1) off
	// 0s GP15 (led1) on
	// 0s toggled
	// 500ms GP15 (led1) off
	// 500ms toggled
	// 1s GP15 (led1) on
	// 1s toggled
	// Run: <nil> ended by: its duration elapsed at 1s
}

func TestRun_results(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name   string
		app    session.App
		cfg    session.Config
		reason session.StopReason
		check  func(error) bool
		text   string
	}{
		{"returns", func(t *coop.Task, b hw.Board) error { return t.Sleep(time.Second) },
			session.Config{}, session.NotStopped, func(err error) bool { return err == nil }, ""},
		{"fails", func(t *coop.Task, b hw.Board) error { return boom },
			session.Config{}, session.NotStopped, func(err error) bool {
				var pe *session.ProgramError
				return errors.Is(err, boom) && errors.As(err, &pe) && pe.Name == "p"
			}, "p: boom"},
		{"never ends", blink, session.Config{}, session.StopLimit,
			func(err error) bool { return errors.Is(err, session.ErrNoEnd) },
			"p: still running after 1h0m0s of board time: give --virtual a duration with --for, such as --for 10s"},
		{"deadlock", func(t *coop.Task, b hw.Board) error { var e coop.Event; return e.Wait(t) },
			session.Config{}, session.NotStopped, func(err error) bool { return errors.Is(err, coop.ErrDeadlock) }, ""},
		{"scenario", blink, session.Config{Scenario: session.File{Name: "s.yaml", Data: []byte("steps:\n  - at: 2s\n")}},
			session.StopScenario, func(err error) bool { return err == nil }, ""},
		{"scenario fails", blink, session.Config{Scenario: session.File{Name: "s.yaml", Data: []byte("steps:\n  - expect-serial: {text: never, within: 1s}\n")}},
			session.StopScenario, func(err error) bool { return err != nil && !errors.Is(err, coop.ErrDeadlock) }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg
			cfg.Name, cfg.Wiring, cfg.Virtual = "p", ledWiring, true
			s, err := session.New(tt.app, cfg)
			if err != nil {
				t.Fatal(err)
			}
			err = s.Run(context.Background())
			if !tt.check(err) || s.Reason() != tt.reason || (tt.text != "" && err.Error() != tt.text) {
				t.Errorf("Run() = %v, reason %v; want reason %v, text %q", err, s.Reason(), tt.reason, tt.text)
			}
		})
	}
}

// Stop, from another goroutine, and the context of Run end the run; the
// program is cancelled, and that is no failure.
func TestRun_stop(t *testing.T) {
	for _, how := range []string{"Stop", "context"} {
		t.Run(how, func(t *testing.T) {
			s, err := session.New(blink, session.Config{Name: "p", Wiring: ledWiring})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			s.Observe(session.Observer{Console: func(time.Duration, string) {
				// From another goroutine, as a view or a signal would.
				go func() {
					if how == "Stop" {
						s.Stop()
					} else {
						cancel()
					}
				}()
			}})
			if err := s.Run(ctx); err != nil || s.Reason() != session.StopCalled {
				t.Errorf("Run() = %v, reason %v; want nil, %v", err, s.Reason(), session.StopCalled)
			}
		})
	}
}

// An observer added during the run sees what follows; cancelled, nothing
// more. Failures, warnings and the end reach observers.
func TestObserve(t *testing.T) {
	s, err := session.New(func(t *coop.Task, b hw.Board) error {
		t.Spawn("worker", func(*coop.Task) error { return errors.New("worker broke") })
		return blink(t, b)
	}, session.Config{Name: "p", Wiring: ledWiring, Virtual: true, For: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	note := func(format string, a ...any) { got = append(got, fmt.Sprintf(format, a...)) }
	s.Observe(session.Observer{
		Failure: func(t *coop.Task, err error) { note("%v failure %s: %v", s.Loop().Now(), t.Name(), err) },
		End:     func(at time.Duration) { note("end %v", at) },
	})
	var cancel func()
	s.Loop().CallAt(time.Second, func() {
		cancel = s.Observe(session.Observer{
			Console: func(at time.Duration, line string) { note("%v %s", at, line) },
			Task: func(ev coop.TaskEvent) {
				if ev.Task.Name() == "main" {
					note("%v task %s %v (parent %d)", ev.At, ev.Task.Name(), ev.State, ev.Task.ParentID())
				}
			},
		})
	})
	s.Loop().CallAt(1600*time.Millisecond, func() { cancel() })
	if err := s.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"0s failure worker: worker broke",
		// main's timer, due at 1s, woke it before the callback ran.
		"1s task main running (parent 0)",
		"1s toggled",
		"1s task main sleeping (parent 0)",
		"1.5s task main ready (parent 0)",
		"1.5s task main running (parent 0)",
		"1.5s toggled",
		"1.5s task main sleeping (parent 0)",
		"end 2s",
	}
	if !slices.Equal(got, want) {
		t.Errorf("observed:\n%q\nwant\n%q", got, want)
	}
}

// A program that fails on a Pacer's loop (the web page's) fails once: Run
// returns its error, and observers hear nothing of it as a failure nobody
// awaited, as on a loop of its own.
func TestFailurePaced(t *testing.T) {
	for _, paced := range []bool{false, true} {
		cfg := session.Config{Name: "p", Wiring: ledWiring, Virtual: true}
		if paced {
			cfg.Pacer = session.NewPacer(0, false) // as fast as possible
		}
		s, err := session.New(func(t *coop.Task, b hw.Board) error {
			if err := t.Sleep(time.Second); err != nil {
				return err
			}
			return errors.New("sensor not found")
		}, cfg)
		if err != nil {
			t.Fatal(err)
		}
		var failures []string
		s.Observe(session.Observer{Failure: func(t *coop.Task, err error) { failures = append(failures, t.Name()+": "+err.Error()) }})
		err = s.Run(context.Background())
		var pe *session.ProgramError
		if !errors.As(err, &pe) || err.Error() != "p: sensor not found" || len(failures) > 0 {
			t.Errorf("paced %v: Run() = %v, failures %q; want the program's error alone", paced, err, failures)
		}
	}
}

// knobServoWiring is a potentiometer on GP26 and a servo on GP15 of a
// Pico W.
var knobServoWiring = session.File{Name: "diagram.json", Data: []byte(`{
  "version": 1, "author": "coop", "editor": "wokwi",
  "parts": [
    { "type": "board-pi-pico-w", "id": "pico", "attrs": {} },
    { "type": "wokwi-potentiometer", "id": "pot1", "attrs": { "value": "512" } },
    { "type": "wokwi-servo", "id": "servo1", "attrs": {} }
  ],
  "connections": [
    [ "pot1:VCC", "pico:3V3", "red", [] ], [ "pot1:GND", "pico:GND.8", "black", [] ],
    [ "pot1:SIG", "pico:GP26", "green", [] ],
    [ "servo1:V+", "pico:VBUS", "red", [] ], [ "servo1:GND", "pico:GND.3", "black", [] ],
    [ "servo1:PWM", "pico:GP15", "orange", [] ]
  ]
}`)}

// ObservePins words every kind of change on a pin: levels, a PWM
// output's frequency and duty rather than its level, a part's state,
// nothing for the level of a pin read by its ADC.
func TestObservePins(t *testing.T) {
	s, err := session.New(func(t *coop.Task, b hw.Board) error {
		knob, err := hw.OpenADC(b, "GP26")
		if err != nil {
			return err
		}
		servo, err := hw.OpenPWM(b, "GP15")
		if err != nil {
			return err
		}
		led, err := b.Output("GP16")
		if err != nil {
			return err
		}
		led.Set(knob.ReadU16() > 0xc000) // the knob starts at half: off
		if err := servo.SetFreq(50); err != nil {
			return err
		}
		servo.SetDutyU16(4915) // 1.5 ms of 20: 90°
		if err := t.Sleep(time.Second); err != nil {
			return err
		}
		led.Set(true)
		if err := servo.SetFreq(100); err != nil {
			return err
		}
		if err := t.Sleep(time.Second); err != nil {
			return err
		}
		return servo.Close()
	}, session.Config{Name: "p", Wiring: knobServoWiring, Virtual: true, For: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	s.ObservePins(func(at time.Duration, text string) { got = append(got, at.String()+" "+text) })
	if err := s.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"0s GP16 off",
		"0s GP15 (servo1) PWM 50 Hz, duty 0% (0)",
		"0s GP15 (servo1) PWM 50 Hz, duty 7.5% (4915)",
		"0s servo1 angle 90",
		"1s GP16 on",
		// The same duty at twice the frequency: pulses half as long.
		"1s GP15 (servo1) PWM 100 Hz, duty 7.5% (4915)",
		"1s servo1 angle 22.5",
		"2s GP15 (servo1) PWM 100 Hz, duty 0% (0)", // closed
	}
	if !slices.Equal(got, want) {
		t.Errorf("pin lines:\n%q\nwant\n%q", got, want)
	}
}

func TestNew_badInput(t *testing.T) {
	tests := []struct {
		cfg   session.Config
		check func(error) bool
	}{
		{session.Config{}, func(err error) bool { return errors.Is(err, session.ErrUnknownBoard) }},
		{session.Config{Board: "esp32"}, func(err error) bool { return errors.Is(err, session.ErrUnknownBoard) }},
		{session.Config{Board: "pyboard", Wiring: ledWiring}, func(err error) bool {
			var wb *session.WrongBoardError
			return errors.As(err, &wb) && wb.WiringBoard == "pico2w" && wb.Board == "pyboard"
		}},
		{session.Config{Wiring: session.File{Name: "x.json", Data: []byte("{")}}, func(err error) bool { return err != nil }},
		{session.Config{Wiring: ledWiring, Scenario: session.File{Name: "x.yaml", Data: []byte("steps: [")}}, func(err error) bool { return err != nil }},
	}
	for _, tt := range tests {
		if _, err := session.New(blink, tt.cfg); !tt.check(err) {
			t.Errorf("New(%+v) = %v", tt.cfg, err)
		}
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.json")
	if err := os.WriteFile(big, make([]byte, session.MaxFileSize+1), 0o666); err != nil {
		t.Fatal(err)
	}
	if _, err := session.ReadFile("--wiring", big); !errors.Is(err, session.ErrTooLarge) {
		t.Errorf("ReadFile(big) = %v, want ErrTooLarge", err)
	}
	if _, err := session.ReadFile("--wiring", "/dev/zero"); !errors.Is(err, session.ErrTooLarge) {
		t.Errorf("ReadFile(/dev/zero) = %v, want ErrTooLarge", err)
	}
	_, err := session.ReadFile("--wiring", filepath.Join(dir, "none"))
	if want := "--wiring " + filepath.Join(dir, "none") + ": no such file or directory"; err == nil || err.Error() != want || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ReadFile(none) = %v, want %q", err, want)
	}
}

// A reset restarts the program; observers are told.
func TestReset(t *testing.T) {
	boots := 0
	s, err := session.New(func(t *coop.Task, b hw.Board) error {
		boots++
		if err := t.Sleep(time.Second); err != nil {
			return err
		}
		if boots == 1 {
			b.(hw.ResetBoard).Reset()
		}
		return t.Sleep(time.Second)
	}, session.Config{Name: "p", Wiring: ledWiring, Virtual: true})
	if err != nil {
		t.Fatal(err)
	}
	var resets []sim.Reset
	s.Observe(session.Observer{Reset: func(r sim.Reset) { resets = append(resets, r) }})
	if err := s.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Boot 1 resets at 1s; boot 2 sleeps twice, to 3s.
	if boots != 2 || len(resets) != 1 || resets[0].At != time.Second || s.End() != 3*time.Second || len(s.Resets()) != 1 {
		t.Errorf("boots %d, resets %v, end %v; want 2 boots, 1 reset at 1s, end 3s", boots, resets, s.End())
	}
}

// TaskRates gives steps per second and busy share over an interval,
// leaving out coop's own task.
func TestTaskRates(t *testing.T) {
	prev := session.ByID([]coop.TaskInfo{{ID: 1, Name: "main", Steps: 10, Busy: 10 * time.Millisecond}})
	cur := []coop.TaskInfo{
		{ID: 1, Name: "main", Steps: 30, Busy: 510 * time.Millisecond},
		{ID: 2, Name: session.ScenarioTask, Steps: 5},
		{ID: 3, Name: "new", Steps: 4, Busy: 100 * time.Millisecond},
	}
	got := session.TaskRates(prev, cur, 2*time.Second)
	if len(got) != 2 || got[0].StepsPerS != 10 || got[0].BusyShare != 0.25 || got[1].Name != "new" || got[1].StepsPerS != 2 || got[1].BusyShare != 0.05 {
		t.Errorf("TaskRates = %+v", got)
	}
	if got := session.TaskRates(nil, cur, 0); len(got) != 2 || got[0].StepsPerS != 0 {
		t.Errorf("TaskRates(nil, cur, 0) = %+v, want rates 0", got)
	}
}

// Sessions share nothing: a fleet runs many at once, each on its own
// goroutine, each with the same result as alone.
func TestSessions_concurrent(t *testing.T) {
	const n = 8
	results := make(chan string, n)
	for i := range n {
		go func() {
			s, err := session.New(blink, session.Config{Name: fmt.Sprint("dev", i), Wiring: ledWiring, Virtual: true, For: 10 * time.Second, Seed: uint64(i)})
			if err != nil {
				results <- err.Error()
				return
			}
			lines := 0
			s.Observe(session.Observer{Console: func(time.Duration, string) { lines++ }})
			err = s.Run(context.Background())
			results <- fmt.Sprintf("%v %d %v", err, lines, s.End())
		}()
	}
	for range n {
		if got := <-results; got != "<nil> 21 10s" {
			t.Errorf("a session of the fleet: %s, want <nil> 21 10s", got)
		}
	}
}

// What is due at a scenario's last instant still runs before the run
// ends, as at the end of For: a scenario recorded up to a pause replays
// the run up to and with that instant. Here the scenario's wait for 1s was
// scheduled first, at the start, and blink's toggle at 1s at 500ms.
func TestRun_scenarioEndRunsItsInstant(t *testing.T) {
	s, err := session.New(blink, session.Config{Name: "p", Wiring: ledWiring, Virtual: true,
		Scenario: session.File{Name: "s.yaml", Data: []byte("steps:\n  - at: 1s\n")}})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	s.Observe(session.Observer{Console: func(at time.Duration, line string) { lines = append(lines, fmt.Sprint(at, " ", line)) }})
	if err := s.Run(context.Background()); err != nil || s.Reason() != session.StopScenario || s.End() != time.Second {
		t.Fatalf("Run() = %v, reason %v, end %v; want nil, the scenario's end, at 1s", err, s.Reason(), s.End())
	}
	if want := []string{"0s toggled", "500ms toggled", "1s toggled"}; !slices.Equal(lines, want) {
		t.Errorf("console %q, want %q", lines, want)
	}
}
