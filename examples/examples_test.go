package examples_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/coopgo/coop/examples"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/sim/wiring"
)

// seedName is how the documents in shared/seeds are named.
var seedName = regexp.MustCompile(`^\d{3}_[0-9a-f]{16}\.txt$`)

// Every program is complete: a unique name that is its directory, a board
// the simulator has, a seed document, a section, a summary, an App, and a
// default wiring for its board.
func TestAll(t *testing.T) {
	all := examples.All()
	if len(all) == 0 {
		t.Fatal("All() is empty")
	}
	seen := map[string]bool{}
	for _, p := range all {
		if p.Name == "" || seen[p.Name] {
			t.Errorf("program name %q is empty or used twice", p.Name)
		}
		seen[p.Name] = true
		if _, err := os.Stat(p.Name); err != nil {
			t.Errorf("%s: no directory examples/%s: %v", p.Name, p.Name, err)
		}
		if !slices.Contains(sim.Boards(), p.Board) {
			t.Errorf("%s: board %q is not one of %v", p.Name, p.Board, sim.Boards())
		}
		if s := examples.SeedOf(p); s.Kind == "" {
			t.Errorf("%s: seed %q is not in Seeds, which gives its title", p.Name, p.Seed)
		}
		if !seedName.MatchString(p.Seed) {
			t.Errorf("%s: seed %q is not a seed document's name, such as 000_d824fd38bca75ebc.txt", p.Name, p.Seed)
		} else if _, err := os.Stat(filepath.Join("..", "..", "shared", "seeds")); err == nil {
			if _, err := os.Stat(filepath.Join("..", "..", "shared", "seeds", p.Seed)); err != nil {
				t.Errorf("%s: seed: %v", p.Name, err)
			}
		}
		if p.Section == "" || p.Summary == "" || p.App == nil {
			t.Errorf("%s: Section %q, Summary %q, App set %v: want all three", p.Name, p.Section, p.Summary, p.App != nil)
		}
		d, err := wiring.Parse(p.Name+"/"+examples.WiringFile, p.Wiring)
		if err != nil {
			t.Errorf("%s: wiring: %v", p.Name, err)
		} else if d.Board() != p.Board {
			t.Errorf("%s: wiring is for board %s, the program for %s", p.Name, d.Board(), p.Board)
		}
	}
	// All builds a new list each time: changing one does not change the next.
	all[0].Name, all[0].Wiring[0] = "changed", 'X'
	if again := examples.All()[0]; again.Name == "changed" || again.Wiring[0] == 'X' {
		t.Error("All() returned shared state")
	}
}

func TestFind(t *testing.T) {
	p, err := examples.Find("blink")
	if err != nil || p.Name != "blink" || p.Board != "pico2w" || len(p.Wiring) == 0 || p.Scenario != nil {
		t.Errorf(`Find("blink") = %+v, %v; want blink on pico2w with a wiring and no scenario`, p, err)
	}
	_, err = examples.Find("nope")
	var names []string
	for _, p := range examples.All() {
		names = append(names, p.Name)
	}
	want := `examples: unknown example "nope" (have: ` + strings.Join(names, ", ") + ")"
	if err == nil || err.Error() != want || !strings.Contains(want, "(have: verify, blink, ") {
		t.Errorf(`Find("nope") error = %v, want %s`, err, want)
	}
}
