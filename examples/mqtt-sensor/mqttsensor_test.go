package mqttsensor_test

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coopgo/coop/examples"
	"github.com/coopgo/coop/examples/internal/exampletest"
	"github.com/coopgo/coop/mqtt"
	"github.com/coopgo/coop/mqtt/broker"
	"github.com/coopgo/coop/mqtt/mqtttest"
	"github.com/coopgo/coop/mqtt/telemetry"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/sim/session"
)

// arrivals records the first arrival of each reading, in order.
type arrivals struct {
	mu    sync.Mutex
	order []uint64
}

func (a *arrivals) add(seq uint64) {
	a.mu.Lock()
	a.order = append(a.order, seq)
	a.mu.Unlock()
}

var readingLine = regexp.MustCompile(`^reading #(\d+):`)

// runScenario runs the program's default scenario for 150 s against the
// broker at the other end of net, as coop run does, and returns the
// session, its console lines with their board times, and the highest
// sequence number the device recorded.
func runScenario(t *testing.T, net sim.NetConfig) (*session.Session, []string, uint64) {
	t.Helper()
	p, err := examples.Find("mqtt-sensor")
	if err != nil {
		t.Fatal(err)
	}
	s, err := session.New(p.App, session.Config{
		Name:     p.Name,
		Wiring:   session.File{Name: "mqtt-sensor/diagram.json", Data: p.Wiring},
		Scenario: session.File{Name: "mqtt-sensor/scenario.yaml", Data: p.Scenario},
		Virtual:  true, For: 150 * time.Second, DeviceID: "pico-1", Network: net,
	})
	if err != nil {
		t.Fatal(err)
	}
	var timed []string
	var last uint64
	s.Observe(session.Observer{Console: func(at time.Duration, line string) {
		timed = append(timed, at.String()+" "+line)
		if m := readingLine.FindStringSubmatch(line); m != nil {
			n, _ := strconv.ParseUint(m[1], 10, 64)
			last = max(last, n)
		}
	}})
	if err := s.Run(context.Background()); err != nil {
		t.Fatalf("%v\n%s", err, lines(timed))
	}
	return s, timed, last
}

func lines(s []string) string {
	out := ""
	for _, l := range s {
		out += l + "\n"
	}
	return out
}

