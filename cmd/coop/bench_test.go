package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/coopgo/coop/bench"
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
	names := []string{"PullFloor", "LoopFloor", "PingPongFloor", "Step", "StepRealClock", "SpawnWait", "Yield", "EventPingPong", "Queue",
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
	if code := run([]string{"bench", "--asyncio", "--reps", "3", "--ops", "0.01"}, nil, &out, &errOut); code != exitOK {
		t.Fatalf("coop bench --asyncio = %d, stderr %q", code, errOut.String())
	}
	// A ratio, or the word saying why there is none; never "not the same
	// work", which means a twin does not do what its Go workload does.
	row := regexp.MustCompile(`(?m)^Yield +[0-9]+ ±[0-9]+% +[0-9]+ ±[0-9]+% +([0-9.]+x|disturbed) .*  two tasks yield once each$`)
	if !row.MatchString(out.String()) {
		t.Errorf("no side-by-side Yield row in:\n%s", out.String())
	}
	// Under the race detector coop's side of Tasks1M is many times
	// slower than it is, and its ratio may be called absurd.
	for line := range strings.Lines(out.String()) {
		if strings.Contains(line, "not the same work") ||
			strings.Contains(line, "absurd") && !(race && strings.HasPrefix(line, "Tasks1M")) {
			t.Errorf("a twin does not match its workload: %s\n%s", strings.TrimSpace(line), out.String())
		}
	}
	// The second table: lateness p50 / p99 with the p99's spread, on
	// each side, then the ratio or why there is none; --ops 0.01 makes
	// 100 timers, 20 ticks and 10,000 tasks.
	lat := `-?[0-9.]+ / -?[0-9.]+ ±[0-9]+%`
	why := `([0-9.]+x|disturbed|both under 1µs|coop under 1µs)`
	cost := `[0-9]+ ±[0-9]+%`
	costWhy := why
	if race {
		costWhy = `([0-9.]+x|disturbed|absurd)`
	}
	rows := []string{
		`Timers10k +` + lat + ` +` + lat + ` +` + why + `  100 tasks each sleep to its own deadline, 50µs apart over 5ms`,
		`Ticker1ms +` + lat + ` +` + lat + ` +` + why + `  one task ticks every 1ms, 20 ticks`,
		`Ticker1msBusy +` + lat + ` +` + lat + ` +` + why + `  the same beside a task that computes 200µs then yields`,
		`Tasks1M wall +` + cost + ` +` + cost + ` +` + costWhy + `  ns per task: create 10000 tasks that wait on one event, run each to its wait`,
		`Tasks1M CPU +` + cost + ` +` + cost + ` +` + costWhy + `  CPU ns per task, the same`,
		`Tasks1M memory +` + cost + ` +` + cost + ` +` + costWhy + `  bytes per waiting task: coop heap, goroutine and stack, CPython resident memory, each in a fresh process`,
	}
	second := regexp.MustCompile(`(?s)\nworkload +coop +CPython [0-9.]+ +ratio  what\n(.*)$`).FindStringSubmatch(out.String())
	if second == nil {
		t.Fatalf("no latency table in:\n%s", out.String())
	}
	// MicroPython's table follows when micropython is on PATH.
	rowsText, _, _ := strings.Cut(second[1], "\n\n")
	got := strings.Split(strings.TrimRight(rowsText, "\n"), "\n")
	if len(got) != len(rows) {
		t.Fatalf("the latency table has %d rows, want %d:\n%s", len(got), len(rows), rowsText)
	}
	for i, r := range rows {
		if !regexp.MustCompile(`^` + r + `$`).MatchString(got[i]) {
			t.Errorf("latency row %q does not match %q", got[i], r)
		}
	}
}

// twinScript writes asyncio_bench.py for a test that runs it with python,
// or skips the test if python is not on PATH.
func twinScript(t *testing.T, python string) string {
	t.Helper()
	if _, err := exec.LookPath(python); err != nil {
		t.Skipf("%s is not on PATH: the asyncio twins cannot run (scripts/setup-micropython.sh builds micropython)", python)
	}
	script := filepath.Join(t.TempDir(), "asyncio_bench.py")
	if err := os.WriteFile(script, []byte(bench.AsyncioScript()), 0o644); err != nil {
		t.Fatal(err)
	}
	return script
}

// TestBenchTwinsUntraced checks that a workload timed after Memory in
// the same CPython process runs untraced: tracemalloc, which Memory
// measures with, makes every allocation about three times dearer, and
// the script refuses to time a workload while it traces.
func TestBenchTwinsUntraced(t *testing.T) {
	script := twinScript(t, "python3")
	py, err := runTwins([]string{"python3"}, script, []string{"Memory=100", "Yield=10", "Ticker1ms=2", "Tasks1M=10"})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Yield", "Ticker1ms", "Tasks1M"} {
		if len(py.samples[name]) != 1 {
			t.Errorf("%s after Memory: %d results, want 1", name, len(py.samples[name]))
		}
	}
	if py.memory <= 0 {
		t.Errorf("Memory measured %v bytes per task, want more than 0", py.memory)
	}
}

