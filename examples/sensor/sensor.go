// Package sensor adds a sensor task to the loop: a DHT22 on GP16 is read
// every 2 s while a heartbeat task blinks the built-in LED, and a failed
// read is printed and survived, not fatal.
//
// It is Exercise 3 of seed 000 (§9 "Multiple Cooperative Tasks with a
// Sensor"):
//
//	async def read_sensor():
//	    while True:
//	        try:
//	            sensor.measure()
//	            print("Temperature:", sensor.temperature(), "C")
//	            print("Humidity:", sensor.humidity(), "%")
//	        except Exception as e:
//	            print("Sensor read error:", e)
//	        await asyncio.sleep(2)
//
//	async def heartbeat():
//	    led = Pin("LED", Pin.OUT)
//	    while True:
//	        led.toggle()
//	        await asyncio.sleep(0.5)
//
// A read is a blocking call, on the Pico as here: no other task runs
// while the sensor answers. coop's DHT22 takes the datasheet's exchange,
// a 1 ms start signal and the 40 bits, 4.764 ms at 24 °C and 58 % (4.3 to
// 6.1 ms, depending on the bits). So the first lines come at 4.764 ms, not
// at 0 s, the heartbeat's first toggle waits for the first read, and each
// 2 s period is 2 s plus a read: the times drift by a few milliseconds per
// read. MicroPython's driver (dht_readinto) first holds the line high for
// 250 ms and low for 18 ms, so on a Pico a read holds the loop about
// 273 ms and the lines come that much later; the order of the lines is
// the same.
//
// The readings print as the course's expected output has them
// ("Temperature: 24 C"): Go prints a float64 24 as "24". MicroPython's
// dht module returns floats, which it prints as "24.0"; a reading with a
// tenth prints alike in both ("24.5").
//
// # Files
//
// diagram.json wires a DHT22 to GP16 (VCC to 3V3, GND to GND) at 24 °C
// and 58 %. scenario.yaml lowers the humidity to 57 % at 1 s, so the first
// two reads give the course's expected output, then breaks the sensor
// from 5 s to 7 s (bad checksums) and from 9 s to 11 s (no answer):
//
//	[   0.004s] Temperature: 24 C
//	[   0.004s] Humidity: 58 %
//	[   2.009s] Temperature: 24 C
//	[   2.009s] Humidity: 57 %
//	…
//	[   6.019s] Sensor read error: hw: checksum mismatch
package sensor

import (
	"embed"
	"io/fs"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// Timings of the course's code.
const (
	Period = 2 * time.Second        // the pause between two reads
	Beat   = 500 * time.Millisecond // how often the heartbeat toggles the LED
)

//go:embed diagram.json scenario.yaml
var files embed.FS

// Files holds the program's default wiring, diagram.json, and its default
// scenario, scenario.yaml.
func Files() fs.FS { return files }

// App reads the sensor and beats the heartbeat until it is cancelled, then
// turns the LED off. A failed read is printed, and the next one comes 2 s
// later. App returns the first error of its tasks.
func App(t *coop.Task, b hw.Board) error {
	sensor, err := hw.OpenDHT22(b, "GP16")
	if err != nil {
		return err
	}
	led, err := b.Output("LED")
	if err != nil {
		return err
	}
	con := b.Console()

	read := t.Spawn("read_sensor", func(t *coop.Task) error {
		for {
			if err := sensor.Measure(t); err != nil {
				if err := t.Check(); err != nil {
					return err // cancelled, not a sensor error
				}
				con.Println("Sensor read error:", err)
			} else {
				con.Println("Temperature:", sensor.Temperature(), "C")
				con.Println("Humidity:", sensor.Humidity(), "%")
			}
			if err := t.Sleep(Period); err != nil {
				return err
			}
		}
	})
	heartbeat := t.Spawn("heartbeat", func(t *coop.Task) error {
		defer led.Set(false)
		for {
			led.Toggle()
			if err := t.Sleep(Beat); err != nil {
				return err
			}
		}
	})
	return coop.Gather(t, read, heartbeat)
}
