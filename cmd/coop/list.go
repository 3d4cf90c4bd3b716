package main

import (
	"fmt"
	"io"

	"github.com/coopgo/coop/examples"
	"github.com/coopgo/coop/internal/table"
)

// listWidth is the width of coop list's lines.
const listWidth = 100

// listCommand prints the examples as a table, under the title of the seed
// each comes from: name, board, section of the seed and summary, each line
// at most listWidth wide. coop show NAME tells the rest.
func listCommand(programs []examples.Program, stdout, stderr io.Writer) int {
	t := table.New(
		table.Column{Title: "NAME"},
		table.Column{Title: "BOARD"},
		table.Column{Title: "SECTION", Max: 26},
		table.Column{Title: "SUMMARY"},
	).Width(listWidth)
	var seeds []examples.Seed
	for _, p := range programs {
		t.Add("  "+p.Name, p.Board, p.Section, p.Summary)
		seeds = append(seeds, examples.SeedOf(p))
	}
	lines := t.Lines()
	out := []string{lines[0]}
	for i, line := range lines[1:] {
		if i == 0 || seeds[i] != seeds[i-1] {
			out = append(out, table.Cut(seeds[i].String(), listWidth))
		}
		out = append(out, line)
	}
	for _, line := range out {
		if _, err := fmt.Fprintln(stdout, line); err != nil {
			fmt.Fprintf(stderr, "coop: list: %v\n", err)
			return exitFail
		}
	}
	return exitOK
}
