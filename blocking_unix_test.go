//go:build unix && !tinygo

package coop_test

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coopgo/coop"
)

// processCPU returns the process's CPU time.
func processCPU(t *testing.T) time.Duration {
	t.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestBlockingDetectionComputing: a step that computes is reported as
// computing, with its stack, however the machine shares its CPU: the task
// spins until it has used 60ms of CPU time, not 60ms of wall time.
func TestBlockingDetectionComputing(t *testing.T) {
	var warnings []coop.Warning
	err := coop.Run(func(self *coop.Task) error {
		hog := self.Spawn("hog", func(*coop.Task) error {
			spinCPU(t, 60*ms)
			return nil
		})
		return hog.Wait(self)
	}, coop.WithBlockingThreshold(10*ms), coop.WithWarningHandler(func(w coop.Warning) { warnings = append(warnings, w) }))
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 1 || warnings[0].Task != "hog" || warnings[0].Cause != coop.CauseComputing {
		t.Fatalf("warnings = %v; want one naming hog, computing", warnings)
	}
	w := warnings[0]
	// The spin counts the process's CPU, which the runtime's own threads
	// (the collector, the race detector) add to: the task itself may have
	// computed somewhat less than 60ms, but far more than the threshold.
	if w.Held-w.Stalled < 40*ms || w.CPU > w.Held {
		t.Errorf("held %v, stalled %v, CPU %v: want held less stalled >= 40ms of the 60ms of CPU, CPU <= held", w.Held, w.Stalled, w.CPU)
	}
	if !strings.Contains(w.Stack, "spinCPU") {
		t.Errorf("stack does not show where the task computed:\n%s", w.Stack)
	}
	if want := `blocked the loop for ` + w.Held.String(); !strings.Contains(w.String(), want) ||
		!strings.Contains(w.String(), ": computing (CPU ") {
		t.Errorf("warning text = %q; want %q and the cause", w.String(), want)
	}
}

//go:noinline
func spinCPU(t *testing.T, d time.Duration) {
	for start := processCPU(t); processCPU(t)-start < d; {
	}
}

// TestBlockingDetectionStalledProcess: when the whole process stops (a
// paused VM, an overloaded machine), the step that was running when it
// stopped held the loop, but not by its own doing: no warning. The test
// stops itself with SIGSTOP from inside a step; a child process sends
// SIGCONT every 300ms for 6 seconds, so the process is resumed even if the
// stop arrives late.
func TestBlockingDetectionStalledProcess(t *testing.T) {
	pid := strconv.Itoa(os.Getpid())
	cont := exec.Command("sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do sleep 0.3; kill -CONT "+pid+"; done")
	if err := cont.Start(); err != nil {
		t.Skipf("no shell to resume the process: %v", err)
	}
	defer cont.Process.Release()
	var warnings []coop.Warning
	var held time.Duration
	err := coop.Run(func(self *coop.Task) error {
		a := self.Spawn("a", func(t *coop.Task) error {
			for i := range 10 {
				if i == 5 {
					start := time.Now()
					if err := syscall.Kill(os.Getpid(), syscall.SIGSTOP); err != nil {
						return err
					}
					held = time.Since(start)
				}
				if err := t.Sleep(0); err != nil {
					return err
				}
			}
			return nil
		})
		return a.Wait(self)
	}, coop.WithBlockingThreshold(50*ms), coop.WithWarningHandler(func(w coop.Warning) { warnings = append(warnings, w) }))
	if err != nil {
		t.Fatal(err)
	}
	if held < 200*ms {
		t.Skipf("the process was stopped for only %v", held)
	}
	if len(warnings) != 0 {
		t.Errorf("the process was stopped for %v: warnings = %v, want none", held, warnings)
	}
}

// TestBlockingDetectionStackBesideSleepers: the stack of a warning is the
// blocking task's, however many tasks sleep beside it. A task parked in
// Sleep suspends through frames of its own, not Task.park's, and must not
// be taken for the running step.
func TestBlockingDetectionStackBesideSleepers(t *testing.T) {
	var warnings []coop.Warning
	err := coop.Run(func(t *coop.Task) error {
		for range 3 {
			t.Spawn("sleeper", func(t *coop.Task) error {
				for {
					if err := t.Sleep(time.Millisecond); err != nil {
						return err
					}
				}
			})
		}
		hog := t.Spawn("hog", func(t *coop.Task) error {
			for range 3 {
				realBlock(40 * ms)
				if err := t.Sleep(0); err != nil {
					return err
				}
			}
			return nil
		})
		return hog.Wait(t)
	}, coop.WithBlockingThreshold(10*ms), coop.WithWarningHandler(func(w coop.Warning) { warnings = append(warnings, w) }))
	if err != nil {
		t.Fatal(err)
	}
	// A block may go unreported when the machine, busy elsewhere, also
	// kept the watchdog from running; what is reported must be right.
	if len(warnings) == 0 {
		t.Fatal("no warning; want hog's blocks reported")
	}
	for i, w := range warnings {
		if w.Task != "hog" {
			t.Errorf("warning %d names %q; want hog", i, w.Task)
			continue
		}
		if !strings.Contains(w.Stack, "realBlock") || strings.Contains(w.Stack, "(*Task).Sleep(") {
			t.Errorf("warning %d: stack is not hog's, blocked in realBlock:\n%s", i, w.Stack)
		}
	}
}
