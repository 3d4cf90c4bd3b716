package fleet_test

import (
	"context"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/fleet"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/mqtt"
	"github.com/coopgo/coop/mqtt/mqtttest"
	"github.com/coopgo/coop/mqtt/telemetry"
	"github.com/coopgo/coop/sim/session"
)

// A fleet run on a broker counts what its own devices publish, not what
// an earlier run left: readings of an earlier run's dev-00000 queued in
// the shard subscriber's persistent session (#1–#3, and #40, beyond
// what this run publishes), and one retained on the topic. Counted, they
// would be three duplicates and nine readings lost.
func TestFleetIgnoresEarlierRun(t *testing.T) {
	m := mqtttest.StartMosquitto(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	// The earlier run's subscriber, gone with its session kept.
	sub, err := telemetry.Subscribe(ctx, telemetry.Config{URL: m.URL(), ClientID: "coop-fleet-1-of-1"}, &telemetry.Tally{})
	if err != nil {
		t.Fatal(err)
	}
	sub.Close()
	c := paho.NewClient(paho.NewClientOptions().AddBroker("tcp://" + m.Addr()).SetClientID("earlier"))
	if tok := c.Connect(); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		t.Fatal(tok.Error())
	}
	for _, seq := range []uint64{1, 2, 3, 40} {
		r := mqtt.Reading{Device: "dev-00000", Seq: seq, At: time.Hour, Data: []byte(`{"temp":-40}`)}
		if tok := c.Publish("coop/dev-00000/dht22", 1, seq == 40, r.AppendPayload(nil)); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
			t.Fatal(tok.Error())
		}
	}
	c.Disconnect(0)

	res, err := fleet.Run(ctx, fleet.Config{Program: sensor(), Devices: 1, For: 20 * time.Second, Seed: 1, Broker: m.URL()})
	if err != nil {
		t.Fatal(err)
	}
	// Readings at 0s, 2s … 20s: 11; the last one still in flash.
	if len(res.Failed) > 0 || res.Delivered != 10 || res.Pending != 1 || res.Lost != 0 || res.Duplicates != 0 ||
		res.Received < res.Delivered || res.Received > res.Delivered+res.Pending {
		t.Errorf("result %+v", res)
	}
}

// Readings a device's outbox drops when full are lost, and counted so,
// even when nothing after them reaches the broker: here the Wi-Fi never
// comes, the outbox holds four readings of 41 bytes (segments of three,
// 256 bytes in all) and drops #1–#6 of ten, oldest first.
func TestFleetCountsOutboxDrops(t *testing.T) {
	p := sensor()
	p.App = func(t *coop.Task, b hw.Board) error {
		up, err := mqtt.StartUplink(t, b, mqtt.UplinkConfig{SSID: "nowhere", Broker: "broker:1883", Quiet: true,
			Outbox: mqtt.OutboxConfig{SegmentSize: 128, Capacity: 256}})
		if err != nil {
			return err
		}
		for range 10 {
			if _, err := up.Record(t, "n", []byte("1")); err != nil {
				return err
			}
			if err := t.Sleep(time.Second); err != nil {
				return err
			}
		}
		return coop.Gather(t, up.Tasks...)
	}
	res, err := fleet.Run(context.Background(), fleet.Config{Program: p, Devices: 2, For: 20 * time.Second, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Failed) > 0 || res.Lost != 12 || res.Pending != 8 || res.Delivered != 0 || res.Received != 0 || res.Duplicates != 0 {
		t.Errorf("result %+v, want 12 lost and 8 pending", res)
	}
}

// A Wi-Fi outage longer than the outbox holds: the readings it dropped
// are lost, exactly, and the ones after reach the broker.
func TestFleetOutageDrops(t *testing.T) {
	p := sensor()
	p.App = func(t *coop.Task, b hw.Board) error {
		up, err := mqtt.StartUplink(t, b, mqtt.UplinkConfig{SSID: "Wokwi-GUEST", Broker: "broker:1883", Quiet: true,
			Outbox: mqtt.OutboxConfig{SegmentSize: 128, Capacity: 256}})
		if err != nil {
			return err
		}
		tick := coop.NewTicker(t, time.Second)
		for {
			if _, err := up.Record(t, "n", []byte("1")); err != nil {
				return err
			}
			if err := tick.Next(t); err != nil {
				return err
			}
		}
	}
	p.Scenario = session.File{Name: "outage.yaml", Data: []byte("steps:\n  - at: 5s\n  - wifi-down: Wokwi-GUEST\n  - at: 25s\n  - wifi-up: Wokwi-GUEST\n")}
	// The run does not wait for the dropped readings: with a drain of
	// ten minutes, waiting for them would outlast the test's deadline.
	res, err := fleet.Run(context.Background(), fleet.Config{Program: p, Devices: 1, For: 40 * time.Second, Seed: 1, Drain: 10 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	// Readings at 0s … 40s: 41. Through the outage (5 s to 25 s) the
	// outbox, four readings long, dropped 21; the last one is still in
	// flash, unacknowledged when the board stopped. It was on its way to
	// the broker then, and reaches the subscriber before the drain ends,
	// or not: the broker's goroutines run on the wall clock.
	if len(res.Failed) > 0 || res.Received < 19 || res.Received > 20 || res.Delivered != 19 || res.Lost != 21 || res.Pending != 1 || res.Duplicates != 0 {
		t.Errorf("result %+v, want 19 received (20 with the last one, in flight), 19 delivered, 21 lost, 1 pending", res)
	}
}
