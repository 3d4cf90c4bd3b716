package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop/bench"
	"github.com/coopgo/coop/internal/table"
	"github.com/coopgo/coop/sim/session/cli"
)

const benchHelp = `Usage: coop bench [flags]

Runs the scheduler's benchmarks (the same code as go test -bench in the
coop package) and prints the time of one op of each: wall time, and the
process's CPU time, which a busy machine disturbs less.

With --asyncio it runs the workloads side by side with their CPython
asyncio twins (and MicroPython's, when micropython is on PATH;
scripts/setup-micropython.sh builds its unix port): the same ops on each
side, N interleaved repetitions, medians and spread, the ratio in wall and
CPU time. A ratio is withheld when a side's spread shows the run was
disturbed, or when the two sides did not make the same awaits per op. A
second table, from the same repetitions, gives the lateness of timer and
ticker wake-ups on the real clock (p50 and p99), and the time and memory
of creating a million idle tasks.

Flags:

`

// benchConfig is what the flags of coop bench ask for.
type benchConfig struct {
	time    time.Duration
	asyncio bool
	reps    int
	ops     float64
	python  string
	scale   bool
	tasks   int
	idle    int
	memory  int
}

// benchFlags defines the flags of coop bench in fs.
func benchFlags(fs *flag.FlagSet) *benchConfig {
	c := &benchConfig{}
	fs.DurationVar(&c.time, "time", time.Second, "how long to run each benchmark, `D`")
	fs.BoolVar(&c.asyncio, "asyncio", false, "run the workloads side by side with their asyncio twins")
	fs.IntVar(&c.reps, "reps", 5, "repetitions of the side-by-side run, `N` (at least 3)")
	fs.Float64Var(&c.ops, "ops", 1, "the side-by-side run's ops as a fraction `F` of the default counts: less for a quick look, more for calm")
	fs.StringVar(&c.python, "python", "python3", "the Python to run the twins with, a `command`")
	fs.BoolVar(&c.scale, "scale", false, "the cost of spawn, wake and timer ops with 1k to 1M tasks, as a Markdown table, each size measured in a process of its own")
	fs.IntVar(&c.tasks, "scale-tasks", 0, "one row of the --scale table, with `N` tasks, measured in this process")
	fs.IntVar(&c.idle, "spawn-idle", 0, "create `N` idle tasks in this process and print wall ns, CPU ns and bytes per task (the coop side of --asyncio's Tasks1M, which runs it in a process of its own)")
	fs.IntVar(&c.memory, "memory", 0, "the memory of `N` idle tasks, beside bare coroutines")
	return c
}

// benchModes are the flags that each choose what coop bench runs instead
// of its benchmarks, in the order of its help.
var benchModes = []string{"asyncio", "memory", "scale", "scale-tasks", "spawn-idle"}

// check checks the flags fs parsed into c and the positional arguments:
// each number given in range, at most one of benchModes, and no flag
// that the run asked for would ignore.
func (c *benchConfig) check(fs *flag.FlagSet, pos []string) error {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var modes []string
	for _, m := range benchModes {
		if set[m] && fs.Lookup(m).Value.String() != "false" {
			modes = append(modes, "--"+m)
		}
	}
	switch {
	case len(pos) > 0:
		return fmt.Errorf("bench takes no arguments, got %q", pos[0])
	case c.time <= 0:
		return fmt.Errorf("bench: --time must be a positive duration, got %v", c.time)
	case c.ops <= 0:
		return fmt.Errorf("bench: --ops must be positive, got %v", c.ops)
	case c.reps < 3:
		return fmt.Errorf("bench: --reps must be at least 3 for a median and a spread, got %d", c.reps)
	case set["memory"] && c.memory <= 0:
		return fmt.Errorf("bench: --memory must be a positive number of tasks, got %d", c.memory)
	case set["spawn-idle"] && c.idle <= 0:
		return fmt.Errorf("bench: --spawn-idle must be a positive number of tasks, got %d", c.idle)
	case set["scale-tasks"] && c.tasks <= 0:
		return fmt.Errorf("bench: --scale-tasks must be a positive number of tasks, got %d", c.tasks)
	case len(modes) > 1:
		return fmt.Errorf("bench: %s: give only one of --asyncio, --memory, --scale, --scale-tasks and --spawn-idle", strings.Join(modes, ", "))
	case set["time"] && len(modes) > 0:
		return fmt.Errorf("bench: --time is for the benchmarks coop bench runs without %s", modes[0])
	}
	for _, f := range []string{"reps", "ops", "python"} {
		if set[f] && !c.asyncio {
			return fmt.Errorf("bench: --%s is for the side-by-side run: give it with --asyncio", f)
		}
	}
	return nil
}

