package telemetry_test

import (
	"context"
	"sync"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/coopgo/coop/mqtt"
	"github.com/coopgo/coop/mqtt/broker"
	"github.com/coopgo/coop/mqtt/mqtttest"
	"github.com/coopgo/coop/mqtt/telemetry"
)

// publishReadings publishes readings #seqs of device to addr at QoS 1,
// retained if asked, and waits for each acknowledgement, and for the
// broker to have routed them: mochi acknowledges a message before it
// routes it, so the acknowledgement of one more, on another topic, says
// that it has.
func publishReadings(t *testing.T, addr, device string, retained bool, seqs ...uint64) {
	t.Helper()
	c := paho.NewClient(paho.NewClientOptions().AddBroker("tcp://" + addr).SetClientID("pub-" + device))
	if tok := c.Connect(); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		t.Fatalf("publisher: %v", tok.Error())
	}
	defer c.Disconnect(0)
	for _, seq := range seqs {
		r := mqtt.Reading{Device: device, Seq: seq, At: time.Duration(seq) * 2 * time.Second, Data: []byte(`{"temp":21}`)}
		if tok := c.Publish("coop/"+device+"/t", 1, retained, r.AppendPayload(nil)); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
			t.Fatalf("publish #%d: %v", seq, tok.Error())
		}
	}
	if tok := c.Publish("test/routed", 1, false, "."); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		t.Fatalf("publish: %v", tok.Error())
	}
}

// Readings published while a persistent subscriber is away wait at the
// broker, and its next run, with the same client id, counts every one of
// them once: those the broker sends right after CONNACK, before the
// subscription is renewed, are not left unacknowledged and uncounted.
func TestSubscribePersistentSessionGetsQueued(t *testing.T) {
	m := mqtttest.StartMosquitto(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cfg := telemetry.Config{URL: m.URL(), ClientID: "persistent"}
	sub, err := telemetry.Subscribe(ctx, cfg, &telemetry.Tally{})
	if err != nil {
		t.Fatal(err)
	}
	sub.Close()

	const n = 50
	seqs := make([]uint64, n)
	for i := range seqs {
		seqs[i] = uint64(i + 1)
	}
	publishReadings(t, m.Addr(), "pico-1", false, seqs...)

	tally := &telemetry.Tally{}
	sub, err = telemetry.Subscribe(ctx, cfg, tally)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if err := sub.WaitFor(ctx, func(tl *telemetry.Tally) bool { return tl.Has("pico-1", n) }); err != nil {
		t.Fatalf("the queued readings: %v; got %v", err, tally.Devices())
	}
	d := tally.Devices()
	if len(d) != 1 || d[0].Received != n || d[0].Missing != 0 || d[0].Duplicates != 0 {
		t.Errorf("tally %+v, want %d readings of pico-1, once each", d, n)
	}
}

// A retained message on the topic, left by an earlier run, is not a
// reading of this one: the broker sends it at each subscription, and
// counting it would make a device's readings since look missing.
func TestSubscribeIgnoresRetained(t *testing.T) {
	m := mqtttest.StartMosquitto(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	publishReadings(t, m.Addr(), "pico-1", true, 500)

	tally := &telemetry.Tally{}
	var mu sync.Mutex
	var others []string
	sub, err := telemetry.Subscribe(ctx, telemetry.Config{URL: m.URL(), ClientID: "retained", CleanSession: true,
		OnOther: func(topic string, payload []byte, err error) {
			mu.Lock()
			others = append(others, topic+": "+err.Error())
			mu.Unlock()
		},
	}, tally)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	publishReadings(t, m.Addr(), "pico-1", false, 1, 2, 3)
	if err := sub.WaitFor(ctx, func(tl *telemetry.Tally) bool { return tl.Has("pico-1", 3) }); err != nil {
		t.Fatal(err)
	}
	sub.Close()
	d := tally.Devices()
	if len(d) != 1 || d[0].Line() != "pico-1  received 3  last #3 at 6s  missing 0  duplicates 0" {
		t.Errorf("tally %+v", d)
	}
	if tally.Bad() != 0 {
		t.Errorf("Bad() = %d, want 0", tally.Bad())
	}
	if tally.Retained() != 1 {
		t.Errorf("Retained() = %d, want 1", tally.Retained())
	}
	mu.Lock()
	defer mu.Unlock()
	want := "coop/pico-1/t: " + telemetry.ErrRetained.Error()
	if len(others) != 1 || others[0] != want {
		t.Errorf("OnOther told of %q, want [%q]", others, want)
	}
}

// A Fresh persistent subscriber forgets what its session held from an
// earlier run, and counts only what is published once it has subscribed:
// on Mosquitto and on the embedded broker.
func TestSubscribeFresh(t *testing.T) {
	t.Run("mosquitto", func(t *testing.T) {
		m := mqtttest.StartMosquitto(t)
		testSubscribeFresh(t, m.URL(), m.Addr())
	})
	t.Run("embedded", func(t *testing.T) {
		br, err := broker.Start(broker.Config{})
		if err != nil {
			t.Fatal(err)
		}
		defer br.Close()
		testSubscribeFresh(t, br.URL(), br.Addr())
	})
}

func testSubscribeFresh(t *testing.T, url, addr string) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cfg := telemetry.Config{URL: url, ClientID: "fresh"}
	sub, err := telemetry.Subscribe(ctx, cfg, &telemetry.Tally{})
	if err != nil {
		t.Fatal(err)
	}
	sub.Close()
	publishReadings(t, addr, "pico-1", false, 1, 2, 3)

	cfg.Fresh = true
	tally := &telemetry.Tally{FromFirst: true}
	sub, err = telemetry.Subscribe(ctx, cfg, tally)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	publishReadings(t, addr, "pico-1", false, 4, 5)
	if err := sub.WaitFor(ctx, func(tl *telemetry.Tally) bool { return len(tl.Seqs("pico-1")) >= 2 }); err != nil {
		t.Fatal(err)
	}
	sub.Close()
	if got := tally.Seqs("pico-1"); len(got) != 2 || got[0] != 4 || got[1] != 5 {
		t.Errorf("received %v, want [4 5]", got)
	}
}
