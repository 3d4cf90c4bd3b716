package cli

import (
	"strings"
	"testing"
	"time"
)

// FuzzFor parses any value of --for: it never panics, it takes exactly the
// durations time.ParseDuration reads from more than zero to MaxFor, and
// refuses everything else with one line that starts with the flag.
func FuzzFor(f *testing.F) {
	for _, s := range []string{
		"5s", "500ms", "1m30s", "1h", "10us", "10µs", "1.5s", ".5s", "+2s", "1h2m3s4ms5us6ns",
		"876000h", "876000h0m0.000000001s", "99999999h", "9223372036854775807ns", "9223372036854775808ns",
		"0", "0s", "-1s", "-0s", "0.4ns", "1ns", "3", "", " ", "s", "1.s", ".s", "1e3s", "1s ", "soon",
		"--help", "1s\n2s", "1\x00s", "\xff", "1h-1m",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fl, pos, err := Parse("run", []string{"--for", s, "blink"}, nil)
		want, perr := time.ParseDuration(s)
		if perr == nil && want > 0 && want <= MaxFor {
			if err != nil || fl.For() != want {
				t.Fatalf("Parse(--for %q) = %v, %v; want %v, nil", s, fl.For(), err, want)
			}
			if len(pos) != 1 || pos[0] != "blink" {
				t.Fatalf("Parse(--for %q) positional arguments = %q, want [blink]", s, pos)
			}
			return
		}
		if err == nil {
			t.Fatalf("Parse(--for %q) = %v, nil; want an error", s, fl.For())
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "--for ") || strings.ContainsAny(msg, "\n\r") {
			t.Fatalf("Parse(--for %q) error %q: want one line starting with --for", s, msg)
		}
		if fl.For() != 0 {
			t.Fatalf("Parse(--for %q) failed but For() = %v, want 0", s, fl.For())
		}
	})
}
