package broker

import (
	"net"
	"sync"
	"sync/atomic"
	"time"

	mochi "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/listeners"
	"github.com/mochi-mqtt/server/v2/packets"
)

// takeover keeps the broker's connections, each from its start to its
// end, and makes a client that connects under the id of connections not
// yet ended stop them and wait for their end before its session starts.
// mochi v2.7.9 ends the old connection concurrently with the new one's
// start: for a clean session the old one's end then deletes the client id
// from the server's clients and unsubscribes it, by then the new
// session's, and what is published to the new session is dropped. A
// device whose link drops and that connects again at once (the usual
// reconnect) hits this.
//
// Every earlier connection under the id is stopped, not only the one
// mochi holds as the id's client: one still waiting here for its own
// predecessor was given up by its device, which connects again, and
// must end at once rather than live on and, once its wait is over, take
// the session over from the newer connection. A connection's start and
// end take no lock that all connections share (a sync.Map, and a lock
// per client id): a fleet of thousands of devices that give up on a slow
// broker's answers and connect again made connections faster than they
// ended, queued on such locks (this hook's own, and mochi's map of
// clients), and fed itself.
type takeover struct {
	mochi.HookBase
	srv *mochi.Server
	// connectWait bounds the wait for a new connection's CONNECT, which
	// mochi v2.7.9 would wait for as long as the connection stays open;
	// wait bounds the wait for earlier connections' end.
	connectWait, wait time.Duration

	live   sync.Map    // net.Conn → *liveConn: every connection not yet ended
	byID   sync.Map    // client id → *idConns
	closed atomic.Bool // closeAll was called: no connection starts
	// active counts the connections in serve; the last to leave once
	// closed is set closes drained.
	active  atomic.Int64
	drained chan struct{}
	drain   sync.Once
}

// liveConn is one connection from its start to its end.
type liveConn struct {
	c    net.Conn
	done chan struct{} // closed when its client has ended
	stop chan struct{} // closed when it is told to end
	once sync.Once

	cl atomic.Pointer[mochi.Client] // its client, once it sent CONNECT
	// Set by OnConnect, on the connection's goroutine.
	id    string
	under *idConns // the connections under id
}

// idConns is the connections under one client id that sent CONNECT and
// have not ended.
type idConns struct {
	mu    sync.Mutex
	conns map[*liveConn]bool
	gone  bool // emptied and removed from byID: look it up again
}

// halt ends the connection: its client cl (nil before CONNECT) stops,
// and a wait of its own in OnConnect ends.
func (lc *liveConn) halt(cl *mochi.Client, cause error) {
	lc.once.Do(func() {
		close(lc.stop)
		if cl != nil {
			cl.Stop(cause)
		} else {
			lc.c.Close()
		}
	})
}

// takeoverWait bounds the wait for an old connection's end, which takes
// microseconds once its client is stopped.
const takeoverWait = 5 * time.Second

// connectWait is how long a new connection may take to send CONNECT.
const connectWait = 30 * time.Second

func newTakeover(srv *mochi.Server) *takeover {
	return &takeover{srv: srv, connectWait: connectWait, wait: takeoverWait, drained: make(chan struct{})}
}

// ID names the hook.
func (h *takeover) ID() string { return "coop-takeover" }

// Provides says the hook sees connects.
func (h *takeover) Provides(b byte) bool { return b == mochi.OnConnect }

// join adds lc, the connection of cl, to the connections under cl's
// client id, and returns the others with their clients.
func (h *takeover) join(lc *liveConn, cl *mochi.Client) (earlier []*liveConn, clients []*mochi.Client) {
	for {
		v, _ := h.byID.LoadOrStore(cl.ID, &idConns{conns: map[*liveConn]bool{}})
		ids := v.(*idConns)
		ids.mu.Lock()
		if ids.gone {
			ids.mu.Unlock()
			continue
		}
		for other := range ids.conns {
			earlier = append(earlier, other)
			clients = append(clients, other.cl.Load())
		}
		ids.conns[lc] = true
		lc.id, lc.under = cl.ID, ids
		lc.cl.Store(cl)
		ids.mu.Unlock()
		return earlier, clients
	}
}