// benchUsage is the help of coop bench.
func benchUsage() string {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	benchFlags(fs)
	return benchHelp + cli.FlagHelp(fs)
}

// benchCommand is `coop bench`.
func benchCommand(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	c := benchFlags(fs)
	pos, err := cli.ParseArgs(fs, "bench", args)
	if errors.Is(err, flag.ErrHelp) {
		return writeHelp(stdout, stderr, benchUsage())
	}
	if err == nil {
		err = c.check(fs, pos)
	}
	if err != nil {
		fmt.Fprintf(stderr, "coop: %v\n", err)
		return exitUsage
	}
	w := bufio.NewWriter(stdout)
	switch {
	case c.memory > 0:
		err = benchMemory(w, c.memory)
	case c.scale:
		err = benchScale(w)
	case c.tasks > 0:
		err = benchScaleRow(w, c.tasks)
	case c.idle > 0:
		err = benchSpawnIdle(w, c.idle)
	case c.asyncio:
		err = benchSideBySide(w, c.python, c.reps, c.ops)
	default:
		err = benchGo(w, c.time)
	}
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		fmt.Fprintf(stderr, "coop: bench: %v\n", err)
		return exitFail
	}
	return exitOK
}

// benchGo runs every benchmark for about d and prints its cost, a row
// as each ends.
func benchGo(w *bufio.Writer, d time.Duration) error {
	if err := setBenchTime(d.String()); err != nil {
		return err
	}
	t := table.New(table.Column{Title: "benchmark", Min: 15},
		table.Column{Title: "coop ns/op", Right: true, Min: 12},
		table.Column{Title: "cpu ns/op", Right: true, Min: 11},
		table.Column{Title: "allocs/op", Right: true, Min: 9},
		table.Column{Title: "one op"})
	fmt.Fprintln(w, t.Lines()[0])
	for _, bm := range bench.All() {
		r := testing.Benchmark(bm.Run)
		ns := float64(r.T.Nanoseconds()) / float64(max(r.N, 1))
		fmt.Fprintln(w, t.Row(bm.Name, fmt.Sprintf("%.1f", ns), fmt.Sprintf("%.1f", r.Extra["cpu-ns/op"]),
			strconv.FormatInt(r.AllocsPerOp(), 10), bm.Summary))
		if err := w.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// setBenchTime sets how long testing.Benchmark runs a benchmark, "1s" or
// "1000x": it reads the -test.benchtime flag, which testing.Init registers.
func setBenchTime(v string) error {
	testing.Init()
	if err := flag.Set("test.benchtime", v); err != nil {
		return fmt.Errorf("setting the benchmark time: %w", err)
	}
	return flag.Set("test.benchmem", "true")
}

// goOpsFactor is how many times more ops the Go side runs than the Python
// one in the side-by-side run.
const goOpsFactor = 10

// memoryTasks is how many idle tasks the side-by-side run measures the
// memory of.
const memoryTasks = 100_000

// sample is one run of one workload on one side.
type sample struct {
	wall, cpu, awaits float64 // per op (Tasks1M: per task)
	// The latency workloads: the p50 and p99 of the wake-ups' lateness,
	// ns, and how many wake-ups there were (Tasks1M: how many tasks).
	p50, p99 float64
	count    int
	bytes    float64 // Tasks1M: bytes held per task
}

// latencySample summarises the lateness of one run's wake-ups.
func latencySample(l bench.Lateness) sample {
	return sample{p50: float64(l.Percentile(50)), p99: float64(l.Percentile(99)), count: len(l)}
}

// latencyWorkload is a workload of the second table: each of its runs
// gives a sample, and an asyncio twin of the same name runs it with N.
type latencyWorkload struct {
	name, summary string
	n             int
	run           func(n int) (sample, error)
}

// latencyWorkloads returns the workloads of the second table, their sizes
// the default ones times opsFactor.
func latencyWorkloads(opsFactor float64) []latencyWorkload {
	timers := max(100, int(10_000*opsFactor))
	ticks := max(20, int(500*opsFactor))
	lateness := func(f func(n int) (bench.Lateness, error)) func(n int) (sample, error) {
		return func(n int) (sample, error) {
			l, err := f(n)
			return latencySample(l), err
		}
	}
	tick := func(busy bool) func(n int) (sample, error) {
		return lateness(func(n int) (bench.Lateness, error) { return bench.TickLateness(n, busy) })
	}
	return []latencyWorkload{
		{"Timers10k", fmt.Sprintf("%d tasks each sleep to its own deadline, %v apart over %v", timers,
			bench.TimerSpacing, time.Duration(timers)*bench.TimerSpacing), timers, lateness(bench.TimerLateness)},
		{"Ticker1ms", fmt.Sprintf("one task ticks every %v, %d ticks", bench.Tick, ticks), ticks, tick(false)},
		{"Ticker1msBusy", fmt.Sprintf("the same beside a task that computes %v then yields", bench.Busy), ticks, tick(true)},
		{"Tasks1M", "", max(1000, int(1_000_000*opsFactor)), spawnIdleApart},
	}
}

// benchApart runs coop bench flag n in a process of its own (this
// program, started again) and returns what it printed.
func benchApart(flag string, n int) ([]byte, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("finding this program to run coop bench %s %d apart: %w", flag, n, err)
	}
	cmd := exec.Command(self, "bench", flag, strconv.Itoa(n))
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("coop bench %s %d: %w", flag, n, err)
	}
	return out, nil
}

