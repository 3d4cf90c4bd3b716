package broker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/eclipse/paho.mqtt.golang/packets"
	mochi "github.com/mochi-mqtt/server/v2"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/sim"
)

// connections returns how many connections of h have started and not
// ended.
func (h *takeover) connections() int {
	n := 0
	h.live.Range(func(_, _ any) bool {
		n++
		return true
	})
	return n
}

// waitConnections waits until b's connections that have started and not
// ended are n, and fails the test if they are not within 10 s.
func waitConnections(t *testing.T, b *Broker, n int) {
	t.Helper()
	if !connectionsBecome(b, n) {
		t.Fatalf("the broker has %d connections, want %d", b.conns.connections(), n)
	}
}

// connectionsBecome waits until b has n connections, and reports whether
// it has within 10 s.
func connectionsBecome(b *Broker, n int) bool {
	b.mu.Lock()
	h := b.conns
	b.mu.Unlock()
	deadline := time.Now().Add(10 * time.Second)
	for h.connections() != n {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(time.Millisecond)
	}
	return true
}

// waitConnected waits until n connections of b have sent CONNECT under
// id, and fails the test if they have not within 10 s.
func waitConnected(t *testing.T, b *Broker, id string, n int) {
	t.Helper()
	count := func() int {
		v, ok := b.conns.byID.Load(id)
		if !ok {
			return 0
		}
		ids := v.(*idConns)
		ids.mu.Lock()
		defer ids.mu.Unlock()
		return len(ids.conns)
	}
	deadline := time.Now().Add(10 * time.Second)
	for count() != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d connections sent CONNECT under %s, want %d", count(), id, n)
		}
		time.Sleep(time.Millisecond)
	}
}

// sendConnect dials b and sends CONNECT for a persistent session of id,
// without waiting for the answer.
func sendConnect(t *testing.T, b *Broker, id string) net.Conn {
	t.Helper()
	c, err := b.Dial(context.Background(), "broker:1883")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	cp := packets.NewControlPacket(packets.Connect).(*packets.ConnectPacket)
	cp.ProtocolName, cp.ProtocolVersion, cp.ClientIdentifier, cp.Keepalive = "MQTT", 4, id, 60
	c.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if err := cp.Write(c); err != nil {
		t.Fatal(err)
	}
	return c
}

