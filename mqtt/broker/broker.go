// Package broker runs an MQTT broker inside a host process: the broker a
// coop run uses when no --broker is given, and the one tests and the
// fleet start. It is github.com/mochi-mqtt/server/v2 with its bolt storage
// hook, so that persistent sessions and their queued QoS 1 messages
// survive [Broker.Restart] (a broker kill and restart in a scenario).
//
// It is host-only: a device program imports package mqtt, never this one.
package broker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	mochi "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/hooks/auth"
	"github.com/mochi-mqtt/server/v2/hooks/storage"
	"github.com/mochi-mqtt/server/v2/hooks/storage/bolt"
	"github.com/mochi-mqtt/server/v2/listeners"
	"github.com/mochi-mqtt/server/v2/packets"
	"go.etcd.io/bbolt"

	"github.com/coopgo/coop/internal/topic"
	"github.com/coopgo/coop/mqtt"
)

// Config configures a [Broker]. The zero value listens on a free port of
// 127.0.0.1, keeps its store in a temporary directory removed by Close,
// and lets every client in.
type Config struct {
	// Addr is the TCP address to listen on; "" means "127.0.0.1:0".
	Addr string
	// Dir is the directory of the broker's store (the file
	// "broker.bolt"); "" means a temporary one, removed by Close.
	Dir string
	// Username and Password, if Username is set, are the only
	// credentials accepted.
	Username, Password string
	// MaxPacket is the largest packet accepted, in bytes; 0 means no
	// limit.
	MaxPacket uint32
	// Memory keeps sessions and queued messages in memory only, without
	// the store: a broker for a fleet's throughput (the store writes
	// twice per QoS 1 message, in one transaction at a time), whose
	// Restart forgets them.
	Memory bool
	// Log receives the broker's log; nil discards it.
	Log *slog.Logger
}

// Broker is an MQTT broker in the process, reachable over TCP at
// [Broker.Addr] and, without a socket, through [Broker.Dial].
type Broker struct {
	cfg     Config
	tempDir bool

	mu     sync.Mutex
	srv    *mochi.Server
	conns  *takeover // the running server's connections
	addr   string
	closed bool
	order  *order // shared by the broker's restarts
	inline []inlineSub
}

// inlineSub is a subscription in the process, made again at each start.
type inlineSub struct {
	filter string
	fn     func(topic string, payload []byte)
}

// listenerID names the TCP listener; in-process connections join it, so
// that stopping the broker drops them too.
const listenerID = "tcp"

// ErrStopped is returned by Dial while the broker is stopped. It is the
// refusal a port nothing listens on gives: it wraps syscall.ECONNREFUSED,
// so that a simulated board that dials the broker sees hw.ErrConnRefused.
var ErrStopped error = stoppedError{}

// stoppedError is the type of ErrStopped.
type stoppedError struct{}

func (stoppedError) Error() string { return "broker: stopped" }

// Unwrap returns syscall.ECONNREFUSED.
func (stoppedError) Unwrap() error { return syscall.ECONNREFUSED }

// Start starts a broker.
func Start(cfg Config) (*Broker, error) {
	b := &Broker{cfg: cfg, order: &order{}}
	b.order.next.Store(time.Now().Unix())
	if b.cfg.Addr == "" {
		b.cfg.Addr = "127.0.0.1:0"
	}
	if b.cfg.Dir == "" {
		dir, err := os.MkdirTemp("", "coop-broker-")
		if err != nil {
			return nil, fmt.Errorf("broker: %w", err)
		}
		b.cfg.Dir, b.tempDir = dir, true
	}
	if b.cfg.Log == nil {
		b.cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if err := b.start(b.cfg.Addr); err != nil {
		b.removeTemp()
		return nil, err
	}
	return b, nil
}

func (b *Broker) start(addr string) error {
	opts := &mochi.Options{Logger: b.cfg.Log, InlineClient: true}
	caps := mochi.NewDefaultServerCapabilities()
	caps.MaximumPacketSize = b.cfg.MaxPacket
	opts.Capabilities = caps
	srv := mochi.New(opts)
	if b.cfg.Username != "" {
		ledger := &auth.Ledger{
			Auth: auth.AuthRules{{Username: auth.RString(b.cfg.Username), Password: auth.RString(b.cfg.Password), Allow: true}},
			ACL:  auth.ACLRules{{Username: auth.RString(b.cfg.Username)}},
		}
		if err := srv.AddHook(new(auth.Hook), &auth.Options{Ledger: ledger}); err != nil {
			return fmt.Errorf("broker: %w", err)
		}
	} else if err := srv.AddHook(new(auth.AllowHook), nil); err != nil {
		return fmt.Errorf("broker: %w", err)
	}
	if err := srv.AddHook(b.order, nil); err != nil {
		return fmt.Errorf("broker: %w", err)
	}
	conns := newTakeover(srv)
	if err := srv.AddHook(conns, nil); err != nil {
		return fmt.Errorf("broker: %w", err)
	}
	if !b.cfg.Memory {
		// The store is written without fsync: it must outlive the
		// broker, not the machine.
		store := &bolt.Options{Path: filepath.Join(b.cfg.Dir, "broker.bolt"), Options: &bbolt.Options{NoSync: true, Timeout: 0}}
		if err := srv.AddHook(new(boltStore), store); err != nil {
			return fmt.Errorf("broker: store: %w", err)
		}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		srv.Close()
		return fmt.Errorf("broker: %w", err)
	}
	l := trackedListener{listeners.NewNet(listenerID, ln), conns}
	if err := srv.AddListener(l); err != nil {
		ln.Close()
		srv.Close()
		return fmt.Errorf("broker: %w", err)
	}
	if err := srv.Serve(); err != nil {
		srv.Close()
		return fmt.Errorf("broker: %w", err)
	}
	b.mu.Lock()
	b.srv, b.conns, b.addr = srv, conns, ln.Addr().String()
	inline := append([]inlineSub(nil), b.inline...)
	b.mu.Unlock()
	for i, sub := range inline {
		if err := subscribeInline(srv, i+1, sub); err != nil {
			return err
		}
	}
	return nil
}

func subscribeInline(srv *mochi.Server, id int, sub inlineSub) error {
	err := srv.Subscribe(sub.filter, id, func(_ *mochi.Client, _ packets.Subscription, pk packets.Packet) {
		sub.fn(pk.TopicName, pk.Payload)
	})
	if err != nil {
		return fmt.Errorf("broker: subscribe %s: %w", sub.filter, err)
	}
	return nil
}

// Subscribe calls fn with each message published on filter, on the
// publisher's goroutine, as the broker routes it: a consumer in the
// process that cannot fall behind, where a client's queue (8,192 messages
// in mochi) overflows and drops under a fleet's burst. fn must not block
// for long. The subscription lasts across restarts. A filter MQTT does not
// allow ("coop/#/t", "coop/pico+") is refused, wrapping mqtt.ErrBadTopic,
// and not kept.
func (b *Broker) Subscribe(filter string, fn func(topic string, payload []byte)) error {
	if err := topic.CheckFilter(filter); err != nil {
		return fmt.Errorf("broker: subscribe: %w filter %s: %w", mqtt.ErrBadTopic, topic.Quote(filter), err)
	}
	sub := inlineSub{filter, fn}
	b.mu.Lock()
	b.inline = append(b.inline, sub)
	id, srv := len(b.inline), b.srv
	b.mu.Unlock()
	if srv == nil {
		return nil // made at the next start
	}
	return subscribeInline(srv, id, sub)
}

// Addr returns the broker's TCP address, "127.0.0.1:PORT": the same
// across restarts.
func (b *Broker) Addr() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.addr
}

