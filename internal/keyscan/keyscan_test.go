package keyscan

import (
	"slices"
	"testing"
	"time"

	"github.com/coopgo/coop/hw"
)

func TestScanner(t *testing.T) {
	const ms = time.Millisecond
	sc := New(hw.KeysConfig{Pins: []string{"D3", "D4"}, Pull: true, DebounceScans: 2})
	if c := sc.Config(); c.Interval != 20*ms || c.DebounceScans != 2 || sc.Pull() != hw.PullUp {
		t.Fatalf("config %+v, pull %v; want the 20ms default, 2 scans, pull-up", c, sc.Pull())
	}
	// Active low: a pressed key reads false. Key 0 is pressed for one
	// scan (a glitch: not reported), then for good; key 1 for two, then
	// released for two.
	levels := [][2]bool{{true, true}, {false, true}, {true, false}, {false, false}, {false, true}, {false, true}}
	for i, lv := range levels {
		sc.Scan(time.Duration(i)*20*ms, func(key int) bool { return lv[key] })
	}
	var got []string
	for sc.Events().Len() > 0 {
		e, _ := sc.Events().Get()
		got = append(got, e.String())
	}
	want := []string{"key 1 pressed at 60ms", "key 0 pressed at 80ms", "key 1 released at 100ms"}
	if !slices.Equal(got, want) {
		t.Errorf("events %q, want %q", got, want)
	}
	for _, tt := range []struct {
		cfg  hw.KeysConfig
		want hw.Pull
	}{
		{hw.KeysConfig{}, hw.PullNone},
		{hw.KeysConfig{Pull: true}, hw.PullUp},
		{hw.KeysConfig{Pull: true, ValueWhenPressed: true}, hw.PullDown},
	} {
		if got := New(tt.cfg).Pull(); got != tt.want {
			t.Errorf("New(%+v).Pull() = %v, want %v", tt.cfg, got, tt.want)
		}
	}
}
