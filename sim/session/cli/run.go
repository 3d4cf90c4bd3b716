package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/sim/session"
	"github.com/coopgo/coop/trace"
	"github.com/coopgo/coop/web"
)

// Exit statuses.
const (
	ExitOK    = 0 // the run ended as asked
	ExitFail  = 1 // the program or a scenario expectation failed
	ExitUsage = 2 // bad usage or input
)

// Program is a program to run, with its default wiring and scenario.
type Program struct {
	Name string      // the program's name, in messages and the status line
	App  session.App // the program
	// Board is the board kind the program is written for (see
	// [sim.Boards]), which a --wiring for another board is refused for;
	// "" takes the wiring's. --board overrides it.
	Board    string
	Wiring   session.File // the default wiring; zero for none
	Scenario session.File // the default scenario; zero for none
	// Parts are the program's own part types (session.Config.Parts).
	Parts []*sim.PartType
}

// Stdio are the standard streams of a run. In is where keys come from when
// it is a terminal; it may be nil.
type Stdio struct {
	In       io.Reader
	Out, Err io.Writer
}

// Run runs p on a simulated board as the flags f say, prints its console
// and coop's messages, and returns the exit status.
func Run(p Program, f Flags, stdio Stdio) int {
	scr := &screen{in: stdio.In, out: stdio.Out, err: stdio.Err, timestamps: f.c.timestamps, now: time.Now}
	r, err := newRun(p, f.c, scr)
	if err != nil {
		scr.errorf("%v", err)
		return ExitUsage
	}
	return r.execute()
}

// runner is one run, set up and ready to execute: a session and what shows
// it.
type runner struct {
	cfg     runConfig
	prog    Program
	scr     *screen
	s       *session.Session
	rec     *trace.Recorder // nil unless --trace or --timeline
	outputs []*output

	net      *network                      // where the board's network leads (network.go)
	wifi     bool                          // the program has used the Wi-Fi: show it in the status line
	live     liveRun                       // --top, --stats, keys (live.go)
	stopLive func(end time.Duration) error // stops the live features (live.go)
	web      *web.Server                   // the page of --web, or nil (web.go)
	leftOut  string                        // the program's scenario, which --web leaves out, or ""
	stacks   []*coop.PanicError            // the panics whose stacks were printed

	// stuckAfter is how long a step may run before the run names its
	// task as holding the loop (stuck.go).
	stuckAfter time.Duration
}

// output is a file --trace or --timeline writes.
type output struct {
	flag, path string
	f          *os.File
	write      func(w io.Writer, events []trace.Event, end time.Duration) error
}

// newRun checks everything the run needs before it starts: the wiring,
// the board, the scenario and the output files. Its error is bad input.
func newRun(p Program, cfg runConfig, scr *screen) (_ *runner, err error) {
	r := &runner{cfg: cfg, prog: p, scr: scr, net: newNetwork(cfg.broker, cfg.brokerTLS, scr), stuckAfter: stuckAfter}
	sc := session.Config{
		Name: p.Name, Board: p.Board, Wiring: p.Wiring, Scenario: p.Scenario, Parts: p.Parts,
		Virtual: cfg.virtual, For: cfg.duration, Seed: cfg.seed,
		Blocking: cfg.blocking, StepCost: cfg.stepCost, Network: r.net.cfg,
	}
	if cfg.board != "" {
		sc.Board = cfg.board
	}
	if cfg.wiring != "" {
		if sc.Wiring, err = session.ReadFile("--wiring", cfg.wiring); err != nil {
			return nil, err
		}
	}
	switch {
	case cfg.scenario == "" && cfg.web != "":
		// The page of --web drives the world and records what it does.
		if p.Scenario.Data != nil {
			r.leftOut = p.Scenario.Name // said under the page's address
		}
		sc.Scenario = session.File{}
	case cfg.scenario == noScenario:
		// The world is left alone: buttons are pressed by keys, if at
		// all.
		sc.Scenario = session.File{}
	case cfg.scenario != "":
		if sc.Scenario, err = session.ReadFile("--scenario", cfg.scenario); err != nil {
			return nil, err
		}
	}
	if cfg.web != "" {
		sc.Pacer = session.NewPacer(1, false)
	}
	if r.s, err = session.New(p.App, sc); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			r.s.Loop().Close()
		}
	}()
	if err = r.net.prepare(r.s.Board()); err != nil {
		return nil, err
	}
	if cfg.trace != "" || cfg.timeline != "" {
		r.rec = &trace.Recorder{}
		r.s.Board().Observe(r.rec)
		r.s.Observe(session.Observer{Task: func(ev coop.TaskEvent) {
			if ev.Task.Name() != session.ScenarioTask {
				r.rec.ObserveTask(ev)
			}
		}})
	}
	r.s.Observe(session.Observer{
		Console: r.scr.console,
		Interrupt: func(at time.Duration, source, _ string) {
			if source == "WLAN" {
				r.wifi = true
			}
		},
		Failure: func(t *coop.Task, err error) {
			what := "a loop callback"
			if t != nil {
				what = fmt.Sprintf("task %q", t.Name())
			}
			r.scr.errorf("%s: %s failed: %v%s", p.Name, what, err, r.panicStack(err))
		},
		Warning:      r.warn,
		BoardWarning: func(_ time.Duration, text string) { r.scr.errorf("warning: %s", text) },
		Reset:        func(rs sim.Reset) { r.scr.errorf("%s", rs) },
	})
	if cfg.pins {
		r.s.ObservePins(r.scr.pin)
	}
	if d := r.s.Wiring(); d != nil {
		for _, w := range d.Warnings() {
			r.scr.errorf("warning: %s", w)
		}
	}
	if isTerminal(r.scr.out) && cfg.web == "" {
		r.scr.status = func() string { return render(snapshot(r.s.Board(), r.wifi)) }
	}
	if err = r.createOutputs(); err != nil {
		return nil, err
	}
	if err = r.setupLive(); err != nil {
		r.removeOutputs()
		return nil, err
	}
	if err = r.setupWeb(); err != nil { // last: it starts serving
		r.removeOutputs()
		return nil, err
	}
	return r, nil
}

