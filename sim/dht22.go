package sim

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// DHT22Config configures a [DHT22] sensor.
type DHT22Config struct {
	Name        string  // the part's name, as in a wiring file ("dht1")
	Temperature float64 // degrees Celsius, until set otherwise
	Humidity    float64 // percent relative humidity, until set otherwise
	// FailRate is the fraction of reads, 0 to 1, whose checksum arrives
	// corrupted; which ones comes from the board's seed and the sensor's
	// name.
	FailRate float64
}

// DHTFault is a way a [DHT22] can be broken.
type DHTFault uint8

// The faults.
const (
	FaultNone       DHTFault = iota // works (failing at its FailRate)
	FaultNoResponse                 // does not answer: hw.ErrNoResponse
	FaultChecksum                   // every frame's checksum is wrong: hw.ErrChecksum
)

// DHT22 is a simulated DHT22 (AM2302) temperature and humidity sensor, the
// part on the wire; programs talk to it through the board's [hw.DHT22]
// driver. The module carries a pull-up on its data line.
//
// A read sends the AM2302 frame: the host holds the line low 1 ms, the
// sensor answers 80 µs low and 80 µs high, then sends 40 bits, each 50 µs
// low followed by 26 µs high for a 0 or 70 µs for a 1 (humidity ×10,
// temperature ×10 with bit 15 as sign, checksum), and ends with 50 µs low.
// The frame goes into the trace as level changes, so a decoder such as
// sigrok's am230x can check it; the read holds the loop for the length of
// the frame, 4.3 to 6.1 ms depending on the data (about 5 ms).
type DHT22 struct {
	partWire
	cfg   DHT22Config
	rng   *rand.Rand
	temp  func(at time.Duration) float64
	hum   func(at time.Duration) float64
	fault DHTFault
	reads int
}

// NewDHT22 returns a sensor to attach with [Board.Attach].
func NewDHT22(cfg DHT22Config) *DHT22 { return &DHT22{cfg: cfg} }

// DHT22 ranges: what the sensor measures.
const (
	MinTemperature, MaxTemperature = -40, 80 // °C
	MinHumidity, MaxHumidity       = 0, 100  // % RH
)

// DHT22Type describes the sensor: Wokwi's wokwi-dht22.
func DHT22Type() *PartType {
	temp := Arg{Name: "temperature", Kind: KindNumber, Unit: "°C", Min: MinTemperature, Max: MaxTemperature}
	hum := Arg{Name: "humidity", Kind: KindNumber, Unit: "%", Min: MinHumidity, Max: MaxHumidity}
	curve := func(q Arg) Input {
		from, to := q, q
		from.Name, from.Optional, from.Doc = "from", true, "the value to start from; the value now if left out"
		to.Name, to.Doc = "to", "the value to end at"
		return Input{Name: q.Name, Doc: "move the " + q.Name + " in a straight line",
			Args: []Arg{from, to, {Name: "over", Kind: KindDuration, Optional: true, Doc: "how long the change takes; at once if left out"}}}
	}
	return &PartType{
		Type:  "wokwi-dht22",
		Kind:  "sensor",
		Title: "a DHT22",
		Pins: []PinSpec{
			{Name: "VCC", Power: true}, {Name: "SDA", Doc: "data: on a board pin of its own"},
			{Name: "NC", Power: true}, {Name: "GND", Power: true},
		},
		Attrs: []Attr{
			{Name: "temperature", Kind: KindNumber, Default: "24", Min: MinTemperature, Max: MaxTemperature, Unit: "°C"},
			{Name: "humidity", Kind: KindNumber, Default: "40", Min: MinHumidity, Max: MaxHumidity, Unit: "%"},
			{Name: "coopFailRate", Kind: KindNumber, Default: "0", Min: 0, Max: 1, Doc: "the fraction of reads whose checksum is bad"},
		},
		State: []Field{
			{Name: "temperature", Kind: KindNumber, Unit: "°C", Min: MinTemperature, Max: MaxTemperature, Digits: 1, Doc: "what the sensor is exposed to"},
			{Name: "humidity", Kind: KindNumber, Unit: "%", Min: MinHumidity, Max: MaxHumidity, Digits: 1},
		},
		Inputs: []Input{
			curve(temp), curve(hum),
			{Name: "sensor-fail", Doc: "break the sensor, or repair it", Args: []Arg{
				{Name: "mode", Kind: KindChoice, Choices: []string{"checksum", "no-response", "none"}}}},
		},
		Controls: []Arg{temp, hum},
		Hookup: func(net func(string) Net) (Hookup, error) {
			s := net("SDA")
			if s.GPIO == "" {
				return Hookup{}, notWired("has pin SDA unconnected: wire it to a board pin")
			}
			return Hookup{Pin: s.GPIO, Pull: High, Exclusive: true}, nil
		},
		New: func(name string, attrs AttrValues, _ Hookup) (Part, error) {
			return NewDHT22(DHT22Config{Name: name, Temperature: attrs.Number("temperature"),
				Humidity: attrs.Number("humidity"), FailRate: attrs.Number("coopFailRate")}), nil
		},
	}
}

