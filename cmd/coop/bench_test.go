package main

import (
	"bytes"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

func TestBench(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"bench", "--time", "10ms"}, nil, &out, &errOut); code != exitOK {
		t.Fatalf("coop bench = %d, stderr %q", code, errOut.String())
	}
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	if want := "benchmark         coop ns/op   allocs/op  one op"; lines[0] != want {
		t.Errorf("header = %q, want %q", lines[0], want)
	}
	row := regexp.MustCompile(`^(SpawnWait|Yield|EventPingPong|Queue|Timers|Gather1000) +[0-9]+\.[0-9] +[0-9]+  \S`)
	if len(lines) != 7 {
		t.Fatalf("got %d lines, want a header and 6 benchmarks:\n%s", len(lines), out.String())
	}
	for _, l := range lines[1:] {
		if !row.MatchString(l) {
			t.Errorf("row %q does not look like a benchmark result", l)
		}
	}
	if got := row.FindStringSubmatch(lines[4]); got == nil || got[1] != "Queue" {
		t.Errorf("fourth benchmark = %q, want Queue", lines[4])
	}
}

func TestBenchAgainstAsyncio(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 is not installed: the asyncio comparison cannot run")
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"bench", "--time", "10ms", "--asyncio"}, nil, &out, &errOut); code != exitOK {
		t.Fatalf("coop bench --asyncio = %d, stderr %q", code, errOut.String())
	}
	row := regexp.MustCompile(`(?m)^Yield +[0-9.]+ +[0-9.]+ +[0-9.]+x  two tasks yield once each$`)
	if !row.MatchString(out.String()) {
		t.Errorf("no side-by-side Yield row in:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "Timers ") || !regexp.MustCompile(`(?m)^Timers .* -  +- `).MatchString(out.String()) {
		t.Errorf("Timers, which has no asyncio twin, should show dashes:\n%s", out.String())
	}
}

func TestBenchBadInput(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"bench", "--time", "-1s"}, "coop: bench: --time must be a positive duration, got -1s\n"},
		{[]string{"bench", "extra"}, "coop: bench takes no arguments, got \"extra\"\n"},
		{[]string{"bench", "--asyncio", "--python", "/nonexistent/python", "--time", "1ms"}, ""},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		code := run(tt.args, nil, &out, &errOut)
		if code == exitOK {
			t.Errorf("coop %v succeeded, want a failure", tt.args)
		}
		if tt.want != "" && errOut.String() != tt.want {
			t.Errorf("coop %v: stderr %q, want %q", tt.args, errOut.String(), tt.want)
		}
		if tt.want == "" && !strings.Contains(errOut.String(), "needs Python 3") {
			t.Errorf("coop %v: stderr %q, want it to say Python 3 is needed", tt.args, errOut.String())
		}
	}
}

// BenchmarkDashboardDay simulates a board-day of the dashboard (an LED
// blinking every 200ms, uptime every second, a button polled every 50ms):
// `coop run dashboard --virtual --for 24h --scenario none`.
func BenchmarkDashboardDay(b *testing.B) {
	for b.Loop() {
		var out, errOut bytes.Buffer
		if code := run([]string{"run", "dashboard", "--virtual", "--for", "24h", "--scenario", "none"}, nil, &out, &errOut); code != exitOK {
			b.Fatalf("coop run = %d: %s", code, errOut.String())
		}
		if !strings.HasSuffix(out.String(), "Uptime: 86400 s\n") {
			b.Fatalf("the run did not reach 24h: ends %q", out.String()[max(0, out.Len()-40):])
		}
	}
}
