//go:build tinygo && (pico || pico2)

package machine

import (
	"errors"
	"strconv"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// Timer implements hw.TimerBoard with virtual timers only, as the rp2
// port of MicroPython has: id -1 gives a new timer at each call; other ids
// give a *hw.DeviceError. A virtual timer is a loop callback, so its
// callback runs between task steps, at the ticks hw.TimerConfig.Tick
// computes, without drift; a step that holds the loop delays a tick but
// not the ones after it.
func (b *Board) Timer(id int) (hw.Timer, error) {
	if id != -1 {
		return nil, &hw.DeviceError{Board: boardName, Device: "timer " + strconv.Itoa(id), Have: "timers: -1"}
	}
	return &timer{loop: b.loop}, nil
}

var errTimerConfig = errors.New("machine: timer needs a positive Freq or Period")

type timer struct {
	loop    *coop.Loop
	cfg     hw.TimerConfig
	fn      func()
	start   time.Duration
	n       int64
	h       *coop.Handle // reused from tick to tick: ticking allocates nothing
	running bool
}

func (t *timer) Start(cfg hw.TimerConfig, fn func()) error {
	if cfg.Tick(1) <= 0 {
		return errTimerConfig
	}
	t.Stop()
	t.cfg, t.fn = cfg, fn
	t.start = t.loop.Now()
	t.n = 1
	t.running = true
	if t.h == nil {
		t.h = t.loop.CallAt(t.start+cfg.Tick(1), t.tick)
	} else {
		t.h.Reset(t.start + cfg.Tick(1))
	}
	return nil
}

func (t *timer) tick() {
	if !t.running {
		return
	}
	if t.cfg.OneShot {
		t.running = false
	} else {
		t.n++
		t.h.Reset(t.start + t.cfg.Tick(t.n))
	}
	if fn := t.fn; fn != nil {
		fn()
	}
}

func (t *timer) Stop() bool {
	was := t.running
	t.running = false
	if t.h != nil {
		t.h.Cancel()
	}
	return was
}