// Name returns the sensor's name.
func (s *DHT22) Name() string { return s.cfg.Name }

// Type implements [Described].
func (s *DHT22) Type() *PartType { return DHT22Type() }

// State implements [Described]: "temperature" and "humidity" it is
// exposed to.
func (s *DHT22) State() State {
	return State{"temperature": s.Temperature(), "humidity": s.Humidity()}
}

// Do implements [Actor]: temperature and humidity (to, from, over),
// sensor-fail (mode), and set-control "temperature" and "humidity".
func (s *DHT22) Do(input string, args Args) error {
	switch input {
	case "temperature", "humidity":
		get, set := s.Temperature, s.SetTemperatureFunc
		if input == "humidity" {
			get, set = s.Humidity, s.SetHumidityFunc
		}
		from, ok := args.Number("from")
		if !ok {
			from = get()
		}
		to, _ := args.Number("to")
		set(ramp(from, to, s.w.Now(), args.Duration("over")))
	case "sensor-fail":
		s.SetFault(map[string]DHTFault{"none": FaultNone, "checksum": FaultChecksum, "no-response": FaultNoResponse}[args.Choice("mode")])
	case "set-control":
		if v, ok := args.Number("temperature"); ok {
			s.SetTemperature(v)
		}
		if v, ok := args.Number("humidity"); ok {
			s.SetHumidity(v)
		}
	}
	return nil
}

// Connect implements [Part].
func (s *DHT22) Connect(w *Wire) error {
	if err := s.attach(w, "DHT22"); err != nil {
		return err
	}
	s.rng = w.Board().Rand("dht22:" + s.cfg.Name)
	w.Pull(High)
	return nil
}

// SetTemperature sets the temperature in degrees Celsius from now on.
func (s *DHT22) SetTemperature(c float64) { s.cfg.Temperature, s.temp = c, nil }

// SetHumidity sets the relative humidity in percent from now on.
func (s *DHT22) SetHumidity(rh float64) { s.cfg.Humidity, s.hum = rh, nil }

// SetTemperatureFunc makes the temperature follow fn of board time (a
// curve of a scenario); nil goes back to the last set value.
func (s *DHT22) SetTemperatureFunc(fn func(at time.Duration) float64) { s.temp = fn }

// SetHumidityFunc makes the humidity follow fn of board time; nil goes
// back to the last set value.
func (s *DHT22) SetHumidityFunc(fn func(at time.Duration) float64) { s.hum = fn }

// SetFailRate sets the fraction of reads, 0 to 1, whose checksum arrives
// corrupted.
func (s *DHT22) SetFailRate(rate float64) { s.cfg.FailRate = rate }

// SetFault breaks the sensor (or repairs it with FaultNone).
func (s *DHT22) SetFault(f DHTFault) { s.fault = f }

// Temperature returns the temperature the sensor is exposed to now.
func (s *DHT22) Temperature() float64 {
	if s.temp != nil && s.w != nil {
		return s.temp(s.w.Now())
	}
	return s.cfg.Temperature
}

// Humidity returns the humidity the sensor is exposed to now.
func (s *DHT22) Humidity() float64 {
	if s.hum != nil && s.w != nil {
		return s.hum(s.w.Now())
	}
	return s.cfg.Humidity
}

// Reads returns how many frames the sensor has sent.
func (s *DHT22) Reads() int { return s.reads }

// rawReading quantizes a reading to the sensor's tenths and range.
func rawReading(c, rh float64) (t int16, h uint16) {
	tc := math.Round(c * 10)
	tc = math.Max(-400, math.Min(800, tc))
	hc := math.Round(rh * 10)
	hc = math.Max(0, math.Min(1000, hc))
	return int16(tc), uint16(hc)
}

