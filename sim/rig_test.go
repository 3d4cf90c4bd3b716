package sim

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/trace"
)

var _ Observer = (*trace.Recorder)(nil)

// rig is a board on a virtual-clock loop, traced.
type rig struct {
	l   *coop.Loop
	b   *Board
	rec *trace.Recorder
}

func newRig(t *testing.T, kind string, seed uint64) *rig {
	t.Helper()
	l := coop.NewLoop(coop.WithVirtualClock())
	t.Cleanup(func() { l.Close() })
	b, err := NewBoard(l, kind, Config{Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	rec := &trace.Recorder{}
	b.Observe(rec)
	return &rig{l: l, b: b, rec: rec}
}

// run runs main to completion and returns its error.
func (r *rig) run(main func(t *coop.Task) error) error {
	return r.l.RunUntilComplete(r.l.Spawn("main", main))
}

// pins returns the pin events of name as "time level" strings.
func (r *rig) pins(name string) []string {
	var s []string
	for _, e := range r.rec.Events() {
		if e.Kind == trace.KindPin && e.Source == name {
			s = append(s, fmt.Sprintf("%v %v", e.At, b2i(e.Level)))
		}
	}
	return s
}

// events returns every event of kind as strings.
func (r *rig) events(kind trace.Kind) []string {
	var s []string
	for _, e := range r.rec.Events() {
		if e.Kind == kind {
			s = append(s, e.String())
		}
	}
	return s
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func ms(n float64) time.Duration { return time.Duration(n * float64(time.Millisecond)) }

func lines(s []string) string { return strings.Join(s, "\n") }
