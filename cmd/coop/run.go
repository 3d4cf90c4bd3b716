package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/sim/scenario"
	"github.com/coopgo/coop/sim/wiring"
	"github.com/coopgo/coop/trace"
)

// noScenario is the --scenario value that runs an example without its
// default scenario.
const noScenario = "none"

// virtualLimit is how much board time a --virtual run without --for and
// without a scenario may take before coop decides that the program never
// returns and asks for --for. The run learns of board time from its events
// (task steps, pins, console lines, interrupts), not from a timer of its
// own, which would keep the loop from seeing a deadlock.
const virtualLimit = time.Hour

// runCommand is `coop run`, with the programs it may run.
func runCommand(programs []examples.Program, args []string, stdout, stderr io.Writer) int {
	return runCommandIn(programs, args, nil, stdout, stderr)
}

// runCommandIn is runCommand with standard input, whose keys press the
// board's buttons when it is a terminal (keys.go).
func runCommandIn(programs []examples.Program, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg, err := parseRunArgs(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, runUsage)
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "coop: %v\n", err)
		return exitUsage
	}
	// The railroad: --technique picks its program, --report compares (railroad.go).
	programs, status, done := railroadSetup(programs, cfg, stdout, stderr)
	if done {
		return status
	}
	scr := &screen{in: stdin, out: stdout, err: stderr, timestamps: cfg.timestamps, now: time.Now}
	r, err := newRun(programs, cfg, scr)
	if err != nil {
		scr.errorf("%v", err)
		return exitUsage
	}
	return railroadAfter(cfg, r.execute(), stdout, stderr)
}

// stopReason is why a run ended before the program returned.
type stopReason int

const (
	notStopped    stopReason = iota
	stopFor                  // --for elapsed
	stopInterrupt            // Ctrl-C
	stopScenario             // the scenario ended
	stopLimit                // virtualLimit elapsed
)

// runner is one `coop run`, set up and ready to execute.
type runner struct {
	cfg      runConfig
	prog     examples.Program
	scr      *screen
	loop     *coop.Loop
	board    *sim.Board
	diagram  *wiring.Diagram
	scenario *scenarioRun    // nil without a scenario
	scenName string          // the scenario file, for messages
	rec      *trace.Recorder // nil unless --trace or --timeline
	outputs  []*output

	main   *coop.Task
	reason stopReason

	limitStep       scenario.Step // the scenario's step when virtualLimit stopped the run
	limitInScenario bool          // the scenario had not ended then
	limited         bool          // the run stops at virtualLimit
	wifi            bool          // the program has used the Wi-Fi: show it in the status line
	live            liveRun       // --top, --stats, keys (live.go)

	fw *sim.Firmware // runs the program, again after each reset (reset.go)
}

// output is a file --trace or --timeline writes.
type output struct {
	flag, path string
	f          *os.File
	write      func(w io.Writer, events []trace.Event, end time.Duration) error
}

