package broker

import (
	"net"
	"sync"
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
// the session over from the newer connection. A fleet whose devices give
// up on a slow broker's answers and connect again made such connections
// faster than they ended.
type takeover struct {
	mochi.HookBase
	srv *mochi.Server
	// connectWait bounds the wait for a new connection's CONNECT, which
	// mochi v2.7.9 would wait for as long as the connection stays open;
	// wait bounds the wait for earlier connections' end.
	connectWait, wait time.Duration

	mu     sync.Mutex
	live   map[net.Conn]*liveConn        // every connection not yet ended
	byID   map[string]map[*liveConn]bool // the live connections that sent CONNECT, by client id
	closed bool                          // closeAll was called: no connection starts
}

// liveConn is one connection from its start to its end.
type liveConn struct {
	c    net.Conn
	id   string        // the client id of its CONNECT, "" before
	cl   *mochi.Client // its client, once it sent CONNECT
	done chan struct{} // closed when its client has ended
	stop chan struct{} // closed when it is told to end
	once sync.Once
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
	return &takeover{srv: srv, connectWait: connectWait, wait: takeoverWait,
		live: map[net.Conn]*liveConn{}, byID: map[string]map[*liveConn]bool{}}
}

// ID names the hook.
func (h *takeover) ID() string { return "coop-takeover" }

// Provides says the hook sees connects.
func (h *takeover) Provides(b byte) bool { return b == mochi.OnConnect }

// OnConnect stops the connections under cl's client id that have not
// ended, and waits for their end; then it forgets the acknowledgements
// the session kept for messages never routed (forgetUnrouted). If a newer
// connection under the id stops cl's meanwhile, cl's ends with
// packets.ErrSessionTakenOver.
func (h *takeover) OnConnect(cl *mochi.Client, _ packets.Packet) error {
	h.mu.Lock()
	me := h.live[cl.Net.Conn]
	var earlier []*liveConn
	var clients []*mochi.Client
	for lc := range h.byID[cl.ID] {
		if lc != me {
			earlier = append(earlier, lc)
			clients = append(clients, lc.cl)
		}
	}
	if me != nil {
		me.id, me.cl = cl.ID, cl
		if h.byID[cl.ID] == nil {
			h.byID[cl.ID] = map[*liveConn]bool{}
		}
		h.byID[cl.ID][me] = true
	}
	h.mu.Unlock()
	var stop <-chan struct{}
	if me != nil {
		stop = me.stop
	}
	for i, lc := range earlier {
		lc.halt(clients[i], packets.ErrSessionTakenOver)
	}
	timeout := time.NewTimer(h.wait)
	defer timeout.Stop()
wait:
	for _, lc := range earlier {
		select {
		case <-lc.done:
		case <-stop:
			return packets.ErrSessionTakenOver
		case <-timeout.C:
			break wait
		}
	}
	select {
	case <-stop:
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
		lc := &liveConn{c: c, done: make(chan struct{}), stop: make(chan struct{})}
		h.mu.Lock()
		if h.closed {
			h.mu.Unlock()
			return c.Close()
		}
		h.live[c] = lc
		h.mu.Unlock()
		defer func() {
			h.mu.Lock()
			delete(h.live, c)
			if ids := h.byID[lc.id]; ids != nil {
				delete(ids, lc)
				if len(ids) == 0 {
					delete(h.byID, lc.id)
				}
			}
			h.mu.Unlock()
			close(lc.done)
		}()
		// mochi sets the connection's deadline from the keepalive once
		// CONNECT is in.
		c.SetReadDeadline(time.Now().Add(h.connectWait))
		return establish(id, c)
	}
}

// closeAll ends every connection, those that have not sent CONNECT yet
// included, which mochi's Close would wait for; later ones are closed as
// they come.
func (h *takeover) closeAll() {
	h.mu.Lock()
	h.closed = true
	all := make([]*liveConn, 0, len(h.live))
	clients := make([]*mochi.Client, 0, len(h.live))
	for _, lc := range h.live {
		all = append(all, lc)
		clients = append(clients, lc.cl)
	}
	h.mu.Unlock()
	for i, lc := range all {
		lc.halt(clients[i], packets.ErrServerShuttingDown)
	}
}

// connections returns how many connections have started and not ended.
func (h *takeover) connections() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.live)
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
