package broker_test

import (
	"context"
	"testing"
	"time"

	"github.com/eclipse/paho.mqtt.golang/packets"

	"github.com/coopgo/coop/mqtt/broker"
)

// dialSession connects to b as id with a persistent session, and returns
// the client and the CONNACK's session present flag.
func dialSession(t *testing.T, b *broker.Broker, id string) (*rawClient, bool) {
	t.Helper()
	conn, err := b.Dial(context.Background(), "broker:1883")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	c := &rawClient{t, conn}
	cp := packets.NewControlPacket(packets.Connect).(*packets.ConnectPacket)
	cp.ProtocolName, cp.ProtocolVersion, cp.ClientIdentifier, cp.Keepalive = "MQTT", 4, id, 60
	c.send(cp)
	ack, ok := c.read().(*packets.ConnackPacket)
	if !ok || ack.ReturnCode != packets.Accepted {
		t.Fatalf("%s: no CONNACK accepting it: %v", id, ack)
	}
	return c, ack.SessionPresent
}

func publishPacket(id uint16, payload string, dup bool) *packets.PublishPacket {
	pp := packets.NewControlPacket(packets.Publish).(*packets.PublishPacket)
	pp.TopicName, pp.Payload, pp.Qos, pp.MessageID, pp.Dup = "coop/dev/r", []byte(payload), 1, id, dup
	return pp
}

// A device sends a QoS 1 PUBLISH and its link drops before the PUBACK
// reaches it: the broker's write of the PUBACK fails, and it has not
// routed the message. When the device connects again, the broker must
// not acknowledge that message before the device has sent it again (mochi
// v2.7.9 sent the PUBACK it kept, for a message nobody received: the
// device forgot the reading, and lost it if this connection dropped too
// before its resend was routed). The resend is routed once. The same
// holds when the broker restarts in between, with its store.
func TestUnroutedPublishIsNotAcknowledged(t *testing.T) {
	t.Run("reconnect", func(t *testing.T) { testUnrouted(t, false) })
	t.Run("restart", func(t *testing.T) { testUnrouted(t, true) })
}

func testUnrouted(t *testing.T, restart bool) {
	b, err := broker.Start(broker.Config{Memory: !restart})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	got := make(chan string, 16)
	if err := b.Subscribe("coop/#", func(_ string, payload []byte) { got <- string(payload) }); err != nil {
		t.Fatal(err)
	}

	for round := range 20 {
		old, _ := dialSession(t, b, "dev")
		old.send(publishPacket(1, "r1", false)) // the broker has read it
		old.conn.Close()                        // the link drops before the PUBACK
		if restart {
			if err := b.Restart(); err != nil {
				t.Fatal(err)
			}
		}

		dev, present := dialSession(t, b, "dev")
		if !present {
			t.Fatalf("round %d: the session is not present", round)
		}
		// Sent from a goroutine: the pipe holds a write until it is read,
		// and the broker may be writing first.
		sent := make(chan error, 1)
		go func() { sent <- packets.NewControlPacket(packets.Pingreq).Write(dev.conn) }()
		if p := dev.read(); p.String() != packets.NewControlPacket(packets.Pingresp).String() {
			t.Fatalf("round %d: after CONNACK %v, want PINGRESP: the broker acknowledged a message it had not routed", round, p)
		}
		if err := <-sent; err != nil {
			t.Fatal(err)
		}
		dev.send(publishPacket(1, "r1", true))
		if p, ok := dev.read().(*packets.PubackPacket); !ok || p.MessageID != 1 {
			t.Fatalf("round %d: got %v, want PUBACK 1", round, p)
		}
		dev.send(publishPacket(2, "r2", false))
		if p, ok := dev.read().(*packets.PubackPacket); !ok || p.MessageID != 2 {
			t.Fatalf("round %d: got %v, want PUBACK 2", round, p)
		}
		for _, want := range []string{"r1", "r2"} {
			select {
			case m := <-got:
				if m != want {
					t.Fatalf("round %d: subscriber got %q, want %q", round, m, want)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("round %d: subscriber never got %q", round, want)
			}
		}
		dev.conn.Close()
	}
}
