//go:build !tinygo || coop_lifecycle

package coop_test

import (
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
)

func TestBlockingDetectionVirtual(t *testing.T) {
	var warnings []coop.Warning
	runV(t, func(t *coop.Task) error {
		t.Spawn("hog", func(t *coop.Task) error {
			t.Sleep(10 * ms)
			blockTheLoop(t)
			return nil
		})
		t.Spawn("polite", func(t *coop.Task) error {
			t.Busy(5 * ms) // under the threshold
			return nil
		})
		return t.Sleep(100 * ms)
	}, coop.WithBlockingThreshold(20*ms), coop.WithWarningHandler(func(w coop.Warning) { warnings = append(warnings, w) }))
	if len(warnings) != 1 {
		t.Fatalf("warnings = %v, want one", warnings)
	}
	w := warnings[0]
	if w.Kind != coop.WarnBlocking || w.Task != "hog" || w.Held != 30*ms || w.At != 40*ms {
		t.Errorf("warning = %+v; want hog held the loop 30ms, reported at 40ms", w)
	}
	if !strings.Contains(w.Stack, "blockTheLoop") && runtime.Compiler != "tinygo" { // TinyGo has no stack to give
		t.Errorf("stack does not show where the task blocked:\n%s", w.Stack)
	}
	if !strings.HasPrefix(w.String(), `coop: warning: task "hog" blocked the loop for 30ms (threshold 20ms) at 40ms`) {
		t.Errorf("warning text = %q", w.String())
	}
}

func blockTheLoop(t *coop.Task) {
	for range 3 {
		t.Busy(10 * ms)
	}
}

// TestBlockingDetectionRealClock uses the real clock on purpose: the
// watchdog must catch a task that really holds the loop, while it holds
// it.
func TestBlockingDetectionRealClock(t *testing.T) {
	var warnings []coop.Warning
	err := coop.Run(func(t *coop.Task) error {
		hog := t.Spawn("hog", func(t *coop.Task) error {
			realBlock(80 * ms)
			return nil
		})
		return hog.Wait(t)
	}, coop.WithBlockingThreshold(10*ms), coop.WithWarningHandler(func(w coop.Warning) { warnings = append(warnings, w) }))
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 1 || warnings[0].Task != "hog" || warnings[0].Held < 80*ms {
		t.Fatalf("warnings = %v; want one naming hog, held >= 80ms", warnings)
	}
	if !strings.Contains(warnings[0].Stack, "realBlock") && runtime.Compiler != "tinygo" {
		t.Errorf("stack does not show where the task blocked:\n%s", warnings[0].Stack)
	}
}

//go:noinline
func realBlock(d time.Duration) { time.Sleep(d) }

// Busy polling with Sleep(0) freezes the virtual clock: the loop warns once,
// naming the task and the way out (WithStepCost, coop run --step-cost).
func TestSpinningWarnsOnce(t *testing.T) {
	poll := func(t *coop.Task) error {
		for range 2 { // two spells of polling, at two instants
			for range 1000 {
				if err := t.Sleep(0); err != nil {
					return err
				}
			}
			if err := t.Sleep(ms); err != nil {
				return err
			}
		}
		return nil
	}
	for _, tc := range []struct {
		name string
		opts []coop.Option
		want []string // warnings
	}{
		{"threshold", []coop.Option{coop.WithSpinThreshold(500)}, []string{
			`coop: warning: on the virtual clock, task "poller" kept yielding without waiting for time, which stands still at 0s (500 rounds); ` +
				"sleep for a time instead of Sleep(0), or give every step board time with WithStepCost (coop run --step-cost)"}},
		{"default threshold not reached", nil, nil},
		{"off", []coop.Option{coop.WithSpinThreshold(0)}, nil},
		{"steps cost time", []coop.Option{coop.WithSpinThreshold(500), coop.WithStepCost(time.Microsecond)}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			opts := append([]coop.Option{coop.WithWarningHandler(func(w coop.Warning) {
				if w.Kind != coop.WarnSpinning {
					t.Errorf("warning of kind %v, want spinning", w.Kind)
				}
				got = append(got, w.String())
			})}, tc.opts...)
			runV(t, func(t *coop.Task) error { return t.Spawn("poller", poll).Wait(t) }, opts...)
			if !slices.Equal(got, tc.want) {
				t.Errorf("warnings:\n%q\nwant:\n%q", got, tc.want)
			}
		})
	}
}
