package cli

// What watches a run while it goes, besides the status line: the task
// dashboard (--top, top.go), task samples (--stats, stats.go), keys that
// press the board's buttons (keys.go) and the loop's warnings (--blocking,
// warnings.go). This file ties them into the run.

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/sim/session"
)

// topEvery is the time between two drawings of the dashboard.
const topEvery = 250 * time.Millisecond

// watchConfig is what the arguments of `coop run` ask of the live features.
type watchConfig struct {
	top        bool          // --top
	stats      string        // --stats, or ""
	statsEvery time.Duration // --stats-every
	blocking   time.Duration // --blocking; 0 turns warnings of blocking off
}

// flags defines the flags of c in fs. The function it returns checks their
// values once fs has parsed the arguments, given the flags that were set.
func (c *watchConfig) flags(fs *flag.FlagSet) (check func(set map[string]bool) error) {
	fs.BoolVar(&c.top, "top", false, "show a live table of the tasks, like top, instead of the console (its last lines show under the table); on a terminal only; q quits")
	fs.StringVar(&c.stats, "stats", "", "write the tasks' numbers as JSON lines to `file`, one per task every --stats-every of board time")
	every := fs.String("stats-every", "1s", "the period `D` of --stats, in board time")
	blocking := fs.String("blocking", coop.DefaultBlockingThreshold.String(), "warn of a step that holds the loop longer than `D` (0 turns warnings off); in virtual time only the board time a step takes counts (Task.Busy, a device's call), not a time.Sleep")
	return func(set map[string]bool) error {
		if set["stats"] && c.stats == "" {
			return errors.New("--stats: the value is empty")
		}
		d, err := time.ParseDuration(*every)
		switch {
		case err != nil:
			return fmt.Errorf("--stats-every %q: not a duration (such as 100ms, 1s, 1m)", *every)
		case d <= 0:
			return fmt.Errorf("--stats-every %s: the period must be more than zero", *every)
		}
		c.statsEvery = d
		d, err = time.ParseDuration(*blocking)
		switch {
		case err != nil:
			return fmt.Errorf("--blocking %q: not a duration (such as 20ms, or 0 for no warnings)", *blocking)
		case d < 0:
			return fmt.Errorf("--blocking %s: the threshold must not be negative (0 turns the warnings off)", *blocking)
		}
		c.blocking = d
		return nil
	}
}

// liveRun is the state of the live features of one run.
type liveRun struct {
	top   *topModel     // nil without --top
	stats *statsSampler // nil without --stats
	keys  *keyboard     // nil unless keys are read from a terminal
	stdin *os.File      // the terminal keys come from, with keys

	warnings warnings // of the loop, on the loop (warnings.go)

	mu       sync.Mutex
	restores []func() // put the terminal back, in reverse order
}

// setupLive prepares the live features once the board is wired: it checks
// that --top has a terminal, creates the --stats file and finds the keys.
// Its error is bad input.
func (r *runner) setupLive() error {
	cfg := r.cfg.watchConfig
	if cfg.top && !isTerminal(r.scr.out) {
		return errors.New("--top: standard output is not a terminal (--stats F writes the same numbers to a file)")
	}
	if cfg.stats != "" {
		f, err := os.Create(cfg.stats)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return fmt.Errorf("--stats %s: %v", cfg.stats, err)
		}
		r.live.stats = newStatsSampler(r.s.Loop(), cfg.stats, f, cfg.statsEvery)
		r.s.Observe(session.Observer{Task: r.live.stats.event})
	}

	buttons := pushable(r.s.Board())
	// Keys press buttons in real time only: in virtual time a key would
	// land at whatever board time the run has raced to, and the run would
	// no longer be the same every time. They still quit the dashboard.
	if f, ok := r.scr.in.(*os.File); ok && isTerminal(f) && foreground(f) && (!r.cfg.virtual || cfg.top) && r.cfg.web == "" {
		if r.cfg.virtual {
			buttons = nil
		}
		r.live.stdin = f
		r.live.keys = &keyboard{loop: r.s.Loop(), buttons: buttons, quit: r.s.Stop}
	}
	hint := ""
	if r.live.keys != nil {
		hint = keyHint(buttons)
	}

	if cfg.top {
		r.scr.status = nil // the dashboard shows the board's parts
		r.live.top = newTopModel(r, hint)
		r.s.Observe(session.Observer{Task: r.live.top.event})
		r.scr.top = &topScreen{model: r.live.top, size: func() (int, int) { return termSize(r.scr.out.(*os.File)) }}
		return nil
	}
	if hint != "" {
		if status := r.scr.status; status != nil {
			r.scr.status = func() string { return status() + "  " + sgrDim + hint + sgrReset }
		} else {
			r.scr.errorf("%s", hint)
		}
	}
	return nil
}

