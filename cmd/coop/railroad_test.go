package main

import (
	"strings"
	"testing"
	"time"
)

// The table of every technique: the deterministic rows are exact, and the
// same on every run; threads, which --virtual cannot run, run in real
// time, and their two runs differ.
func TestRailroad_reportAll(t *testing.T) {
	defer func(d time.Duration) { threadsVirtualFor = d }(threadsVirtualFor)
	threadsVirtualFor = 300 * time.Millisecond
	args := []string{"run", "railroad", "--technique", "all", "--report", "--for", "10s", "--virtual"}
	code, stdout, stderr := runArgs(t, args...)
	if code != exitOK || stderr != "" {
		t.Fatalf("coop %s = %d, stderr %q; want 0 and nothing", strings.Join(args, " "), code, stderr)
	}
	lines := strings.Split(stdout, "\n")
	want := []string{
		"railroad lights: blue and yellow every 150ms; 10s per run, 2 runs each, seed 0, virtual time",
		"technique   toggles  phase p50  phase max  skew max  jitter max  latency max  cpu   same trace",
		"roundrobin  134      0s         0s         0s        0s          -            0.0%  yes, 2 runs",
		"timers      132      0s         0s         0s        0s          0s           0.0%  yes, 2 runs",
		"event       132      0s         0s         0s        0s          0s           0.0%  yes, 2 runs",
		"threads …",
		"async       134      0s         0s         0s        0s          -            0.0%  yes, 2 runs",
		"periodic    132      0s         0s         0s        0s          -            0.0%  yes, 2 runs",
		"note: threads ran in real time, 300ms per run: threads cannot run in virtual time",
		"",
	}
	if len(lines) != len(want) {
		t.Fatalf("coop %s printed\n%s\nwant\n%s", strings.Join(args, " "), stdout, strings.Join(want, "\n"))
	}
	for i, w := range want {
		if w == "threads …" {
			// The columns widen to fit the threads' measures.
			if f := strings.Fields(lines[i]); len(f) < 9 || f[0] != "threads" || f[8] != "no:" && f[8] != "yes," {
				t.Errorf("threads row %q", lines[i])
			}
			continue
		}
		if strings.Join(strings.Fields(lines[i]), " ") != strings.Join(strings.Fields(w), " ") {
			t.Errorf("line %d = %q, want %q", i+1, lines[i], w)
		}
	}
}

// With work in each toggle the techniques part ways, as the chapter says:
// the super-loop's pass and the asyncio tasks' period lengthen by the
// work, so their toggles drift off the grid; timers do not.
func TestRailroad_reportWork(t *testing.T) {
	for tech, want := range map[string]string{
		"roundrobin": "roundrobin 132 65ms 131ms 1ms 2ms - 1.3% yes, 2 runs",
		"timers":     "timers 132 0s 1ms 1ms 0s 1ms 1.3% yes, 2 runs",
		"event":      "event 132 0s 1ms 1ms 0s 1ms 1.3% yes, 2 runs",
		"async":      "async 134 33ms 67ms 1ms 1ms - 1.3% yes, 2 runs",
		"periodic":   "periodic 132 0s 1ms 1ms 0s - 1.3% yes, 2 runs",
	} {
		args := []string{"run", "railroad", "--technique", tech, "--for", "10s", "--virtual", "--report", "--work", "1ms"}
		code, stdout, stderr := runArgs(t, args...)
		lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
		header := "railroad lights: blue and yellow every 150ms, 1ms of work per toggle; 10s per run, 2 runs each, seed 0, virtual time"
		if code != exitOK || stderr != "" || len(lines) < 3 || lines[len(lines)-3] != header ||
			strings.Join(strings.Fields(lines[len(lines)-1]), " ") != want {
			t.Errorf("coop %s = %d, stderr %q, stdout\n%s\nwant it to end with\n%s\n…\n%s", strings.Join(args, " "), code, stderr, stdout, header, want)
		}
	}
}

// One technique: the program runs, then its row of the comparison follows.
func TestRailroad_reportOne(t *testing.T) {
	code, stdout, stderr := runArgs(t, "run", "railroad", "--technique", "timers", "--for", "11s", "--virtual", "--report", "--timestamps")
	want := `[   0.000s] Task 1 - Blue LED Toggle initialized ...
[   0.000s] Task 2 - Yellow LED Toggle initialized ...
[   5.000s] Executing for  5.0  seconds
[  10.000s] Executing for  10.0  seconds
railroad lights: blue and yellow every 150ms; 11s per run, 2 runs each, seed 0, virtual time
technique  toggles  phase p50  phase max  skew max  jitter max  latency max  cpu   same trace
timers     146      0s         0s         0s        0s          0s           0.0%  yes, 2 runs
`
	if code != exitOK || stdout != want || stderr != "" {
		t.Errorf("coop run railroad --technique timers … --report = %d\n%s%s\nwant 0\n%s", code, stdout, stderr, want)
	}
	// The book's programs report their own technique, with no drift over
	// an hour of virtual time (48000 toggles: a few seconds under the
	// race detector).
	code, stdout, _ = runArgs(t, "run", "railroad-async", "--for", "1h", "--virtual", "--report")
	if want := "async      48000    0s         0s         0s        0s          -            0.0%  yes, 2 runs\n"; code != exitOK || !strings.HasSuffix(stdout, want) {
		t.Errorf("coop run railroad-async --for 1h --virtual --report = %d\n%s\nwant it to end with\n%s", code, stdout, want)
	}
}

