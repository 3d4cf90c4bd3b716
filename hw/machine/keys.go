//go:build tinygo && (pico || pico2)

package machine

import (
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/internal/keyscan"
)

// Keys implements hw.KeysBoard: a loop callback scans the pins every
// cfg.Interval on a fixed grid from the moment they are opened, the first
// scan at once (after the current step), like keypad.Keys. Keys start
// released, so a key held when scanning starts gives a press at the first
// scan.
func (b *Board) Keys(cfg hw.KeysConfig) (hw.Keys, error) {
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
	sc := keyscan.New(cfg)
	pull := sc.Pull()
	k := &keys{b: b, sc: sc, interval: sc.Config().Interval, pins: pins, gens: make([]uint32, len(pins))}
	k.level = k.readLevel
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
	b        *Board
	sc       *keyscan.Scanner
	level    func(key int) bool // k.readLevel
	interval time.Duration
	pins     []*pin
	gens     []uint32
	start    time.Duration
	n        int64
	h        *coop.Handle // reused from scan to scan
	closed   bool
}

func (k *keys) tick() {
	if k.closed {
		return
	}
	k.scan()
	k.n++
	k.h.Reset(k.start + time.Duration(k.n)*k.interval)
}

// scan reads every key and queues the changes that have lasted
// DebounceScans scans.
func (k *keys) scan() {
	k.sc.Scan(k.b.loop.Now(), k.level)
}

// readLevel reads key i's pin; k.level holds it as a method value made
// once, so that a scan allocates nothing.
func (k *keys) readLevel(i int) bool { return k.pins[i].gpio.Get() }

func (k *keys) Events() *hw.KeyQueue { return k.sc.Events() }

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
