package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/coopgo/coop/examples"
	"github.com/coopgo/coop/sim/session"
	"github.com/coopgo/coop/sim/session/cli"
)

// runCommand is `coop run`: an example of programs by NAME, or a
// program's directory.
func runCommand(programs []examples.Program, args []string, stdio cli.Stdio) int {
	var rc railroadConfig
	f, pos, err := cli.Parse("run", args, rc.flags)
	if errors.Is(err, flag.ErrHelp) {
		return cli.WriteHelp(stdio, runUsage())
	}
	if err == nil {
		switch len(pos) {
		case 0:
			err = errors.New("run: missing example NAME or program ./DIR (coop list names the examples)")
		case 1:
		default:
			err = fmt.Errorf("run: unexpected argument %q after %q: run takes one NAME or ./DIR", pos[1], pos[0])
		}
	}
	if err != nil {
		fmt.Fprintf(stdio.Err, "coop: %v\n", err)
		return exitUsage
	}
	name := pos[0]
	if isProgramDir(name) {
		if len(rc.set) > 0 && (rc.set["technique"] || rc.set["report"] || rc.set["work"]) {
			fmt.Fprintf(stdio.Err, "coop: --technique, --report and --work are for the railroad examples, not %s\n", name)
			return exitUsage
		}
		return runDir(name, f, stdio)
	}
	p, err := findProgram(programs, name)
	if err != nil {
		fmt.Fprintf(stdio.Err, "coop: %v\n", err)
		return exitUsage
	}
	if err := rc.check(name, f); err != nil {
		fmt.Fprintf(stdio.Err, "coop: %v\n", err)
		return exitUsage
	}
	p, status, done := railroadSetup(p, &rc, f, stdio.Out, stdio.Err)
	if done {
		return status
	}
	status = cli.Run(program(p), f, stdio)
	return railroadAfter(&rc, f, status, stdio.Out, stdio.Err)
}

// program is an example as the run front-end takes it.
func program(p examples.Program) cli.Program {
	cp := cli.Program{Name: p.Name, App: p.App, Board: p.Board, Wiring: session.File{Name: "examples/" + p.Name + "/" + examples.WiringFile, Data: p.Wiring}}
	if p.Scenario != nil {
		cp.Scenario = session.File{Name: "examples/" + p.Name + "/" + examples.ScenarioFile, Data: p.Scenario}
	}
	return cp
}

// isProgramDir reports whether the argument of run names a program's
// directory rather than an example: it is one, or it is a path (it starts
// with . or /).
func isProgramDir(arg string) bool {
	if strings.HasPrefix(arg, ".") || strings.HasPrefix(arg, "/") {
		return true
	}
	fi, err := os.Stat(arg)
	return err == nil && fi.IsDir()
}

// runDir runs the program in directory dir as `go run` would, with the
// flags f, in dir: it builds the program, then runs it there with the
// standard streams and passes its exit status through. (go run itself
// turns every failure into status 1.) A directory that is not there or
// does not build is bad input.
func runDir(dir string, f cli.Flags, stdio cli.Stdio) int {
	fi, err := os.Stat(dir)
	if err == nil && !fi.IsDir() {
		err = errors.New("not a directory")
	}
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		fmt.Fprintf(stdio.Err, "coop: run %s: %v\n", dir, err)
		return exitUsage
	}
	args, err := f.Args()
	if err != nil {
		fmt.Fprintf(stdio.Err, "coop: %v\n", err)
		return exitUsage
	}
	tmp, err := os.MkdirTemp("", "coop-run-")
	if err != nil {
		fmt.Fprintf(stdio.Err, "coop: run %s: %v\n", dir, err)
		return exitFail
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, filepath.Base(absPath(dir)))
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = dir
	build.Stdout, build.Stderr = stdio.Err, stdio.Err
	if err := build.Run(); err != nil {
		fmt.Fprintf(stdio.Err, "coop: run %s: the program does not build: %v\n", dir, err)
		return exitUsage
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdio.In, stdio.Out, stdio.Err
	// Ctrl-C reaches the program too, which stops its run and exits:
	// coop waits for it.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	defer signal.Stop(sig)
	err = cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee) && ee.ExitCode() >= 0:
		return ee.ExitCode()
	case err != nil:
		fmt.Fprintf(stdio.Err, "coop: run %s: %v\n", dir, err)
		return exitFail
	}
	return exitOK
}

// absPath returns path made absolute, or as it is if it cannot be.
func absPath(path string) string {
	if a, err := filepath.Abs(path); err == nil {
		return a
	}
	return path
}
