package sim

import (
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// Keys implements [hw.KeysBoard]: it scans the pins every cfg.Interval on
// a fixed grid from the moment it is opened (the first scan at once, after
// the current step), like keypad.Keys. Keys start released, so a key held
// when scanning starts gives a press at the first scan.
func (b *Board) Keys(cfg hw.KeysConfig) (hw.Keys, error) {
	if cfg.Interval <= 0 {
		cfg.Interval = 20 * time.Millisecond
	}
	if cfg.DebounceScans < 1 {
		cfg.DebounceScans = 1
	}
	pins := make([]*pin, len(cfg.Pins))
	for i, n := range cfg.Pins {
		p, err := b.pin(n)
		if err != nil {
			return nil, err
		}
		if p.role != roleNone {
			return nil, &hw.PinError{Board: b.kind.name, Pin: p.name, Err: hw.ErrPinBusy, Have: p.user}
		}
		for _, q := range pins[:i] {
			if q == p {
				return nil, &hw.PinError{Board: b.kind.name, Pin: p.name, Err: hw.ErrPinBusy, Have: "keypad"}
			}
		}
		pins[i] = p
	}
	k := &keys{b: b, cfg: cfg, pins: pins, events: hw.NewKeyQueue(cfg.MaxEvents),
		state: make([]bool, len(pins)), count: make([]int, len(pins)), gens: make([]uint64, len(pins))}
	pull := hw.PullNone
	if cfg.Pull {
		pull = hw.PullUp
		if cfg.ValueWhenPressed {
			pull = hw.PullDown
		}
	}
	for i, p := range pins {
		p.claim(roleInput, "keypad")
		k.gens[i] = p.gen
		p.pull = pull
		p.take()
	}
	k.start = b.now()
	k.boot = b.boot
	k.schedule()
	return k, nil
}

type keys struct {
	b      *Board
	cfg    hw.KeysConfig
	pins   []*pin
	gens   []uint64
	events *hw.KeyQueue
	state  []bool // reported: pressed
	count  []int  // scans in a row that read the other state
	start  time.Duration
	n      int64
	h      *coop.Handle
	closed bool
	boot   uint64 // the board's boot it was opened in: a reset stops it
}

func (k *keys) schedule() {
	at := k.start + time.Duration(k.n)*k.cfg.Interval
	k.n++
	k.h = k.b.loop.CallAt(at, func() {
		if k.boot != k.b.boot {
			return
		}
		k.scan()
		k.schedule()
	})
}

// scan reads every key and queues the changes that have lasted
// DebounceScans scans.
func (k *keys) scan() {
	now := k.b.now()
	for i, p := range k.pins {
		pressed := p.read() == k.cfg.ValueWhenPressed
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