// --technique picks the program that runs.
func TestRailroad_technique(t *testing.T) {
	for tech, want := range map[string]string{
		"":           "[   0.000s] railroad lights, asyncio: blue and yellow LEDs alternate every 150ms\n",
		"roundrobin": "[   0.000s] railroad lights, round-robin: blue and yellow LEDs alternate every 150ms\n",
		"event":      "[   0.000s] railroad lights, event-driven: blue and yellow LEDs alternate every 150ms\n",
		"periodic":   "[   0.000s] railroad lights, periodic tasks: blue and yellow LEDs alternate every 150ms\n",
		"timers":     "[   0.000s] Task 1 - Blue LED Toggle initialized ...\n[   0.000s] Task 2 - Yellow LED Toggle initialized ...\n",
	} {
		args := []string{"run", "railroad", "--virtual", "--for", "1s", "--timestamps"}
		if tech != "" {
			args = append(args, "--technique", tech)
		}
		code, stdout, stderr := runArgs(t, args...)
		if code != exitOK || stdout != want || stderr != "" {
			t.Errorf("coop %s = %d, %q, %q; want 0, %q", strings.Join(args, " "), code, stdout, stderr, want)
		}
	}
}

// Threads run in real time: they toggle until --for, then stop cleanly;
// with --virtual they are bad usage.
func TestRailroad_threads(t *testing.T) {
	code, stdout, stderr := runArgs(t, "run", "railroad", "--technique", "threads", "--for", "300ms")
	if code != exitOK || stdout != "" || stderr != "" {
		t.Errorf("coop run railroad --technique threads --for 300ms = %d, %q, %q; want 0 and nothing printed", code, stdout, stderr)
	}
	code, stdout, _ = runArgs(t, "run", "railroad-threads", "--for", "300ms", "--report")
	if code != exitOK || !strings.Contains(stdout, "2 runs each, seed 0, real time\n") || !strings.Contains(stdout, "\nthreads ") {
		t.Errorf("coop run railroad-threads --for 300ms --report = %d\n%s", code, stdout)
	}
}

func TestRailroad_usage(t *testing.T) {
	for _, tt := range []struct {
		args   []string
		stderr string
	}{
		{[]string{"railroad", "--technique", "threads", "--virtual"}, "railroad --technique threads: threads run in real time, not in virtual time: leave out --virtual"},
		{[]string{"railroad-threads", "--virtual", "--for", "1s"}, "railroad-threads: threads run in real time, not in virtual time: leave out --virtual"},
		{[]string{"blink", "--technique", "async"}, "--technique: only for the railroad example (coop run railroad --technique async), not blink"},
		{[]string{"railroad-async", "--technique", "async"}, "--technique: only for the railroad example (coop run railroad --technique async), not railroad-async"},
		{[]string{"railroad", "--technique", "fast"}, `--technique "fast": not a technique (roundrobin, timers, event, threads, async, periodic, all)`},
		{[]string{"railroad", "--technique", "all", "--for", "1s"}, "--technique all: only with --report, which compares the techniques"},
		{[]string{"railroad", "--report", "--virtual"}, "--report: give the duration of each run with --for, such as --for 10s"},
		{[]string{"blink", "--report", "--for", "1s"}, "--report: only for the railroad examples (railroad-roundrobin, railroad-timers, railroad-threads, railroad-async, railroad), not blink"},
		{[]string{"railroad", "--work", "1ms", "--for", "1s"}, "--work: only with --report, which gives each toggle that much work"},
		{[]string{"railroad", "--work", "-1ms", "--report", "--for", "1s"}, "--work -1ms: the work must not be negative"},
		{[]string{"railroad", "--work", "lots", "--report", "--for", "1s"}, `--work "lots": not a duration (such as 1ms)`},
	} {
		code, stdout, stderr := runArgs(t, append([]string{"run"}, tt.args...)...)
		if want := "coop: " + tt.stderr + "\n"; code != exitUsage || stdout != "" || stderr != want {
			t.Errorf("coop run %s = %d, %q, %q; want %d, %q", strings.Join(tt.args, " "), code, stdout, stderr, exitUsage, want)
		}
	}
}
