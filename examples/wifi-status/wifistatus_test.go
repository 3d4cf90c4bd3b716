package wifistatus_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples/internal/exampletest"
	wifistatus "github.com/coopgo/coop/examples/wifi-status"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/trace"
)

// wlanEvents returns what the board's Wi-Fi did, as "time what".
func wlanEvents(r *exampletest.Rig) []string {
	var got []string
	for _, e := range r.Trace.Events() {
		if e.Kind == trace.KindInterrupt && e.Source == "WLAN" {
			got = append(got, fmt.Sprintf("%v %s", e.At, e.Text))
		}
	}
	return got
}

// The default scenario: the network is away from 4.5 s to 8.5 s. The
// check at 6 s finds the link lost and tries to rejoin, which fails after
// the 1 s scan; the check at 9 s rejoins, in 2 s. The LED blinks through
// each join, never missing a beat, is on while connected and off after
// the failed join.
func TestApp(t *testing.T) {
	r := exampletest.New(t, "wifi-status", sim.Config{})
	if err := r.Run(wifistatus.App, 13100*time.Millisecond); err != nil {
		t.Fatalf("Run(wifistatus.App, 13.1s) = %v, want nil (still running)", err)
	}
	if !r.Scenario.Done() || r.Scenario.Err() != nil {
		t.Errorf("scenario: done %v, err %v; want done, nil", r.Scenario.Done(), r.Scenario.Err())
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"0s Connecting to Wokwi-GUEST...",
		"2s Wi-Fi connected",
		"4s Wi-Fi OK",
		"6s Wi-Fi down: link lost",
		"6s Connecting to Wokwi-GUEST...",
		"7s Wi-Fi connect failed: hw: access point not found",
		"9s Connecting to Wokwi-GUEST...",
		"11s Wi-Fi connected",
		"13s Wi-Fi OK",
	})
	exampletest.Equal(t, "WLAN", wlanEvents(r), []string{
		"0s joining Wokwi-GUEST",
		"2s connected",
		"4.5s link lost",
		"6s joining Wokwi-GUEST",
		"7s no ap found",
		"9s joining Wokwi-GUEST",
		"11s connected",
	})
	exampletest.Equal(t, "LED", r.Levels("LED"), []string{
		"0s 0",                                                                          // an output, low
		"0s 1", "250ms 0", "500ms 1", "750ms 0", "1s 1", "1.25s 0", "1.5s 1", "1.75s 0", // joining
		"2s 1",                                 // connected
		"6s 0", "6.25s 1", "6.5s 0", "6.75s 1", // the link is found lost: joining again
		"7s 0",                                                                             // the join failed
		"9s 1", "9.25s 0", "9.5s 1", "9.75s 0", "10s 1", "10.25s 0", "10.5s 1", "10.75s 0", // joining
		"11s 1", // connected
	})
}

// Cancelled in the middle of a join, the program abandons it, leaving the
// interface idle, and turns the LED off at once.
func TestApp_cancel(t *testing.T) {
	r := exampletest.New(t, "wifi-status", sim.Config{})
	var result error
	r.Loop.Spawn("main", func(t *coop.Task) error {
		result = wifistatus.App(t, r.Board)
		return result
	})
	if err := r.Loop.RunFor(1200 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := r.Loop.Close(); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(result, coop.ErrCancelled) {
		t.Errorf("App cancelled returned %v, want ErrCancelled", result)
	}
	w, err := r.Board.WLAN()
	if err != nil {
		t.Fatal(err)
	}
	if s := w.Status(); s != hw.StatusIdle {
		t.Errorf("WLAN status after cancel = %v, want idle", s)
	}
	exampletest.Equal(t, "console", r.Timed(), []string{"0s Connecting to Wokwi-GUEST..."})
	exampletest.Equal(t, "LED", r.Levels("LED"), []string{"0s 0", "0s 1", "250ms 0", "500ms 1", "750ms 0", "1s 1", "1.2s 0"})
}
