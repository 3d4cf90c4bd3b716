package mqtt_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/mqtt"
	"github.com/coopgo/coop/mqtt/broker"
	"github.com/coopgo/coop/mqtt/telemetry"
	"github.com/coopgo/coop/sim"
)

// device is a simulated Pico 2 W on a virtual-clock loop, joined to "home"
// at 2 s, with the embedded broker 20 ms away.
type device struct {
	l   *coop.Loop
	b   *sim.Board
	net hw.Network
	log []string
}

func newDevice(t *testing.T, dial sim.NetConfig) *device {
	t.Helper()
	l := coop.NewLoop(coop.WithVirtualClock())
	t.Cleanup(func() { l.Close() })
	b, err := sim.NewBoard(l, "pico2w", sim.Config{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if dial.RTT == 0 {
		dial.RTT = 20 * time.Millisecond
	}
	b.SetNetwork(dial)
	if _, err := b.AddAccessPoint(sim.APConfig{SSID: "home"}); err != nil {
		t.Fatal(err)
	}
	n, err := hw.OpenNetwork(b)
	if err != nil {
		t.Fatal(err)
	}
	return &device{l: l, b: b, net: n}
}

func (d *device) join(t *coop.Task) error {
	w, err := hw.OpenWLAN(d.b)
	if err != nil {
		return err
	}
	return w.Connect(t, "home", "")
}

func (d *device) status(s mqtt.Status, err error) {
	line := fmt.Sprintf("%v %v", d.l.Now(), s)
	if err != nil {
		line += ": " + err.Error()
	}
	d.log = append(d.log, line)
}

func startBroker(t *testing.T, cfg broker.Config) *broker.Broker {
	t.Helper()
	br, err := broker.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { br.Close() })
	return br
}

func subscribe(t *testing.T, url string) (*telemetry.Subscriber, *telemetry.Tally) {
	t.Helper()
	tally := &telemetry.Tally{}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := telemetry.Subscribe(ctx, telemetry.Config{URL: url, ClientID: "test-" + t.Name()}, tally)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, tally
}

func waitAll(t *testing.T, s *telemetry.Subscriber, device string, n uint64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.WaitFor(ctx, func(tl *telemetry.Tally) bool { return tl.Has(device, n) }); err != nil {
		t.Fatalf("readings 1..%d of %s: %v (have %v)", n, device, err, s.Tally().Seqs(device))
	}
}

func TestPublishQoS1(t *testing.T) {
	br := startBroker(t, broker.Config{})
	sub, tally := subscribe(t, br.URL())
	d := newDevice(t, sim.NetConfig{Dial: br.Dial})
	var acked []string
	err := d.l.RunUntilComplete(d.l.Spawn("main", func(t *coop.Task) error {
		if err := d.join(t); err != nil {
			return err
		}
		c := mqtt.New(d.net, mqtt.Config{Addr: "broker:1883", ClientID: "pico-1", OnStatus: d.status})
		run := t.Spawn("mqtt", c.Run)
		defer run.Cancel()
		for seq := uint64(1); seq <= 5; seq++ {
			r := mqtt.Reading{Device: "pico-1", Seq: seq, At: t.Now(), Data: []byte(`{"temp":21}`)}
			if err := c.Publish(t, "coop/pico-1/temp", r.AppendPayload(nil), 1); err != nil {
				return err
			}
			acked = append(acked, fmt.Sprintf("#%d acked at %v", seq, t.Now()))
			if err := t.Sleep(2 * time.Second); err != nil {
				return err
			}
		}
		if got := c.Stats(); got.Published != 5 || got.Connects != 1 || got.Retransmits != 0 {
			return fmt.Errorf("stats %+v", got)
		}
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	// Dial 20ms, CONNACK 20ms later, then each PUBACK one round trip.
	want := "#1 acked at 2.06s\n#2 acked at 4.08s\n#3 acked at 6.1s\n#4 acked at 8.12s\n#5 acked at 10.14s"
	if g := strings.Join(acked, "\n"); g != want {
		t.Errorf("acks\n%s\nwant\n%s", g, want)
	}
	if g, w := strings.Join(d.log, "\n"), "2s connecting\n2.04s connected"; !strings.HasPrefix(g, w) {
		t.Errorf("status\n%s\nwant it to begin\n%s", g, w)
	}
	waitAll(t, sub, "pico-1", 5)
	if dev := tally.Devices(); len(dev) != 1 || dev[0].Missing != 0 || dev[0].Last.At != 10120*time.Millisecond {
		t.Errorf("tally %+v", dev)
	}
}

// A broker that goes away: the client reconnects with backoff and the
// publish in flight is acknowledged after the restart.
func TestPublishAcrossBrokerRestart(t *testing.T) {
	br := startBroker(t, broker.Config{})
	sub, _ := subscribe(t, br.URL())
	d := newDevice(t, sim.NetConfig{Dial: br.Dial})
	err := d.l.RunUntilComplete(d.l.Spawn("main", func(t *coop.Task) error {
		if err := d.join(t); err != nil {
			return err
		}
		c := mqtt.New(d.net, mqtt.Config{Addr: "broker:1883", ClientID: "pico-1", OnStatus: d.status, KeepAlive: 10 * time.Second})
		run := t.Spawn("mqtt", c.Run)
		defer run.Cancel()
		t.Loop().CallAt(5*time.Second, func() { br.Stop() })
		t.Loop().CallAt(20*time.Second, func() {
			// The board waits for the test's subscriber to be back: mochi
			// v2.7.9 loses what is published to a persistent session while
			// its subscriber takes the session over, and the board runs far
			// ahead of wall time.
			n := sub.Connects()
			if err := br.Restart(); err != nil {
				panic(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := sub.WaitConnects(ctx, n+1); err != nil {
				panic(err)
			}
		})
		for seq := uint64(1); seq <= 15; seq++ {
			r := mqtt.Reading{Device: "pico-1", Seq: seq, At: t.Now()}
			if err := c.Publish(t, "coop/pico-1/temp", r.AppendPayload(nil), 1); err != nil {
				return err
			}
			if err := t.Sleep(2 * time.Second); err != nil {
				return err
			}
		}
		if c.Stats().Connects < 2 {
			return fmt.Errorf("connects %d, want a reconnect", c.Stats().Connects)
		}
		return nil
	}))
	if err != nil {
		t.Fatal(err, "\n", strings.Join(d.log, "\n"))
	}
	waitAll(t, sub, "pico-1", 15)
}

func TestBadInputs(t *testing.T) {
	br := startBroker(t, broker.Config{Username: "dev", Password: "right"})
	d := newDevice(t, sim.NetConfig{Dial: br.Dial})
	err := d.l.RunUntilComplete(d.l.Spawn("main", func(t *coop.Task) error {
		if err := d.join(t); err != nil {
			return err
		}
		c := mqtt.New(d.net, mqtt.Config{Addr: "broker:1883", ClientID: "pico-1", Username: "dev", Password: "wrong",
			OnStatus: d.status, MaxPacket: 256})
		if err := c.Publish(t, "coop/x", make([]byte, 300), 1); !errors.Is(err, mqtt.ErrTooLarge) {
			return fmt.Errorf("oversized publish: %v", err)
		}
		if err := c.Publish(t, "coop/#", nil, 1); !errors.Is(err, mqtt.ErrBadTopic) {
			return fmt.Errorf("wildcard publish: %v", err)
		}
		if err := c.Publish(t, "coop/x", nil, 0); !errors.Is(err, mqtt.ErrNotConnected) {
			return fmt.Errorf("QoS 0 while disconnected: %v", err)
		}
		run := t.Spawn("mqtt", c.Run)
		err := coop.WaitFor(t, 5*time.Second, func(t *coop.Task) error {
			return c.Publish(t, "coop/x", []byte("1"), 1)
		})
		run.Cancel()
		run.Wait(t)
		if !errors.Is(err, coop.ErrTimeout) {
			return fmt.Errorf("publish with wrong credentials: %v", err)
		}
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	if g := d.log[1]; g != "2.04s disconnected: mqtt: broker refused the connection: not authorised" {
		t.Errorf("status line %q", g)
	}
	for _, l := range d.log {
		if strings.Contains(l, "wrong") {
			t.Errorf("a status line shows the password: %q", l)
		}
	}
}

func TestParseURL(t *testing.T) {
	tests := []struct {
		in   string
		want mqtt.BrokerURL
		err  bool
	}{
		{"mqtt://localhost", mqtt.BrokerURL{Addr: "localhost:1883"}, false},
		{"mqtts://u:p@broker.example:8884", mqtt.BrokerURL{TLS: true, Addr: "broker.example:8884", Username: "u", Password: "p"}, false},
		{"mqtt://[::1]:1999", mqtt.BrokerURL{Addr: "[::1]:1999"}, false},
		{"http://host", mqtt.BrokerURL{}, true},
		{"mqtt://", mqtt.BrokerURL{}, true},
		{"mqtt://host:99999", mqtt.BrokerURL{}, true},
		{"mqtt://host/path", mqtt.BrokerURL{}, true},
		{"host:1883", mqtt.BrokerURL{}, true},
	}
	for _, tt := range tests {
		got, err := mqtt.ParseURL(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParseURL(%q) = %+v, %v; want %+v, error %v", tt.in, got, err, tt.want, tt.err)
		}
		if err != nil && !errors.Is(err, mqtt.ErrBadURL) {
			t.Errorf("ParseURL(%q) error %v does not wrap ErrBadURL", tt.in, err)
		}
	}
	if _, err := mqtt.ParseURL("ftp://u:secret@h"); strings.Contains(err.Error(), "secret") {
		t.Errorf("error shows the password: %v", err)
	}
}

// A subscription receives what a host publishes, and is restored when the
// broker lost the session.
func TestSubscribe(t *testing.T) {
	br := startBroker(t, broker.Config{})
	d := newDevice(t, sim.NetConfig{Dial: br.Dial})
	var got []string
	err := d.l.RunUntilComplete(d.l.Spawn("main", func(t *coop.Task) error {
		if err := d.join(t); err != nil {
			return err
		}
		var arrived coop.Event
		c := mqtt.New(d.net, mqtt.Config{Addr: "broker:1883", ClientID: "pico-sub", CleanSession: true,
			OnMessage: func(topic string, payload []byte) {
				got = append(got, fmt.Sprintf("%v %s %s", t.Now(), topic, payload))
				arrived.Set()
			}})
		run := t.Spawn("mqtt", c.Run)
		defer run.Cancel()
		if err := c.Subscribe(t, "cmd/#", 1); err != nil {
			return err
		}
		for i, restart := range []bool{false, true} {
			if restart {
				// The connection drops; the client connects again and,
				// its clean session forgotten, subscribes again.
				d.b.ResetConnections()
				for c.Stats().Connects < 2 || c.Status() != mqtt.Connected {
					if err := t.Sleep(100 * time.Millisecond); err != nil {
						return err
					}
				}
				// A SUBSCRIBE answered after the restored one: the
				// broker has both in place before the host publishes.
				if err := c.Subscribe(t, "cmd/#", 1); err != nil {
					return err
				}
			}
			arrived.Clear()
			msg := fmt.Sprintf("led on %d", i)
			if _, err := coop.Offload(t, func(ctx context.Context) (struct{}, error) {
				return struct{}{}, hostPublish(br.URL(), "cmd/pico-sub/led", msg)
			}); err != nil {
				return err
			}
			// What a broker sends unasked comes at whatever board time
			// the host delivers it: the virtual clock runs on, from
			// keepalive to keepalive, until it does. A week of board
			// time is a few seconds of waiting here, and a lost message
			// fails the test instead of pinging on for ever.
			if err := coop.WaitFor(t, 7*24*time.Hour, arrived.Wait); err != nil {
				return fmt.Errorf("message %d: %w", i, err)
			}
		}
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !strings.HasSuffix(got[0], "cmd/pico-sub/led led on 0") || !strings.HasSuffix(got[1], "cmd/pico-sub/led led on 1") {
		t.Errorf("messages %q", got)
	}
}

// A topic name or filter MQTT does not allow is refused before it is
// sent, saying what is wrong: a broker would refuse it, or end the
// connection (mochi even grants "cmd/b#").
func TestBadTopics(t *testing.T) {
	br := startBroker(t, broker.Config{})
	d := newDevice(t, sim.NetConfig{Dial: br.Dial})
	filters := []struct{ filter, want string }{
		{"cmd/b#", `mqtt: bad topic filter "cmd/b#": '#' must be a whole level, the last one, such as coop/#`},
		{"cmd/#/led", `mqtt: bad topic filter "cmd/#/led": '#' must be a whole level, the last one, such as coop/#`},
		{"cmd/pico+", `mqtt: bad topic filter "cmd/pico+": '+' must be a whole level, such as coop/+/t`},
		{"", `mqtt: bad topic filter "": empty, want a topic filter such as coop/#`},
		{"cmd/\xff", `mqtt: bad topic filter "cmd/\xff": is not valid UTF-8, which MQTT requires`},
	}
	names := []struct{ name, want string }{
		{"cmd/#", `mqtt: bad topic "cmd/#": has a wildcard ('+' or '#'), which filters to subscribe with may have, not topic names to publish to, such as coop/pico-1/temp`},
		{"", `mqtt: bad topic "": empty, want a topic name such as coop/pico-1/temp`},
		{"cmd/a\x00", `mqtt: bad topic "cmd/a\x00": has a NUL character (U+0000), which MQTT does not allow`},
	}
	err := d.l.RunUntilComplete(d.l.Spawn("main", func(t *coop.Task) error {
		if err := d.join(t); err != nil {
			return err
		}
		c := mqtt.New(d.net, mqtt.Config{Addr: "broker:1883", ClientID: "pico-bad", CleanSession: true})
		run := t.Spawn("mqtt", c.Run)
		defer run.Cancel()
		if err := c.Subscribe(t, "cmd/+/led", 1); err != nil {
			return err
		}
		for _, f := range filters {
			err := coop.WaitFor(t, time.Second, func(t *coop.Task) error { return c.Subscribe(t, f.filter, 1) })
			if !errors.Is(err, mqtt.ErrBadTopic) || err.Error() != f.want {
				return fmt.Errorf("Subscribe(%q) = %v, want %s", f.filter, err, f.want)
			}
		}
		for _, n := range names {
			for qos := range byte(2) {
				err := coop.WaitFor(t, time.Second, func(t *coop.Task) error { return c.Publish(t, n.name, nil, qos) })
				if !errors.Is(err, mqtt.ErrBadTopic) || err.Error() != n.want {
					return fmt.Errorf("Publish(%q, QoS %d) = %v, want %s", n.name, qos, err, n.want)
				}
			}
		}
		if err := c.Publish(t, "cmd/pico-bad/led", []byte("on"), 1); err != nil {
			return err
		}
		if s := c.Stats(); s.Connects != 1 || s.Published != 1 {
			return fmt.Errorf("stats %+v, want one connection and one message published", s)
		}
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
}

func hostPublish(url, topic, payload string) error {
	opts := paho.NewClientOptions().AddBroker(strings.Replace(url, "mqtt://", "tcp://", 1)).SetClientID("host-pub")
	c := paho.NewClient(opts)
	if tok := c.Connect(); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		return fmt.Errorf("host connect: %v", tok.Error())
	}
	defer c.Disconnect(0)
	tok := c.Publish(topic, 1, false, payload)
	if !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		return fmt.Errorf("host publish: %v", tok.Error())
	}
	return nil
}

// A broker that is stopped, a host out of reach, and a broker that hangs
// up in the middle of a packet: each gives a status line with its own
// error, the client tries again, and the publish waits on.
func TestBrokerFaults(t *testing.T) {
	stopped := startBroker(t, broker.Config{})
	stopped.Stop()
	halfConnack := func(ctx context.Context, addr string) (net.Conn, error) {
		dev, peer := net.Pipe()
		go func() {
			defer peer.Close()
			buf := make([]byte, 256)
			if _, err := peer.Read(buf); err != nil { // CONNECT
				return
			}
			peer.Write([]byte{0x20, 0x02, 0x00}) // CONNACK cut after 3 of 4 bytes
		}()
		return dev, nil
	}
	for _, tt := range []struct {
		name    string
		dial    func(context.Context, string) (net.Conn, error)
		want    string
		is, not error // what the errors wrap, and what they must not
	}{
		{"stopped", stopped.Dial, "2s disconnected: mqtt: connect to broker:1883: sim: dial broker:1883: hw: connection refused: broker: stopped",
			hw.ErrConnRefused, hw.ErrTLS},
		{"unreachable", nil, "2s disconnected: mqtt: connect to broker:1883: sim: dial broker:1883: no route to host",
			syscall.EHOSTUNREACH, hw.ErrConnRefused},
		// The end of the stream comes right after the 3 bytes, or one
		// round trip later: the host decides.
		{"closes mid-packet", halfConnack, " disconnected: mqtt: connect to broker:1883: unexpected EOF",
			io.ErrUnexpectedEOF, hw.ErrConnRefused},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := newDevice(t, sim.NetConfig{Dial: tt.dial})
			var errs []error
			status := func(s mqtt.Status, err error) {
				d.status(s, err)
				if err != nil {
					errs = append(errs, err)
				}
			}
			err := d.l.RunUntilComplete(d.l.Spawn("main", func(t *coop.Task) error {
				if err := d.join(t); err != nil {
					return err
				}
				c := mqtt.New(d.net, mqtt.Config{Addr: "broker:1883", ClientID: "pico-1", OnStatus: status})
				run := t.Spawn("mqtt", c.Run)
				defer run.Cancel()
				err := coop.WaitFor(t, 30*time.Second, func(t *coop.Task) error {
					return c.Publish(t, "coop/x", []byte("1"), 1)
				})
				if !errors.Is(err, coop.ErrTimeout) || c.Pending() != 0 {
					return fmt.Errorf("publish = %v, pending %d; want a timeout, and the publish withdrawn", err, c.Pending())
				}
				return nil
			}))
			if err != nil {
				t.Fatal(err)
			}
			if len(d.log) < 2 || !strings.HasSuffix(d.log[1], tt.want) {
				t.Errorf("status\n%s\nwant the second line\n%s", strings.Join(d.log, "\n"), tt.want)
			}
			if len(errs) < 2 {
				t.Errorf("%d failed connections, want the client to try again", len(errs))
			}
			for _, err := range errs {
				if !errors.Is(err, tt.is) || errors.Is(err, tt.not) {
					t.Errorf("error %v: want %v, not %v", err, tt.is, tt.not)
				}
			}
		})
	}
}

// Credentials kept in flash reach the broker; the wrong ones are refused.
func TestUplinkSecrets(t *testing.T) {
	br := startBroker(t, broker.Config{Username: "dev", Password: "s3cret"})
	for _, tt := range []struct {
		password string
		want     string
	}{
		{"s3cret", "MQTT connected, 1 to send"},
		{"wrong", "MQTT down: mqtt: broker refused the connection: not authorised"},
	} {
		d := newDevice(t, sim.NetConfig{Dial: br.Dial})
		f, _ := d.b.Flash()
		if err := mqtt.WriteSecrets(f, "dev", tt.password); err != nil {
			t.Fatal(err)
		}
		var lines []string
		d.b.Observe(sim.ObserverFuncs{OnConsole: func(_ time.Duration, line string) { lines = append(lines, line) }})
		err := d.l.RunUntilComplete(d.l.Spawn("main", func(t *coop.Task) error {
			up, err := mqtt.StartUplink(t, d.b, mqtt.UplinkConfig{SSID: "home", Broker: "broker:1883"})
			if err != nil {
				return err
			}
			if _, err := up.Record(t, "t", []byte("1")); err != nil {
				return err
			}
			err = t.Sleep(5 * time.Second)
			for _, task := range up.Tasks {
				task.Cancel()
			}
			return err
		}))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(lines, tt.want) {
			t.Errorf("password %q: console %q, want a line %q", tt.password, lines, tt.want)
		}
		for _, l := range lines {
			if strings.Contains(l, tt.password) {
				t.Errorf("the console shows the password: %q", l)
			}
		}
	}
}

// The uplink tells the board of each reading the broker acknowledged and
// of the readings pending after each change (hw.TelemetryBoard), which the
// simulator passes on to its observers: readings at 0 s and 1 s wait for
// the Wi-Fi (2 s) and MQTT (2.04 s); the one at 3 s goes at once.
func TestUplinkReportsToBoard(t *testing.T) {
	br := startBroker(t, broker.Config{})
	d := newDevice(t, sim.NetConfig{Dial: br.Dial})
	var got []string
	d.b.Observe(sim.ObserverFuncs{
		OnDelivered: func(at time.Duration, seq uint64, taken time.Duration) {
			got = append(got, fmt.Sprintf("%v delivered #%d taken at %v", at, seq, taken))
		},
		OnPending: func(at time.Duration, n int) { got = append(got, fmt.Sprintf("%v pending %d", at, n)) },
	})
	err := d.l.RunUntilComplete(d.l.Spawn("main", func(t *coop.Task) error {
		up, err := mqtt.StartUplink(t, d.b, mqtt.UplinkConfig{SSID: "home", Broker: "broker:1883", Quiet: true})
		if err != nil {
			return err
		}
		defer func() {
			for _, task := range up.Tasks {
				task.Cancel()
			}
		}()
		for _, at := range []time.Duration{0, time.Second, 3 * time.Second} {
			if err := t.Sleep(at - t.Now()); err != nil {
				return err
			}
			if _, err := up.Record(t, "n", []byte("1")); err != nil {
				return err
			}
		}
		return t.Sleep(2 * time.Second)
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"0s pending 0",
		"0s pending 1",
		"1s pending 2",
		"2.06s delivered #1 taken at 0s",
		"2.06s pending 1",
		"2.08s delivered #2 taken at 1s",
		"2.08s pending 0",
		"3s pending 1",
		"3.02s delivered #3 taken at 3s",
		"3.02s pending 0",
	}
	if !slices.Equal(got, want) {
		t.Errorf("the board was told\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
