package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// runConfig is what the arguments of `coop run` ask for.
type runConfig struct {
	name        string        // the example
	board       string        // --board, or ""
	wiring      string        // --wiring, or ""
	scenario    string        // --scenario, or ""
	duration    time.Duration // --for, or 0
	virtual     bool          // --virtual
	timestamps  bool          // --timestamps
	seed        uint64        // --seed
	trace       string        // --trace, or ""
	timeline    string        // --timeline, or ""
	watchConfig               // --top, --stats, --stats-every, --blocking (live.go)

	railroadConfig // --technique, --report, --work (railroad.go)
}

// runFlags lists the flags of run, for messages.
const runFlags = "--blocking, --board, --for, --scenario, --seed, --report, --stats, --stats-every, --technique, --timeline, --timestamps, --top, --trace, --virtual, --wiring, --work"

// parseRunArgs parses the arguments of `coop run`: one NAME, with flags
// before and after it. It returns flag.ErrHelp for -h and --help, and
// otherwise an error whose message is the line to print after "coop: ".
func parseRunArgs(args []string) (runConfig, error) {
	var c runConfig
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported in one line, below
	fs.StringVar(&c.board, "board", "", "")
	fs.StringVar(&c.wiring, "wiring", "", "")
	fs.StringVar(&c.scenario, "scenario", "", "")
	forText := fs.String("for", "", "")
	fs.BoolVar(&c.virtual, "virtual", false, "")
	fs.BoolVar(&c.timestamps, "timestamps", false, "")
	seedText := fs.String("seed", "0", "")
	fs.StringVar(&c.trace, "trace", "", "")
	fs.StringVar(&c.timeline, "timeline", "", "")
	checkWatch := c.watchConfig.flags(fs)
	checkRailroad := railroadFlags(fs, &c)

	// flag stops at the first argument that is not a flag: take it as a
	// positional argument and parse the rest again.
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return c, flagError(err)
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	switch len(pos) {
	case 0:
		return c, errors.New("run: missing example NAME (coop list names them)")
	case 1:
		c.name = pos[0]
	default:
		return c, fmt.Errorf("run: unexpected argument %q after %q: run takes one NAME", pos[1], pos[0])
	}

	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["for"] {
		d, err := time.ParseDuration(*forText)
		switch {
		case err != nil:
			return c, fmt.Errorf("--for %q: not a duration (such as 500ms, 10s, 1m30s)", *forText)
		case d <= 0:
			return c, fmt.Errorf("--for %s: the duration must be more than zero", *forText)
		}
		c.duration = d
	}
	seed, err := strconv.ParseUint(*seedText, 10, 64)
	if err != nil {
		return c, fmt.Errorf("--seed %q: not a whole number from 0 to %d", *seedText, uint64(1<<64-1))
	}
	c.seed = seed
	for _, f := range []struct{ name, value string }{
		{"board", c.board}, {"wiring", c.wiring}, {"scenario", c.scenario},
		{"trace", c.trace}, {"timeline", c.timeline},
	} {
		if set[f.name] && f.value == "" {
			return c, fmt.Errorf("--%s: the value is empty", f.name)
		}
	}
	if c.trace != "" && c.trace == c.timeline {
		return c, fmt.Errorf("--trace and --timeline both write %s: give each its own file", c.trace)
	}
	if err := checkWatch(set); err != nil {
		return c, err
	}
	if err := checkRailroad(set); err != nil {
		return c, err
	}
	return c, nil
}

// flagError rewrites an error of package flag as one line that says what
// is allowed, with flags spelt --name as the usage spells them.
func flagError(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return err
	}
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		return fmt.Errorf("run: unknown flag --%s (flags: %s)", strings.TrimPrefix(name, "-"), runFlags)
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return fmt.Errorf("run: flag --%s needs a value", strings.TrimPrefix(name, "-"))
	}
	return errors.New("run: " + msg)
}
