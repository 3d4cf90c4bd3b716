package telemetry

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"sync"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/coopgo/coop/internal/topic"
	"github.com/coopgo/coop/mqtt"
)

// DefaultFilter is the topic filter readings are published under.
const DefaultFilter = "coop/#"

// Config configures [Subscribe].
type Config struct {
	// URL is the broker, mqtt://host:port or mqtts://host:port, with
	// credentials in it or in Username and Password.
	URL                string
	Username, Password string
	// ClientID names the subscriber's session. With a persistent session
	// (CleanSession false), the broker keeps the readings that arrive
	// while the subscriber is away, and the same ClientID gets them.
	// "" means "coop-telemetry".
	ClientID     string
	CleanSession bool
	// Fresh, with a persistent session, starts from an empty one: what
	// an earlier subscriber with the same ClientID left queued at the
	// broker (readings of an earlier run) is forgotten first, then the
	// session is kept across reconnects as without it.
	Fresh bool
	// Filter is the topic filter; "" means DefaultFilter.
	Filter string
	// TLS configures mqtts://; nil means the system's roots.
	TLS *tls.Config
	// OnReading, if set, is told of each reading as it arrives, with
	// whether it is the first arrival of its number, on one of the
	// client's goroutines, one at a time.
	OnReading func(topic string, r mqtt.Reading, first bool)
	// OnConflict, if set, is told instead of OnReading of each reading
	// numbered as one received before but another reading ([Conflict]):
	// two devices publish under one name.
	OnConflict func(topic string, r mqtt.Reading)
	// OnOther, if set, is told of each message that is not a reading,
	// and of each retained message ([ErrRetained]), neither counted.
	OnOther func(topic string, payload []byte, err error)
	// OnConnection, if set, is told when the connection to the broker is
	// lost (with why) and when the subscriber has connected and
	// subscribed again (err nil): readings published in between wait in
	// a persistent session at a broker that keeps it, and are lost at
	// one that does not. It runs on a goroutine of the client's.
	OnConnection func(err error)
	// Accept, if set, says which readings to count: the others are
	// acknowledged and ignored (a shard of a fleet counts its own
	// devices).
	Accept func(r mqtt.Reading) bool
}

// ErrRetained is told to [Config].OnOther of a retained message: the
// broker keeps the last one published with the retain flag and sends it
// at each subscription, so it is a reading of some earlier time, not one
// published now. Devices never publish retained; a subscriber does not
// count such a message.
var ErrRetained = errors.New("telemetry: retained message, published before the subscription: not counted")

// ErrBadFilter: a topic filter MQTT does not allow.
var ErrBadFilter = errors.New("bad topic filter")

// CheckFilter reports what is wrong with filter as an MQTT topic filter,
// nil if nothing: it must not be empty, must be at most 65535 bytes of
// UTF-8 without NUL, and its wildcards must be whole levels, '#' the last
// one. Its errors wrap [ErrBadFilter] and say what is allowed.
func CheckFilter(filter string) error {
	if err := topic.CheckFilter(filter); err != nil {
		return fmt.Errorf("%w: %w", ErrBadFilter, err)
	}
	return nil
}

// Subscriber receives readings into a [Tally].
type Subscriber struct {
	client   paho.Client
	tally    *Tally
	mu       sync.Mutex
	cond     chan struct{} // closed and replaced at each message and connect
	connects int
}

