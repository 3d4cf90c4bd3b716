package table_test

import (
	"fmt"
	"testing"

	"github.com/coopgo/coop/internal/table"
)

func Example() {
	t := table.New(table.Column{Title: "NAME"}, table.Column{Title: "NS/OP", Right: true}, table.Column{Title: "SUMMARY"})
	t.Add("sleep", "85.0", "a task sleeps 0 and wakes")
	t.Add("create-task", "1234.5", "spawn a task and await it")
	fmt.Print(t.Width(40))
	// Output:
	// NAME          NS/OP  SUMMARY
	// sleep          85.0  a task sleeps 0 an…
	// create-task  1234.5  spawn a task and a…
}

func TestLines(t *testing.T) {
	tb := table.New(table.Column{Title: "A", Min: 3, Max: 5}, table.Column{Title: "B", Right: true, Min: 4}, table.Column{Title: "C"})
	tb.Add("abcdefgh", "1", "")
	tb.Add("é", "22")
	got := tb.Lines()
	want := []string{"A         B  C", "abcd…     1", "é        22"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Lines() = %q, want %q", got, want)
	}
}
