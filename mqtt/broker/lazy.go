package broker

import (
	"context"
	"net"
	"sync"
)

// Lazy is an embedded broker started on first use: a run that never
// dials costs no broker, and prints nothing about one. Its Dial, Stop and
// Restart make it a sim.Server and a sim.NetConfig.Dial. The zero value
// starts a broker with the zero Config.
type Lazy struct {
	// Config configures the broker.
	Config Config
	// OnStart, if set, is told of the broker once it has started, once.
	OnStart func(b *Broker)

	mu     sync.Mutex
	b      *Broker
	closed bool
}

// Broker returns the broker, starting it if it has not started.
func (l *Lazy) Broker() (*Broker, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b != nil {
		return l.b, nil
	}
	if l.closed {
		return nil, ErrStopped
	}
	b, err := Start(l.Config)
	if err != nil {
		return nil, err
	}
	l.b = b
	if l.OnStart != nil {
		l.OnStart(b)
	}
	return b, nil
}

// Started returns the broker if it has started, or nil.
func (l *Lazy) Started() *Broker {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b
}

// Dial starts the broker if needed and connects to it in the process.
func (l *Lazy) Dial(ctx context.Context, addr string) (net.Conn, error) {
	b, err := l.Broker()
	if err != nil {
		return nil, err
	}
	return b.Dial(ctx, addr)
}

// Stop stops the broker as a crash would, if it has started.
func (l *Lazy) Stop() error {
	if b := l.Started(); b != nil {
		return b.Stop()
	}
	return nil
}

// Restart starts the broker again, or for the first time.
func (l *Lazy) Restart() error {
	if b := l.Started(); b != nil {
		return b.Restart()
	}
	_, err := l.Broker()
	return err
}

// Close closes the broker, if it has started; later uses fail.
func (l *Lazy) Close() error {
	l.mu.Lock()
	b := l.b
	l.closed = true
	l.mu.Unlock()
	if b != nil {
		return b.Close()
	}
	return nil
}
