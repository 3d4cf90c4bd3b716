// Package session runs a program on a simulated board: it assembles the
// loop, the board, its wiring and scenario, runs the program as the board's
// firmware (again after each reset), ends the run when asked (a duration of
// board time, the scenario's end, Stop) and tells observers what happens.
// It is the one engine behind every front-end: the coop command, a user's
// device.Main, the tests of programs (simtest) and live views.
//
//	s, err := session.New(blink.App, session.Config{
//		Name: "blink", Wiring: wiringFile, Virtual: true, For: 5 * time.Second,
//	})
//	if err != nil { … } // bad input: the wiring, the board, the scenario
//	s.Observe(session.Observer{Console: func(at time.Duration, line string) { … }})
//	err = s.Run(ctx)    // the program failed, a scenario expectation failed…
//
// # Observing
//
// [Session.Observe] adds an [Observer] at any time, before or during the
// run, and returns the function that removes it. Observers are called on
// the loop: call Observe there too once the run has started (from another
// goroutine, in [Session.Do]). A session is one board on one loop: a fleet
// of devices is many sessions, each run on its own goroutine.
//
// # How long a run lasts
//
// Without a scenario, until the program returns; with one, until the
// scenario ends (the program, if it returned first, waits for it; if it
// fails first, the run ends). With [Config.For] the run lasts that long of
// board time, past the scenario's end (a failed expectation still ends it
// at once). [Session.Stop] and the context of Run end it at once. Ending a
// run cancels the program, whose deferred cleanup runs. In virtual time a
// run without For or a scenario that is still going after [VirtualLimit]
// of board time is stopped with [ErrNoEnd].
package session

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/sim/scenario"
	"github.com/coopgo/coop/sim/wiring"
)

// VirtualLimit is how much board time a virtual run without For and
// without a scenario may take before the session decides that the program
// never returns. The run learns of board time from its events (task
// steps, pins, console lines, interrupts), not from a timer of its own,
// which would keep the loop from seeing a deadlock.
const VirtualLimit = time.Hour

// MaxFileSize is the largest wiring or scenario file [ReadFile] reads.
const MaxFileSize = 1 << 20

// App is a program: its main task, on a board.
type App func(t *coop.Task, b hw.Board) error

// File is a named input, a wiring or a scenario: its name is for messages.
type File struct {
	Name string // the file's path or name, in messages ("examples/blink/diagram.json")
	Data []byte // its contents
}

