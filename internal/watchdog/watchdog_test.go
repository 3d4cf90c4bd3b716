package watchdog

import (
	"testing"
	"time"

	"github.com/coopgo/coop"
)

const ms = time.Millisecond

// Fed in time it waits; not fed, it expires at the deadline naming the
// last feeder and the task that held the loop; a late feed expires it
// once the feeding step ends; a stopped one never expires.
func TestCountdown(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *coop.Task, c *Countdown) error
		want []Expiry
	}{
		{"fed", func(t *coop.Task, c *Countdown) error {
			for range 5 {
				if err := t.Sleep(80 * ms); err != nil {
					return err
				}
				c.Feed()
			}
			return nil
		}, nil},
		{"starved", func(t *coop.Task, c *Countdown) error {
			if err := t.Sleep(50 * ms); err != nil {
				return err
			}
			c.Feed()
			return t.Sleep(time.Second)
		}, []Expiry{{At: 150 * ms, Deadline: 150 * ms, LastFeed: 50 * ms, Feeder: "main"}}},
		{"late feed", func(t *coop.Task, c *Countdown) error {
			t.Busy(150 * ms) // holds the loop past the deadline
			c.Feed()
			return t.Sleep(time.Second)
		}, []Expiry{{At: 150 * ms, Deadline: 100 * ms, LastFeed: 0, Feeder: "main", Holder: "main", Held: 150 * ms}}},
		{"stopped", func(t *coop.Task, c *Countdown) error {
			if !c.Stop() || c.Stop() {
				t.Loop().CallSoon(func() { panic("Stop did not report arming") })
			}
			return t.Sleep(time.Second)
		}, nil},
	}
	for _, tt := range tests {
		l := coop.NewLoop(coop.WithVirtualClock())
		var got []Expiry
		c := &Countdown{Loop: l, OnExpire: func(e Expiry) { got = append(got, e) }}
		err := l.RunUntilComplete(l.Spawn("main", func(t *coop.Task) error {
			c.Start(100 * ms)
			return tt.run(t, c)
		}))
		l.Close()
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if len(got) != len(tt.want) || (len(got) == 1 && got[0] != tt.want[0]) {
			t.Errorf("%s: expiries %+v, want %+v", tt.name, got, tt.want)
		}
	}
}