// newRun checks everything the run needs before it starts: the example,
// the wiring, the board, the scenario and the output files. Its error is
// bad input.
func newRun(programs []examples.Program, cfg runConfig, scr *screen) (_ *runner, err error) {
	r := &runner{cfg: cfg, scr: scr}
	i := slices.IndexFunc(programs, func(p examples.Program) bool { return p.Name == cfg.name })
	if i < 0 {
		names := make([]string, len(programs))
		for i, p := range programs {
			names[i] = p.Name
		}
		return nil, fmt.Errorf("unknown example %q (examples: %s)", cfg.name, strings.Join(names, ", "))
	}
	r.prog = programs[i]

	wiringName, wiringData := "examples/"+r.prog.Name+"/"+examples.WiringFile, r.prog.Wiring
	if cfg.wiring != "" {
		if wiringName, wiringData, err = readInput("--wiring", cfg.wiring); err != nil {
			return nil, err
		}
	}
	if r.diagram, err = wiring.Parse(wiringName, wiringData); err != nil {
		return nil, err
	}

	kind := cfg.board
	if kind == "" {
		kind = r.diagram.Board()
	}
	if !slices.Contains(sim.Boards(), kind) {
		return nil, fmt.Errorf("unknown board %q (boards: %s)", kind, strings.Join(sim.Boards(), ", "))
	}
	if w := r.diagram.Board(); w != kind {
		return nil, fmt.Errorf("wiring %s is for board %s, not %s: give a wiring for %s with --wiring", wiringName, w, kind, kind)
	}

	var scenData []byte
	switch {
	case cfg.scenario == noScenario:
		// The world is left alone: buttons are pressed by keys, if at all.
	case cfg.scenario != "":
		if r.scenName, scenData, err = readInput("--scenario", cfg.scenario); err != nil {
			return nil, err
		}
	case r.prog.Scenario != nil:
		r.scenName, scenData = "examples/"+r.prog.Name+"/"+examples.ScenarioFile, r.prog.Scenario
	}
	var scen *scenario.Scenario
	if scenData != nil {
		if scen, err = scenario.Parse(r.scenName, scenData); err != nil {
			return nil, err
		}
	}

	if cfg.trace != "" || cfg.timeline != "" {
		r.rec = &trace.Recorder{}
	}
	r.limited = cfg.virtual && cfg.duration == 0
	r.loop = coop.NewLoop(r.loopOptions()...)
	defer func() {
		if err != nil {
			r.loop.Close()
		}
	}()
	if r.board, err = sim.NewBoard(r.loop, kind, sim.Config{Seed: cfg.seed}); err != nil {
		return nil, err
	}
	if r.rec != nil {
		r.board.Observe(r.rec)
	}
	r.board.Observe(sim.ObserverFuncs{
		OnPin: func(at time.Duration, _ string, _ bool) { r.saw(at) },
		OnConsole: func(at time.Duration, line string) {
			r.scr.console(at, line)
			r.saw(at)
		},
		OnInterrupt: func(at time.Duration, source, _ string) {
			if source == "WLAN" {
				r.wifi = true
			}
			r.saw(at)
		},
	})
	if err = r.diagram.Apply(r.board); err != nil {
		return nil, err
	}
	for _, w := range r.diagram.Warnings() {
		r.scr.errorf("warning: %s", w)
	}
	if scen != nil {
		r.scenario = &scenarioRun{}
		if r.scenario.runner, err = scen.Start(r.board, r.diagram); err != nil {
			return nil, err
		}
	}
	if isTerminal(r.scr.out) {
		r.scr.status = func() string { return render(snapshot(r.board, r.wifi)) }
	}
	if err = r.createOutputs(); err != nil {
		return nil, err
	}
	if err = r.setupLive(); err != nil {
		r.removeOutputs()
		return nil, err
	}
	return r, nil
}

// readInput reads the file a flag names.
func readInput(flagName, path string) (string, []byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return "", nil, fmt.Errorf("%s %s: %v", flagName, path, err)
	}
	return path, data, nil
}

func (r *runner) loopOptions() []coop.Option {
	opts := []coop.Option{
		coop.WithErrorHandler(func(t *coop.Task, err error) {
			what := "a loop callback"
			if t != nil {
				what = fmt.Sprintf("task %q", t.Name())
			}
			r.scr.errorf("%s: %s failed: %v%s", r.prog.Name, what, err, panicStack(err))
		}),
		coop.WithWarningHandler(r.warn),
	}
	opts = append(opts, r.liveOptions()...)
	opts = append(opts, r.firmwareOptions()...)
	if r.cfg.virtual {
		opts = append(opts, coop.WithVirtualClock())
	}
	if r.rec != nil || r.limited {
		opts = append(opts, coop.WithTaskEvents(func(ev coop.TaskEvent) {
			r.saw(ev.At)
			if r.rec != nil && ev.Task.Name() != scenarioTask {
				r.rec.ObserveTask(ev)
			}
		}))
	}
	return opts
}

// saw notes an event at board time at: a run limited to virtualLimit stops
// at the first event past it.
func (r *runner) saw(at time.Duration) {
	if r.limited && at >= virtualLimit && r.reason == notStopped {
		r.reason = stopLimit
		r.limitStep, r.limitInScenario = r.scenarioStep()
		r.loop.CallSoon(func() { r.stopProgram() })
	}
}

// panicStack returns, for a panic, a newline and the stack of the task
// that panicked; "" for other errors.
func panicStack(err error) string {
	var pe *coop.PanicError
	if errors.As(err, &pe) && len(pe.Stack) > 0 {
		return "\n" + strings.TrimRight(string(pe.Stack), "\n")
	}
	return ""
}

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
			return fmt.Errorf("%s %s: %v", o.flag, o.path, err)
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

// stop ends the run early: the program is cancelled, cleans up and
// returns, and the run ends there. Call it on the loop.
func (r *runner) stop(why stopReason) {
	if r.reason != notStopped {
		return
	}
	r.reason = why
	r.stopProgram()
}

// stopProgram cancels the program and stops the scenario.
func (r *runner) stopProgram() {
	r.main.Cancel()
	if r.scenario != nil {
		r.scenario.stop()
	}
}