// spawnIdleApart runs coop bench --spawn-idle n in a process of its own,
// as the Python twin runs in a fresh interpreter: a million goroutines
// left in this one would slow every later garbage collection (the runtime
// keeps their descriptors) and grow the stacks it gives new goroutines.
func spawnIdleApart(n int) (sample, error) {
	out, err := benchApart("--spawn-idle", n)
	if err != nil {
		return sample{}, err
	}
	var s sample
	if _, err := fmt.Sscanf(string(out), "%g %g %g", &s.wall, &s.cpu, &s.bytes); err != nil {
		return sample{}, fmt.Errorf("coop bench --spawn-idle %d printed %q: %w", n, out, err)
	}
	s.count = n
	return s, nil
}

// benchSpawnIdle prints what bench.SpawnIdle measures of n tasks: wall
// ns, CPU ns and bytes per task, on one line.
func benchSpawnIdle(w *bufio.Writer, n int) error {
	s, err := bench.SpawnIdle(n)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%d %d %.0f\n", s.Cost.Wall.Nanoseconds(), s.Cost.CPU.Nanoseconds(), s.Bytes)
	return nil
}

// interpreter is a Python that runs the twins: its command, and the flags
// of its process of many tasks (Tasks1M and Memory), and how many idle
// tasks Memory measures.
type interpreter struct {
	cmd         []string
	apart       []string
	memoryTasks int
}

// side is one implementation's samples, by workload.
type side struct {
	name    string // "coop", "CPython 3.11.7"
	samples map[string][]sample
	memory  float64 // bytes per idle task
}

