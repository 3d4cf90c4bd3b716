package iot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples/internal/exampletest"
	"github.com/coopgo/coop/mqtt/broker"
	"github.com/coopgo/coop/mqtt/telemetry"
	"github.com/coopgo/coop/sim"
)

// The default scenario on the embedded broker: no reading is published
// while paused, every reading recorded arrives, and the status lines say
// so.
func TestApp(t *testing.T) {
	br, err := broker.Start(broker.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer br.Close()
	tally := &telemetry.Tally{}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sub, err := telemetry.Subscribe(ctx, telemetry.Config{URL: br.URL(), ClientID: "test-iot"}, tally)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()

	fw := &sim.Firmware{}
	r := exampletest.New(t, "iot", sim.Config{DeviceID: "iot-1"}, coop.WithTaskEvents(fw.ObserveTask))
	fw.App = r.Program.App
	r.Board.SetNetwork(sim.NetConfig{Dial: br.Dial, RTT: 20 * time.Millisecond, Server: br})
	fw.Start(r.Board)
	if err := r.Loop.RunFor(90 * time.Second); err != nil {
		t.Fatal(err)
	}
	if !r.Scenario.Done() || r.Scenario.Err() != nil {
		t.Fatalf("scenario done %v, error %v\n%s", r.Scenario.Done(), r.Scenario.Err(), strings.Join(r.Timed(), "\n"))
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"2.004808s Wi-Fi connected",
		"2.044808s MQTT connected, 2 to send",
		"10.004896s status: publishing, MQTT connected, 1 pending, 0 dropped, last #6",
		"12.004896s publishing paused",
		// Paused: #7 was the last reading recorded.
		"20.004896s status: paused, MQTT connected, 0 pending, 0 dropped, last #7",
		"20.00494s publishing resumed",
		"30.004808s MQTT down: mqtt: send PUBLISH: sim: stream to broker.local:1883: hw: network link is down",
		"30.004896s status: publishing, MQTT disconnected, 1 pending, 0 dropped, last #12",
		"30.699808s MQTT down: mqtt: connect to broker.local:1883: sim: dial broker.local:1883: hw: network link is down",
		"31.00494s Wi-Fi: hw: access point not found",
		// The readings of the outage wait in flash.
		"40.00494s status: publishing, MQTT disconnected, 6 pending, 0 dropped, last #17",
		"47.00494s Wi-Fi connected",
		"47.571808s MQTT connected, 9 to send",
		"50.00494s status: publishing, MQTT connected, 1 pending, 0 dropped, last #22",
		"1m0.00494s status: publishing, MQTT connected, 1 pending, 0 dropped, last #27",
		"1m0.00494s MQTT down: mqtt: send PUBLISH: sim: write to broker.local:1883: hw: connection reset: io: read/write on closed pipe",
		"1m0.80194s MQTT down: mqtt: connect to broker.local:1883: sim: dial broker.local:1883: hw: connection refused: broker: stopped",
		"1m5.18894s MQTT connected, 3 to send",
		"1m10.004984s status: publishing, MQTT connected, 1 pending, 0 dropped, last #32",
		"1m20.004984s status: publishing, MQTT connected, 1 pending, 0 dropped, last #37",
		"1m20.004984s MQTT down: mqtt: send PUBLISH: sim: stream to broker.local:1883: hw: connection reset",
		"1m20.995984s MQTT connected, 1 to send",
	})
	if err := sub.WaitFor(ctx, func(tl *telemetry.Tally) bool { return tl.Has("iot-1", 41) }); err != nil {
		t.Fatalf("readings: %v; have %v", err, tally.Seqs("iot-1"))
	}
}
