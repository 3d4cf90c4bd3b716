package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
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
coop package) and prints the time of one op of each.

Flags:

`

// benchFlags defines the flags of coop bench in fs.
func benchFlags(fs *flag.FlagSet) (d *time.Duration, withPy *bool, python *string) {
	d = fs.Duration("time", time.Second, "how long to run each benchmark, `D`")
	withPy = fs.Bool("asyncio", false, "also run their CPython asyncio twins and print the speed-up")
	python = fs.String("python", "python3", "the Python to run them with, a `command`")
	return d, withPy, python
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
	d, withPy, python := benchFlags(fs)
	pos, err := cli.ParseArgs(fs, "bench", args)
	if errors.Is(err, flag.ErrHelp) {
		return writeHelp(stdout, stderr, benchUsage())
	}
	if err == nil && len(pos) > 0 {
		err = fmt.Errorf("bench takes no arguments, got %q", pos[0])
	}
	if err != nil {
		fmt.Fprintf(stderr, "coop: %v\n", err)
		return exitUsage
	}
	if *d <= 0 {
		fmt.Fprintf(stderr, "coop: bench: --time must be a positive duration, got %v\n", *d)
		return exitUsage
	}
	var py map[string]float64
	if *withPy {
		var err error
		if py, err = runAsyncio(*python, *d); err != nil {
			fmt.Fprintf(stderr, "coop: bench: %v\n", err)
			return exitFail
		}
	}
	if err := setBenchTime(*d); err != nil {
		fmt.Fprintf(stderr, "coop: bench: %v\n", err)
		return exitFail
	}
	cols := []table.Column{{Title: "benchmark", Min: 14}, {Title: "coop ns/op", Right: true, Min: 12}}
	if py != nil {
		cols = append(cols, table.Column{Title: "asyncio ns/op", Right: true, Min: 14}, table.Column{Title: "speed-up", Right: true, Min: 9})
	} else {
		cols = append(cols, table.Column{Title: "allocs/op", Right: true, Min: 10})
	}
	t := table.New(append(cols, table.Column{Title: "one op"})...)
	// The rows are printed as the benchmarks end, in columns wide enough.
	if _, err := fmt.Fprintln(stdout, t.Lines()[0]); err != nil {
		fmt.Fprintf(stderr, "coop: bench: %v\n", err)
		return exitFail
	}
	for _, bm := range bench.All() {
		r := testing.Benchmark(bm.Run)
		ns := float64(r.T.Nanoseconds()) / float64(max(r.N, 1))
		var row string
		switch p, ok := py[bm.Name]; {
		case py == nil:
			row = t.Row(bm.Name, fmt.Sprintf("%.1f", ns), strconv.FormatInt(r.AllocsPerOp(), 10), bm.Summary)
		case ok:
			row = t.Row(bm.Name, fmt.Sprintf("%.1f", ns), fmt.Sprintf("%.1f", p), fmt.Sprintf("%.1fx", p/ns), bm.Summary)
		default:
			row = t.Row(bm.Name, fmt.Sprintf("%.1f", ns), "-", "-", bm.Summary)
		}
		if _, err := fmt.Fprintln(stdout, row); err != nil {
			fmt.Fprintf(stderr, "coop: bench: %v\n", err)
			return exitFail
		}
	}
	return exitOK
}

// setBenchTime makes testing.Benchmark aim for d per benchmark: it reads
// the -test.benchtime flag, which testing.Init registers.
func setBenchTime(d time.Duration) error {
	testing.Init()
	if err := flag.Set("test.benchtime", d.String()); err != nil {
		return fmt.Errorf("setting the benchmark time: %w", err)
	}
	return flag.Set("test.benchmem", "true")
}

// runAsyncio runs the asyncio twins with python and returns ns/op by
// benchmark name.
func runAsyncio(python string, d time.Duration) (map[string]float64, error) {
	dir, err := os.MkdirTemp("", "coop-bench")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	script := filepath.Join(dir, "asyncio_bench.py")
	if err := os.WriteFile(script, []byte(bench.AsyncioScript()), 0o644); err != nil {
		return nil, err
	}
	out, err := exec.Command(python, script, strconv.FormatFloat(d.Seconds(), 'f', -1, 64)).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, fmt.Errorf("%s asyncio_bench.py failed: %v: %s", python, err, strings.TrimSpace(string(ee.Stderr)))
		}
		return nil, fmt.Errorf("running the asyncio benchmarks needs Python 3 (--python): %w", err)
	}
	return parseBenchLines(string(out))
}

// parseBenchLines reads "BenchmarkName\tN\tX ns/op" lines.
func parseBenchLines(out string) (map[string]float64, error) {
	res := map[string]float64{}
	for line := range strings.Lines(out) {
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || f[3] != "ns/op" {
			continue
		}
		ns, err := strconv.ParseFloat(f[2], 64)
		if err != nil {
			return nil, fmt.Errorf("asyncio benchmark line %q: %w", strings.TrimSpace(line), err)
		}
		res[strings.TrimPrefix(f[0], "Benchmark")] = ns
	}
	if len(res) == 0 {
		return nil, fmt.Errorf("the asyncio benchmarks printed no results: %q", out)
	}
	return res, nil
}