// leave removes lc from the connections under its client id, if it sent
// CONNECT.
func (h *takeover) leave(lc *liveConn) {
	h.live.Delete(lc.c)
	ids := lc.under
	if ids == nil {
		return
	}
	ids.mu.Lock()
	defer ids.mu.Unlock()
	delete(ids.conns, lc)
	if len(ids.conns) == 0 {
		ids.gone = true
		h.byID.CompareAndDelete(lc.id, ids)
	}
}

// OnConnect stops the connections under cl's client id that have not
// ended, and waits for their end; then it forgets the acknowledgements
// the session kept for messages never routed (forgetUnrouted). If a newer
// connection under the id stops cl's meanwhile, cl's ends with
// packets.ErrSessionTakenOver.
func (h *takeover) OnConnect(cl *mochi.Client, _ packets.Packet) error {
	v, ok := h.live.Load(cl.Net.Conn)
	if !ok {
		return nil // not a connection of the broker's listener
	}
	me := v.(*liveConn)
	earlier, clients := h.join(me, cl)
	for i, lc := range earlier {
		lc.halt(clients[i], packets.ErrSessionTakenOver)
	}
	if len(earlier) > 0 {
		timeout := time.NewTimer(h.wait)
		defer timeout.Stop()
	wait:
		for _, lc := range earlier {
			select {
			case <-lc.done:
			case <-me.stop:
				return packets.ErrSessionTakenOver
			case <-timeout.C:
				break wait
			}
		}
	}
	select {
	case <-me.stop:
		return packets.ErrSessionTakenOver
	default:
	}
	if old, ok := h.srv.Clients.Get(cl.ID); ok && old != cl {
		forgetUnrouted(h.srv, old)
	}
	return nil
}

// serve wraps a connection's establishment so that its end is known, and
// ends a connection that sends no CONNECT within connectWait.
func (h *takeover) serve(establish listeners.EstablishFn) listeners.EstablishFn {
	return func(id string, c net.Conn) error {
		h.active.Add(1)
		defer func() {
			if h.active.Add(-1) == 0 && h.closed.Load() {
				h.drain.Do(func() { close(h.drained) })
			}
		}()
		if h.closed.Load() {
			c.Close()
			return nil
		}
		lc := &liveConn{c: c, done: make(chan struct{}), stop: make(chan struct{})}
		h.live.Store(c, lc)
		defer func() {
			h.leave(lc)
			close(lc.done)
		}()
		if h.closed.Load() { // closeAll may not have seen it
			c.Close()
			return nil
		}
		// mochi sets the connection's deadline from the keepalive once
		// CONNECT is in.
		c.SetReadDeadline(time.Now().Add(h.connectWait))
		return establish(id, c)
	}
}

// closeAll ends every connection, those that have not sent CONNECT yet
// included, which mochi's Close would wait for, and waits for their end;
// later ones are closed as they come. Once it returns no connection is
// being established, so that mochi's Close does not wait for its clients
// while one more starts (a sync.WaitGroup's Add racing its Wait).
func (h *takeover) closeAll() {
	h.closed.Store(true)
	h.live.Range(func(_, v any) bool {
		lc := v.(*liveConn)
		lc.halt(lc.cl.Load(), packets.ErrServerShuttingDown)
		return true
	})
	if h.active.Load() > 0 {
		<-h.drained
	}
}

// trackedListener is a TCP listener whose connections the takeover hook
// knows the end of.
type trackedListener struct {
	*listeners.Net
	takeover *takeover
}

// Serve serves connections, each through the takeover hook.
func (l trackedListener) Serve(establish listeners.EstablishFn) {
	l.Net.Serve(l.takeover.serve(establish))
}
