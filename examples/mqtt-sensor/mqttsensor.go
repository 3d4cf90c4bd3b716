// Package mqttsensor publishes a DHT22's readings to an MQTT broker every
// 2 s and loses none: the second of the further practice of seed 000
// (§14 "a task that sends sensor data to an MQTT broker").
//
// The course's reference for MQTT under uasyncio is Peter Hinch's
// mqtt_as: non-blocking, reconnecting after Wi-Fi and broker outages, QoS
// 1 with retransmission. A reading mqtt_as has not sent yet is lost when
// the board resets. Here each reading goes first to an outbox in flash
// (mqtt.Uplink), which publishes in order and forgets a reading only once
// the broker has acknowledged it, so that an outage, a watchdog reset or
// a power cut loses nothing:
//
//	async def sensor_task():
//	    while True:
//	        sensor.measure()
//	        outbox.append({"temp": sensor.temperature(), "hum": sensor.humidity()})
//	        await asyncio.sleep(2)
//
// Each reading carries the device id and its sequence number, so that the
// consumer sees gaps (none) and drops the duplicates QoS 1 may bring.
//
// # Files
//
// diagram.json wires a DHT22 to GP16, at 24 °C and 58 %. scenario.yaml
// takes the Wi-Fi away for 30 s, kills the broker and starts it again,
// stalls the loop in the middle of a publish so that the watchdog resets
// the board, and cuts the power in the middle of a flash write:
//
//	coop run mqtt-sensor --virtual --for 150s
//	mosquitto_sub -h 127.0.0.1 -p PORT -t 'coop/#' -v   # the address coop run prints
package mqttsensor

import (
	"embed"
	"io"
	"io/fs"
	"strconv"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/mqtt"
)

// The network and broker the program uses: Wokwi's open network, and a
// broker the simulator (or the real network) resolves.
const (
	SSID     = "Wokwi-GUEST"
	Password = ""
	Broker   = "broker.local:1883"
)

// Timings.
const (
	Period  = 2 * time.Second        // between two readings
	Feed    = 250 * time.Millisecond // between two feeds of the watchdog
	Timeout = time.Second            // the watchdog's timeout
)

//go:embed diagram.json scenario.yaml
var files embed.FS

// Files holds the program's default wiring, diagram.json, and its default
// scenario, scenario.yaml.
func Files() fs.FS { return files }

// Options tune the program for a fleet of devices or a benchmark; the
// zero value is App.
type Options struct {
	// Quiet prints nothing on the console.
	Quiet bool
}

// App starts the uplink and the watchdog, then reads the sensor every 2 s
// and records each reading, until it is cancelled.
func App(t *coop.Task, b hw.Board) error { return NewApp(Options{})(t, b) }

// NewApp returns App tuned by o.
func NewApp(o Options) func(t *coop.Task, b hw.Board) error {
	return func(t *coop.Task, b hw.Board) error { return run(t, b, o) }
}

func run(t *coop.Task, b hw.Board, o Options) error {
	con := b.Console()
	if o.Quiet {
		con = hw.NewConsole(io.Discard)
	}
	con.Println("boot, reset cause:", hw.LastReset(b))
	sensor, err := hw.OpenDHT22(b, "GP16")
	if err != nil {
		return err
	}
	wdt, err := hw.OpenWatchdog(b)
	if err != nil {
		return err
	}
	up, err := mqtt.StartUplink(t, b, mqtt.UplinkConfig{SSID: SSID, Password: Password, Broker: Broker,
		Quiet: o.Quiet})
	if err != nil {
		return err
	}
	if err := wdt.Start(Timeout); err != nil {
		return err
	}
	feeder := t.Spawn("feeder", func(t *coop.Task) error {
		for {
			wdt.Feed()
			if err := t.Sleep(Feed); err != nil {
				return err
			}
		}
	})
	read := t.Spawn("sensor", func(t *coop.Task) error {
		var data []byte
		tick := coop.NewTicker(t, Period)
		for {
			if err := sensor.Measure(t); err != nil {
				if err := t.Check(); err != nil {
					return err
				}
				con.Println("sensor:", err)
			} else {
				data = append(data[:0], `{"temp":`...)
				data = strconv.AppendFloat(data, sensor.Temperature(), 'f', -1, 64)
				data = append(data, `,"hum":`...)
				data = strconv.AppendFloat(data, sensor.Humidity(), 'f', -1, 64)
				data = append(data, '}')
				if seq, err := up.Record(t, "dht22", data); err != nil {
					con.Println("record:", err)
				} else {
					con.Printf("reading #%d: %s\n", seq, data)
				}
			}
			if err := tick.Next(t); err != nil {
				return err
			}
		}
	})
	return coop.Gather(t, append([]*coop.Task{feeder, read}, up.Tasks...)...)
}
