package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/coopgo/coop/examples"
)

// listCommand prints the examples as a table: name, board, the seed
// document and section each comes from, and a summary.
func listCommand(programs []examples.Program, stdout, stderr io.Writer) int {
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tBOARD\tSEED\tSECTION\tSUMMARY")
	for _, p := range programs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.Name, p.Board, p.Seed, p.Section, p.Summary)
	}
	if err := tw.Flush(); err != nil {
		fmt.Fprintf(stderr, "coop: list: %v\n", err)
		return exitFail
	}
	return exitOK
}