// benchSideBySide runs each workload with an asyncio twin reps times on
// each side, interleaved, and prints medians, spreads and ratios.
func benchSideBySide(w *bufio.Writer, python string, reps int, opsFactor float64) error {
	dir, err := os.MkdirTemp("", "coop-bench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	script := filepath.Join(dir, "asyncio_bench.py")
	if err := os.WriteFile(script, []byte(bench.AsyncioScript()), 0o644); err != nil {
		return err
	}
	var workloads []bench.Benchmark
	nMemory := max(1000, int(memoryTasks*opsFactor))
	interpreters := []interpreter{{cmd: []string{python}, memoryTasks: nMemory}}
	if mp, err := exec.LookPath("micropython"); err == nil {
		// MicroPython takes about a minute to start and end 100,000 idle
		// tasks, and half a second for 10,000, which hold the same bytes
		// each. Its heap is fixed at start, 2 MB by default on 64-bit
		// unix: too small for them, while one big enough makes the
		// throughput workloads several times slower (Event ping-pong 31 µs
		// an op on 2 MB, 239 µs on 113 MB), so only the process of many
		// tasks gets it.
		n := max(1000, nMemory/10)
		interpreters = append(interpreters, interpreter{cmd: []string{mp}, memoryTasks: n,
			apart: []string{"-X", fmt.Sprintf("heapsize=%dM", 16+n>>10)}})
	}
	latency := latencyWorkloads(opsFactor)
	// The throughput workloads and the real-clock ones run in one Python
	// process; Tasks1M and Memory in another, as coop's million tasks run
	// in a process of their own: many tasks leave the interpreter's heap
	// grown, and CPython measures Memory by tracing allocations, which
	// makes every allocation dearer while it lasts (the script stops it,
	// and refuses to time a workload while it traces).
	tasks1M := fmt.Sprintf("Tasks1M=%d", latency[len(latency)-1].n)
	var args []string
	for _, bm := range bench.All() {
		if bm.Asyncio > 0 {
			bm.Asyncio = max(1, int(float64(bm.Asyncio)*opsFactor))
			workloads = append(workloads, bm)
			args = append(args, fmt.Sprintf("%s=%d", bm.Name, bm.Asyncio))
		}
	}
	for _, lw := range latency[:len(latency)-1] {
		args = append(args, fmt.Sprintf("%s=%d", lw.name, lw.n))
	}
	// Memory first, while no goroutine of this process has run yet (see
	// bench.MeasureMemory).
	mem, err := bench.MeasureMemory(nMemory)
	if err != nil {
		return err
	}
	goSide := &side{name: "coop", samples: map[string][]sample{}}
	pySides := make([]*side, len(interpreters))
	// The first round warms both sides up (caches, the Go heap's size,
	// CPython's allocator) and is not counted.
	for rep := -1; rep < reps; rep++ {
		for i, py := range interpreters {
			s, err := runTwins(py.cmd, script, args)
			if err == nil {
				var apart *side
				if apart, err = runTwins(slices.Concat(py.cmd, py.apart), script,
					[]string{tasks1M, fmt.Sprintf("Memory=%d", py.memoryTasks)}); err == nil {
					maps.Copy(s.samples, apart.samples)
					s.memory = apart.memory
				}
			}
			if err != nil {
				if i > 0 { // MicroPython is a bonus: say why, and go on without it
					fmt.Fprintf(w, "MicroPython left out: %v\n", err)
					interpreters, pySides = interpreters[:1], pySides[:1]
					break
				}
				return err
			}
			if rep < 0 {
				continue
			}
			if pySides[i] == nil {
				pySides[i] = &side{name: s.name, samples: map[string][]sample{}, memory: s.memory}
			}
			for k, v := range s.samples {
				pySides[i].samples[k] = append(pySides[i].samples[k], v...)
			}
		}
		for _, bm := range workloads {
			// Go runs goOpsFactor times more ops of the same work than
			// Python, so that its runs are timed over a comparable span.
			if err := setBenchTime(fmt.Sprintf("%dx", goOpsFactor*bm.Asyncio)); err != nil {
				return err
			}
			r := testing.Benchmark(bm.Run)
			if r.N == 0 {
				return fmt.Errorf("benchmark %s failed", bm.Name)
			}
			if rep < 0 {
				continue
			}
			goSide.samples[bm.Name] = append(goSide.samples[bm.Name], sample{
				wall:   float64(r.T.Nanoseconds()) / float64(r.N),
				cpu:    r.Extra["cpu-ns/op"],
				awaits: r.Extra["awaits/op"],
			})
		}
		// The real-clock workloads run here, in this process, with
		// nothing else running: the Python side has ended and so have
		// the benchmarks' goroutines. Tasks1M runs in a process of its
		// own.
		for _, lw := range latency {
			s, err := lw.run(lw.n)
			if err != nil {
				return fmt.Errorf("%s: %w", lw.name, err)
			}
			if rep >= 0 {
				goSide.samples[lw.name] = append(goSide.samples[lw.name], s)
			}
		}
	}
	fmt.Fprintf(w, "%d interleaved runs of each side; medians, ±spread: interquartile range/median; ratio = other/coop\n", reps)
	fmt.Fprintf(w, "\nmemory per idle task, %d waiting on an event: coop %.0f B heap + %.0f B goroutine stack", nMemory, mem.Heap, mem.Stack)
	for i, py := range pySides {
		fmt.Fprintf(w, "; %s %.0f B", py.name, py.memory)
		if n := interpreters[i].memoryTasks; n != nMemory {
			fmt.Fprintf(w, " (of %d)", n)
		}
	}
	fmt.Fprintln(w, " (coop's goroutine descriptors not counted here: see coop bench --memory)")
	for _, py := range pySides {
		t := table.New(table.Column{Title: "workload"},
			table.Column{Title: "coop wall ns", Right: true}, table.Column{Title: py.name + " wall", Right: true},
			table.Column{Title: "ratio", Right: true},
			table.Column{Title: "coop CPU ns", Right: true}, table.Column{Title: py.name + " CPU", Right: true},
			table.Column{Title: "ratio", Right: true}, table.Column{Title: "one op"})
		for _, bm := range workloads {
			g, p := goSide.samples[bm.Name], py.samples[bm.Name]
			if len(p) == 0 {
				t.Add(bm.Name, "-", "-", "-", "-", "-", "-", py.name+" has no twin")
				continue
			}
			note := sameWork(g, p)
			t.Add(bm.Name, stat(g, wallOf), stat(p, wallOf), ratio(g, p, wallOf, note),
				stat(g, cpuOf), stat(p, cpuOf), ratio(g, p, cpuOf, note), bm.Summary+note)
		}
		fmt.Fprint(w, "\n"+t.String())
	}
	fmt.Fprintln(w, "\nreal-clock lateness, wake-up time less deadline: µs p50 / p99 ±spread of the p99; ratio = other/coop of the p99")
	for _, py := range pySides {
		fmt.Fprint(w, "\n"+latencyTable(goSide, py, latency).String())
	}
	return nil
}

// latencyTable lays out the second table: the latency workloads, and
// Tasks1M's time and memory, of coop and py.
func latencyTable(g, py *side, latency []latencyWorkload) *table.Table {
	t := table.New(table.Column{Title: "workload"}, table.Column{Title: "coop", Right: true},
		table.Column{Title: py.name, Right: true}, table.Column{Title: "ratio", Right: true}, table.Column{Title: "what"})
	for _, lw := range latency {
		gs, ps := g.samples[lw.name], py.samples[lw.name]
		if len(ps) == 0 {
			t.Add(lw.name, "-", "-", "-", py.name+" has no twin")
			continue
		}
		note := sameCount(gs, ps, lw.name == "Tasks1M")
		if lw.name != "Tasks1M" {
			t.Add(lw.name, latencyStat(gs), latencyStat(ps), latencyRatio(gs, ps, note), lw.summary+note)
			continue
		}
		what := fmt.Sprintf("create %d tasks that wait on one event, run each to its wait", lw.n)
		t.Add(lw.name+" wall", stat(gs, wallOf), stat(ps, wallOf), ratio(gs, ps, wallOf, note), "ns per task: "+what+note)
		t.Add(lw.name+" CPU", stat(gs, cpuOf), stat(ps, cpuOf), ratio(gs, ps, cpuOf, note), "CPU ns per task, the same")
		t.Add(lw.name+" memory", stat(gs, bytesOf), stat(ps, bytesOf), ratio(gs, ps, bytesOf, note),
			"bytes per waiting task: coop heap, goroutine and stack, CPython resident memory, each in a fresh process")
	}
	return t
}

func p50Of(s sample) float64   { return s.p50 }
func p99Of(s sample) float64   { return s.p99 }
func bytesOf(s sample) float64 { return s.bytes }

// latencyStat is "p50 / p99 ±spread" of the medians of ss, in µs; the
// spread is the p99's.
func latencyStat(ss []sample) string {
	p50, _ := median(ss, p50Of)
	p99, spread := median(ss, p99Of)
	return fmt.Sprintf("%s / %s ±%.0f%%", micros(p50), micros(p99), 100*spread)
}

// micros formats ns as µs: one decimal under 10 µs.
func micros(ns float64) string {
	if us := ns / 1e3; us < 10 && us > -10 {
		return fmt.Sprintf("%.1f", us)
	}
	return fmt.Sprintf("%.0f", ns/1e3)
}

// subMicro is the p99 under which a lateness is the clock's own
// resolution and a ratio of two such would mean nothing.
const subMicro = 1000 // ns

// latencyRatio is the ratio of the p99s, other/coop, or why there is none:
// the same rules as [ratio], and none when coop's p99 is under a µs.
func latencyRatio(g, p []sample, note string) string {
	gm, _ := median(g, p99Of)
	pm, _ := median(p, p99Of)
	switch {
	case note != "":
		return "-"
	case gm < subMicro && pm < subMicro:
		return "both under 1µs"
	case gm < subMicro:
		return "coop under 1µs"
	}
	return ratio(g, p, p99Of, note)
}

// sameCount checks that every run of both sides woke as many times (or,
// for tasks, made as many tasks).
func sameCount(g, p []sample, tasks bool) string {
	what := "wake-ups"
	if tasks {
		what = "tasks"
	}
	for _, s := range append(g[1:len(g):len(g)], p...) {
		if s.count != g[0].count {
			return fmt.Sprintf(" (not the same work: %d %s against %d)", g[0].count, what, s.count)
		}
	}
	return ""
}

func wallOf(s sample) float64 { return s.wall }
func cpuOf(s sample) float64  { return s.cpu }

// median returns the median of f over ss and its spread: the
// interquartile range (the middle half of the runs, quartiles
// interpolated between runs) over the median. One run disturbed at
// either end, among five, leaves both alone; a range (max-min) would
// take that one run's word over the other four's.
func median(ss []sample, f func(sample) float64) (med, spread float64) {
	v := make([]float64, len(ss))
	for i, s := range ss {
		v[i] = f(s)
	}
	slices.Sort(v)
	med = quantile(v, 0.5)
	if med > 0 {
		spread = (quantile(v, 0.75) - quantile(v, 0.25)) / med
	}
	return med, spread
}

// quantile is the q-quantile of the sorted v, interpolated linearly
// between the two runs nearest to position q·(len(v)-1).
func quantile(v []float64, q float64) float64 {
	pos := q * float64(len(v)-1)
	i := int(pos)
	if i+1 >= len(v) {
		return v[len(v)-1]
	}
	return v[i] + (pos-float64(i))*(v[i+1]-v[i])
}

func stat(ss []sample, f func(sample) float64) string {
	med, spread := median(ss, f)
	return fmt.Sprintf("%.0f ±%.0f%%", med, 100*spread)
}

// maxSpread is the spread past which a side's runs disagree too much for
// its median to be trusted: something else took the machine meanwhile,
// in more than one run of four.
const maxSpread = 0.3

// ratio returns other/coop, or why it is withheld.
func ratio(g, p []sample, f func(sample) float64, note string) string {
	gm, gs := median(g, f)
	pm, ps := median(p, f)
	switch {
	case note != "":
		return "-"
	case gm <= 0 || pm <= 0:
		return "n/a"
	case gs > maxSpread || ps > maxSpread:
		return "disturbed"
	}
	r := pm / gm
	if r < 0.1 || r > 10_000 {
		return "absurd" // a broken measurement, not a speed-up
	}
	return fmt.Sprintf("%.1fx", r)
}

// sameWork checks that both sides made the same awaits per op.
func sameWork(g, p []sample) string {
	ga, _ := median(g, func(s sample) float64 { return s.awaits })
	pa, _ := median(p, func(s sample) float64 { return s.awaits })
	if ga <= 0 || pa <= 0 || ga/pa < 0.99 || ga/pa > 1.01 {
		return fmt.Sprintf(" (not the same work: %.2f awaits/op against %.2f)", ga, pa)
	}
	return ""
}

// runTwins runs the asyncio twins once with python (the interpreter and
// its flags) and returns their samples by workload.
func runTwins(python []string, script string, args []string) (*side, error) {
	out, err := exec.Command(python[0], slices.Concat(python[1:], []string{script}, args)...).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, fmt.Errorf("%s asyncio_bench.py failed: %v: %s", python[0], err, strings.TrimSpace(string(ee.Stderr)))
		}
		return nil, fmt.Errorf("running the asyncio benchmarks needs Python 3 (--python): %w", err)
	}
	return parseTwinLines(string(out))
}

