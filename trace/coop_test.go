package trace_test

import (
	"bytes"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/trace"
)

func TestObserveTask(t *testing.T) {
	var r trace.Recorder
	err := coop.Run(func(main *coop.Task) error {
		child := main.Spawn("child", func(t *coop.Task) error {
			return t.Sleep(2 * time.Millisecond)
		})
		return child.Wait(main)
	}, coop.WithVirtualClock(), coop.WithTaskEvents(r.ObserveTask))
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	states := map[string][]string{}
	for _, e := range r.Events() {
		if e.Kind != trace.KindTask {
			t.Fatalf("ObserveTask recorded %v, want only task events", e)
		}
		states[e.Source] = append(states[e.Source], fmt.Sprintf("%v %s", e.At, e.Text))
	}
	child := states["child"]
	if i := slices.Index(child, "0s sleeping"); i < 0 || !slices.Contains(child[i:], "2ms running") {
		t.Errorf("child states %q, want it sleeping at 0s and running at 2ms", child)
	}
	for _, name := range []string{"main", "child"} {
		if s := states[name]; len(s) == 0 || s[len(s)-1] != "2ms done" {
			t.Errorf("%s states %q, want the last one 2ms done", name, s)
		}
	}

	var b bytes.Buffer
	if err := trace.WriteVCD(&b, r.Events(), trace.VCDOptions{}); err != nil {
		t.Fatal(err)
	}
	v, err := trace.ReadVCD(&b)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(v.Signal("tasks.child_waiting").Changes), "[{0s 0} {1µs 1} {2ms 0}]"; got != want { // its first step drawn one unit long
		t.Errorf("VCD child_waiting changes %s, want %s", got, want)
	}
}