// ReadFile reads the file at path, which flag (such as "--wiring"; "" for
// none) names in messages, up to [MaxFileSize] bytes. Its error names the
// flag and the file and says what is wrong, in one line.
func ReadFile(flag, path string) (File, error) {
	what := path
	if flag != "" {
		what = flag + " " + path
	}
	f, err := os.Open(path)
	if err != nil {
		return File{}, fmt.Errorf("%s: %w", what, pathErr(err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return File{}, fmt.Errorf("%s: %w", what, pathErr(err))
	}
	if len(data) > MaxFileSize {
		return File{}, fmt.Errorf("%s: %w (at most %d bytes)", what, ErrTooLarge, MaxFileSize)
	}
	return File{Name: path, Data: data}, nil
}

// ErrTooLarge is the error of [ReadFile] for a file over [MaxFileSize].
var ErrTooLarge = errors.New("file too large")

// pathErr drops the operation and path of an *os.PathError, which the
// message names already.
func pathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Config is what a session runs the program on and how. Board or Wiring
// must be set; the other fields' zero values are the defaults.
type Config struct {
	// Name names the program in messages ("blink").
	Name string
	// Board is the board kind (see [sim.Boards]); "" takes the wiring's.
	// A wiring for another board is an error.
	Board string
	// Wiring is a Wokwi diagram.json; a zero File leaves the board bare.
	Wiring File
	// Scenario is a scenario YAML that drives the world; a zero File
	// runs none.
	Scenario File
	// Parts are the program's own part types, which Wiring may use and
	// Scenario act on beside coop's (see [sim.PartTypesWith]).
	Parts []*sim.PartType
	// Virtual runs the loop on the virtual clock, as fast as possible.
	Virtual bool
	// For, if more than zero, is how long the run lasts in board time.
	For time.Duration
	// Seed seeds the simulator's randomness.
	Seed uint64
	// DeviceID is the board's id (hw.DeviceID); "" takes the board's
	// default, its kind and seed.
	DeviceID string
	// Network is where the board's network leads (a broker, in the
	// process or over TCP); the zero value reaches nothing.
	Network sim.NetConfig
	// Blocking is the loop's blocking threshold ([coop.WithBlockingThreshold]);
	// 0 turns the warnings off.
	Blocking time.Duration
	// StepCost is the board time each task step holds the virtual clock
	// ([coop.WithStepCost]).
	StepCost time.Duration
	// Options are more loop options, after the session's own: a test's
	// error or warning handler, a cancel limit.
	Options []coop.Option
	// Pacer, if not nil, runs the loop on the virtual clock at the pace
	// it is set to, paused or step by step: the engine of a live view
	// that lets a person watch and drive the board. The run stays as
	// deterministic as a Virtual one. Virtual is implied, and the run
	// is not limited to VirtualLimit: a person ends it.
	Pacer *Pacer
}

// Session is one run of a program on a simulated board. Make it with New,
// run it once with Run.
type Session struct {
	cfg      Config
	app      App
	loop     *coop.Loop
	board    *sim.Board
	diagram  *wiring.Diagram // nil without a wiring
	scenario *scenario.Runner
	scenTask *coop.Task // waits for the scenario's end
	fw       *sim.Firmware
	pinParts map[string]string // board pin → the ids of the parts on it

	obs     []*observer
	main    *coop.Task
	reason  StopReason
	limited bool // the run stops at VirtualLimit
	limit   *limitState
	ran     bool
	end     time.Duration
}

// limitState is where the run was when VirtualLimit stopped it.
type limitState struct {
	step       scenario.Step
	inScenario bool
}

// ScenarioTask is the name of the task that waits for the scenario's end.
// It is coop's, not the program's: traces and task tables leave it out.
const ScenarioTask = "coop:scenario"

// New assembles a session that runs app as cfg says: it parses the wiring
// and the scenario, makes the loop and the board, wires it and starts the
// scenario, whose first step runs when Run starts. Its error is bad input
// (an unknown board, a wiring for another board, a malformed file), in
// one line that names the file.
func New(app App, cfg Config) (_ *Session, err error) {
	if app == nil {
		panic("session: New with a nil App; pass the program")
	}
	s := &Session{cfg: cfg, app: app}
	if cfg.Wiring.Data != nil {
		if s.diagram, err = wiring.Parse(cfg.Wiring.Name, cfg.Wiring.Data, cfg.Parts...); err != nil {
			return nil, err
		}
	}
	kind := cfg.Board
	if kind == "" && s.diagram != nil {
		kind = s.diagram.Board()
	}
	if !slices.Contains(sim.Boards(), kind) {
		return nil, fmt.Errorf("%w %q (boards: %s)", ErrUnknownBoard, kind, strings.Join(sim.Boards(), ", "))
	}
	if s.diagram != nil {
		if w := s.diagram.Board(); w != kind {
			return nil, &WrongBoardError{Wiring: cfg.Wiring.Name, WiringBoard: w, Board: kind}
		}
	}
	var scen *scenario.Scenario
	if cfg.Scenario.Data != nil {
		if scen, err = scenario.Parse(cfg.Scenario.Name, cfg.Scenario.Data, cfg.Parts...); err != nil {
			return nil, err
		}
	}

	s.limited = cfg.Virtual && cfg.For == 0 && cfg.Pacer == nil
	opts := []coop.Option{
		coop.WithErrorHandler(s.failed),
		coop.WithWarningHandler(s.warned),
		coop.WithBlockingThreshold(cfg.Blocking),
	}
	if cfg.Virtual || cfg.Pacer != nil {
		opts = append(opts, coop.WithVirtualClock())
	}
	if cfg.StepCost > 0 {
		opts = append(opts, coop.WithStepCost(cfg.StepCost))
	}
	s.loop = coop.NewLoop(append(opts, cfg.Options...)...)
	if cfg.Pacer != nil {
		cfg.Pacer.Bind(s.loop)
	}
	defer func() {
		if err != nil {
			s.loop.Close()
		}
	}()
	if s.board, err = sim.NewBoard(s.loop, kind, sim.Config{Seed: cfg.Seed, DeviceID: cfg.DeviceID}); err != nil {
		return nil, err
	}
	s.board.SetNetwork(cfg.Network)
	s.pinParts = map[string]string{}
	if s.diagram != nil {
		if err = s.diagram.Apply(s.board); err != nil {
			return nil, err
		}
		for _, p := range s.diagram.Parts() {
			if p.Pin != "" {
				if have := s.pinParts[p.Pin]; have != "" {
					s.pinParts[p.Pin] = have + ", " + p.ID
				} else {
					s.pinParts[p.Pin] = p.ID
				}
			}
		}
	}
	if s.limited {
		// Every event's board time, first: nothing is told of it when
		// the run has no limit to watch, on this hot path.
		s.loop.Observe(func(ev coop.TaskEvent) { s.saw(ev.At) })
		s.board.Observe(sim.ObserverFuncs{
			OnPin:       func(at time.Duration, _ string, _ bool) { s.saw(at) },
			OnConsole:   func(at time.Duration, _ string) { s.saw(at) },
			OnInterrupt: func(at time.Duration, _, _ string) { s.saw(at) },
		})
	}
	if scen != nil {
		if s.scenario, err = scen.Start(s.board, s.diagram); err != nil {
			return nil, err
		}
	}
	s.fw = &sim.Firmware{
		App: s.app,
		// The run cancels and awaits the main task of the boot running
		// now: a reset replaces it at once, while the old one cleans up.
		OnStart: func(main *coop.Task) { s.main = main },
		OnReset: s.resetted,
	}
	return s, nil
}

// DefaultBoard is the board of a program's directory that has no wiring
// (no diagram.json) and is given no --board: the Pico 2 W of the
// tutorials, bare.
const DefaultBoard = "pico2w"

// ErrUnknownBoard is the error of New for a board kind the simulator does
// not have.
var ErrUnknownBoard = errors.New("unknown board")

// WrongBoardError is the error of New for a wiring made for another board
// than Config.Board.
type WrongBoardError struct {
	Wiring      string // the wiring's file
	WiringBoard string // the board it is for
	Board       string // the board asked for
}

// Error says which wiring is for which board, and what to give instead.
func (e *WrongBoardError) Error() string {
	return fmt.Sprintf("wiring %s is for board %s, not %s: give a wiring for %s with --wiring", e.Wiring, e.WiringBoard, e.Board, e.Board)
}

// Name returns the program's name, from Config.
func (s *Session) Name() string { return s.cfg.Name }

// Config returns the session's configuration.
func (s *Session) Config() Config { return s.cfg }

// Running returns the task whose step runs now, or nil between steps
// ([sim.Firmware.Running]). Any goroutine may call it.
func (s *Session) Running() *coop.Task { return s.fw.Running() }

// Loop returns the session's loop.
func (s *Session) Loop() *coop.Loop { return s.loop }

// Board returns the simulated board.
func (s *Session) Board() *sim.Board { return s.board }

// Wiring returns the board's wiring, or nil without one.
func (s *Session) Wiring() *wiring.Diagram { return s.diagram }

// Scenario returns the scenario's runner, or nil without a scenario.
func (s *Session) Scenario() *scenario.Runner { return s.scenario }

// Main returns the program's main task: the one running now, after
// resets. It is nil before Run.
func (s *Session) Main() *coop.Task { return s.main }

// Resets returns the board's resets so far.
func (s *Session) Resets() []sim.Reset { return s.fw.Resets() }

// Limited reports whether the run stops at [VirtualLimit]: a virtual run
// without For. A front-end may hold its output back until it knows the
// run ends.
func (s *Session) Limited() bool { return s.limited }

// PinPart returns the ids of the parts of the wiring on the board pin
// (its canonical name, "GP15"), comma-separated, or "" for none.
func (s *Session) PinPart(pin string) string { return s.pinParts[pin] }

// ObservePins calls line with every change on the board's pins, in
// words, as `coop run --pins` prints them and simtest's Pins records
// them: a pin's level ("GP15 (led1) on", "GP14 off" for a pin no part of
// the wiring is on), a PWM output's frequency and duty ("GP15 (servo1)
// PWM 50 Hz, duty 7.5% (4915)"), a part's traced state ("servo1 angle
// 90"). The level of a PWM output (high while its duty is above 0) and
// of a pin read by its ADC (whose digital buffer is off) is left out.
// Call it as [Session.Observe] says; cancel stops the lines.
func (s *Session) ObservePins(line func(at time.Duration, text string)) (cancel func()) {
	return s.Observe(Observer{
		Pin: func(at time.Duration, pin, part string, level bool) {
			if _, _, pwm := s.board.PWMSignal(pin); pwm || s.board.ReadsAnalog(pin) {
				return
			}
			if level {
				line(at, withParts(pin, part)+" on")
			} else {
				line(at, withParts(pin, part)+" off")
			}
		},
		Value: func(at time.Duration, signal string, v float64) {
			dot := strings.LastIndexByte(signal, '.')
			if dot < 0 {
				return
			}
			owner, field := signal[:dot], signal[dot+1:]
			if freq, _, pwm := s.board.PWMSignal(owner); pwm && field == "duty" {
				percent := strconv.FormatFloat(math.Round(v/0xffff*1000)/10, 'f', -1, 64)
				line(at, fmt.Sprintf("%s PWM %d Hz, duty %s%% (%d)", withParts(owner, s.pinParts[owner]), freq, percent, uint16(v)))
			} else if s.board.Part(owner) != nil {
				line(at, owner+" "+field+" "+strconv.FormatFloat(v, 'g', -1, 64))
			}
		},
	})
}

// withParts is pin followed by the parts on it, if any: "GP15 (led1)".
func withParts(pin, parts string) string {
	if parts == "" {
		return pin
	}
	return pin + " (" + parts + ")"
}

// Do calls fn on the loop, soon; it may be called from any goroutine,
// such as a view's, while the session runs. With a Pacer it runs in pause
// too, between two slices of the run.
func (s *Session) Do(fn func()) {
	if p := s.cfg.Pacer; p != nil && p.Do(fn) {
		return
	}
	s.loop.CallSoon(fn)
}