// parseTwinLines reads "python IMPL VERSION" and "NAME N WALL CPU AWAITS"
// lines, and the others asyncio_bench.py prints. A workload the
// interpreter cannot run ("NAME unsupported") has no samples.
func parseTwinLines(out string) (*side, error) {
	s := &side{samples: map[string][]sample{}}
	answered := 0 // lines with a result, or saying there is none
	for line := range strings.Lines(out) {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] != "python" {
			answered++
		}
		switch {
		case len(f) == 2 && f[1] == "unsupported": // no samples
		case len(f) == 3 && f[0] == "python":
			impl := map[string]string{"cpython": "CPython", "micropython": "MicroPython"}[f[1]]
			if impl == "" {
				impl = f[1]
			}
			s.name = impl + " " + f[2]
		case len(f) == 3 && f[0] == "Memory":
			x, err := strconv.ParseFloat(f[2], 64)
			if err != nil {
				return nil, fmt.Errorf("asyncio benchmark line %q: %w", strings.TrimSpace(line), err)
			}
			s.memory = x
		case len(f) >= 2 && f[1] == "latency":
			l := make(bench.Lateness, len(f)-2)
			for i, x := range f[2:] {
				ns, err := strconv.ParseInt(x, 10, 64)
				if err != nil {
					return nil, fmt.Errorf("asyncio benchmark %s: lateness %q: %w", f[0], x, err)
				}
				l[i] = time.Duration(ns)
			}
			s.samples[f[0]] = append(s.samples[f[0]], latencySample(l))
		case len(f) == 6 && f[1] == "spawn":
			var v [4]float64
			for i := range v {
				x, err := strconv.ParseFloat(f[i+2], 64)
				if err != nil {
					return nil, fmt.Errorf("asyncio benchmark line %q: %w", strings.TrimSpace(line), err)
				}
				v[i] = x
			}
			s.samples[f[0]] = append(s.samples[f[0]], sample{count: int(v[0]), wall: v[1], cpu: v[2], bytes: v[3]})
		case len(f) == 5:
			var v [4]float64
			for i := range v {
				x, err := strconv.ParseFloat(f[i+1], 64)
				if err != nil {
					return nil, fmt.Errorf("asyncio benchmark line %q: %w", strings.TrimSpace(line), err)
				}
				v[i] = x
			}
			s.samples[f[0]] = append(s.samples[f[0]], sample{wall: v[1], cpu: v[2], awaits: v[3]})
		}
	}
	if s.name == "" || answered == 0 {
		return nil, fmt.Errorf("the asyncio benchmarks printed no results: %q", out)
	}
	return s, nil
}

