// Package examples lists coop's example programs: every program of the
// documents in shared/seeds, rewritten against package hw, each with the
// wiring and, where the world must act, the scenario it runs with. The coop
// command runs them (`coop list`, `coop run NAME`); tests run them on the
// simulator.
//
// # Layout
//
// Each program is a package examples/NAME holding
//
//   - App, a func(t *coop.Task, b hw.Board) error: the program, as its
//     asyncio original's main, given the board;
//   - diagram.json, its default wiring in Wokwi's format, and optionally
//     scenario.yaml, its default scenario, both embedded and returned by
//     Files;
//   - a test that runs App in virtual time on the simulated board with that
//     wiring and scenario, and checks its console lines with their board
//     times and its pin changes exactly.
//
// A program is added by one entry in the list of its seed: course.go and
// exercises.go (the uasyncio course, seed 000), video.go (seed 001), book.go (the real-time
// chapter, seed 002) and adafruit.go (the CircuitPython guides, seeds 003
// and 004).
package examples

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// Program is one example program and what it needs to run.
type Program struct {
	Name    string // what `coop run` takes, and the package's directory: "blink"
	Board   string // the simulated board it is written for: "pico2w"
	Seed    string // the seed document it comes from: "000_d824fd38bca75ebc.txt"
	Section string // where in the seed: "§7 Exercise 1"
	Summary string // what it does, in one line

	App func(t *coop.Task, b hw.Board) error

	// Wiring is the default wiring, a Wokwi diagram.json.
	Wiring []byte
	// Scenario is the default scenario, in YAML, or nil if the program
	// runs without one.
	Scenario []byte
}

// Names of the files a program's package embeds.
const (
	WiringFile   = "diagram.json"
	ScenarioFile = "scenario.yaml"
)

// All returns every example program, in the order of the seeds and of the
// sections within them. It builds a new list on each call.
func All() []Program {
	var all []Program
	for _, seed := range [][]Program{course(), exercises(), video(), book(), adafruit()} {
		all = append(all, seed...)
	}
	return all
}

// Find returns the program called name. For an unknown name the error
// lists the names there are.
func Find(name string) (Program, error) {
	all := All()
	for _, p := range all {
		if p.Name == name {
			return p, nil
		}
	}
	names := make([]string, len(all))
	for i, p := range all {
		names[i] = p.Name
	}
	return Program{}, fmt.Errorf("examples: unknown example %q (have: %s)", name, strings.Join(names, ", "))
}

// withFiles fills in p's wiring and scenario from the files its package
// embeds. A missing diagram.json is a mistake in the program's package,
// which the tests of this package catch, so it panics.
func withFiles(p Program, files fs.FS) Program {
	var err error
	if p.Wiring, err = fs.ReadFile(files, WiringFile); err != nil {
		panic(fmt.Sprintf("examples: %s: %v", p.Name, err))
	}
	p.Scenario, err = fs.ReadFile(files, ScenarioFile)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		panic(fmt.Sprintf("examples: %s: %v", p.Name, err))
	}
	return p
}

// sources holds every program's package as written: its Go files, wiring
// and scenario, for `coop new --from`.
//
//go:embed */*.go */diagram.json */scenario.yaml
var sources embed.FS

// Source returns the files of p's package that make the program, by
// name: its Go files (not its tests), its diagram.json and its
// scenario.yaml, if it has one.
func (p Program) Source() (map[string][]byte, error) {
	entries, err := fs.ReadDir(sources, p.Name)
	if err != nil {
		return nil, fmt.Errorf("examples: %s: no source: %w", p.Name, err)
	}
	files := map[string][]byte{}
	for _, e := range entries {
		name := e.Name()
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		if files[name], err = fs.ReadFile(sources, p.Name+"/"+name); err != nil {
			return nil, fmt.Errorf("examples: %s: %w", p.Name, err)
		}
	}
	return files, nil
}
