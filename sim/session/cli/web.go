package cli

// --web serves a live page of the run (package web): the board, its
// console, tasks and timing, with the clock under the page's control. The
// session then runs on the virtual clock, paced to real time by a
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

	"github.com/coopgo/coop/sim/session"
	"github.com/coopgo/coop/web"
)

// webConfig is what the flags of a run ask of the web view.
type webConfig struct {
	web      string // --web: the address, or "" for none
	webToken string // --web-token
}

// defaultWebAddr is the address of a bare --web: a free port of the
// loopback interface.
const defaultWebAddr = "127.0.0.1:0"

// webFlag is --web, which takes an address or none: `--web` serves on
// defaultWebAddr, `--web=ADDR` (or `--web ADDR`, see joinWebAddr) on ADDR.
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

// flags defines the flags of c in fs; the function it returns checks
// them against the run's other flags once parsed.
func (c *webConfig) flags(fs *flag.FlagSet, rc *runConfig) (check func(set map[string]bool) error) {
	fs.Var(webFlag{&c.web}, "web", "serve a live page of the run on 127.0.0.1 (a free port), or on `ADDR` with --web=ADDR or --web ADDR (host:port, such as :8080), and print its address; the page pauses, steps and paces the board and drives its parts; off loopback it needs a token")
	fs.StringVar(&c.webToken, "web-token", "", "the `token` the page of --web needs (default off loopback: one coop makes up and prints in the address)")
	return func(set map[string]bool) error {
		switch {
		case set["web-token"] && c.webToken == "":
			return errors.New("--web-token: the value is empty")
		case set["web-token"] && c.web == "":
			return errors.New("--web-token needs --web")
		case c.web != "" && rc.virtual:
			return errors.New("--web and --virtual: the page runs the board on the virtual clock, at the speed it asks for; leave out --virtual")
		case c.web != "" && rc.top:
			return errors.New("--web and --top: choose one view of the tasks")
		}
		return nil
	}
}

// setupWeb makes the page's server once the session is made, and starts
// it: the last thing newRun does. Its error is bad input.
func (r *runner) setupWeb() error {
	if r.cfg.web == "" {
		return nil
	}
	srv, err := web.NewForSession(r.s, web.Config{Addr: r.cfg.web, Token: r.cfg.webToken})
	if err == nil {
		err = srv.Start()
	}
	if err != nil {
		return fmt.Errorf("--web: %s", strings.TrimPrefix(err.Error(), "web: "))
	}
	r.web = srv
	r.scr.errorf("web: %s", srv.URL())
	if r.leftOut != "" {
		r.scr.errorf("web: the page drives the board: %s is left out (give it with --scenario to play it)", r.leftOut)
	}
	return nil
}

// keepServing keeps the page up after the run, until Ctrl-C (unless
// Ctrl-C ended the run), then closes the server.
func (r *runner) keepServing() {
	if r.web == nil {
		return
	}
	if r.s.Reason() != session.StopCalled {
		// Ctrl-C is caught before the line says to press it: one pressed
		// as soon as it shows ends the wait instead of killing coop.
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt)
		r.scr.errorf("web: the run is over; the page stays at %s until Ctrl-C", r.web.URL())
		<-sig
		signal.Stop(sig)
	}
	r.web.Close()
}