// scaleSizes are the rows of coop bench --scale.
var scaleSizes = [...]int{1_000, 10_000, 100_000, 1_000_000}

// benchScale prints the cost of spawn, wake and timer ops from 1k to 1M
// tasks, as a Markdown table. Each row is measured by a process of its
// own (coop bench --scale-tasks N), so that every size starts from a
// fresh runtime: spawning makes new goroutines, and a process that ended
// tasks before would hand their stacks back out.
func benchScale(w *bufio.Writer) error {
	fmt.Fprintln(w, "| tasks | spawn | floor: create a coroutine | wake, 64 busy | timer, 64 busy | wake, every task | timer, every task | floor: resume every coroutine |")
	fmt.Fprintln(w, "|---:|---:|---:|---:|---:|---:|---:|---:|")
	w.Flush()
	for _, n := range scaleSizes {
		out, err := benchApart("--scale-tasks", n)
		if err != nil {
			return err
		}
		w.Write(out)
		w.Flush()
	}
	fmt.Fprintln(w, "\nEach cell: CPU time per op (wall time per op), virtual clock. Busy: 64 tasks")
	fmt.Fprintln(w, "work while the others wait on an event or on timers an hour ahead. Every: each")
	fmt.Fprintln(w, "task in turn, so each op finds a cold task and stack, like its floor.")
	return nil
}

