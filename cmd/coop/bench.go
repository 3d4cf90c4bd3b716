package main

import (
	"bufio"
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
)

const benchUsage = `Usage: coop bench [--time D] [--asyncio] [--python P]

Runs the scheduler's benchmarks (the same code as go test -bench in the
coop package) and prints the time of one op of each.

  --time D      how long to run each benchmark (default 1s)
  --asyncio     also run their CPython asyncio twins and print the speed-up
  --python P    the Python to run them with (default python3)
`

// benchCommand is `coop bench`.
func benchCommand(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("coop bench", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	d := fs.Duration("time", time.Second, "")
	withPy := fs.Bool("asyncio", false, "")
	python := fs.String("python", "python3", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, benchUsage)
			return exitOK
		}
		fmt.Fprintf(stderr, "coop: bench: %v (see coop help bench)\n", err)
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "coop: bench takes no arguments, got %q\n", fs.Arg(0))
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
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	if py != nil {
		fmt.Fprintf(w, "%-14s %12s %14s %9s  %s\n", "benchmark", "coop ns/op", "asyncio ns/op", "speed-up", "one op")
	} else {
		fmt.Fprintf(w, "%-14s %12s %10s  %s\n", "benchmark", "coop ns/op", "allocs/op", "one op")
	}
	for _, bm := range bench.All() {
		r := testing.Benchmark(bm.Run)
		ns := float64(r.T.Nanoseconds()) / float64(max(r.N, 1))
		if py != nil {
			if p, ok := py[bm.Name]; ok {
				fmt.Fprintf(w, "%-14s %12.1f %14.1f %8.1fx  %s\n", bm.Name, ns, p, p/ns, bm.Summary)
			} else {
				fmt.Fprintf(w, "%-14s %12.1f %14s %9s  %s\n", bm.Name, ns, "-", "-", bm.Summary)
			}
		} else {
			fmt.Fprintf(w, "%-14s %12.1f %10d  %s\n", bm.Name, ns, r.AllocsPerOp(), bm.Summary)
		}
		w.Flush()
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
