package mqtt_test

import (
	"context"
	"io"
	"net"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/mqtt"
	"github.com/coopgo/coop/mqtt/broker"
	"github.com/coopgo/coop/mqtt/telemetry"
	"github.com/coopgo/coop/sim"
)

// dropAfterPublish is a connection to the broker whose link drops as it
// carries a PUBLISH, while drops lasts: the broker gets the message, the
// board gets nothing more, and the broker's write of the PUBACK fails.
type dropAfterPublish struct {
	net.Conn
	drops *atomic.Int32 // shared by the device's connections
	stuck *atomic.Bool  // a PUBLISH to drop found the broker not reading
	dead  atomic.Bool   // the board reads nothing more
}

func (c *dropAfterPublish) Read(p []byte) (int, error) {
	if c.dead.Load() {
		return 0, io.EOF
	}
	n, err := c.Conn.Read(p)
	if err != nil && c.dead.Load() {
		err = io.EOF
	}
	return n, err
}

func (c *dropAfterPublish) Write(p []byte) (int, error) {
	if len(p) == 0 || p[0]&0xF0 != 0x30 || c.drops.Add(-1) < 0 {
		return c.Conn.Write(p)
	}
	// Nothing the broker writes from now on is read: its PUBACK waits
	// until the Close below fails it.
	c.dead.Store(true)
	c.Conn.SetReadDeadline(time.Unix(1, 0))
	// The broker reads what a board sends unless it is itself writing,
	// unasked, what the board no longer reads: the test fails then.
	c.Conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
	n, err := c.Conn.Write(p)
	if err != nil {
		c.stuck.Store(true)
	}
	c.Conn.Close()
	return n, err
}

// A reading's PUBLISH reaches the broker and the link drops before the
// PUBACK, twice in a row: once on the first send, once on the resend
// after the reconnect. The broker must not tell the device that the
// reading was delivered until it has routed it: every reading the device
// was told of reaches the subscriber, once.
func TestPublishLinkDropsBeforePuback(t *testing.T) {
	br := startBroker(t, broker.Config{Memory: true})
	got := make(chan uint64, 16)
	if err := br.Subscribe(telemetry.DefaultFilter, func(_ string, payload []byte) {
		if r, err := telemetry.Parse(payload); err == nil {
			got <- r.Seq
		}
	}); err != nil {
		t.Fatal(err)
	}
	var drops atomic.Int32
	drops.Store(2)
	var stuck atomic.Bool
	d := newDevice(t, sim.NetConfig{Dial: func(ctx context.Context, addr string) (net.Conn, error) {
		c, err := br.Dial(ctx, addr)
		if err != nil {
			return nil, err
		}
		return &dropAfterPublish{Conn: c, drops: &drops, stuck: &stuck}, nil
	}})
	var c *mqtt.Client
	err := d.l.RunUntilComplete(d.l.Spawn("main", func(t *coop.Task) error {
		if err := d.join(t); err != nil {
			return err
		}
		c = mqtt.New(d.net, mqtt.Config{Addr: "broker:1883", ClientID: "pico-1"})
		run := t.Spawn("mqtt", c.Run)
		defer run.Cancel()
		for seq := uint64(1); seq <= 2; seq++ {
			r := mqtt.Reading{Device: "pico-1", Seq: seq, At: t.Now(), Data: []byte(`{"temp":21}`)}
			if err := c.Publish(t, "coop/pico-1/temp", r.AppendPayload(nil), 1); err != nil {
				return err
			}
		}
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	if stuck.Load() {
		t.Fatal("the broker wrote, unasked, after the CONNACK, and so read no PUBLISH: a PUBACK for a message it had not routed")
	}
	if st := c.Stats(); st.Connects != 3 || st.Published != 2 {
		t.Errorf("stats %+v, want 3 connects and 2 published", st)
	}
	// The broker routes a message after it wrote its PUBACK: wait for
	// the last one.
	var seqs []uint64
	for !slices.Contains(seqs, 2) {
		select {
		case s := <-got:
			seqs = append(seqs, s)
		case <-time.After(10 * time.Second):
			t.Fatalf("subscriber got %v, never #2", seqs)
		}
	}
	if !slices.Equal(seqs, []uint64{1, 2}) {
		t.Errorf("subscriber got %v, want [1 2]", seqs)
	}
}
