package sim

import (
	"slices"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

func TestTimerTicks(t *testing.T) {
	tests := []struct {
		name  string
		cfg   hw.TimerConfig
		start time.Duration
		want  []time.Duration
	}{
		{"5 Hz", hw.TimerConfig{Freq: 5}, 0, []time.Duration{ms(200), ms(400), ms(600), ms(800), ms(1000)}},
		{"3 Hz from 100ms", hw.TimerConfig{Freq: 3}, ms(100),
			[]time.Duration{ms(100) + 333333333, ms(100) + 666666666, ms(1100)}},
		{"period 300ms", hw.TimerConfig{Period: ms(300), Freq: 1000}, 0, []time.Duration{ms(300), ms(600), ms(900)}},
		{"one shot", hw.TimerConfig{Freq: 4, OneShot: true}, ms(50), []time.Duration{ms(300)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, "pyboard", 0)
			tm, err := hw.OpenTimer(r.b, 4)
			if err != nil {
				t.Fatal(err)
			}
			var got []time.Duration
			var inStep bool
			r.l.CallAt(tt.start, func() {
				tm.Start(tt.cfg, func() {
					got = append(got, r.l.Now())
					inStep = inStep || r.l.Current() != nil
				})
			})
			r.l.RunFor(ms(1050) + tt.start)
			if !slices.Equal(got, tt.want) {
				t.Errorf("ticks at %v, want %v", got, tt.want)
			}
			if inStep {
				t.Error("timer callback ran inside a task step")
			}
		})
	}
}

func TestTimerStopAndErrors(t *testing.T) {
	r := newRig(t, "pyboard", 0)
	t4, _ := r.b.Timer(4)
	again, _ := r.b.Timer(4)
	if t4 != again {
		t.Error("Timer(4) twice gave two timers")
	}
	v1, _ := r.b.Timer(-1)
	v2, _ := r.b.Timer(-1)
	if v1 == v2 {
		t.Error("Timer(-1) twice gave the same timer")
	}
	if err := t4.Start(hw.TimerConfig{}, func() {}); err == nil {
		t.Error("Start with no Freq or Period succeeded")
	}
	if t4.Stop() {
		t.Error("Stop of an idle timer = true")
	}
	n := 0
	t4.Start(hw.TimerConfig{Freq: 10}, func() { n++ })
	v1.Start(hw.TimerConfig{Freq: 1}, func() {})
	r.l.CallAt(ms(450), func() {
		if !t4.Stop() {
			t.Error("Stop of a running timer = false")
		}
	})
	r.l.RunFor(time.Second + 1)
	if n != 4 {
		t.Errorf("ticks before Stop at 450ms = %d, want 4", n)
	}
	// Ticks are traced as interrupts.
	evs := r.events(3)
	if len(evs) != 5 || evs[0] != `100ms interrupt timer 4 "tick"` || evs[4] != `1s interrupt vtimer 1 "tick"` {
		t.Errorf("timer interrupts = %q", evs)
	}
}

// A task that holds the loop delays the timer, which then catches up
// without moving its grid.
func TestTimerLateTicks(t *testing.T) {
	r := newRig(t, "pico2w", 0)
	tm, _ := r.b.Timer(-1)
	var got []time.Duration
	tm.Start(hw.TimerConfig{Period: ms(100)}, func() { got = append(got, r.l.Now()) })
	r.l.Spawn("hog", func(t *coop.Task) error {
		t.Sleep(ms(150))
		t.Busy(ms(200))
		return nil
	})
	r.l.RunFor(ms(500) + 1)
	want := []time.Duration{ms(100), ms(350), ms(350), ms(400), ms(500)}
	if !slices.Equal(got, want) {
		t.Errorf("ticks at %v, want %v", got, want)
	}
}
