package sim

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/trace"
)

func TestDHT22Timing(t *testing.T) {
	r := newRig(t, "pico2w", 0)
	s := NewDHT22(DHT22Config{Name: "dht", Temperature: 24, Humidity: 58})
	if err := r.b.Attach("GP16", s); err != nil {
		t.Fatal(err)
	}
	r.l.CallAt(3*time.Second, func() { s.SetHumidity(57) })
	type step struct {
		start, end time.Duration
		err        error
		temp, hum  float64
	}
	var got []step
	err := r.run(func(t *coop.Task) error {
		d, err := hw.OpenDHT22(r.b, "GP16")
		if err != nil {
			return err
		}
		for _, at := range []time.Duration{0, time.Second, 2 * time.Second, 4 * time.Second} {
			if err := t.SleepUntil(at); err != nil {
				return err
			}
			start := t.Now()
			err := d.Measure(t)
			got = append(got, step{start, t.Now(), err, d.Temperature(), d.Humidity()})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	frame := func(c, rh float64) time.Duration {
		tt, h := rawReading(c, rh)
		return frameDuration([5]byte{byte(h >> 8), byte(h), byte(uint16(tt) >> 8), byte(tt),
			byte(h>>8) + byte(h) + byte(uint16(tt)>>8) + byte(tt)})
	}
	f58, f57 := frame(24, 58), frame(24, 57)
	if f58 < 4*time.Millisecond || f58 > 6*time.Millisecond {
		t.Errorf("frame of 24 °C 58 %% lasts %v, want about 5 ms", f58)
	}
	want := []step{
		{0, f58, nil, 24, 58},
		{time.Second, time.Second, hw.ErrTooSoon, 24, 58}, // no bus time, previous reading
		{2 * time.Second, 2*time.Second + f58, nil, 24, 58},
		{4 * time.Second, 4*time.Second + f57, nil, 24, 57},
	}
	for i := range want {
		if g, w := got[i], want[i]; g.start != w.start || g.end != w.end || !errors.Is(g.err, w.err) ||
			g.temp != w.temp || g.hum != w.hum {
			t.Errorf("read %d = %+v, want %+v", i, g, w)
		}
	}
	if s.Reads() != 3 {
		t.Errorf("Reads() = %d, want 3", s.Reads())
	}
	if got := fmt.Sprint("Temperature: ", got[0].temp, " C"); got != "Temperature: 24 C" {
		t.Errorf("print = %q", got)
	}
}

// A task that reads on a 2 s grid wakes a little late by a varying
// amount in real time: a read up to 50 ms sooner than 2 s after the last
// one measures, one sooner still is refused.
func TestDHT22GridJitter(t *testing.T) {
	r := newRig(t, "pico2w", 0)
	if err := r.b.Attach("GP16", NewDHT22(DHT22Config{Name: "dht", Temperature: 24, Humidity: 58})); err != nil {
		t.Fatal(err)
	}
	starts := []time.Duration{
		3 * time.Millisecond,
		2*time.Second + time.Millisecond,     // 1.998 s after the last
		3*time.Second + 951*time.Millisecond, // 1.95 s after
		5*time.Second + 900*time.Millisecond, // 1.949 s after
	}
	var got []error
	err := r.run(func(t *coop.Task) error {
		d, err := hw.OpenDHT22(r.b, "GP16")
		if err != nil {
			return err
		}
		for _, at := range starts {
			if err := t.SleepUntil(at); err != nil {
				return err
			}
			got = append(got, d.Measure(t))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []error{nil, nil, nil, hw.ErrTooSoon}
	for i := range want {
		if !errors.Is(got[i], want[i]) || (want[i] == nil) != (got[i] == nil) {
			t.Errorf("Measure at %v = %v, want %v", starts[i], got[i], want[i])
		}
	}
}

// The frame in the trace decodes to the reading: 40 bits after the
// response, long highs for ones.
func TestDHT22Waveform(t *testing.T) {
	r := newRig(t, "pico2w", 0)
	r.b.Attach("GP16", NewDHT22(DHT22Config{Name: "dht", Temperature: -10.1, Humidity: 65.2}))
	err := r.run(func(t *coop.Task) error {
		d, _ := r.b.DHT22("GP16")
		return d.Measure(t)
	})
	if err != nil {
		t.Fatal(err)
	}
	var evs []trace.Event
	for _, e := range r.rec.Events() {
		if e.Source == "GP16" {
			evs = append(evs, e)
		}
	}
	// evs: idle high, start low, release high, answer low, answer high,
	// then per bit low/high, end low, release high.
	if len(evs) != 1+4+80+2 {
		t.Fatalf("%d edges on GP16, want %d", len(evs), 1+4+80+2)
	}
	if d := evs[2].At - evs[1].At; d != time.Millisecond {
		t.Errorf("start pulse %v, want 1ms", d)
	}
	var bits []byte
	for i := 5; i < 5+80; i += 2 {
		low := evs[i+1].At - evs[i].At
		high := evs[i+2].At - evs[i+1].At
		if low != 50*time.Microsecond {
			t.Errorf("bit %d low for %v", (i-5)/2, low)
		}
		bits = append(bits, map[bool]byte{true: 1, false: 0}[high > 50*time.Microsecond])
	}
	var data [5]byte
	for i, b := range bits {
		data[i/8] = data[i/8]<<1 | b
	}
	h := int(data[0])<<8 | int(data[1])
	tt := int(data[2]&0x7f)<<8 | int(data[3])
	if data[2]&0x80 != 0 {
		tt = -tt
	}
	if h != 652 || tt != -101 || data[4] != data[0]+data[1]+data[2]+data[3] {
		t.Errorf("decoded %d/10 %%, %d/10 °C, checksum %#x; want 652, -101, valid", h, tt, data[4])
	}
}

func TestDHT22Failures(t *testing.T) {
	measure := func(seed uint64, setup func(s *DHT22), attach bool) (errs []error, busy []time.Duration) {
		r := newRig(t, "pico2w", seed)
		s := NewDHT22(DHT22Config{Name: "dht", Temperature: 20, Humidity: 50, FailRate: 0.25})
		if attach {
			r.b.Attach("GP16", s)
		}
		if setup != nil {
			setup(s)
		}
		err := r.run(func(t *coop.Task) error {
			d, _ := r.b.DHT22("GP16")
			for i := range 20 {
				t.SleepUntil(time.Duration(i) * 3 * time.Second)
				start := t.Now()
				errs = append(errs, d.Measure(t))
				busy = append(busy, t.Now()-start)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return errs, busy
	}
	count := func(errs []error, code error) (n int) {
		for _, e := range errs {
			if errors.Is(e, code) {
				n++
			}
		}
		return n
	}
	e1, _ := measure(42, nil, true)
	e2, _ := measure(42, nil, true)
	if n := count(e1, hw.ErrChecksum); n != 1 || fmt.Sprint(e1) != fmt.Sprint(e2) {
		t.Errorf("seed 42, rate 0.25: %d checksum failures in 20 (%v then %v), want 1, the same each run", n, e1, e2)
	}
	total := 0
	for seed := range uint64(50) {
		errs, _ := measure(seed, nil, true)
		total += count(errs, hw.ErrChecksum)
	}
	if total < 200 || total > 300 { // 1000 reads at 0.25
		t.Errorf("%d checksum failures in 1000 reads at rate 0.25", total)
	}
	e3, _ := measure(42, func(s *DHT22) { s.SetFault(FaultChecksum) }, true)
	if n := count(e3, hw.ErrChecksum); n != 20 {
		t.Errorf("FaultChecksum: %d checksum failures in 20", n)
	}
	for _, tc := range []struct {
		name   string
		setup  func(s *DHT22)
		attach bool
	}{
		{"FaultNoResponse", func(s *DHT22) { s.SetFault(FaultNoResponse) }, true},
		{"unwired", nil, false},
	} {
		errs, busy := measure(0, tc.setup, tc.attach)
		if n := count(errs, hw.ErrNoResponse); n != 20 {
			t.Errorf("%s: %d no-response errors in 20", tc.name, n)
		}
		if busy[0] != 1100*time.Microsecond {
			t.Errorf("%s: read held the loop %v, want 1.1ms", tc.name, busy[0])
		}
	}
}

// A failed read keeps the previous reading; a value function of time is
// sampled at the read.
func TestDHT22KeepsPreviousReading(t *testing.T) {
	r := newRig(t, "pico2w", 0)
	s := NewDHT22(DHT22Config{Name: "dht", Humidity: 40})
	s.SetTemperatureFunc(func(at time.Duration) float64 { return 20 + at.Seconds()/10 })
	r.b.Attach("GP16", s)
	var temps []float64
	err := r.run(func(t *coop.Task) error {
		d, _ := r.b.DHT22("GP16")
		for i, fault := range []DHTFault{FaultNone, FaultChecksum, FaultNone} {
			t.SleepUntil(time.Duration(i) * 10 * time.Second)
			s.SetFault(fault)
			d.Measure(t)
			temps = append(temps, d.Temperature())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(temps) != "[20 20 22]" {
		t.Errorf("temperatures = %v, want [20 20 22]", temps)
	}
}
