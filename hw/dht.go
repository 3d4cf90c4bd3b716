package hw

import "github.com/coopgo/coop"

// DHT22 is a DHT22 (AM2302) temperature and humidity sensor on one pin
// (MicroPython's dht.DHT22). The sensor needs 2 s between measurements.
type DHT22 interface {
	// Measure reads the sensor, from inside the task self. The read holds
	// the loop for the few milliseconds the sensor takes to send its 40
	// bits (about 5 ms), as it does on a board: no other task runs
	// meanwhile. On failure the previous reading stands and the error is
	// ErrChecksum, ErrNoResponse or ErrTooSoon (asked less than 1.95 s
	// after the previous measurement began; then the bus is not touched
	// at all). The sensor needs 2 s; the 50 ms of slack let a task that
	// reads on a 2 s grid (a coop.Ticker) through when it wakes less late
	// than the time before, as it does in real time.
	Measure(self *coop.Task) error
	// Temperature returns the last reading in degrees Celsius, in steps
	// of 0.1 (the sensor's resolution), so 24 prints as "24".
	Temperature() float64
	// Humidity returns the last reading in percent relative humidity,
	// in steps of 0.1.
	Humidity() float64
}

// DHT22Board is a [Board] that can talk to a DHT22.
type DHT22Board interface {
	// DHT22 returns the sensor on pin, taking the pin. The error wraps
	// ErrNoPin or ErrPinBusy. A pin with no sensor wired gives a sensor
	// whose Measure returns ErrNoResponse, as on a board.
	DHT22(pin string) (DHT22, error)
}

// OpenDHT22 returns the DHT22 on pin of b, or a *DeviceError wrapping
// [ErrNoDevice] if b has no DHT22 support.
func OpenDHT22(b Board, pin string) (DHT22, error) {
	if db, ok := b.(DHT22Board); ok {
		return db.DHT22(pin)
	}
	return nil, &DeviceError{Board: b.Name(), Device: "DHT22"}
}
