// Package telemetry is the host's side of coop's MQTT telemetry: it
// parses the readings devices publish ([mqtt.Reading]), tallies them per
// device (gaps and duplicates counted), and subscribes to a broker to
// receive them. `coop telemetry`, the fleet and the tests use it.
package telemetry

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/coopgo/coop/mqtt"
)

// Parse decodes a reading's payload as mqtt.Reading.AppendPayload writes
// it. A payload without a device or a sequence number, with an empty
// device or sequence number 0, is not a reading.
func Parse(payload []byte) (mqtt.Reading, error) {
	var v struct {
		Device *string         `json:"device"`
		Seq    *uint64         `json:"seq"`
		Ms     int64           `json:"ms"`
		Data   json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(payload, &v); err != nil {
		return mqtt.Reading{}, fmt.Errorf("telemetry: not a reading: %w", err)
	}
	if v.Device == nil || v.Seq == nil {
		return mqtt.Reading{}, errors.New(`telemetry: not a reading: no "device" or "seq"`)
	}
	// A device numbers its readings from 1: a #0, counted, would hide a
	// missing one.
	if *v.Device == "" || *v.Seq == 0 {
		return mqtt.Reading{}, errors.New(`telemetry: not a reading: an empty "device" or a "seq" of 0`)
	}
	r := mqtt.Reading{Device: *v.Device, Seq: *v.Seq, At: time.Duration(v.Ms) * time.Millisecond}
	if len(v.Data) > 0 && string(v.Data) != "null" {
		r.Data = []byte(v.Data)
	}
	return r, nil
}

// Device is what a [Tally] knows of one device's readings.
type Device struct {
	Name       string
	Received   int // readings received, duplicates included
	Duplicates int // readings received more than once
	// Conflicts counts readings received under a number already
	// received with another reading (see [Conflict]).
	Conflicts int
	Highest   uint64 // the highest sequence number received
	// First is the lowest sequence number received.
	First uint64
	// Missing is how many sequence numbers from 1 to Highest never
	// arrived; with [Tally].FromFirst, from First to Highest.
	Missing int
	// Uncounted is, with [Tally].FromFirst, how many sequence numbers
	// came before First: published before the subscriber joined, or
	// received by an earlier run of its session.
	Uncounted int
	// OutOfOrder counts first arrivals of a number lower than one
	// received before: QoS 1 resends after a reconnect.
	OutOfOrder int
	Last       mqtt.Reading // the reading with the highest number
}

// Tally counts readings per device. It keeps each device's sequence
// numbers as [Runs], so that a device whose readings arrive in order
// costs the same however many it sends. It is safe for use by several
// goroutines; the zero value is empty and ready, and counts a device's
// readings missing from its first, #1.
type Tally struct {
	// FromFirst counts a device's readings missing from the lowest
	// number received instead of from #1: for a subscriber that joins
	// devices already publishing. Set it before the first Add.
	FromFirst bool

	mu       sync.Mutex
	devices  map[string]*deviceTally
	bad      int
	retained int
}

type deviceTally struct {
	Device
	seen Runs
	// recent holds the fingerprints of the latest numbers received, at
	// seq % len: a QoS 1 resend comes soon after the first arrival, so
	// that a repeat is told from a conflict at a cost that does not grow
	// with the readings.
	recent [conflictWindow]fingerprint
}

// conflictWindow is how many of a device's latest numbers a [Tally]
// remembers the readings of.
const conflictWindow = 64

type fingerprint struct {
	seq uint64
	sum uint32
}

// sum fingerprints a reading, its board time and data, with FNV-1a.
func sum(r mqtt.Reading) uint32 {
	h := fnv.New32a()
	h.Write(binary.LittleEndian.AppendUint64(make([]byte, 0, 8), uint64(r.At.Milliseconds())))
	h.Write(r.Data)
	return h.Sum32()
}

// Arrival is what a reading is to a [Tally].
type Arrival uint8

// The arrivals.
const (
	// First is the first arrival of its sequence number.
	First Arrival = iota
	// Duplicate is its number again, the same reading (board time and
	// data): a QoS 1 resend.
	Duplicate
	// Conflict is its number again with another reading: two devices
	// publish under one name, or a device numbers its readings from #1
	// again (its flash erased). It is told among the latest 64 numbers
	// of a device; a repeat of an older one counts as a duplicate.
	Conflict
)

// String returns "first", "duplicate" or "conflict".
func (a Arrival) String() string {
	switch a {
	case First:
		return "first"
	case Duplicate:
		return "duplicate"
	case Conflict:
		return "conflict"
	}
	return fmt.Sprintf("Arrival(%d)", uint8(a))
}

// Add counts r, and reports whether it is the first arrival of its
// sequence number.
func (t *Tally) Add(r mqtt.Reading) bool { return t.Count(r) == First }

// Count counts r, and returns what it is: the first arrival of its
// number, a duplicate or a conflict.
func (t *Tally) Count(r mqtt.Reading) Arrival {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.devices == nil {
		t.devices = make(map[string]*deviceTally)
	}
	d := t.devices[r.Device]
	if d == nil {
		d = &deviceTally{Device: Device{Name: r.Device}}
		t.devices[r.Device] = d
	}
	d.Received++
	if d.Received == 1 || r.Seq < d.First {
		d.First = r.Seq
	}
	fp := fingerprint{r.Seq, sum(r)}
	slot := &d.recent[r.Seq%conflictWindow]
	if !d.seen.Add(r.Seq) {
		if slot.seq == r.Seq && slot.sum != fp.sum {
			d.Conflicts++
			return Conflict
		}
		d.Duplicates++
		return Duplicate
	}
	if slot.seq < r.Seq {
		*slot = fp
	}
	if r.Seq < d.Highest {
		d.OutOfOrder++
	} else {
		d.Highest = r.Seq
		d.Last = r
	}
	return First
}

// AddPayload parses payload and counts it; a payload that is not a
// reading is counted as bad.
func (t *Tally) AddPayload(payload []byte) (mqtt.Reading, bool, error) {
	r, err := Parse(payload)
	if err != nil {
		t.addBad()
		return r, false, err
	}
	return r, t.Add(r), nil
}

func (t *Tally) addBad() {
	t.mu.Lock()
	t.bad++
	t.mu.Unlock()
}

func (t *Tally) addRetained() {
	t.mu.Lock()
	t.retained++
	t.mu.Unlock()
}

// Retained returns how many retained messages a [Subscriber] received
// and did not count (see [ErrRetained]).
func (t *Tally) Retained() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.retained
}

