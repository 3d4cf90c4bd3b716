// Package iot is the IoT application seed 000 ends with (§14 "combine LED,
// sensor and network tasks into one IoT application"): a heartbeat LED, a
// DHT22 read every 2 s, the readings published to an MQTT broker through
// a flash outbox that loses none, a button on GP14 that pauses and
// resumes publishing, and a status line every 10 s, each its own task:
//
//	heartbeat  LED toggled every 500 ms
//	sensor     DHT22 every 2 s; while publishing, each reading recorded
//	button     GP14 polled every 50 ms; a press pauses or resumes
//	status     the uplink's state every 10 s
//	wifi, mqtt, uplink   the network (mqtt.Uplink)
//
// Run it with `coop run iot --top` to watch the tasks, or
// `coop run iot --virtual --for 90s --timestamps` for the whole scenario.
//
// # Files
//
// diagram.json wires a DHT22 to GP16 (21 °C, 45 %) and a button from GP14
// to GND. scenario.yaml warms the air, pauses and resumes publishing with
// the button, drops the Wi-Fi, stops and restarts the broker, and drops
// the connection.
package iot

import (
	"embed"
	"io/fs"
	"strconv"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/mqtt"
)

// The network and broker the program uses.
const (
	SSID     = "Wokwi-GUEST"
	Password = ""
	Broker   = "broker.local:1883"
)

// Timings.
const (
	Beat   = 500 * time.Millisecond
	Period = 2 * time.Second
	Poll   = 50 * time.Millisecond
	Status = 10 * time.Second
)

//go:embed diagram.json scenario.yaml
var files embed.FS

// Files holds the program's default wiring and scenario.
func Files() fs.FS { return files }

// App runs the application's tasks until it is cancelled.
func App(t *coop.Task, b hw.Board) error {
	con := b.Console()
	led, err := b.Output("LED")
	if err != nil {
		return err
	}
	button, err := b.Input("GP14", hw.PullUp)
	if err != nil {
		return err
	}
	sensor, err := hw.OpenDHT22(b, "GP16")
	if err != nil {
		return err
	}
	up, err := mqtt.StartUplink(t, b, mqtt.UplinkConfig{SSID: SSID, Password: Password, Broker: Broker})
	if err != nil {
		return err
	}
	publishing := true

	heartbeat := t.Spawn("heartbeat", func(t *coop.Task) error {
		defer led.Set(false)
		for {
			led.Toggle()
			if err := t.Sleep(Beat); err != nil {
				return err
			}
		}
	})
	read := t.Spawn("sensor", func(t *coop.Task) error {
		tick := coop.NewTicker(t, Period)
		var data []byte
		for {
			if err := sensor.Measure(t); err != nil {
				if err := t.Check(); err != nil {
					return err
				}
				con.Println("sensor:", err)
			} else if publishing {
				data = append(data[:0], `{"temp":`...)
				data = strconv.AppendFloat(data, sensor.Temperature(), 'f', -1, 64)
				data = append(data, `,"hum":`...)
				data = strconv.AppendFloat(data, sensor.Humidity(), 'f', -1, 64)
				data = append(data, '}')
				if _, err := up.Record(t, "dht22", data); err != nil {
					con.Println("record:", err)
				}
			}
			if err := tick.Next(t); err != nil {
				return err
			}
		}
	})
	buttons := t.Spawn("button", func(t *coop.Task) error {
		was := false
		for {
			pressed := !button.Get()
			if pressed && !was {
				publishing = !publishing
				if publishing {
					con.Println("publishing resumed")
				} else {
					con.Println("publishing paused")
				}
			}
			was = pressed
			if err := t.Sleep(Poll); err != nil {
				return err
			}
		}
	})
	status := t.Spawn("status", func(t *coop.Task) error {
		for {
			if err := t.Sleep(Status); err != nil {
				return err
			}
			st := up.Outbox.Stats()
			state := "publishing"
			if !publishing {
				state = "paused"
			}
			con.Printf("status: %s, %s, last #%d\n", state, up.Status(), st.NextSeq-1)
		}
	})
	return coop.Gather(t, append([]*coop.Task{heartbeat, read, buttons, status}, up.Tasks...)...)
}
