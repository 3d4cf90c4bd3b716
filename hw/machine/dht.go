//go:build tinygo && (pico || pico2)

package machine

import (
	"machine"
	"runtime/interrupt"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// The DHT22's (AM2302's) bus timing, from its datasheet: the host holds
// the line low for at least 1 ms and releases it; the sensor answers
// 80 µs low and 80 µs high, then sends 40 bits, each 50 µs low followed
// by 26–28 µs high for a 0 or 70 µs high for a 1, and ends with 50 µs low.
const (
	dhtStart    = 1100 * time.Microsecond // host low: 1 ms and a margin
	dhtInterval = 2 * time.Second         // the sensor measures at most every 2 s
	// dhtSlack is how much sooner than dhtInterval a read may come, as
	// in the simulator: a task that reads on a 2 s grid wakes a little
	// late by a varying amount, so two reads can start a hair less than
	// 2 s apart.
	dhtSlack = 50 * time.Millisecond
	// dhtSpins bounds every wait for a level, in polls of the pin: far
	// more than the longest 80 µs phase at 150 MHz, and still well
	// under a millisecond, so a sensor that stops answering ends the
	// read quickly.
	dhtSpins = 4000
)

// DHT22 implements hw.DHT22Board: the sensor on pin, which it takes (as
// role "DHT22"). The pin wants a pull-up; the board's weak one is turned
// on, and the usual 4.7–10 kΩ resistor to 3V3 is still advised.
func (b *Board) DHT22(name string) (hw.DHT22, error) {
	p, err := b.pin(name)
	if err != nil {
		return nil, err
	}
	if err := p.claim(name, roleInput, "DHT22"); err != nil {
		return nil, err
	}
	if d, ok := p.handle.(*dht); ok {
		return d, nil
	}
	p.configureInput(hw.PullUp)
	d := &dht{p: p, gen: p.gen}
	p.handle = d
	return d, nil
}

// dht reads a DHT22 by polling its pin with interrupts off, counting
// polls: a bit is a 1 when its high phase lasted longer than the 50 µs
// low phase before it, so the read needs no timer and works at any clock.
type dht struct {
	p        *pin
	gen      uint32
	measured bool
	last     time.Duration // loop time of the last read
	t        int16         // tenths of a degree Celsius
	h        uint16        // tenths of a percent
}

// Measure reads the sensor. It holds the loop for the read, about 5 ms,
// as hw.DHT22 says: 1.1 ms start pulse, then the 40 bits with interrupts
// off, so that no interrupt stretches a bit.
func (d *dht) Measure(self *coop.Task) error {
	if d.gen != d.p.gen {
		panic("machine: DHT22 on " + d.p.name + " used after the pin was taken again")
	}
	now := self.Now()
	if d.measured && now-d.last < dhtInterval-dhtSlack {
		return hw.ErrTooSoon
	}
	d.measured, d.last = true, now
	var data [5]byte
	if err := d.read(&data); err != nil {
		return err
	}
	if data[0]+data[1]+data[2]+data[3] != data[4] {
		return hw.ErrChecksum
	}
	d.h = uint16(data[0])<<8 | uint16(data[1])
	tb := uint16(data[2])<<8 | uint16(data[3])
	d.t = int16(tb & 0x7fff)
	if tb&0x8000 != 0 {
		d.t = -d.t
	}
	return nil
}

// read runs one bus transaction into data.
func (d *dht) read(data *[5]byte) error {
	g := d.p.gpio
	g.Low()
	g.Configure(machine.PinConfig{Mode: machine.PinOutput})
	for start := time.Now(); time.Since(start) < dhtStart; {
	}
	mask := interrupt.Disable()
	g.Configure(machine.PinConfig{Mode: machine.PinInputPullup})
	ok := dhtWait(g, false) > 0 && // the sensor takes the line
		dhtWait(g, true) > 0 && // 80 µs low
		dhtWait(g, false) > 0 // 80 µs high
	var low, high [40]uint16
	for i := 0; ok && i < 40; i++ {
		low[i] = dhtWait(g, true)
		high[i] = dhtWait(g, false)
		ok = low[i] > 0 && high[i] > 0
	}
	interrupt.Restore(mask)
	if !ok {
		return hw.ErrNoResponse
	}
	*data = [5]byte{}
	for i := range 40 {
		if high[i] > low[i] {
			data[i/8] |= 0x80 >> (i % 8)
		}
	}
	return nil
}

// dhtWait polls g until it reads level and returns how many polls that
// took (at least 1), or 0 if it did not within dhtSpins.
func dhtWait(g machine.Pin, level bool) uint16 {
	for n := uint16(1); n <= dhtSpins; n++ {
		if g.Get() == level {
			return n
		}
	}
	return 0
}

// Temperature returns the last reading in degrees Celsius.
func (d *dht) Temperature() float64 { return float64(d.t) / 10 }

// Humidity returns the last reading in percent relative humidity.
func (d *dht) Humidity() float64 { return float64(d.h) / 10 }

// Close frees the pin.
func (d *dht) Close() error {
	if d.gen == d.p.gen {
		d.p.release()
	}
	return nil
}

// String returns the pin's name, such as "GP16".
func (d *dht) String() string { return d.p.name }

var _ hw.DHT22Board = (*Board)(nil)
