// Package textmatch compares a command's output with an expected text in
// which "…" stands for what the test need not spell out: the lists of
// allowed values that error messages give, which grow, and a panic's stack.
package textmatch

import "strings"

// Match reports whether got is want, where "…" in want stands for any text
// on one line, and a "…" that ends want for any text at all.
func Match(got, want string) bool {
	parts := strings.Split(want, "…")
	if !strings.HasPrefix(got, parts[0]) {
		return false
	}
	rest := got[len(parts[0]):]
	for i, p := range parts[1:] {
		if i == len(parts)-2 && p == "" {
			return true
		}
		j := strings.Index(rest, p)
		if j < 0 || strings.Contains(rest[:j], "\n") {
			return false
		}
		rest = rest[j+len(p):]
	}
	return rest == ""
}
