package telemetry

import (
	"sort"
	"strconv"
	"strings"
)

// Runs is a set of sequence numbers kept as runs of consecutive numbers,
// [1-40] [42-97]…: a device's readings, which arrive mostly in order, cost
// one run however many there are, and each gap one more, until it is
// filled. The zero value is empty and ready; a Runs is not safe for use
// by several goroutines at once.
type Runs struct {
	runs []run // sorted, disjoint, never adjacent
	n    int   // numbers in the set
}

// run is the numbers lo to hi, both included.
type run struct{ lo, hi uint64 }

// Add adds n to the set, and reports whether it was not in it yet. Adding
// the number after the highest, the usual case, takes constant time.
func (s *Runs) Add(n uint64) bool {
	k := len(s.runs)
	if k > 0 && s.runs[k-1].hi < n { // at the end: the usual case
		if s.runs[k-1].hi+1 == n {
			s.runs[k-1].hi = n
		} else {
			s.runs = append(s.runs, run{n, n})
		}
		s.n++
		return true
	}
	// i is the first run that ends at n or after.
	i := sort.Search(k, func(i int) bool { return s.runs[i].hi >= n })
	if i < k && s.runs[i].lo <= n {
		return false
	}
	s.n++
	joinsPrev := i > 0 && s.runs[i-1].hi+1 == n
	joinsNext := i < k && s.runs[i].lo == n+1
	switch {
	case joinsPrev && joinsNext: // n fills the gap between two runs
		s.runs[i-1].hi = s.runs[i].hi
		s.runs = append(s.runs[:i], s.runs[i+1:]...)
	case joinsPrev:
		s.runs[i-1].hi = n
	case joinsNext:
		s.runs[i].lo = n
	default:
		s.runs = append(s.runs, run{})
		copy(s.runs[i+1:], s.runs[i:])
		s.runs[i] = run{n, n}
	}
	return true
}

// Has reports whether n is in the set.
func (s *Runs) Has(n uint64) bool {
	i := sort.Search(len(s.runs), func(i int) bool { return s.runs[i].hi >= n })
	return i < len(s.runs) && s.runs[i].lo <= n
}

// HasAll reports whether every number from 1 to n is in the set; it is
// true for n = 0.
func (s *Runs) HasAll(n uint64) bool {
	return n == 0 || len(s.runs) > 0 && s.runs[0].lo <= 1 && s.runs[0].hi >= n
}

// Contains reports whether every number in o is in s.
func (s *Runs) Contains(o *Runs) bool {
	for _, r := range o.runs {
		i := sort.Search(len(s.runs), func(i int) bool { return s.runs[i].hi >= r.hi })
		if i == len(s.runs) || s.runs[i].lo > r.lo {
			return false
		}
	}
	return true
}

// Len returns how many numbers the set holds.
func (s *Runs) Len() int { return s.n }

// Max returns the highest number in the set, 0 if it is empty.
func (s *Runs) Max() uint64 {
	if len(s.runs) == 0 {
		return 0
	}
	return s.runs[len(s.runs)-1].hi
}

// CountAbove returns how many numbers in the set are higher than n.
func (s *Runs) CountAbove(n uint64) int {
	c := 0
	for i := len(s.runs) - 1; i >= 0 && s.runs[i].hi > n; i-- {
		c += int(s.runs[i].hi - max(s.runs[i].lo, n+1) + 1)
	}
	return c
}

// Seqs appends the set's numbers to b, in increasing order.
func (s *Runs) Seqs(b []uint64) []uint64 {
	for _, r := range s.runs {
		for n := r.lo; ; n++ {
			b = append(b, n)
			if n == r.hi {
				break
			}
		}
	}
	return b
}

// String writes the set as its runs, "1-40,42,44-97"; "" when empty.
func (s *Runs) String() string {
	var b strings.Builder
	for i, r := range s.runs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatUint(r.lo, 10))
		if r.hi != r.lo {
			b.WriteByte('-')
			b.WriteString(strconv.FormatUint(r.hi, 10))
		}
	}
	return b.String()
}
