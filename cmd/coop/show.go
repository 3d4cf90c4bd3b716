package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"path"
	"reflect"
	"runtime"
	"strings"

	"github.com/coopgo/coop/examples"
	"github.com/coopgo/coop/internal/suggest"
	"github.com/coopgo/coop/internal/table"
	"github.com/coopgo/coop/sim/wiring"
)

const showUsage = `Usage: coop show NAME

Prints where example NAME comes from (its seed document and section), its
board, where its source is, its wiring as a table of parts and pins, and its
scenario.
`

// modulePath is coop's module.
const modulePath = "github.com/coopgo/coop"

// showCommand is `coop show`.
func showCommand(programs []examples.Program, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("show", flag.ContinueOnError)
	name, err := parseOne(fs, "show", "NAME", args)
	if errors.Is(err, flag.ErrHelp) {
		return writeHelp(stdout, stderr, showUsage)
	}
	if err != nil {
		fmt.Fprintf(stderr, "coop: %v\n", err)
		return exitUsage
	}
	p, err := findProgram(programs, name)
	if err != nil {
		fmt.Fprintf(stderr, "coop: %v\n", err)
		return exitUsage
	}
	text, err := describe(p)
	if err != nil {
		fmt.Fprintf(stderr, "coop: show %s: %v\n", name, err)
		return exitFail
	}
	if _, err := io.WriteString(stdout, text); err != nil {
		fmt.Fprintf(stderr, "coop: show: %v\n", err)
		return exitFail
	}
	return exitOK
}

// describe says everything coop show prints of p.
func describe(p examples.Program) (string, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n\n", p.Name, p.Summary)
	info := table.New(table.Column{}, table.Column{})
	info.Add("seed", examples.SeedOf(p).String())
	info.Add("section", p.Section)
	info.Add("board", p.Board)
	if pkg, file := source(p); pkg != "" {
		info.Add("source", file)
		info.Add("package", pkg)
	}
	info.Add("run", "coop run "+p.Name)
	for _, line := range info.Lines()[1:] {
		b.WriteString(line + "\n")
	}

	wiringName := "examples/" + p.Name + "/" + examples.WiringFile
	d, err := wiring.Parse(wiringName, p.Wiring)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(&b, "\nwiring (%s):\n", wiringName)
	parts := table.New(table.Column{Title: "PART"}, table.Column{Title: "TYPE"}, table.Column{Title: "PIN"})
	parts.Add(d.BoardID(), d.BoardType(), "")
	for _, pi := range d.Parts() {
		pin := pi.Pin
		if pin == "" {
			pin = "-"
		}
		parts.Add(pi.ID, pi.Type, pin)
	}
	for _, line := range parts.Lines() {
		b.WriteString("  " + line + "\n")
	}
	if p.Scenario == nil {
		b.WriteString("\nscenario: none (buttons are pressed with keys in real time)\n")
		return b.String(), nil
	}
	fmt.Fprintf(&b, "\nscenario (examples/%s/%s):\n", p.Name, examples.ScenarioFile)
	for line := range strings.Lines(string(p.Scenario)) {
		b.WriteString("  " + strings.TrimRight(line, "\n") + "\n")
	}
	return b.String(), nil
}

// source returns where p's App is: its package's import path and its file,
// relative to coop's module ("examples/blink/blink.go") if it is in it.
func source(p examples.Program) (pkg, file string) {
	if p.App == nil {
		return "", ""
	}
	f := runtime.FuncForPC(reflect.ValueOf(p.App).Pointer())
	if f == nil {
		return "", ""
	}
	name := f.Name() // "github.com/coopgo/coop/examples/blink.App"
	slash := strings.LastIndexByte(name, '/')
	dot := strings.IndexByte(name[slash+1:], '.')
	if dot < 0 {
		return "", ""
	}
	pkg = name[:slash+1+dot]
	srcFile, _ := f.FileLine(f.Entry())
	if rel, ok := strings.CutPrefix(pkg, modulePath+"/"); ok {
		return pkg, rel + "/" + path.Base(srcFile)
	}
	return pkg, srcFile
}

// findProgram returns the program of programs called name; its error says
// which there are.
func findProgram(programs []examples.Program, name string) (examples.Program, error) {
	for _, p := range programs {
		if p.Name == name {
			return p, nil
		}
	}
	names := make([]string, len(programs))
	for i, p := range programs {
		names[i] = p.Name
	}
	return examples.Program{}, fmt.Errorf("unknown example %q (%sexamples: %s)", name, suggest.Hint(name, names), strings.Join(names, ", "))
}
