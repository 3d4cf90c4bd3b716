package coop_test

import (
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
)

func TestMisusePanics(t *testing.T) {
	tests := []struct {
		name string
		run  func()
		want string
	}{
		{"await from another task", func() {
			mustPanicInTask(func(t *coop.Task) error {
				other := t.Spawn("other", func(t *coop.Task) error { return t.Sleep(time.Hour) })
				t.Sleep(0)
				return other.Sleep(ms)
			})
		}, `coop: Sleep called for task "other" while task "main" runs`},
		{"wait on itself", func() {
			mustPanicInTask(func(t *coop.Task) error { return t.Wait(t) })
		}, `coop: task "main" waits on itself`},
		{"ticker with a negative period", func() {
			mustPanicInTask(func(t *coop.Task) error { coop.NewTicker(t, -5*ms); return nil })
		}, "coop: NewTicker(-5ms): the period must be > 0"},
		{"closed loop", func() {
			l := coop.NewLoop(coop.WithVirtualClock())
			l.Close()
			l.Spawn("late", func(t *coop.Task) error { return nil })
		}, "coop: Spawn on a closed loop"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if msg := panicMessage(tt.run); !strings.HasPrefix(msg, tt.want) {
				t.Errorf("panic = %q, want it to start with %q", msg, tt.want)
			}
		})
	}
}
