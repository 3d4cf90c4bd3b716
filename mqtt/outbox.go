package mqtt

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"strconv"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// Outbox defaults.
const (
	DefaultOutboxName     = "outbox"
	DefaultOutboxCapacity = 64 << 10
	DefaultSegmentSize    = 4 << 10
)

// FullPolicy is what an [Outbox] does with a new record when it is full.
type FullPolicy uint8

// The policies.
const (
	// DropOldest makes room by dropping the oldest segment of records
	// not yet acknowledged: the newest readings matter most.
	DropOldest FullPolicy = iota
	// DropNewest refuses the new record with ErrOutboxFull.
	DropNewest
)

// OutboxConfig configures an [Outbox]. Zero fields take the defaults.
type OutboxConfig struct {
	// Name prefixes the outbox's files: NAME.1, NAME.2… hold the
	// records, NAME.ack0 and NAME.ack1 the acknowledged mark.
	Name string
	// Capacity bounds the bytes of records kept, in segments of
	// SegmentSize bytes.
	Capacity, SegmentSize int
	// Policy says what happens when the outbox is full, or the flash.
	Policy FullPolicy
}

// ErrOutboxFull: the outbox is full and its policy is DropNewest.
var ErrOutboxFull = errors.New("mqtt: outbox full")

// Record is a reading kept in an [Outbox].
type Record struct {
	Seq   uint64
	At    time.Duration // board time it was appended at
	Topic string
	Data  []byte
}

// OutboxStats counts what an outbox did since it was opened.
type OutboxStats struct {
	Pending   int    // records kept, not yet acknowledged
	Acked     uint64 // the acknowledged mark: records up to it are done
	NextSeq   uint64 // the number the next record gets
	Dropped   int    // records dropped because the outbox or flash was full
	Torn      int    // records found cut short by a power cut when opened
	Segments  int    // segment files in flash
	FlashUsed int    // bytes of them
}

// Outbox is a bounded log of readings in the board's flash, published in
// order and dropped only once acknowledged, so that an outage, a reset or
// a power cut loses nothing that was appended.
//
// Records (sequence number, board time, topic, data, CRC-32) are appended
// to segment files; the "acknowledged up to" mark is written to two slots
// in turn, each with its own checksum, so that a write torn by a power cut
// leaves the other. At open, the outbox reads the mark and the segments,
// stops a segment at the first record whose checksum fails (the one a
// power cut tore: at most that record is lost) and appends to a new
// segment from then on. Segments whose records are all acknowledged are
// removed. When the capacity or the flash is full, the [FullPolicy]
// decides, and Stats counts what was dropped.
//
// An Outbox belongs to one loop; it does no I/O but the flash's.
type Outbox struct {
	f    hw.Flash
	app  hw.FlashAppender
	cfg  OutboxConfig
	segs []segment // live segments, oldest first
	// sealed: the last segment ends with a torn record; append to a new
	// one.
	sealed  bool
	pending []Record
	acked   uint64
	next    uint64
	slot    int // the ack slot written next
	stats   OutboxStats
	ready   coop.Event
}

type segment struct {
	n    uint32 // NAME.n
	size int
	last uint64 // the highest sequence number in it, 0 if none
}

// OpenOutbox opens the outbox in f, recovering what an earlier boot
// left. f must append in place ([hw.FlashAppender]).
func OpenOutbox(f hw.Flash, cfg OutboxConfig) (*Outbox, error) {
	app, ok := f.(hw.FlashAppender)
	if !ok {
		return nil, errors.New("mqtt: the outbox needs a flash that appends (hw.FlashAppender)")
	}
	if cfg.Name == "" {
		cfg.Name = DefaultOutboxName
	}
	if cfg.SegmentSize <= 0 {
		cfg.SegmentSize = DefaultSegmentSize
	}
	if cfg.Capacity <= 0 {
		cfg.Capacity = DefaultOutboxCapacity
	}
	if cfg.Capacity < 2*cfg.SegmentSize {
		return nil, fmt.Errorf("mqtt: outbox capacity %d is less than two segments of %d bytes", cfg.Capacity, cfg.SegmentSize)
	}
	o := &Outbox{f: f, app: app, cfg: cfg}
	if err := o.recover(); err != nil {
		return nil, err
	}
	return o, nil
}

