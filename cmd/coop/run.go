package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

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
	if isProgramDir(programs, name) {
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
// directory rather than an example: it is a path (it starts with . or /),
// or a directory here. A directory named as an example is, unless it
// holds a program (package main): in examples/, coop run blink runs the
// example, not the package of its source.
func isProgramDir(programs []examples.Program, arg string) bool {
	if strings.HasPrefix(arg, ".") || strings.HasPrefix(arg, "/") {
		return true
	}
	if fi, err := os.Stat(arg); err != nil || !fi.IsDir() {
		return false
	}
	if _, err := findProgram(programs, arg); err == nil {
		return checkMain(arg) == nil
	}
	return true
}

// runDir runs the program in directory dir as `go run` would, with the
// flags f, in dir (see execProgram).
func runDir(dir string, f cli.Flags, stdio cli.Stdio) int {
	args, err := f.Args()
	if err != nil {
		fmt.Fprintf(stdio.Err, "coop: %v\n", err)
		return exitUsage
	}
	return execProgram("run", dir, args, nil, stdio)
}

// execProgram runs the program in directory dir as `go run` would, with
// args and env added to coop's environment, in dir: it builds the
// program, then runs it there with the standard streams and passes its
// exit status through. (go run itself turns every failure into status
// 1.) A directory that is not there, that does not hold a main package,
// or whose program does not build is bad input. cmd names coop's command
// in messages.
func execProgram(cmd, dir string, args, env []string, stdio cli.Stdio) int {
	fi, err := os.Stat(dir)
	if err == nil && !fi.IsDir() {
		err = errors.New("not a directory")
	}
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		fmt.Fprintf(stdio.Err, "coop: %s %s: %v\n", cmd, dir, err)
		return exitUsage
	}
	if err := checkMain(dir); err != nil {
		fmt.Fprintf(stdio.Err, "coop: %s %s: %v\n", cmd, dir, err)
		return exitUsage
	}
	tmp, err := os.MkdirTemp("", "coop-run-")
	if err != nil {
		fmt.Fprintf(stdio.Err, "coop: %s %s: %v\n", cmd, dir, err)
		return exitFail
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, filepath.Base(absPath(dir)))
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = dir
	build.Stdout, build.Stderr = stdio.Err, stdio.Err
	if err := build.Run(); err != nil {
		fmt.Fprintf(stdio.Err, "coop: %s %s: the program does not build: %v\n", cmd, dir, err)
		return exitUsage
	}
	c := exec.Command(bin, args...)
	c.Dir = dir
	if len(env) > 0 {
		c.Env = append(os.Environ(), env...)
	}
	c.Stdin, c.Stdout, c.Stderr = stdio.In, stdio.Out, stdio.Err
	c.SysProcAttr = childAttr()
	// Ctrl-C reaches the program too, which stops its run and exits:
	// coop waits for it. A SIGTERM or SIGHUP coop passes on, and waits
	// for the program as well, so that neither it nor its build is left
	// behind.
	sig := make(chan os.Signal, 4)
	signal.Notify(sig, append([]os.Signal{os.Interrupt}, passedSignals...)...)
	defer signal.Stop(sig)
	if err = c.Start(); err == nil {
		done := make(chan struct{})
		go func() {
			for {
				select {
				case s := <-sig:
					if s != os.Interrupt {
						_ = c.Process.Signal(s) // it may have ended meanwhile
					}
				case <-done:
					return
				}
			}
		}()
		err = c.Wait()
		close(done)
	}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee) && ee.ExitCode() >= 0:
		return ee.ExitCode()
	case errors.As(err, &ee):
		// Killed by a signal: the shell's status for it, 128 + its number.
		if ws, ok := ee.Sys().(interface{ Signal() syscall.Signal }); ok {
			return 128 + int(ws.Signal())
		}
		fmt.Fprintf(stdio.Err, "coop: %s %s: %v\n", cmd, dir, err)
		return exitFail
	case err != nil:
		fmt.Fprintf(stdio.Err, "coop: %s %s: %v\n", cmd, dir, err)
		return exitFail
	}
	return exitOK
}

// checkMain checks that dir holds a main package: go build makes an
// archive of any other, which does not run.
func checkMain(dir string) error {
	list := exec.Command("go", "list", "-f", "{{.Name}}", ".")
	list.Dir = dir
	var out, errb bytes.Buffer
	list.Stdout, list.Stderr = &out, &errb
	if err := list.Run(); err != nil {
		msg := strings.TrimSpace(errb.String())
		if msg == "" {
			msg = err.Error()
		}
		return fmt.Errorf("not a Go package: %s", msg)
	}
	if name := strings.TrimSpace(out.String()); name != "main" {
		return fmt.Errorf("package %s is not a program: a program's directory holds package main, whose main is device.Main(App) (coop new DIR writes one)", name)
	}
	return nil
}

// absPath returns path made absolute, or as it is if it cannot be.
func absPath(path string) string {
	if a, err := filepath.Abs(path); err == nil {
		return a
	}
	return path
}
