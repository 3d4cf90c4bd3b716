package iot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop/examples"
	"github.com/coopgo/coop/examples/internal/exampletest"
	"github.com/coopgo/coop/mqtt/broker"
	"github.com/coopgo/coop/mqtt/telemetry"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/sim/session"
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

	p, err := examples.Find("iot")
	if err != nil {
		t.Fatal(err)
	}
	s, err := session.New(p.App, session.Config{
		Name:     p.Name,
		Wiring:   session.File{Name: "iot/diagram.json", Data: p.Wiring},
		Scenario: session.File{Name: "iot/scenario.yaml", Data: p.Scenario},
		Virtual:  true, For: 90 * time.Second, DeviceID: "iot-1",
		Network: sim.NetConfig{Dial: br.Dial, RTT: 20 * time.Millisecond, Server: &afterSubscriber{br, sub}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var timed []string
	s.Observe(session.Observer{Console: func(at time.Duration, line string) { timed = append(timed, at.String()+" "+line) }})
	if err := s.Run(context.Background()); err != nil {
		t.Fatalf("%v\n%s", err, strings.Join(timed, "\n"))
	}
	exampletest.Equal(t, "console", timed, []string{
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

// afterSubscriber is the embedded broker, whose restart ends once the
// test's subscriber is back (see examples/mqtt-sensor's test: mochi loses
// what is published while a subscriber takes its session over).
type afterSubscriber struct {
	*broker.Broker
	sub *telemetry.Subscriber
}

func (a *afterSubscriber) Restart() error {
	n := a.sub.Connects()
	if err := a.Broker.Restart(); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return a.sub.WaitConnects(ctx, n+1)
}