func (o *Outbox) segName(n uint32) string {
	return o.cfg.Name + "." + strconv.FormatUint(uint64(n), 10)
}

func (o *Outbox) slotName(i int) string { return o.cfg.Name + ".ack" + strconv.Itoa(i) }

// recover reads the mark and the segments.
func (o *Outbox) recover() error {
	first := uint32(1)
	best := -1
	for i := 0; i < 2; i++ {
		data, err := o.f.ReadFile(o.slotName(i))
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return fmt.Errorf("mqtt: outbox: %w", err)
		}
		if len(data) != 16 || crc32.ChecksumIEEE(data[:12]) != binary.LittleEndian.Uint32(data[12:]) {
			continue // torn
		}
		if seq := binary.LittleEndian.Uint64(data); best < 0 || seq >= o.acked {
			o.acked, first, best = seq, binary.LittleEndian.Uint32(data[8:]), i
		}
	}
	o.slot = (best + 1) % 2
	// Segments below first that a power cut left behind.
	for n := first - 1; n > 0; n-- {
		if o.f.Remove(o.segName(n)) != nil {
			break
		}
	}
	o.next = o.acked + 1
	for n := first; ; n++ {
		data, err := o.f.ReadFile(o.segName(n))
		if errors.Is(err, fs.ErrNotExist) {
			break
		}
		if err != nil {
			return fmt.Errorf("mqtt: outbox: %w", err)
		}
		s := segment{n: n, size: len(data)}
		o.sealed = false
		for len(data) > 0 {
			r, size, ok := decodeRecord(data)
			if !ok {
				o.stats.Torn++
				o.sealed = true
				break
			}
			data = data[size:]
			s.last = r.Seq
			o.next = max(o.next, r.Seq+1)
			if r.Seq > o.acked {
				o.pending = append(o.pending, r)
			}
		}
		o.segs = append(o.segs, s)
	}
	if len(o.segs) == 0 {
		o.segs = []segment{{n: first}}
	}
	if err := o.trim(); err != nil {
		return err
	}
	if len(o.pending) > 0 {
		o.ready.Set()
	}
	return nil
}

// Record layout: 0xC5, body length (uint16), body, CRC-32 of all before.
// Body: seq (uint64), board time in ms (int64), topic length (uint8),
// topic, data.
const recordMagic = 0xC5

func encodeRecord(r Record) []byte {
	body := 8 + 8 + 1 + len(r.Topic) + len(r.Data)
	b := make([]byte, 0, 3+body+4)
	b = append(b, recordMagic)
	b = binary.LittleEndian.AppendUint16(b, uint16(body))
	b = binary.LittleEndian.AppendUint64(b, r.Seq)
	b = binary.LittleEndian.AppendUint64(b, uint64(r.At.Milliseconds()))
	b = append(b, byte(len(r.Topic)))
	b = append(b, r.Topic...)
	b = append(b, r.Data...)
	return binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
}

func decodeRecord(b []byte) (Record, int, bool) {
	if len(b) < 3 || b[0] != recordMagic {
		return Record{}, 0, false
	}
	body := int(binary.LittleEndian.Uint16(b[1:]))
	size := 3 + body + 4
	if body < 17 || len(b) < size || crc32.ChecksumIEEE(b[:3+body]) != binary.LittleEndian.Uint32(b[3+body:]) {
		return Record{}, 0, false
	}
	p := b[3 : 3+body]
	tl := int(p[16])
	if 17+tl > body {
		return Record{}, 0, false
	}
	return Record{
		Seq:   binary.LittleEndian.Uint64(p),
		At:    time.Duration(int64(binary.LittleEndian.Uint64(p[8:]))) * time.Millisecond,
		Topic: string(p[17 : 17+tl]),
		Data:  append([]byte(nil), p[17+tl:]...),
	}, size, true
}