// Subscribe connects to the broker, subscribes at QoS 1 and counts every
// reading in tally, but retained messages ([ErrRetained]). It returns once the subscription is in place, or an
// error for a bad URL, an unreachable broker or refused credentials.
func Subscribe(ctx context.Context, cfg Config, tally *Tally) (*Subscriber, error) {
	u, err := mqtt.ParseURL(cfg.URL)
	if err != nil {
		return nil, err
	}
	if cfg.Username == "" {
		cfg.Username, cfg.Password = u.Username, u.Password
	}
	if cfg.ClientID == "" {
		cfg.ClientID = "coop-telemetry"
	}
	if cfg.Filter == "" {
		cfg.Filter = DefaultFilter
	}
	if err := CheckFilter(cfg.Filter); err != nil {
		return nil, fmt.Errorf("telemetry: filter %q: %w", cfg.Filter, err)
	}
	s := &Subscriber{tally: tally, cond: make(chan struct{})}
	scheme := "tcp://"
	if u.TLS {
		scheme = "ssl://"
	}
	opts := paho.NewClientOptions().
		AddBroker(scheme + u.Addr).
		SetClientID(cfg.ClientID).
		SetCleanSession(cfg.CleanSession).
		SetOrderMatters(true).
		SetAutoReconnect(true).
		SetConnectRetry(false).
		SetConnectTimeout(5 * time.Second).
		SetMaxReconnectInterval(2 * time.Second).
		SetResumeSubs(true).
		// A reading is acknowledged once counted, not before: a broker
		// that goes away between the two sends it again.
		SetAutoAckDisabled(true)
	if u.TLS {
		opts.SetTLSConfig(cfg.TLS)
	}
	if cfg.Username != "" {
		opts.SetUsername(cfg.Username).SetPassword(cfg.Password)
	}
	if cfg.Fresh && !cfg.CleanSession {
		// A clean connection ends the earlier session at the broker.
		opts.SetCleanSession(true)
		c := paho.NewClient(opts)
		err := wait(ctx, c.Connect())
		c.Disconnect(0)
		if err != nil {
			return nil, fmt.Errorf("telemetry: connect to %s: %w", u, err)
		}
		opts.SetCleanSession(false)
	}
	handler := func(_ paho.Client, m paho.Message) {
		r, err := Parse(m.Payload())
		switch {
		case m.Retained():
			tally.addRetained()
			if cfg.OnOther != nil {
				cfg.OnOther(m.Topic(), m.Payload(), ErrRetained)
			}
		case err != nil:
			tally.addBad()
			if cfg.OnOther != nil {
				cfg.OnOther(m.Topic(), m.Payload(), err)
			}
		case cfg.Accept != nil && !cfg.Accept(r):
		default:
			switch a := tally.Count(r); {
			case a == Conflict:
				if cfg.OnConflict != nil {
					cfg.OnConflict(m.Topic(), r)
				}
			case cfg.OnReading != nil:
				cfg.OnReading(m.Topic(), r, a == First)
			}
		}
		m.Ack()
		s.notify()
	}
	// Messages the broker sends right after CONNACK, before the
	// subscription below has registered its handler (a persistent
	// session's queue), go to the same handler: none is left
	// unacknowledged and uncounted.
	opts.SetDefaultPublishHandler(handler)
	first := make(chan error, 1) // the first subscription's outcome
	opts.SetOnConnectHandler(func(c paho.Client) {
		// Subscribe at each connect, the first one included: a broker
		// that lost its store forgot the subscription. Once only: a
		// broker sends the retained messages at each subscription.
		tok := c.Subscribe(cfg.Filter, 1, handler)
		go func() {
			tok.Wait()
			s.mu.Lock()
			s.connects++
			n := s.connects
			s.mu.Unlock()
			if n == 1 {
				first <- tok.Error()
			} else if cfg.OnConnection != nil {
				var err error
				if tok.Error() != nil {
					err = fmt.Errorf("telemetry: subscribe again to %s on %s: %w", cfg.Filter, u, tok.Error())
				}
				cfg.OnConnection(err)
			}
			s.notify()
		}()
	})
	if cfg.OnConnection != nil {
		opts.SetConnectionLostHandler(func(_ paho.Client, err error) {
			cfg.OnConnection(fmt.Errorf("telemetry: connection to %s lost: %w; connecting again", u, err))
		})
	}
	s.client = paho.NewClient(opts)
	if err := wait(ctx, s.client.Connect()); err != nil {
		return nil, fmt.Errorf("telemetry: connect to %s: %w", u, err)
	}
	select {
	case err = <-first:
	case <-ctx.Done():
		err = ctx.Err()
	}
	if err != nil {
		s.client.Disconnect(0)
		return nil, fmt.Errorf("telemetry: subscribe to %s on %s: %w", cfg.Filter, u, err)
	}
	return s, nil
}

func wait(ctx context.Context, tok paho.Token) error {
	select {
	case <-tok.Done():
		return tok.Error()
	case <-ctx.Done():
		return ctx.Err()
	}
}

// notify wakes the waiters of WaitFor and WaitConnected.
func (s *Subscriber) notify() {
	s.mu.Lock()
	close(s.cond)
	s.cond = make(chan struct{})
	s.mu.Unlock()
}

// Connects returns how many times the subscriber has connected and
// subscribed.
func (s *Subscriber) Connects() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.connects
}

// WaitConnects waits until the subscriber has connected and subscribed n
// times in all (after a broker restart, n is one more than before it), or
// ctx ends.
func (s *Subscriber) WaitConnects(ctx context.Context, n int) error {
	for {
		s.mu.Lock()
		ch, done := s.cond, s.connects >= n
		s.mu.Unlock()
		if done {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("telemetry: %w", context.Cause(ctx))
		}
	}
}

// WaitFor waits until cond, checked at each message, holds, or ctx ends.
func (s *Subscriber) WaitFor(ctx context.Context, cond func(*Tally) bool) error {
	for {
		s.mu.Lock()
		ch := s.cond
		s.mu.Unlock()
		if cond(s.tally) {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("telemetry: %w", context.Cause(ctx))
		}
	}
}

// Close disconnects. The broker keeps a persistent session's readings
// for the next subscriber with the same ClientID.
func (s *Subscriber) Close() error {
	s.client.Disconnect(100)
	return nil
}

// Tally returns the tally the subscriber counts in.
func (s *Subscriber) Tally() *Tally { return s.tally }
