// Package suggest finds the name a person most likely meant: the "did you
// mean turn?" of an error about an unknown step, part type or field.
package suggest

// Nearest returns the name among names closest to s, if it is a likely
// typo of it (at most two edits, and at most half its letters).
func Nearest(s string, names []string) string {
	best, bestD := "", 3
	for _, n := range names {
		if d := distance(s, n); d < bestD && d*2 <= len(n) {
			best, bestD = n, d
		}
	}
	return best
}

// distance is the Damerau–Levenshtein distance (optimal string
// alignment) of a and b: a swap of two neighbours is one edit.
func distance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// Hint returns "did you mean X? ", X the [Nearest] name to s among names,
// for an error to put before its list of what is allowed; "" if none is
// near.
func Hint(s string, names []string) string {
	if n := Nearest(s, names); n != "" {
		return "did you mean " + n + "? "
	}
	return ""
}