func (o *Outbox) used() int {
	n := 0
	for _, s := range o.segs {
		n += s.size
	}
	return n
}

// Append keeps a reading of data on topic, taken at board time at, and
// returns its sequence number. The record is in flash when Append
// returns nil. Errors: ErrOutboxFull (policy DropNewest), ErrBadTopic for
// a topic name MQTT does not allow (empty, with a wildcard), ErrTooLarge
// for a record bigger than a segment or a topic over 255 bytes, and the
// flash's, such as hw.ErrPowerLost.
func (o *Outbox) Append(topic string, at time.Duration, data []byte) (uint64, error) {
	if err := checkName(topic); err != nil {
		return 0, err
	}
	r := Record{Seq: o.next, At: at, Topic: topic, Data: data}
	rec := encodeRecord(r)
	if len(topic) > 255 || len(rec) > o.cfg.SegmentSize {
		return 0, fmt.Errorf("mqtt: outbox: %w: a %d-byte record, segments hold %d", ErrTooLarge, len(rec), o.cfg.SegmentSize)
	}
	last := &o.segs[len(o.segs)-1]
	if o.sealed || last.size+len(rec) > o.cfg.SegmentSize {
		o.segs = append(o.segs, segment{n: last.n + 1})
		o.sealed = false
	}
	for tries := 0; ; tries++ {
		full := o.used()+len(rec) > o.cfg.Capacity
		var err error
		if !full {
			err = o.app.AppendFile(o.segName(o.segs[len(o.segs)-1].n), rec)
			full = errors.Is(err, hw.ErrFlashFull)
		}
		if !full {
			if err != nil {
				return 0, fmt.Errorf("mqtt: outbox: %w", err)
			}
			break
		}
		if o.cfg.Policy == DropNewest || len(o.segs) < 2 || tries > len(o.segs) {
			o.stats.Dropped++
			return 0, fmt.Errorf("%w: record %d on %s not kept", ErrOutboxFull, r.Seq, topic)
		}
		if err := o.dropOldest(); err != nil {
			return 0, err
		}
	}
	s := &o.segs[len(o.segs)-1]
	s.size += len(rec)
	s.last = r.Seq
	o.next++
	r.Data = append([]byte(nil), data...)
	o.pending = append(o.pending, r)
	o.ready.Set()
	return r.Seq, nil
}

// dropOldest drops the oldest segment, acknowledged or not.
func (o *Outbox) dropOldest() error {
	s := o.segs[0]
	n := 0
	for n < len(o.pending) && o.pending[n].Seq <= s.last {
		n++
	}
	o.stats.Dropped += n
	o.pending = o.pending[n:]
	acked := max(o.acked, s.last)
	if err := o.writeMark(acked, o.segs[1].n); err != nil {
		return err
	}
	o.acked = acked
	o.segs = o.segs[1:]
	if err := o.f.Remove(o.segName(s.n)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("mqtt: outbox: %w", err)
	}
	return nil
}

// Next waits, from inside self, until a record is pending, and returns
// the oldest. It stays pending until acknowledged.
func (o *Outbox) Next(self *coop.Task) (Record, error) {
	for len(o.pending) == 0 {
		o.ready.Clear()
		if err := o.ready.Wait(self); err != nil {
			return Record{}, err
		}
	}
	return o.pending[0], nil
}