// frame returns the five bytes the sensor sends now, and whether their
// checksum is corrupted.
func (s *DHT22) frame() (data [5]byte, bad bool) {
	s.reads++
	t, h := rawReading(s.Temperature(), s.Humidity())
	tb := uint16(t)
	if t < 0 {
		tb = 0x8000 | uint16(-t)
	}
	data = [5]byte{byte(h >> 8), byte(h), byte(tb >> 8), byte(tb)}
	data[4] = data[0] + data[1] + data[2] + data[3]
	fail := s.rng.Float64() < s.cfg.FailRate
	if fail || s.fault == FaultChecksum {
		data[4] ^= 0x01
		bad = true
	}
	return data, bad
}

// Frame timing (AM2302 datasheet).
const (
	dhtStart    = time.Millisecond       // host holds the line low
	dhtGo       = 30 * time.Microsecond  // line released, before the answer
	dhtAnswer   = 80 * time.Microsecond  // sensor low, then as long high
	dhtBitLow   = 50 * time.Microsecond  // low before every bit, and at the end
	dhtZeroHigh = 26 * time.Microsecond  // high of a 0
	dhtOneHigh  = 70 * time.Microsecond  // high of a 1
	dhtTimeout  = 100 * time.Microsecond // the driver's wait for an answer
	dhtInterval = 2 * time.Second        // a DHT22 measures at most every 2 s
	// dhtSlack is how much sooner than dhtInterval a read may come: a
	// task that reads on a 2 s grid (a coop.Ticker) wakes a little late
	// by a varying amount in real time, so two reads can start a hair
	// less than 2 s apart.
	dhtSlack = 50 * time.Millisecond
)

// frameDuration returns how long the frame of data holds the line.
func frameDuration(data [5]byte) time.Duration {
	d := dhtStart + dhtGo + 2*dhtAnswer + 41*dhtBitLow
	for _, b := range data {
		for i := 7; i >= 0; i-- {
			if b>>i&1 == 1 {
				d += dhtOneHigh
			} else {
				d += dhtZeroHigh
			}
		}
	}
	return d
}

// DHT22 implements [hw.DHT22Board]: it returns the driver for a DHT22 on
// pin, taking the pin. Measure talks to the [DHT22] part attached to the
// pin, if there is one.
func (b *Board) DHT22(name string) (hw.DHT22, error) {
	p, err := b.pin(name)
	if err != nil {
		return nil, err
	}
	if p.role != roleNone {
		return nil, &hw.PinError{Board: b.kind.name, Pin: p.name, Err: hw.ErrPinBusy, Have: p.user}
	}
	p.claim(roleDevice, "DHT22")
	p.pull = hw.PullUp // the driver runs the line open-drain with a pull-up
	p.take()
	return &dhtDriver{p: p, gen: p.gen}, nil
}

// dhtDriver is the hw.DHT22 a program holds.
type dhtDriver struct {
	p        *pin
	gen      uint64
	measured bool
	last     time.Duration // start of the last bus transaction
	t        int16
	h        uint16
}

func (d *dhtDriver) sensor() *DHT22 {
	for _, w := range d.p.wires {
		if s, ok := w.part.(*DHT22); ok {
			return s
		}
	}
	return nil
}

func (d *dhtDriver) Measure(self *coop.Task) error {
	if d.gen != d.p.gen {
		panic("sim: DHT22 on " + d.p.name + " used after Close")
	}
	now := self.Now()
	if d.measured && now-d.last < dhtInterval-dhtSlack {
		return hw.ErrTooSoon
	}
	d.measured, d.last = true, now
	b, name := d.p.b, d.p.name
	b.emitPin(now, name, false)
	at := now + dhtStart
	b.emitPin(at, name, true)
	s := d.sensor()
	if s == nil || s.fault == FaultNoResponse {
		self.Busy(dhtStart + dhtTimeout)
		return hw.ErrNoResponse
	}
	data, bad := s.frame()
	at += dhtGo
	b.emitPin(at, name, false)
	at += dhtAnswer
	b.emitPin(at, name, true)
	at += dhtAnswer
	for _, x := range data {
		for i := 7; i >= 0; i-- {
			b.emitPin(at, name, false)
			at += dhtBitLow
			b.emitPin(at, name, true)
			if x>>i&1 == 1 {
				at += dhtOneHigh
			} else {
				at += dhtZeroHigh
			}
		}
	}
	b.emitPin(at, name, false)
	at += dhtBitLow
	b.emitPin(at, name, true)
	self.Busy(at - now)
	if bad {
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

func (d *dhtDriver) Temperature() float64 { return float64(d.t) / 10 }
func (d *dhtDriver) Humidity() float64    { return float64(d.h) / 10 }

func (d *dhtDriver) Close() error {
	if d.gen == d.p.gen {
		d.p.release()
	}
	return nil
}
