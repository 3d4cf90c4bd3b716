package main

// --web serves a live page of the run (package web): the board, its
// console, tasks and timing, with the clock under the page's control. The
// board then runs on the virtual clock, paced to real time by a
// session.Pacer, so that pausing, stepping and slow motion leave the run
// exactly as deterministic as --virtual: the inputs made in the page,
// downloaded as a scenario, replay it.

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/sim/session"
	"github.com/coopgo/coop/web"
)

// webConfig is what the arguments of `coop run` ask of the web view.
type webConfig struct {
	web      string // --web: the address, or "" for none
	webToken string // --web-token
}

// defaultWebAddr is the address of a bare --web: a free port of the
// loopback interface.
const defaultWebAddr = "127.0.0.1:0"

// webFlag is --web, which takes an address or none: `--web` serves on
// defaultWebAddr, `--web=ADDR` on ADDR.
type webFlag struct{ addr *string }

func (f webFlag) String() string {
	if f.addr == nil {
		return ""
	}
	return *f.addr
}

func (f webFlag) Set(v string) error {
	switch v {
	case "true":
		*f.addr = defaultWebAddr
	case "false":
		*f.addr = ""
	case "":
		return errors.New("the address is empty (--web alone serves on 127.0.0.1)")
	default:
		*f.addr = v
	}
	return nil
}

func (f webFlag) IsBoolFlag() bool { return true }

// flags defines the flags of c in fs.
func (c *webConfig) flags(fs *flag.FlagSet) (check func(set map[string]bool, cfg *runConfig) error) {
	fs.Var(webFlag{&c.web}, "web", "")
	fs.StringVar(&c.webToken, "web-token", "", "")
	return func(set map[string]bool, cfg *runConfig) error {
		if set["web-token"] && c.webToken == "" {
			return errors.New("--web-token: the value is empty")
		}
		if set["web-token"] && c.web == "" {
			return errors.New("--web-token needs --web")
		}
		if c.web != "" && cfg.virtual {
			return errors.New("--web and --virtual: the page runs the board on the virtual clock, at the speed it asks for; leave out --virtual")
		}
		if c.web != "" && cfg.top {
			return errors.New("--web and --top: choose one view of the tasks")
		}
		return nil
	}
}

// webRun is the web view of a run.
type webRun struct {
	pacer *session.Pacer
	srv   *web.Server
	tasks taskHooks
}

// taskHooks hands the loop's task events to functions added while the
// run is set up.
type taskHooks struct{ fns []func(coop.TaskEvent) }

func (h *taskHooks) event(ev coop.TaskEvent) {
	for _, fn := range h.fns {
		fn(ev)
	}
}

func (h *taskHooks) add(fn func(coop.TaskEvent)) (cancel func()) {
	h.fns = append(h.fns, fn)
	return func() {}
}

// webOptions are the loop options of a run with --web.
func (r *runner) webOptions() []coop.Option {
	if r.cfg.web == "" {
		return nil
	}
	r.web = &webRun{}
	return []coop.Option{coop.WithVirtualClock(), coop.WithTaskEvents(r.web.tasks.event)}
}

// setupWeb makes the pacer and the server, once the board is wired and
// before the program starts. Its error is bad input.
func (r *runner) setupWeb() error {
	if r.web == nil {
		return nil
	}
	r.web.pacer = session.NewPacer(1, false)
	r.web.pacer.Bind(r.loop)
	srv, err := web.New(web.Run{
		Program:      r.prog.Name,
		Seed:         r.cfg.seed,
		Board:        r.board,
		Pacer:        r.web.pacer,
		ObserveTasks: r.web.tasks.add,
	}, web.Config{Addr: r.cfg.web, Token: r.cfg.webToken})
	if err != nil {
		return fmt.Errorf("--web: %s", strings.TrimPrefix(err.Error(), "web: "))
	}
	if err := srv.Start(); err != nil {
		return fmt.Errorf("--web: %s", strings.TrimPrefix(err.Error(), "web: "))
	}
	r.web.srv = srv
	r.scr.errorf("web: %s", srv.URL())
	return nil
}

// runPaced runs the program under the pacer until it is done, as runMain
// does on its own.
func (r *runner) runPaced() error {
	return r.web.pacer.Run(func() bool { return r.main.Done() })
}

// stopPaced ends a paced run at once: the program is cancelled and the
// board runs as fast as possible while it cleans up.
func (r *runner) stopPaced(why stopReason) {
	p := r.web.pacer
	p.Do(func() { r.stop(why) })
	p.SetSpeed(0)
	p.Resume()
}

// keepServing keeps the page up after the program has ended, until
// Ctrl-C, then closes the server.
func (r *runner) keepServing() {
	r.web.srv.ProgramEnded()
	if r.reason != stopInterrupt {
		r.scr.errorf("web: the program has ended; the page stays at %s until Ctrl-C", r.web.srv.URL())
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt)
		<-sig
		signal.Stop(sig)
	}
	r.web.srv.Close()
}
