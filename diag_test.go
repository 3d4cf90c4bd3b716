package coop_test

import (
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
	if !strings.Contains(w.Stack, "blockTheLoop") {
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
	if !strings.Contains(warnings[0].Stack, "realBlock") {
		t.Errorf("stack does not show where the task blocked:\n%s", warnings[0].Stack)
	}
}

//go:noinline
func realBlock(d time.Duration) { time.Sleep(d) }