// Bad returns how many payloads were not readings.
func (t *Tally) Bad() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.bad
}

// Devices returns each device's tally, by name.
func (t *Tally) Devices() []Device {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]Device, 0, len(t.devices))
	for _, d := range t.devices {
		dd := d.Device
		// In uint64, as the numbers are: an int would turn a stray
		// reading's huge number into a negative count.
		from := uint64(1)
		if t.FromFirst && d.First > 1 {
			from = d.First
			dd.Uncounted = clampInt(d.First - 1)
		}
		have := uint64(d.seen.Len())
		if d.seen.Has(0) {
			have-- // not a number a device gives
		}
		dd.Missing = clampInt(d.Highest + 1 - from - have)
		out = append(out, dd)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// clampInt returns n as an int, math.MaxInt if it is larger.
func clampInt(n uint64) int {
	return int(min(n, math.MaxInt))
}

// Has reports whether every sequence number from 1 to n arrived from
// device.
func (t *Tally) Has(device string, n uint64) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	d := t.devices[device]
	if d == nil {
		return n == 0
	}
	return d.seen.HasAll(n)
}

// HasEvery reports whether every sequence number in seqs arrived from
// device: the readings the broker acknowledged, with gaps where the
// device dropped some.
func (t *Tally) HasEvery(device string, seqs *Runs) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	d := t.devices[device]
	if d == nil {
		return seqs.Len() == 0
	}
	return d.seen.Contains(seqs)
}

// Seqs returns the sequence numbers received from device, sorted, once
// each.
func (t *Tally) Seqs(device string) []uint64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	d := t.devices[device]
	if d == nil {
		return nil
	}
	return d.seen.Seqs(make([]uint64, 0, d.seen.Len()))
}

// Line describes d in one line:
//
//	pico-1  received 42  last #41 at 1m22s  missing 0  duplicates 1
//	pico-1  received 40  last #42 at 1m24s  missing 0  duplicates 0  not counted #1–#2, before the first received
func (d Device) Line() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s  received %d  last #%d at %v  missing %d  duplicates %d",
		d.Name, d.Received, d.Highest, d.Last.At, d.Missing, d.Duplicates)
	if d.OutOfOrder > 0 {
		fmt.Fprintf(&b, "  out of order %d", d.OutOfOrder)
	}
	if d.Conflicts > 0 {
		fmt.Fprintf(&b, "  conflicting %d (other readings under numbers already received: two devices named %s?)", d.Conflicts, d.Name)
	}
	if d.Uncounted > 0 {
		fmt.Fprintf(&b, "  not counted %s, before the first received", SeqRange(1, uint64(d.Uncounted)))
	}
	return b.String()
}

// SeqRange names the sequence numbers from lo to hi: "#3", or "#3–#5".
func SeqRange(lo, hi uint64) string {
	if lo == hi {
		return fmt.Sprintf("#%d", lo)
	}
	return fmt.Sprintf("#%d–#%d", lo, hi)
}
