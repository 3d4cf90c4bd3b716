// Command beacon is a user's coop program that publishes: an LED blinks
// every half second, and every 2 s, from 1 s on, a reading of how many
// times it has blinked goes to the MQTT broker through mqtt.Uplink's
// flash outbox. It runs on a simulated board with
//
//	go run . --virtual --for 10s --timestamps
//
// and as a fleet of simulated devices with
//
//	go run . --devices 3 --for 1m
package main

import (
	"strconv"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/device"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/mqtt"
)

// App blinks the LED on GP15 and publishes the count of blinks.
func App(t *coop.Task, b hw.Board) error {
	led, err := b.Output("GP15")
	if err != nil {
		return err
	}
	up, err := mqtt.StartUplink(t, b, mqtt.UplinkConfig{SSID: "Wokwi-GUEST", Broker: "broker.local:1883"})
	if err != nil {
		return err
	}
	blinks := 0
	t.Spawn("blink", func(t *coop.Task) error {
		for {
			led.Toggle()
			if led.Get() {
				blinks++
			}
			if err := t.Sleep(500 * time.Millisecond); err != nil {
				return err
			}
		}
	})
	if err := t.Sleep(time.Second); err != nil {
		return err
	}
	tick := coop.NewTicker(t, 2*time.Second)
	for {
		seq, err := up.Record(t, "blinks", strconv.AppendInt(nil, int64(blinks), 10))
		if err != nil {
			return err
		}
		b.Console().Printf("reading #%d: %d blinks\n", seq, blinks)
		if err := tick.Next(t); err != nil {
			return err
		}
	}
}

func main() { device.Main(App) }
