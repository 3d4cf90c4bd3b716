//go:build tinygo && (pico || pico2)

package machine

import (
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// Keys implements hw.KeysBoard: a loop callback scans the pins every
// cfg.Interval on a fixed grid from the moment they are opened, the first
// scan at once (after the current step), like keypad.Keys. Keys start
// released, so a key held when scanning starts gives a press at the first
// scan.
func (b *Board) Keys(cfg hw.KeysConfig) (hw.Keys, error) {
	if cfg.Interval <= 0 {
		cfg.Interval = 20 * time.Millisecond
	}
	if cfg.DebounceScans < 1 {
		cfg.DebounceScans = 1
	}
	pins := make([]*pin, len(cfg.Pins))
	for i, name := range cfg.Pins {
		p, err := b.pin(name)
		if err != nil {
			return nil, err
		}
		if p.role != roleNone {
			return nil, &hw.PinError{Board: boardName, Pin: name, Err: hw.ErrPinBusy, Have: p.user}
		}
		for _, q := range pins[:i] {
			if q == p {
				return nil, &hw.PinError{Board: boardName, Pin: name, Err: hw.ErrPinBusy, Have: "keypad"}
			}
		}
		pins[i] = p
	}
	pull := hw.PullNone
	if cfg.Pull {
		pull = hw.PullUp
		if cfg.ValueWhenPressed {
			pull = hw.PullDown
		}
	}
	k := &keys{b: b, cfg: cfg, pins: pins, events: hw.NewKeyQueue(cfg.MaxEvents),
		state: make([]bool, len(pins)), count: make([]int, len(pins)), gens: make([]uint32, len(pins))}
	for i, p := range pins {
		p.claim(cfg.Pins[i], roleInput, "keypad")
		p.configureInput(pull)
		k.gens[i] = p.gen
	}
	k.start = b.loop.Now()
	k.h = b.loop.CallAt(k.start, k.tick)
	return k, nil
}

type keys struct {
	b      *Board
	cfg    hw.KeysConfig
	pins   []*pin
	gens   []uint32
	events *hw.KeyQueue
	state  []bool // reported: pressed
	count  []int  // scans in a row that read the other state
	start  time.Duration
	n      int64
	h      *coop.Handle // reused from scan to scan
	closed bool
}

func (k *keys) tick() {
	if k.closed {
		return
	}
	k.scan()
	k.n++
	k.h.Reset(k.start + time.Duration(k.n)*k.cfg.Interval)
}

// scan reads every key and queues the changes that have lasted
// DebounceScans scans.
func (k *keys) scan() {
	now := k.b.loop.Now()
	for i, p := range k.pins {
		pressed := p.gpio.Get() == k.cfg.ValueWhenPressed
		if pressed == k.state[i] {
			k.count[i] = 0
			continue
		}
		k.count[i]++
		if k.count[i] < k.cfg.DebounceScans {
			continue
		}
		k.count[i] = 0
		k.state[i] = pressed
		k.events.Put(hw.KeyEvent{Key: i, Pressed: pressed, At: now})
	}
}

func (k *keys) Events() *hw.KeyQueue { return k.events }

func (k *keys) Close() error {
	if k.closed {
		return nil
	}
	k.closed = true
	k.h.Cancel()
	for i, p := range k.pins {
		if p.gen == k.gens[i] {
			p.release()
		}
	}
	return nil
}