// execute runs the program and reports how it went; it returns the exit
// status.
func (r *runner) execute() int {
	l := r.loop
	if r.limited {
		r.scr.hold = new(bytes.Buffer)
	}
	if r.scenario != nil {
		// The scenario's first step runs before the program starts, as
		// the scenario of a Wokwi simulation is there before the
		// firmware boots: a first wait-serial sees the first line.
		if err := l.RunFor(0); err != nil {
			return r.abort(err)
		}
		r.scenario.wait(l, func() {
			// With --for the run lasts that long: the world goes quiet
			// when its scenario is done, the program goes on. A failed
			// expectation ends the run at once.
			if r.cfg.duration == 0 || r.scenario.err() != nil {
				r.stop(stopScenario)
			}
		})
	}
	r.main = r.boot()
	if d := r.cfg.duration; d > 0 {
		// What is due at d still runs, then the program is stopped.
		l.CallAt(d, func() { l.CallSoon(func() { r.stop(stopFor) }) })
	}
	stopWatching := r.watch()
	stopLive := r.startLive()
	defer r.live.restoreTerminal() // on a panic too

	var loopErr error
	err := r.runMain()
	waitOn := r.main
	if r.main.Done() && r.main.Err() == nil && r.scenario != nil && r.reason == notStopped {
		// The program returned; the scenario goes on to its end.
		waitOn = r.scenario.task
		err = l.RunUntilComplete(waitOn)
	}
	if !waitOn.Done() {
		loopErr = err
	}
	end := l.Now()
	// The program's result, before Close cancels a program the loop left
	// running (a deadlock): that cancellation is coop's, not a failure.
	progDone, progErr := r.main.Done(), r.main.Err()
	liveErr := stopLive(end)
	stopWatching()
	r.scr.finish()
	closeErr := l.Close()
	r.board.FlushConsole()

	status := exitOK
	fail := func(format string, a ...any) {
		r.scr.errorf(format, a...)
		status = exitFail
	}
	if r.reason == stopLimit {
		if step := r.limitStep; r.limitInScenario {
			r.scr.release()
			r.removeOutputs()
			fail("%s:%d: step %d (%v): still waiting after %v of board time (--for sets how long to run)",
				r.scenName, step.Line, step.Index, step, virtualLimit)
			return status
		}
		r.scr.drop()
		r.removeOutputs()
		r.scr.errorf("%s: still running after %v of board time: give --virtual a duration with --for, such as --for 10s",
			r.prog.Name, virtualLimit)
		return exitUsage
	}
	r.scr.release()
	if step, ok := r.scenarioStep(); ok && loopErr != nil && progDone && errors.Is(loopErr, coop.ErrDeadlock) {
		// The program is over and the scenario waits for what can no
		// longer come: that is the scenario's failure, not the loop's.
		fail("%s:%d: step %d (%v): the program ended at %v, so the step can never finish",
			r.scenName, step.Line, step.Index, step, end)
		loopErr = nil
	}
	if loopErr != nil {
		fail("%s: %v", r.prog.Name, loopErr)
	}
	if progDone && progErr != nil && !(r.reason != notStopped && errors.Is(progErr, coop.ErrCancelled)) {
		fail("%s: %v%s", r.prog.Name, progErr, panicStack(progErr))
	}
	if r.scenario != nil {
		if err := r.scenario.err(); err != nil {
			fail("%v", err)
		}
	}
	if closeErr != nil {
		fail("%s: cleanup: %v", r.prog.Name, closeErr)
	}
	if liveErr != nil {
		fail("%v", liveErr)
	}
	if r.rec != nil {
		events := r.rec.Events()
		if n := len(events); n > 0 {
			end = max(end, events[n-1].At)
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

// scenarioStep returns the step the scenario is still on, if it has not
// ended.
func (r *runner) scenarioStep() (scenario.Step, bool) {
	if r.scenario == nil {
		return scenario.Step{}, false
	}
	return r.scenario.runner.Current()
}

// abort ends a run that failed before the program started.
func (r *runner) abort(err error) int {
	r.loop.Close()
	r.removeOutputs()
	r.scr.errorf("%s: %v", r.prog.Name, err)
	return exitFail
}

// watch starts what watches the run from outside the loop: Ctrl-C, and the
// ticks that redraw the status line. The function it returns stops them.
func (r *runner) watch() (stop func()) {
	l := r.loop
	quit := make(chan struct{})
	var wg sync.WaitGroup
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	wg.Go(func() {
		select {
		case <-sig:
			signal.Stop(sig) // a second Ctrl-C kills at once
			l.CallSoon(func() { r.stop(stopInterrupt) })
		case <-quit:
		}
	})
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
	return func() {
		signal.Stop(sig)
		close(quit)
		wg.Wait()
	}
}
