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
	if want := "benchmark          coop ns/op    cpu ns/op  allocs/op  one op"; lines[0] != want {
		t.Errorf("header = %q, want %q", lines[0], want)
	}
	names := []string{"PullFloor", "Step", "StepRealClock", "SpawnWait", "Yield", "EventPingPong", "Queue",
		"QueuePingPong", "CrossThreadWake", "Timers", "Gather1000"}
	if len(lines) != 1+len(names) {
		t.Fatalf("got %d lines, want a header and %d benchmarks:\n%s", len(lines), len(names), out.String())
	}
	for i, l := range lines[1:] {
		row := regexp.MustCompile(`^` + names[i] + ` +[0-9]+\.[0-9] +[0-9]+\.[0-9] +[0-9]+  \S`)
		if !row.MatchString(l) {
			t.Errorf("row %q does not look like the result of %s", l, names[i])
		}
	}
}

func TestBenchAgainstAsyncio(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 is not installed: the asyncio comparison cannot run")
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"bench", "--asyncio", "--reps", "3", "--ops", "0.05"}, nil, &out, &errOut); code != exitOK {
		t.Fatalf("coop bench --asyncio = %d, stderr %q", code, errOut.String())
	}
	// A ratio, or the word saying why there is none; never "not the same
	// work", which means a twin does not do what its Go workload does.
	row := regexp.MustCompile(`(?m)^Yield +[0-9]+ ±[0-9]+% +[0-9]+ ±[0-9]+% +([0-9.]+x|disturbed) .*  two tasks yield once each$`)
	if !row.MatchString(out.String()) {
		t.Errorf("no side-by-side Yield row in:\n%s", out.String())
	}
	if strings.Contains(out.String(), "not the same work") || strings.Contains(out.String(), "absurd") {
		t.Errorf("a twin does not match its workload:\n%s", out.String())
	}
}

func TestBenchRatio(t *testing.T) {
	same := func(ws ...float64) []sample {
		var ss []sample
		for _, w := range ws {
			ss = append(ss, sample{wall: w, cpu: w, awaits: 2})
		}
		return ss
	}
	tests := []struct {
		g, p []sample
		want string
	}{
		{same(100, 110, 105), same(2000, 2100, 2050), "19.5x"},
		{same(100, 300, 105), same(2000, 2100, 2050), "disturbed"},
		{same(100, 110, 105), same(20_000_000, 21_000_000, 20_500_000), "absurd"},
	}
	for _, tt := range tests {
		if got := ratio(tt.g, tt.p, wallOf, sameWork(tt.g, tt.p)); got != tt.want {
			t.Errorf("ratio(%v, %v) = %q, want %q", tt.g, tt.p, got, tt.want)
		}
	}
	other := []sample{{wall: 2000, cpu: 2000, awaits: 1}, {wall: 2000, cpu: 2000, awaits: 1}, {wall: 2000, cpu: 2000, awaits: 1}}
	note := sameWork(same(100, 100, 100), other)
	if want := " (not the same work: 2.00 awaits/op against 1.00)"; note != want {
		t.Errorf("sameWork = %q, want %q", note, want)
	}
	if got := ratio(same(100, 100, 100), other, wallOf, note); got != "-" {
		t.Errorf("ratio of different work = %q, want -", got)
	}
}

// TestBenchScaleRow checks one row of coop bench --scale: the size and
// seven costs, each CPU time with wall time after it.
func TestBenchScaleRow(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"bench", "--scale-tasks", "1000"}, nil, &out, &errOut); code != exitOK {
		t.Fatalf("coop bench --scale-tasks 1000 = %d, stderr %q", code, errOut.String())
	}
	cost := `[0-9.]+(ns|µs|ms|s) \([0-9.]+(ns|µs|ms|s)\)`
	if row := regexp.MustCompile(`^\| 1k \|( ` + cost + ` \|){7}\n$`); !row.MatchString(out.String()) {
		t.Errorf("coop bench --scale-tasks 1000 printed %q, want a row of the size and seven costs", out.String())
	}
}

func TestBenchBadInput(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"bench", "--time", "-1s"}, "coop: bench: --time must be a positive duration, got -1s\n"},
		{[]string{"bench", "extra"}, "coop: bench takes no arguments, got \"extra\"\n"},
		{[]string{"bench", "--scale-tasks", "-5"}, "coop: bench: --scale-tasks must be a positive number of tasks, got -5\n"},
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