// readPacket reads one packet from c, waiting at most 10 s.
func readPacket(t *testing.T, c net.Conn) packets.ControlPacket {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	p, err := packets.ReadPacket(c)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func startMemory(t *testing.T) *Broker {
	t.Helper()
	b, err := Start(Config{Memory: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// A connection that sends no CONNECT is ended by the broker after the
// connect wait, and Stop does not wait for it: mochi v2.7.9 reads the
// first packet with no deadline, and its Close waits for every
// connection to end.
func TestConnectionWithoutConnectEnds(t *testing.T) {
	b := startMemory(t)
	b.conns.connectWait = 50 * time.Millisecond
	c, err := b.Dial(context.Background(), "broker:1883")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("a connection that sends nothing reads %v, want io.EOF", err)
	}
	waitConnections(t, b, 0)

	b.conns.connectWait = time.Hour
	quiet, err := b.Dial(context.Background(), "broker:1883")
	if err != nil {
		t.Fatal(err)
	}
	defer quiet.Close()
	waitConnections(t, b, 1)
	stopped := make(chan error, 1)
	go func() { stopped <- b.Stop() }()
	select {
	case err := <-stopped:
		if err != nil {
			t.Errorf("Stop() = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Stop did not return in 10 s with a connection that sent no CONNECT")
	}
}

// holdEnd holds the end of the first connection of client id that ends,
// until release is closed: a connection slow to end.
type holdEnd struct {
	mochi.HookBase
	id      string
	release chan struct{}
	once    sync.Once
}

func (h *holdEnd) ID() string { return "hold-end" }

func (h *holdEnd) Provides(b byte) bool { return b == mochi.OnDisconnect }

func (h *holdEnd) OnDisconnect(cl *mochi.Client, _ error, _ bool) {
	if cl.ID == h.id {
		h.once.Do(func() { <-h.release })
	}
}

// A device connects again while the broker is still ending its old
// connection, gives that attempt up (no CONNACK in time) and connects
// once more: the attempt it gave up ends at once, instead of living on
// until the old connection's end and then taking the session over from
// the newest, and the broker is left with one connection, the newest,
// which gets the session.
func TestConnectionGivenUpWhileTakingOverEnds(t *testing.T) {
	b := startMemory(t)
	b.conns.wait = time.Hour // only the old connection's end lets a new one on
	hold := &holdEnd{id: "pico", release: make(chan struct{})}
	if err := b.srv.AddHook(hold, nil); err != nil {
		t.Fatal(err)
	}
	old := sendConnect(t, b, "pico")
	if _, ok := readPacket(t, old).(*packets.ConnackPacket); !ok {
		t.Fatal("no CONNACK")
	}
	given := sendConnect(t, b, "pico") // waits for old's end
	waitConnected(t, b, "pico", 2)
	given.Close() // the device gives up on it
	newest := sendConnect(t, b, "pico")
	// old, held in its end, and newest, waiting for it.
	waitConnections(t, b, 2)
	close(hold.release)
	if ack, ok := readPacket(t, newest).(*packets.ConnackPacket); !ok || ack.ReturnCode != packets.Accepted {
		t.Fatalf("the newest connection got %v, want a CONNACK accepting it", ack)
	}
	waitConnections(t, b, 1)
	pp := packets.NewControlPacket(packets.Publish).(*packets.PublishPacket)
	pp.TopicName, pp.Payload, pp.Qos, pp.MessageID = "coop/pico/t", []byte("1"), 1, 1
	newest.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if err := pp.Write(newest); err != nil {
		t.Fatal(err)
	}
	if ack, ok := readPacket(t, newest).(*packets.PubackPacket); !ok || ack.MessageID != 1 {
		t.Errorf("the newest connection got %v, want the PUBACK of 1", ack)
	}
	if cl, ok := b.srv.Clients.Get("pico"); !ok || cl.Net.Conn == nil || b.conns.connections() != 1 {
		t.Errorf("the session's client is %v, want the newest connection's", cl)
	}
}

// A device's dial cancelled while the broker's Dial is in flight (Dial
// ignores its context) leaves the broker no connection: the broker is
// left with as many connections as the devices keep open.
func TestCancelledDialLeavesNoConnection(t *testing.T) {
	b := startMemory(t)
	b.conns.connectWait = time.Hour
	l := coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	board, err := sim.NewBoard(l, "pico2w", sim.Config{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	dials := 0
	board.SetNetwork(sim.NetConfig{RTT: 20 * time.Millisecond, Dial: func(ctx context.Context, addr string) (net.Conn, error) {
		if dials++; dials == 1 {
			return b.Dial(ctx, addr)
		}
		<-ctx.Done() // the second is cancelled while in flight
		c, err := b.Dial(ctx, addr)
		connectionsBecome(b, 2) // the broker serves it
		return c, err
	}})
	if _, err := board.AddAccessPoint(sim.APConfig{SSID: "home"}); err != nil {
		t.Fatal(err)
	}
	n, err := hw.OpenNetwork(board)
	if err != nil {
		t.Fatal(err)
	}
	var kept hw.Conn
	err = l.RunUntilComplete(l.Spawn("main", func(t *coop.Task) error {
		w, err := board.WLAN()
		if err != nil {
			return err
		}
		if err := w.Connect(t, "home", ""); err != nil {
			return err
		}
		if kept, err = n.Dial(t, "broker.local:1883"); err != nil {
			return err
		}
		dialer := t.Spawn("dialer", func(t *coop.Task) error {
			_, err := n.Dial(t, "broker.local:1883")
			return err
		})
		if err := t.Sleep(0); err != nil {
			return err
		}
		dialer.Cancel()
		if err := dialer.Wait(t); !errors.Is(err, coop.ErrCancelled) {
			return fmt.Errorf("the cancelled dial: %v, want ErrCancelled", err)
		}
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	if kept == nil || board.Connections() != 1 {
		t.Fatalf("the board has %d connections, want 1", board.Connections())
	}
	waitConnections(t, b, 1)
}