// TestBenchTwinsMicroPython runs the twins on MicroPython's unix port
// (scripts/setup-micropython.sh builds it), when it is on PATH: each of
// them does the Go workload's awaits, and those its asyncio cannot run
// say so.
func TestBenchTwinsMicroPython(t *testing.T) {
	script := twinScript(t, "micropython")
	py, err := runTwins([]string{"micropython", "-X", "heapsize=16M"}, script, []string{"SpawnWait=10", "Yield=10",
		"EventPingPong=10", "Queue=10", "QueuePingPong=10", "CrossThreadWake=10", "Gather1000=1",
		"Timers10k=10", "Tasks1M=10", "Memory=100"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(py.name, "MicroPython 1.") {
		t.Errorf("the interpreter is %q, want MicroPython 1.x", py.name)
	}
	awaits := map[string]float64{"SpawnWait": 2, "Yield": 2, "EventPingPong": 2, "CrossThreadWake": 1, "Gather1000": 1000}
	for name, want := range awaits {
		if s := py.samples[name]; len(s) != 1 || s[0].awaits != want {
			t.Errorf("%s: %+v, want one result of %v awaits an op", name, s, want)
		}
	}
	for _, name := range []string{"Queue", "QueuePingPong", "Timers10k", "Tasks1M"} {
		if s, ok := py.samples[name]; ok {
			t.Errorf("%s: %+v, want none: MicroPython's asyncio has no twin of it", name, s)
		}
	}
	if py.memory <= 0 {
		t.Errorf("Memory measured %v bytes per task, want more than 0", py.memory)
	}
}

// TestBenchTwinsCount checks that the asyncio twins of the latency
// workloads do the Go side's work: as many wake-ups, as many tasks.
func TestBenchTwinsCount(t *testing.T) {
	script := twinScript(t, "python3")
	sizes := map[string]int{"Timers10k": 137, "Ticker1ms": 7, "Ticker1msBusy": 5, "Tasks1M": 1000}
	var args []string
	for _, lw := range latencyWorkloads(0) {
		args = append(args, fmt.Sprintf("%s=%d", lw.name, sizes[lw.name]))
	}
	py, err := runTwins([]string{"python3"}, script, args)
	if err != nil {
		t.Fatal(err)
	}
	for _, lw := range latencyWorkloads(0) {
		n := sizes[lw.name]
		g, err := lw.run(n)
		if err != nil {
			t.Fatalf("%s(%d): %v", lw.name, n, err)
		}
		p := py.samples[lw.name]
		if len(p) != 1 {
			t.Fatalf("the twin of %s printed %d results, want 1: %v", lw.name, len(p), py.samples)
		}
		if g.count != n || p[0].count != n {
			t.Errorf("%s(%d): coop counted %d, the twin %d, want %d each", lw.name, n, g.count, p[0].count, n)
		}
		if note := sameCount([]sample{g}, p, lw.name == "Tasks1M"); note != "" {
			t.Errorf("sameCount(%s) = %q, want none", lw.name, note)
		}
	}
	if s := py.samples["Tasks1M"][0]; s.wall <= 0 || s.bytes <= 0 {
		t.Errorf("the twin of Tasks1M measured %v ns and %v bytes per task, want both positive", s.wall, s.bytes)
	}
}

func TestBenchParseLatency(t *testing.T) {
	s, err := parseTwinLines("python cpython 3.11.7\nTicker1ms latency 300 100 -5 200\nTasks1M spawn 1000 2500.5 2400 1100\nTicker1msBusy unsupported\n")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]sample{
		"Ticker1ms": {{p50: 100, p99: 300, count: 4}},
		"Tasks1M":   {{wall: 2500.5, cpu: 2400, bytes: 1100, count: 1000}},
	}
	if !reflect.DeepEqual(s.samples, want) {
		t.Errorf("parseTwinLines = %+v, want %+v", s.samples, want)
	}
	if _, err := parseTwinLines("python cpython 3.11.7\nTicker1ms latency 300 x\n"); err == nil {
		t.Error("parseTwinLines of a lateness \"x\" succeeded, want an error")
	}
	// MicroPython has no twin of Tasks1M: a run of it alone answers, with
	// no samples.
	s, err = parseTwinLines("python micropython 1.29.0\nTasks1M unsupported\n")
	if err != nil || s.name != "MicroPython 1.29.0" || len(s.samples) != 0 {
		t.Errorf("parseTwinLines of an unsupported workload = %+v, %v; want MicroPython 1.29.0 with no samples", s, err)
	}
	if _, err := parseTwinLines("python cpython 3.11.7\n"); err == nil {
		t.Error("parseTwinLines of no results succeeded, want an error")
	}
}

func TestBenchLatencyRatio(t *testing.T) {
	p99s := func(count int, ns ...float64) []sample {
		var ss []sample
		for _, v := range ns {
			ss = append(ss, sample{p50: v / 2, p99: v, count: count})
		}
		return ss
	}
	tests := []struct {
		g, p []sample
		want string
	}{
		{p99s(500, 100_000, 110_000, 105_000), p99s(500, 300_000, 320_000, 310_000), "3.0x"},
		{p99s(500, 100_000, 310_000, 105_000), p99s(500, 300_000, 320_000, 310_000), "disturbed"},
		{p99s(500, 100_000, 110_000, 105_000), p99s(500, 300_000, 900_000, 310_000), "disturbed"},
		{p99s(500, 400, 500, 450), p99s(500, 800, 900, 850), "both under 1µs"},
		{p99s(500, 400, 500, 450), p99s(500, 300_000, 320_000, 310_000), "coop under 1µs"},
		{p99s(500, 100_000, 110_000, 105_000), p99s(499, 300_000, 320_000, 310_000), "-"},
	}
	for _, tt := range tests {
		if got := latencyRatio(tt.g, tt.p, sameCount(tt.g, tt.p, false)); got != tt.want {
			t.Errorf("latencyRatio(%v, %v) = %q, want %q", tt.g, tt.p, got, tt.want)
		}
	}
	if got, want := sameCount(p99s(500, 1, 1), p99s(499, 1), false), " (not the same work: 500 wake-ups against 499)"; got != want {
		t.Errorf("sameCount = %q, want %q", got, want)
	}
	if got, want := latencyStat(p99s(25, 2_000, 1_000_000, 3_000)), "1.5 / 3.0 ±16633%"; got != want {
		t.Errorf("latencyStat = %q, want %q", got, want)
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
		// One run of five disturbed, at either end, leaves the median
		// and the middle half alone; two at one end do not.
		{same(100, 104, 400, 102, 106), same(2000, 2100, 2050, 2020, 2080), "19.7x"},
		{same(100, 104, 40, 102, 106), same(2000, 9000, 2050, 2020, 2080), "20.1x"},
		{same(100, 104, 400, 102, 300), same(2000, 2100, 2050, 2020, 2080), "disturbed"},
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
		{[]string{"bench", "--spawn-idle", "-5"}, "coop: bench: --spawn-idle must be a positive number of tasks, got -5\n"},
		{[]string{"bench", "--scale-tasks", "-5"}, "coop: bench: --scale-tasks must be a positive number of tasks, got -5\n"},
		{[]string{"bench", "--memory", "0"}, "coop: bench: --memory must be a positive number of tasks, got 0\n"},
		{[]string{"bench", "--spawn-idle", "0"}, "coop: bench: --spawn-idle must be a positive number of tasks, got 0\n"},
		{[]string{"bench", "--scale-tasks", "0"}, "coop: bench: --scale-tasks must be a positive number of tasks, got 0\n"},
		{[]string{"bench", "--memory", "10", "--scale"}, "coop: bench: --memory, --scale: give only one of --asyncio, --memory, --scale, --scale-tasks and --spawn-idle\n"},
		{[]string{"bench", "--asyncio", "--spawn-idle", "10", "--scale-tasks", "10"}, "coop: bench: --asyncio, --scale-tasks, --spawn-idle: give only one of --asyncio, --memory, --scale, --scale-tasks and --spawn-idle\n"},
		{[]string{"bench", "--asyncio", "--time", "1ms"}, "coop: bench: --time is for the benchmarks coop bench runs without --asyncio\n"},
		{[]string{"bench", "--memory", "10", "--time", "1ms"}, "coop: bench: --time is for the benchmarks coop bench runs without --memory\n"},
		{[]string{"bench", "--reps", "5"}, "coop: bench: --reps is for the side-by-side run: give it with --asyncio\n"},
		{[]string{"bench", "--scale", "--ops", "0.1"}, "coop: bench: --ops is for the side-by-side run: give it with --asyncio\n"},
		{[]string{"bench", "--python", "python3"}, "coop: bench: --python is for the side-by-side run: give it with --asyncio\n"},
		{[]string{"bench", "--asyncio", "--python", "/nonexistent/python"}, ""},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		code := run(tt.args, nil, &out, &errOut)
		if code == exitOK {
			t.Errorf("coop %v succeeded, want a failure", tt.args)
		}
		if tt.want != "" && (code != exitUsage || errOut.String() != tt.want) {
			t.Errorf("coop %v = %d, stderr %q; want %d, %q", tt.args, code, errOut.String(), exitUsage, tt.want)
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
