// Package keyscan is the debouncing of a keypad (CircuitPython's
// keypad.Keys) that every backend of [hw.KeysBoard] shares: the simulated
// boards and hw/machine scan their pins on a timer and hand the readings
// to a Scanner, which fills the program's [hw.KeyQueue].
package keyscan

import (
	"time"

	"github.com/coopgo/coop/hw"
)

// Scanner is a keypad's debouncing, for the boards that implement
// [hw.KeysBoard]: it fills in a config's defaults, and turns each scan's
// readings into [hw.KeyEvent]s once a key has read its new state for
// DebounceScans scans in a row. Keys start released, so a key held when
// scanning starts gives a press at the first scan.
type Scanner struct {
	cfg    hw.KeysConfig
	state  []bool // reported: pressed
	count  []int  // scans in a row that read the other state
	events *hw.KeyQueue
}

// New returns a scanner for cfg's keys, with cfg's zero fields
// replaced by their defaults.
func New(cfg hw.KeysConfig) *Scanner {
	if cfg.Interval <= 0 {
		cfg.Interval = 20 * time.Millisecond
	}
	if cfg.DebounceScans < 1 {
		cfg.DebounceScans = 1
	}
	return &Scanner{cfg: cfg, events: hw.NewKeyQueue(cfg.MaxEvents),
		state: make([]bool, len(cfg.Pins)), count: make([]int, len(cfg.Pins))}
}

// Config returns the configuration, defaults filled in.
func (s *Scanner) Config() hw.KeysConfig { return s.cfg }

// Pull returns the pull the keys' pins need: none, unless the config asks
// for one opposite to ValueWhenPressed.
func (s *Scanner) Pull() hw.Pull {
	switch {
	case !s.cfg.Pull:
		return hw.PullNone
	case s.cfg.ValueWhenPressed:
		return hw.PullDown
	}
	return hw.PullUp
}

// Scan takes one scan at board time now, where level(i) reads key i's pin,
// and queues the changes that have lasted DebounceScans scans.
func (s *Scanner) Scan(now time.Duration, level func(key int) bool) {
	for i := range s.state {
		pressed := level(i) == s.cfg.ValueWhenPressed
		if pressed == s.state[i] {
			s.count[i] = 0
			continue
		}
		s.count[i]++
		if s.count[i] < s.cfg.DebounceScans {
			continue
		}
		s.count[i] = 0
		s.state[i] = pressed
		s.events.Put(hw.KeyEvent{Key: i, Pressed: pressed, At: now})
	}
}

// Events returns the queue the scans fill.
func (s *Scanner) Events() *hw.KeyQueue { return s.events }