// benchScaleRow prints the row of the --scale table for n tasks.
func benchScaleRow(w *bufio.Writer, n int) error {
	r, err := bench.MeasureScale(n)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", count(n),
		cost(r.Spawn), cost(r.SpawnFloor), cost(r.BusyWake), cost(r.BusyTimer),
		cost(r.EveryWake), cost(r.EveryTimer), cost(r.EveryFloor))
	return nil
}

func count(n int) string {
	switch {
	case n >= 1_000_000:
		return strconv.Itoa(n/1_000_000) + "M"
	case n >= 1_000:
		return strconv.Itoa(n/1_000) + "k"
	}
	return strconv.Itoa(n)
}

func cost(c bench.Cost) string {
	return fmt.Sprintf("%v (%v)", roundCost(c.CPU), roundCost(c.Wall))
}

func roundCost(d time.Duration) time.Duration {
	if d >= 10*time.Microsecond {
		return d.Round(100 * time.Nanosecond)
	}
	return d.Round(time.Nanosecond)
}

// benchMemory prints what n idle tasks hold. It must be the first thing
// the process does (see bench.MeasureMemory).
func benchMemory(w *bufio.Writer, n int) error {
	m, err := bench.MeasureMemory(n)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%d idle tasks (each waiting on an event):\n", n)
	fmt.Fprintf(w, "  heap per task        %6.0f B  (coop's own %.0f B, the rest iter.Pull's closures)\n", m.Heap, m.Own)
	fmt.Fprintf(w, "  goroutine descriptor %6.0f B\n", m.G)
	fmt.Fprintf(w, "  goroutine stack      %6.0f B\n", m.Stack)
	fmt.Fprintf(w, "  in all               %6.0f B per task, %.0f MB for %d\n", m.Total(), m.Total()*float64(n)/1e6, n)
	fmt.Fprintf(w, "  creation             %v per task (%v for %d), bare coroutines %v per coroutine\n",
		m.Create/time.Duration(n), m.Create.Round(time.Millisecond), n, m.PullCreate/time.Duration(n))
	return nil
}
