package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/coopgo/coop/examples"
	"github.com/coopgo/coop/sim/session"
)

// runCommand runs, as `coop run` does, the example of programs that args
// name, with the flags args give.
func runCommand(programs []examples.Program, args []string, stdout, stderr io.Writer) int {
	return runCommandIn(programs, args, nil, stdout, stderr)
}

// runCommandIn is runCommand with standard input.
func runCommandIn(programs []examples.Program, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	f, pos, err := Parse("run", args, nil)
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	if err == nil && len(pos) != 1 {
		err = fmt.Errorf("run: %d arguments, want one NAME", len(pos))
	}
	if err != nil {
		fmt.Fprintf(stderr, "coop: %v\n", err)
		return ExitUsage
	}
	i := slices.IndexFunc(programs, func(p examples.Program) bool { return p.Name == pos[0] })
	if i < 0 {
		fmt.Fprintf(stderr, "coop: unknown example %q\n", pos[0])
		return ExitUsage
	}
	p := programs[i]
	cp := Program{Name: p.Name, App: p.App, Wiring: session.File{Name: "examples/" + p.Name + "/" + examples.WiringFile, Data: p.Wiring}}
	if p.Scenario != nil {
		cp.Scenario = session.File{Name: "examples/" + p.Name + "/" + examples.ScenarioFile, Data: p.Scenario}
	}
	return Run(cp, f, Stdio{In: stdin, Out: stdout, Err: stderr})
}

// run is `coop run` with its arguments: "run", NAME and flags.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runCommandIn(examples.All(), args[1:], stdin, stdout, stderr)
}

// runArgs runs `coop run` with args and returns its exit status and output.
func runArgs(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// A program that returns an error: its name and the error, status 1.
