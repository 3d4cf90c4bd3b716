package sim

import (
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// Timer implements [hw.TimerBoard]: on a pyboard ids 1–14 are its hardware
// timers, the same one at each call (pyb.Timer(4)); on every board id -1 is
// a new virtual timer (machine.Timer(-1)). Callbacks run in interrupt
// context and are traced as interrupts of "timer 4" or "vtimer 1" (the
// first virtual timer made), "tick".
func (b *Board) Timer(id int) (hw.Timer, error) {
	if id == -1 {
		b.vtimers++
		return &timer{b: b, name: "vtimer " + strconv.Itoa(b.vtimers)}, nil
	}
	if !slices.Contains(b.kind.timers, id) {
		return nil, &hw.DeviceError{Board: b.kind.name, Device: "timer " + strconv.Itoa(id),
			Have: "timers: " + timerSummary(b.kind.timers)}
	}
	if b.hwTimers == nil {
		b.hwTimers = make(map[int]*timer)
	}
	t, ok := b.hwTimers[id]
	if !ok {
		t = &timer{b: b, name: "timer " + strconv.Itoa(id)}
		b.hwTimers[id] = t
	}
	return t, nil
}

// timer is a hardware or virtual timer.
type timer struct {
	b     *Board
	name  string
	cfg   hw.TimerConfig
	fn    func()
	start time.Duration
	n     int64
	h     *coop.Handle
	run   uint64 // bumped at each Start and Stop, so a stale tick does nothing
	boot  uint64 // the board's boot it was started in: a reset stops it
}

var errTimerConfig = errors.New("sim: timer needs a positive Freq or Period")

func (t *timer) Start(cfg hw.TimerConfig, fn func()) error {
	if cfg.Tick(1) <= 0 {
		return errTimerConfig
	}
	t.Stop()
	t.cfg, t.fn = cfg, fn
	t.boot = t.b.boot
	t.start = t.b.now()
	t.n = 0
	t.schedule()
	return nil
}

func (t *timer) schedule() {
	t.n++
	run := t.run
	t.h = t.b.loop.CallAt(t.start+t.cfg.Tick(t.n), func() {
		if run != t.run || t.boot != t.b.boot {
			return
		}
		t.h = nil
		if t.cfg.OneShot {
			t.run++
		} else {
			t.schedule()
		}
		if fn := t.fn; fn != nil {
			t.b.interrupt(t.name, "tick", fn)
		}
	})
}

func (t *timer) Stop() bool {
	t.run++
	if t.h == nil {
		return false
	}
	t.h.Cancel()
	t.h = nil
	return true
}

// String returns the timer's name, "timer 4" or "vtimer 1".
func (t *timer) String() string { return t.name }