// Ack marks the records up to seq as delivered: they are dropped, and
// segments that hold only delivered records are removed from flash.
func (o *Outbox) Ack(seq uint64) error {
	if seq <= o.acked {
		return nil
	}
	n := 0
	for n < len(o.pending) && o.pending[n].Seq <= seq {
		n++
	}
	// Segments wholly delivered, but never the one appended to.
	drop := 0
	for drop < len(o.segs)-1 && o.segs[drop].last <= seq {
		drop++
	}
	if err := o.writeMark(seq, o.segs[drop].n); err != nil {
		return err
	}
	o.acked = seq
	o.pending = o.pending[n:]
	for _, s := range o.segs[:drop] {
		if err := o.f.Remove(o.segName(s.n)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("mqtt: outbox: %w", err)
		}
	}
	o.segs = o.segs[drop:]
	return nil
}

// writeMark writes the acknowledged mark and the first live segment to
// the next slot.
func (o *Outbox) writeMark(acked uint64, first uint32) error {
	b := make([]byte, 0, 16)
	b = binary.LittleEndian.AppendUint64(b, acked)
	b = binary.LittleEndian.AppendUint32(b, first)
	b = binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
	if err := o.f.WriteFile(o.slotName(o.slot), b); err != nil {
		return fmt.Errorf("mqtt: outbox: %w", err)
	}
	o.slot = (o.slot + 1) % 2
	return nil
}

// trim removes the segments every record of which is delivered, but the
// last. The mark names the first segment left before any is removed, as
// Ack does: the next open reads the segments from it on, and stops at
// the first one missing.
func (o *Outbox) trim() error {
	drop := 0
	for drop < len(o.segs)-1 && o.segs[drop].last <= o.acked {
		drop++
	}
	if drop == 0 {
		return nil
	}
	if err := o.writeMark(o.acked, o.segs[drop].n); err != nil {
		return err
	}
	for _, s := range o.segs[:drop] {
		if err := o.f.Remove(o.segName(s.n)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("mqtt: outbox: %w", err)
		}
	}
	o.segs = o.segs[drop:]
	return nil
}

// Stats returns the outbox's counts.
func (o *Outbox) Stats() OutboxStats {
	s := o.stats
	s.Pending = len(o.pending)
	s.Acked = o.acked
	s.NextSeq = o.next
	s.Segments = len(o.segs)
	s.FlashUsed = o.used()
	return s
}

// ForwardConfig says what [Outbox.Forward] tells: both functions are
// optional and run on the forwarding task.
type ForwardConfig struct {
	// Device names the device in the readings.
	Device string
	// OnDelivered is told of each record the broker acknowledged, with
	// the board time it did, once the outbox has forgotten it: at - r.At
	// is how long the reading took to reach the broker, outages included.
	OnDelivered func(r Record, at time.Duration)
	// OnDrop is told of a record that cannot be published (too large
	// for the client), once it is dropped.
	OnDrop func(r Record, err error)
}

// Forward publishes the outbox's records in order through c at QoS 1,
// from inside self, until self is cancelled: each as a [Reading] of
// cfg.Device, acknowledged in the outbox once the broker has acknowledged
// it. A reset in between publishes it again: the consumer drops the
// duplicate. A record that cannot be published is dropped and counted.
func (o *Outbox) Forward(self *coop.Task, c *Client, cfg ForwardConfig) error {
	var buf []byte
	for {
		r, err := o.Next(self)
		if err != nil {
			return err
		}
		buf = Reading{Device: cfg.Device, Seq: r.Seq, At: r.At, Data: r.Data}.AppendPayload(buf[:0])
		perr := c.Publish(self, r.Topic, buf, 1)
		if perr != nil {
			if cerr := self.Check(); cerr != nil {
				return cerr
			}
			o.stats.Dropped++
		}
		if err := o.Ack(r.Seq); err != nil {
			return err
		}
		// Told once the record is done with, so that Stats no longer
		// counts it.
		switch {
		case perr != nil && cfg.OnDrop != nil:
			cfg.OnDrop(r, perr)
		case perr == nil && cfg.OnDelivered != nil:
			cfg.OnDelivered(r, self.Now())
		}
	}
}
