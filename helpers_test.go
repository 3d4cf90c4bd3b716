package coop_test

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
)

const ms = time.Millisecond

// TestMain fails the run if a test leaves goroutines behind: every task's
// coroutine and every helper goroutine must be gone when Run returns.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 && runtime.Compiler != "tinygo" { // TinyGo's small targets have no room for the dump
		if leaked := leakedGoroutines(); leaked != "" {
			fmt.Fprintf(os.Stderr, "goroutines left behind after the tests:\n%s\n", leaked)
			code = 1
		}
	}
	os.Exit(code)
}

// leakedGoroutines returns the stacks of goroutines running coop code,
// giving goroutines that are on their way out a moment to finish.
func leakedGoroutines() string {
	var found string
	for range 100 {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		found = ""
		for _, g := range strings.Split(string(buf), "\n\n") {
			if strings.Contains(g, "coopgo/coop.") && !strings.Contains(g, "leakedGoroutines") &&
				!strings.Contains(g, "TestMain") {
				found += g + "\n\n"
			}
		}
		if found == "" {
			return ""
		}
		runtime.Gosched()
		time.Sleep(10 * ms) // only waits for exiting goroutines, not for test behaviour
	}
	return found
}

// logger collects lines stamped with loop time.
type logger struct{ lines []string }

func (lg *logger) log(t *coop.Task, format string, args ...any) {
	lg.lines = append(lg.lines, fmt.Sprintf("%v %s", t.Now(), fmt.Sprintf(format, args...)))
}

func (lg *logger) check(t *testing.T, want ...string) {
	t.Helper()
	if !slices.Equal(lg.lines, want) {
		t.Errorf("log:\n  %s\nwant:\n  %s", strings.Join(lg.lines, "\n  "), strings.Join(want, "\n  "))
	}
}

// runV runs main on a virtual clock and fails the test on an error or on
// anything reported to the error handler.
func runV(t *testing.T, main func(*coop.Task) error, opts ...coop.Option) {
	t.Helper()
	opts = append([]coop.Option{coop.WithVirtualClock(), coop.WithErrorHandler(func(task *coop.Task, err error) {
		t.Errorf("unexpected failure of %v: %v", task, err)
	})}, opts...)
	if err := coop.Run(main, opts...); err != nil {
		t.Fatalf("Run = %v, want nil", err)
	}
}

// panicMessage runs fn and returns what it panicked with, as a string.
func panicMessage(fn func()) (msg string) {
	defer func() { msg = fmt.Sprint(recover()) }()
	fn()
	return ""
}

// mustPanicInTask runs main and re-panics with the value of the panic that
// ended it: inside a task a panic becomes the task's *PanicError.
func mustPanicInTask(main func(*coop.Task) error) {
	err := coop.Run(main, coop.WithVirtualClock())
	var pe *coop.PanicError
	if errors.As(err, &pe) {
		panic(pe.Value)
	}
}

func ignoreCancelled(err error) error {
	if errors.Is(err, coop.ErrCancelled) {
		return nil
	}
	return err
}

// waitGoroutines waits, in a bounded poll, until no more than n goroutines
// run, and fails the test if they do not come back down.
func waitGoroutines(t *testing.T, n int) {
	t.Helper()
	for range 2000 {
		if runtime.NumGoroutine() <= n {
			return
		}
		runtime.Gosched()
		time.Sleep(time.Millisecond) // polls a condition: the goroutines' end
	}
	t.Errorf("%d goroutines run, want %d as before", runtime.NumGoroutine(), n)
}

// Under TinyGo the tests of this package run on an emulated Cortex-M in
// four binaries, as one would not fit its flash and RAM: each test file
// starts with the build constraint of its set, "!tinygo || coop_tasks",
// "!tinygo || coop_lifecycle", "!tinygo || coop_conformance", or the
// default set's, which excludes the three tags. scripts/tinygo-check.sh
// runs them.

// needsRoom skips a test under TinyGo, whose test targets are a Cortex-M
// with 64 KB of RAM emulated by QEMU, when the test needs more than that:
// many loops, thousands of tasks, or host facilities. why says which.
func needsRoom(t *testing.T, why string) {
	t.Helper()
	if runtime.Compiler == "tinygo" {
		t.Skip("too big for TinyGo's 64 KB test target: " + why)
	}
}

// runLogged runs a program on the virtual clock and checks the log it
// writes and the failures the error handler hears of ("TIME NAME: ERR"),
// in order.
func runLogged(t *testing.T, run func(t *coop.Task, lg *logger) error, want, reported []string) {
	t.Helper()
	var lg logger
	var heard []string
	err := coop.Run(func(task *coop.Task) error { return run(task, &lg) }, coop.WithVirtualClock(),
		coop.WithErrorHandler(func(task *coop.Task, err error) {
			heard = append(heard, fmt.Sprintf("%v %s: %v", task.Now(), task.Name(), err))
		}))
	if err != nil {
		t.Errorf("Run = %v, want nil", err)
	}
	lg.check(t, want...)
	if strings.Join(heard, "|") != strings.Join(reported, "|") {
		t.Errorf("reported %q, want %q", heard, reported)
	}
}

// condWaiter spawns a task that takes c's lock, waits once and logs what
// Wait returned and whether it holds the lock.
func condWaiter(t *coop.Task, lg *logger, c *coop.Condition, name string) *coop.Task {
	return t.Spawn(name, func(t *coop.Task) error {
		if err := c.L.Acquire(t); err != nil {
			return err
		}
		defer c.L.Release()
		err := c.Wait(t)
		lg.log(t, "%s: %v, locked %v", name, err, c.L.Locked())
		return ignoreCancelled(err)
	})
}
