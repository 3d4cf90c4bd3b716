package textmatch_test

import (
	"testing"

	"github.com/coopgo/coop/internal/textmatch"
)

func TestMatch(t *testing.T) {
	for _, tt := range []struct {
		got, want string
		ok        bool
	}{
		{"exact", "exact", true},
		{"exact", "exac", false},
		{"allowed: a, b, c\n", "allowed: …\n", true},
		{"allowed: a\nb\n", "allowed: …\n", false},
		{"panic: x\nstack\nmore", "panic: x…", true},
		{"x: 1 of 2", "x: … of …", true},
	} {
		if got := textmatch.Match(tt.got, tt.want); got != tt.ok {
			t.Errorf("Match(%q, %q) = %v, want %v", tt.got, tt.want, got, tt.ok)
		}
	}
}
