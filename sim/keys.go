package sim

import (
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/internal/keyscan"
)

// Keys implements [hw.KeysBoard]: it scans the pins every cfg.Interval on
// a fixed grid from the moment it is opened (the first scan at once, after
// the current step), like keypad.Keys. Keys start released, so a key held
// when scanning starts gives a press at the first scan.
func (b *Board) Keys(cfg hw.KeysConfig) (hw.Keys, error) {
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
	sc := keyscan.New(cfg)
	k := &keys{b: b, sc: sc, interval: sc.Config().Interval, pins: pins, gens: make([]uint64, len(pins))}
	k.level = k.readLevel
	pull := sc.Pull()
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
	b        *Board
	sc       *keyscan.Scanner
	level    func(key int) bool // k.readLevel
	interval time.Duration
	pins     []*pin
	gens     []uint64
	start    time.Duration
	n        int64
	h        *coop.Handle
	closed   bool
	boot     uint64 // the board's boot it was opened in: a reset stops it
}

func (k *keys) schedule() {
	at := k.start + time.Duration(k.n)*k.interval
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
	k.sc.Scan(k.b.now(), k.level)
}

// readLevel reads key i's pin; k.level holds it as a method value made
// once, so that a scan allocates nothing.
func (k *keys) readLevel(i int) bool { return k.pins[i].read() }

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