// panicStack returns, for a panic, a newline and the stack of the task
// that panicked, the first time; a panic reported again (a failure nobody
// awaited, then returned by a task that awaited it later) gets " (its
// stack is above)". It returns "" for other errors.
func (r *runner) panicStack(err error) string {
	pe := panicOf(err)
	if pe == nil {
		return ""
	}
	if slices.Contains(r.stacks, pe) {
		return " (its stack is above)"
	}
	r.stacks = append(r.stacks, pe)
	return "\n" + stackText(pe)
}

// panicOf returns the panic err is or wraps, if it carries its task's
// stack (TinyGo's do not), or nil.
func panicOf(err error) *coop.PanicError {
	var pe *coop.PanicError
	if errors.As(err, &pe) && len(pe.Stack) > 0 {
		return pe
	}
	return nil
}

// stackText returns pe's stack as lines to print, without the newline
// that ends it.
func stackText(pe *coop.PanicError) string { return strings.TrimRight(string(pe.Stack), "\n") }

// createOutputs creates the files of --trace and --timeline, so that a
// path that cannot be written is bad input found before the run.
func (r *runner) createOutputs() error {
	for _, o := range []*output{
		{flag: "--trace", path: r.cfg.trace, write: func(w io.Writer, ev []trace.Event, end time.Duration) error {
			return trace.WriteVCD(w, ev, trace.VCDOptions{End: end})
		}},
		{flag: "--timeline", path: r.cfg.timeline, write: func(w io.Writer, ev []trace.Event, end time.Duration) error {
			return trace.WriteSVG(w, ev, trace.SVGOptions{To: end})
		}},
	} {
		if o.path == "" {
			continue
		}
		f, err := os.Create(o.path)
		if err != nil {
			r.removeOutputs()
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return fmt.Errorf("%s %s: %w", o.flag, o.path, err)
		}
		o.f = f
		r.outputs = append(r.outputs, o)
	}
	return nil
}

func (r *runner) removeOutputs() {
	for _, o := range r.outputs {
		o.f.Close()
		os.Remove(o.path)
	}
	r.outputs = nil
}

// execute runs the program and reports how it went; it returns the exit
// status.
func (r *runner) execute() int {
	if r.s.Limited() {
		r.scr.hold = new(heldLines)
	}
	var liveErr error
	r.s.Observe(session.Observer{End: func(end time.Duration) {
		liveErr = r.stopLive(end)
		r.scr.finish()
	}})
	ctx, stopWatching := r.watch()
	r.stopLive = r.startLive()
	defer r.live.restoreTerminal() // on a panic too
	err := r.s.Run(ctx)
	r.net.close()
	stopWatching()
	r.live.restoreTerminal()
	// The page stays up once the run's outcome is reported and its files
	// written, not before: a failure shows in the terminal as it happens.
	defer r.keepServing()

	if r.s.Reason() == session.StopLimit {
		if errors.Is(err, session.ErrNoEnd) {
			r.scr.drop()
			r.removeOutputs()
			r.scr.errorf("%v", err)
			return ExitUsage
		}
		r.scr.release()
		r.removeOutputs()
		r.scr.errorf("%v", err)
		return ExitFail
	}
	r.scr.release()
	status := ExitOK
	fail := func(format string, a ...any) {
		r.scr.errorf(format, a...)
		status = ExitFail
	}
	for _, e := range unjoin(err) {
		var pe *session.ProgramError
		if errors.As(e, &pe) {
			fail("%v%s", e, r.panicStack(e))
		} else {
			fail("%v", e)
		}
	}
	if liveErr != nil {
		fail("%v", liveErr)
	}
	if err := r.scr.writeErr(); err != nil {
		fail("writing the console to standard output: %v", err)
	}
	if r.rec != nil {
		// The trace ends where the run did, or at its latest event if
		// later (the program's cleanup, as the loop closes), as the web
		// page's does: the later of the clock and the latest event.
		end := r.s.End()
		events := r.rec.Events()
		for _, e := range events {
			end = max(end, e.At)
		}
		for _, o := range r.outputs {
			err := o.write(o.f, events, end)
			if cerr := o.f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				fail("%s %s: %v", o.flag, o.path, err)
			}
		}
	}
	return status
}

// unjoin returns the errors err joins, err alone if it joins none, or
// none for nil.
func unjoin(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// watch starts what watches the run from outside the loop: Ctrl-C, a step
// that holds the loop without end, and the ticks that redraw the status
// line. It returns the context that Ctrl-C
// cancels, for the session, and the function that stops watching.
func (r *runner) watch() (context.Context, func()) {
	l := r.s.Loop()
	ctx, cancel := context.WithCancel(context.Background())
	quit := make(chan struct{})
	var wg sync.WaitGroup
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	wg.Go(func() {
		select {
		case <-sig:
			signal.Stop(sig) // a second Ctrl-C kills at once
			cancel()
		case <-quit:
		}
	})
	r.watchSteps(r.stuckAfter, quit, &wg)
	if r.scr.status != nil {
		wg.Go(func() {
			tk := time.NewTicker(statusEvery)
			defer tk.Stop()
			for {
				select {
				case <-tk.C:
					l.CallSoon(r.scr.tick)
				case <-quit:
					return
				}
			}
		})
	}
	return ctx, func() {
		signal.Stop(sig)
		close(quit)
		wg.Wait()
		cancel()
	}
}