// Through a 30 s Wi-Fi outage, a broker killed and restarted, a watchdog
// reset in the middle of a publish and a power cut in the middle of a
// flash write, the subscriber receives every sequence number the device
// recorded, none missing, in order once duplicates are dropped.
func TestEveryReadingArrives(t *testing.T) {
	br, err := broker.Start(broker.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer br.Close()
	var got arrivals
	tally := &telemetry.Tally{}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sub, err := telemetry.Subscribe(ctx, telemetry.Config{URL: br.URL(), ClientID: "test-sub",
		OnReading: func(_ string, r mqtt.Reading, first bool) {
			if first {
				got.add(r.Seq)
			}
		}}, tally)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()

	s, timed, last := runScenario(t, sim.NetConfig{Dial: br.Dial, RTT: 20 * time.Millisecond, Server: &afterSubscriber{br, sub}})
	checkResets(t, s.Resets())
	var status []string
	for _, l := range timed {
		if !strings.Contains(l, " reading #") {
			status = append(status, l)
		}
	}
	// Each fault, and the way back, in board time: the same on every run.
	exampletest.Equal(t, "console", status, []string{
		"0s boot, reset cause: power-on",
		"2.004764s Wi-Fi connected",
		"2.044764s MQTT connected, 2 to send",
		"10.004764s MQTT down: mqtt: send PUBLISH: sim: stream to broker.local:1883: hw: network link is down",
		"10.511764s MQTT down: mqtt: connect to broker.local:1883: sim: dial broker.local:1883: hw: network link is down",
		"11.004764s Wi-Fi: hw: access point not found",
		"42.004764s Wi-Fi connected",
		"48.076764s MQTT connected, 20 to send",
		"1m0.004764s MQTT down: mqtt: send PUBLISH: sim: write to broker.local:1883: hw: connection reset: io: read/write on closed pipe",
		"1m0.936764s MQTT down: mqtt: connect to broker.local:1883: sim: dial broker.local:1883: hw: connection refused: broker: stopped",
		"1m19.517764s MQTT connected, 10 to send",
		// The loop stalls at 100.01 s, with reading #51 in flight; the
		// watchdog's deadline passes at 101 s: when the stall ends the
		// board is going down, and the next reading is not written.
		"1m43.014764s record: mqtt: outbox: append outbox.1: hw: power lost during a flash write",
		"1m43.014764s boot, reset cause: watchdog",
		"1m43.014764s outbox: 1 kept from #51, 0 torn",
		"1m45.019528s Wi-Fi connected",
		"1m45.059528s MQTT connected, 3 to send",
		// The power goes after 20 bytes of reading #61.
		"2m1.019528s record: mqtt: outbox: append outbox.1: hw: power lost during a flash write",
		"2m1.019528s boot, reset cause: power-on",
		"2m1.019528s outbox: 0 kept from #61, 1 torn",
		"2m3.024292s Wi-Fi connected",
		"2m3.064292s MQTT connected, 2 to send",
	})
	if last < 70 {
		t.Fatalf("the device recorded %d readings, want 70 or more\n%s", last, lines(timed))
	}
	if err := sub.WaitFor(ctx, func(tl *telemetry.Tally) bool { return tl.Has("pico-1", last) }); err != nil {
		t.Fatalf("readings 1..%d: %v; have %v", last, err, tally.Seqs("pico-1"))
	}
	checkOrder(t, &got, last)
	checkNoConflicts(t, tally)
}

// afterSubscriber is the embedded broker, whose restart ends once the
// test's subscriber is back. mochi v2.7.9 loses what is published to a
// persistent session while its subscriber reconnects and takes the session
// over (it goes to the session being replaced): the board, which runs far
// ahead of wall time, would publish in that window.
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

func checkResets(t *testing.T, resets []sim.Reset) {
	t.Helper()
	var causes []string
	for _, rs := range resets {
		causes = append(causes, rs.Cause.String())
	}
	if fmt.Sprint(causes) != "[watchdog power-on]" {
		t.Errorf("resets %v, want a watchdog reset and a power cut", resets)
	}
}

// checkNoConflicts checks that no number came twice with two readings: a
// number is never given again after a reset (but that of a record a power
// cut tore, never sent).
func checkNoConflicts(t *testing.T, tally *telemetry.Tally) {
	t.Helper()
	for _, d := range tally.Devices() {
		if d.Conflicts != 0 {
			t.Errorf("numbers given twice: %s", d.Line())
		}
	}
}

func checkOrder(t *testing.T, got *arrivals, last uint64) {
	t.Helper()
	got.mu.Lock()
	defer got.mu.Unlock()
	for i, seq := range got.order {
		if seq != uint64(i+1) {
			t.Fatalf("first arrivals out of order at %d: %v", i, got.order)
		}
	}
	if uint64(len(got.order)) < last {
		t.Fatalf("%d first arrivals, want %d", len(got.order), last)
	}
}

// The same scenario against a real Mosquitto, killed with -9 and started
// again: mosquitto_sub and the Go subscriber both receive every sequence
// number, in order once duplicates are dropped.
func TestEveryReadingArrivesMosquitto(t *testing.T) {
	m := mqtttest.StartMosquitto(t)
	sub := m.Subscribe(t, "test-mosquitto-sub", "coop/#")
	var got arrivals
	tally := &telemetry.Tally{}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	gosub, err := telemetry.Subscribe(ctx, telemetry.Config{URL: m.URL(), ClientID: "test-go-sub",
		OnReading: func(_ string, r mqtt.Reading, first bool) {
			if first {
				got.add(r.Seq)
			}
		}}, tally)
	if err != nil {
		t.Fatal(err)
	}
	defer gosub.Close()

	s, _, last := runScenario(t, sim.NetConfig{Dial: m.Dial, RTT: 20 * time.Millisecond, Server: m})
	checkResets(t, s.Resets())
	if err := gosub.WaitFor(ctx, func(tl *telemetry.Tally) bool { return tl.Has("pico-1", last) }); err != nil {
		t.Fatalf("Go subscriber, readings 1..%d: %v; have %v", last, err, tally.Seqs("pico-1"))
	}
	checkOrder(t, &got, last)
	checkNoConflicts(t, tally)

	var subOrder arrivals
	subTally := &telemetry.Tally{}
	err = sub.WaitFor(60*time.Second, func(lines []string) bool {
		subOrder.order, subTally = nil, &telemetry.Tally{}
		for _, l := range lines {
			_, payload, _ := strings.Cut(l, " ")
			if r, first, err := subTally.AddPayload([]byte(payload)); err == nil && first {
				subOrder.order = append(subOrder.order, r.Seq)
			}
		}
		return subTally.Has("pico-1", last)
	})
	if err != nil {
		t.Fatalf("mosquitto_sub, readings 1..%d: %v; have %v", last, err, subTally.Seqs("pico-1"))
	}
	checkOrder(t, &subOrder, last)
	checkNoConflicts(t, subTally)
}
