package broker_test

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/eclipse/paho.mqtt.golang/packets"

	"github.com/coopgo/coop/mqtt/broker"
)

// rawClient speaks MQTT 3.1.1 packet by packet over a connection to b.
type rawClient struct {
	t    *testing.T
	conn net.Conn
}

func dialRaw(t *testing.T, b *broker.Broker, id string) *rawClient {
	t.Helper()
	conn, err := b.Dial(context.Background(), "broker:1883")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() }) // before the broker's Close, which waits for its clients
	c := &rawClient{t, conn}
	cp := packets.NewControlPacket(packets.Connect).(*packets.ConnectPacket)
	cp.ProtocolName, cp.ProtocolVersion, cp.CleanSession, cp.ClientIdentifier = "MQTT", 4, true, id
	c.send(cp)
	if ack, ok := c.read().(*packets.ConnackPacket); !ok || ack.ReturnCode != packets.Accepted {
		t.Fatalf("%s: no CONNACK accepting it: %v", id, ack)
	}
	return c
}

func (c *rawClient) send(p packets.ControlPacket) {
	c.t.Helper()
	c.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if err := p.Write(c.conn); err != nil {
		c.t.Fatal(err)
	}
}

func (c *rawClient) read() packets.ControlPacket {
	c.t.Helper()
	c.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	p, err := packets.ReadPacket(c.conn)
	if err != nil {
		c.t.Fatal(err)
	}
	return p
}

func (c *rawClient) subscribe(filter string) {
	c.t.Helper()
	sp := packets.NewControlPacket(packets.Subscribe).(*packets.SubscribePacket)
	sp.MessageID, sp.Topics, sp.Qoss = 1, []string{filter}, []byte{1}
	c.send(sp)
	if _, ok := c.read().(*packets.SubackPacket); !ok {
		c.t.Fatal("no SUBACK")
	}
}

func (c *rawClient) publish(topic, payload string) {
	c.t.Helper()
	pp := packets.NewControlPacket(packets.Publish).(*packets.PublishPacket)
	pp.TopicName, pp.Payload, pp.Qos, pp.MessageID = topic, []byte(payload), 1, 7
	c.send(pp)
	if _, ok := c.read().(*packets.PubackPacket); !ok {
		c.t.Fatal("no PUBACK")
	}
}

// A device whose link drops connects again at once, under the same id,
// with a clean session, while the broker is still ending the old
// connection: the new session's subscription must hold, and a message
// published to it must arrive.
func TestReconnectAtOnceKeepsTheNewSession(t *testing.T) {
	b, err := broker.Start(broker.Config{Memory: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	pub := dialRaw(t, b, "host")
	for i := range 50 {
		old := dialRaw(t, b, "pico")
		old.subscribe("cmd/#")
		old.conn.Close() // the link drops
		dev := dialRaw(t, b, "pico")
		dev.subscribe("cmd/#")
		pub.publish("cmd/pico/led", "on")
		msg, ok := dev.read().(*packets.PublishPacket)
		if !ok || string(msg.Payload) != "on" {
			t.Fatalf("reconnect %d: got %v, want the PUBLISH of \"on\"", i, msg)
		}
		dev.conn.Close()
	}
}
