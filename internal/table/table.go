// Package table lays out text tables for coop's command line: coop list,
// coop bench, the railroad report and the task dashboard of --top all
// print through it. Columns are separated by two spaces; a cell longer
// than its column's Max is cut with an ellipsis, and a table given a
// Width cuts its last column to fit.
package table

import (
	"strings"
	"unicode/utf8"
)

// Column describes a column of a table.
type Column struct {
	Title string
	Right bool // align right, as numbers are
	Min   int  // the least width, for columns that must not jump as values change
	Max   int  // the most width, 0 for no limit
}

// Table is a heading and rows. The zero Table has no columns; make one
// with New.
type Table struct {
	cols  []Column
	rows  [][]string
	width int
}

// New returns a table of the columns.
func New(cols ...Column) *Table { return &Table{cols: cols} }

// Width makes the table fit in w columns of text, cutting the last column
// of each line (0, the default: no limit). It returns t.
func (t *Table) Width(w int) *Table {
	t.width = w
	return t
}

// Add adds a row. Missing cells are empty; extra ones are a programmer's
// error.
func (t *Table) Add(cells ...string) {
	if len(cells) > len(t.cols) {
		panic("table: Add with more cells than columns; add a Column for each")
	}
	t.rows = append(t.rows, cells)
}

// Lines returns the heading and the rows, laid out, without newlines and
// without trailing spaces.
func (t *Table) Lines() []string {
	widths := t.widths()
	head := make([]string, len(t.cols))
	for i, c := range t.cols {
		head[i] = c.Title
	}
	lines := []string{t.line(head, widths)}
	for _, r := range t.rows {
		lines = append(lines, t.line(r, widths))
	}
	return lines
}

// Row lays out one row with the widths the table has now (its titles,
// Min widths and rows), without adding it: for a table printed a row at a
// time, as its rows come, whose columns' Min are set wide enough.
func (t *Table) Row(cells ...string) string {
	if len(cells) > len(t.cols) {
		panic("table: Row with more cells than columns; add a Column for each")
	}
	return t.line(cells, t.widths())
}

// widths returns the width of each column.
func (t *Table) widths() []int {
	widths := make([]int, len(t.cols))
	for i, c := range t.cols {
		widths[i] = max(c.Min, utf8.RuneCountInString(c.Title))
		for _, r := range t.rows {
			if i < len(r) {
				widths[i] = max(widths[i], utf8.RuneCountInString(r[i]))
			}
		}
		if c.Max > 0 {
			widths[i] = min(widths[i], max(c.Max, c.Min))
		}
	}
	return widths
}

// String returns the lines, each ending in a newline.
func (t *Table) String() string { return strings.Join(t.Lines(), "\n") + "\n" }

func (t *Table) line(cells []string, widths []int) string {
	var b strings.Builder
	col := 0
	last := len(t.cols) - 1
	for i, c := range t.cols {
		cell := ""
		if i < len(cells) {
			cell = cells[i]
		}
		w := widths[i]
		if i > 0 {
			b.WriteString("  ")
			col += 2
		}
		if i == last {
			// The last column is as wide as its cell, within Max and
			// the table's Width: nothing follows it.
			w = max(w, utf8.RuneCountInString(cell))
			if c.Max > 0 {
				w = min(w, max(c.Max, c.Min))
			}
			if t.width > 0 {
				w = max(min(w, t.width-col), 1)
			}
		}
		cell = Cut(cell, w)
		pad := strings.Repeat(" ", w-utf8.RuneCountInString(cell))
		switch {
		case c.Right:
			b.WriteString(pad + cell)
		case i == last:
			b.WriteString(cell) // no trailing spaces
		default:
			b.WriteString(cell + pad)
		}
		col += w
	}
	return strings.TrimRight(b.String(), " ")
}

// Cut returns s cut to w characters, its last one an ellipsis, if it is
// longer.
func Cut(s string, w int) string {
	if utf8.RuneCountInString(s) <= w {
		return s
	}
	if w <= 0 {
		return ""
	}
	return string([]rune(s)[:w-1]) + "…"
}