// startLive starts what the live features do while the loop runs: sampling,
// reading keys, drawing the dashboard. It returns the function that stops
// them at board time end, once the program is done, and returns an error
// if the --stats file could not be written.
func (r *runner) startLive() (stop func(end time.Duration) error) {
	l := r.s.Loop()
	lv := &r.live
	quit := make(chan struct{})
	var wg sync.WaitGroup
	if lv.stats != nil {
		lv.stats.start()
	}
	if lv.keys != nil {
		if restore, err := cbreak(lv.stdin); err == nil {
			lv.onRestore(func() { restore() })
			wg.Go(func() {
				defer lv.restoreOnPanic()
				lv.keys.read(lv.stdin, quit, true)
			})
		}
	}
	if r.scr.top != nil {
		lv.onRestore(func() { r.scr.top.leave(r.scr.out) })
		l.CallSoon(r.scr.tick)
		wg.Go(func() {
			defer lv.restoreOnPanic()
			tk := time.NewTicker(topEvery)
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
	stopSignals := lv.restoreOnSignal()
	return func(end time.Duration) error {
		r.warnSummary()
		close(quit)
		wg.Wait()
		stopSignals()
		lv.restoreTerminal()
		if lv.stats == nil {
			return nil
		}
		return lv.stats.finish(end, r.s.Reason() == session.StopLimit)
	}
}

// onRestore adds fn to what restoreTerminal does.
func (lv *liveRun) onRestore(fn func()) {
	lv.mu.Lock()
	defer lv.mu.Unlock()
	lv.restores = append(lv.restores, fn)
}

// restoreTerminal puts the terminal back as it was: out of cbreak mode and
// of the dashboard's screen. It may be called more than once, from any
// goroutine: on the way out of a run, on a panic, on a signal that kills.
func (lv *liveRun) restoreTerminal() {
	lv.mu.Lock()
	fns := lv.restores
	lv.restores = nil
	lv.mu.Unlock()
	for i := len(fns) - 1; i >= 0; i-- {
		fns[i]()
	}
}

// restoreOnPanic restores the terminal if the goroutine it is deferred in
// panics, and panics on: a panic on another goroutine than main's does not
// run main's deferred calls.
func (lv *liveRun) restoreOnPanic() {
	if v := recover(); v != nil {
		lv.restoreTerminal()
		panic(v)
	}
}

// restoreOnSignal makes the signals that kill coop at once restore the
// terminal first: a second Ctrl-C (the first one stops the run, see
// runner.watch), a SIGTERM or a SIGHUP. Without a terminal to restore it
// does nothing, and the signals keep their default action. The function
// it returns stops watching.
func (lv *liveRun) restoreOnSignal() (stop func()) {
	lv.mu.Lock()
	n := len(lv.restores)
	lv.mu.Unlock()
	if n == 0 {
		return func() {}
	}
	sig := make(chan os.Signal, 4)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		interrupts := 0
		for {
			select {
			case s := <-sig:
				if s == os.Interrupt {
					if interrupts++; interrupts < 2 {
						continue
					}
				}
				lv.restoreTerminal()
				code := 128 + 2 // SIGINT
				if s, ok := s.(syscall.Signal); ok {
					code = 128 + int(s)
				}
				os.Exit(code)
			case <-done:
				return
			}
		}
	})
	return func() {
		signal.Stop(sig)
		close(done)
		wg.Wait()
	}
}