// URL returns "mqtt://" + Addr().
func (b *Broker) URL() string { return "mqtt://" + b.Addr() }

// Dial connects to the broker in the process, through a net.Pipe, for
// whatever addr: a sim.NetConfig.Dial for simulated boards that need no
// socket each.
func (b *Broker) Dial(ctx context.Context, addr string) (net.Conn, error) {
	b.mu.Lock()
	srv, conns := b.srv, b.conns
	b.mu.Unlock()
	if srv == nil {
		return nil, ErrStopped
	}
	client, server := net.Pipe()
	go conns.serve(srv.EstablishConnection)(listenerID, server)
	return client, nil
}

// Stop stops the broker as a crash would: every connection drops; the
// store keeps the sessions and their queued messages. Dial fails with
// ErrStopped until Restart.
func (b *Broker) Stop() error {
	b.mu.Lock()
	srv, conns := b.srv, b.conns
	b.srv, b.conns = nil, nil
	b.mu.Unlock()
	if srv == nil {
		return nil
	}
	conns.closeAll()
	return srv.Close()
}

// Restart starts the stopped broker again on the same address, with the
// sessions, subscriptions and queued messages of its store.
func (b *Broker) Restart() error {
	b.mu.Lock()
	running, closed := b.srv != nil, b.closed
	b.mu.Unlock()
	if closed {
		return errors.New("broker: Restart after Close")
	}
	if running {
		if err := b.Stop(); err != nil {
			return err
		}
	}
	return b.start(b.Addr())
}

// Close stops the broker for good and removes a temporary store.
func (b *Broker) Close() error {
	err := b.Stop()
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	b.removeTemp()
	return err
}

func (b *Broker) removeTemp() {
	if b.tempDir {
		os.RemoveAll(b.cfg.Dir)
	}
}

// boltStore is mochi's bolt storage hook with the packet id of queued
// messages restored: v2.7.9's hook stores an in-flight message without its
// PacketID, and the restarted broker then refuses to send it ("missing
// packet id"). The id is the end of the message's key,
// "IFM_<client>:<id>".
type boltStore struct {
	bolt.Hook
}

// StoredInflightMessages returns the queued messages with their ids.
func (h *boltStore) StoredInflightMessages() ([]storage.Message, error) {
	msgs, err := h.Hook.StoredInflightMessages()
	for i := range msgs {
		m := &msgs[i]
		if m.PacketID != 0 {
			continue
		}
		if j := strings.LastIndexByte(m.ID, ':'); j >= 0 {
			if n, perr := strconv.ParseUint(m.ID[j+1:], 10, 16); perr == nil {
				m.PacketID = uint16(n)
			}
		}
	}
	return msgs, err
}

// order keeps the messages queued for a subscriber in the order they were
// published. mochi v2.7.9 sends a reconnecting subscriber its queued
// messages sorted by their creation time in seconds, so that those of the
// same second come in any order. order stamps each message with a
// creation "time" one more than the last, from the broker's start in Unix
// seconds: the queue keeps publishing order (mochi compares the stamps'
// low 16 bits: a queue longer than 65,536 messages may still be
// reordered once), and the stamps only move message expiry later.
type order struct {
	mochi.HookBase
	next atomic.Int64
}

// ID names the hook.
func (h *order) ID() string { return "coop-order" }

// Provides says the hook stamps publishes.
func (h *order) Provides(b byte) bool { return b == mochi.OnPublish }

// OnPublish stamps pk.
func (h *order) OnPublish(_ *mochi.Client, pk packets.Packet) (packets.Packet, error) {
	pk.Created = h.next.Add(1)
	return pk, nil
}
