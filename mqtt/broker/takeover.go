package broker

import (
	"net"
	"sync"
	"time"

	mochi "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/listeners"
	"github.com/mochi-mqtt/server/v2/packets"
)

// takeover makes a client that connects under the id of a connection not
// yet ended wait for that connection's end before its session starts.
// mochi v2.7.9 ends the old connection concurrently with the new one's
// start: for a clean session the old one's end then deletes the client id
// from the server's clients and unsubscribes it, by then the new
// session's, and what is published to the new session is dropped. A
// device whose link drops and that connects again at once (the usual
// reconnect) hits this.
type takeover struct {
	mochi.HookBase
	srv *mochi.Server

	mu   sync.Mutex
	live map[net.Conn]chan struct{} // closed when the connection's client has ended
}

// takeoverWait bounds the wait for an old connection's end, which takes
// microseconds once its client is stopped.
const takeoverWait = 5 * time.Second

func newTakeover(srv *mochi.Server) *takeover {
	return &takeover{srv: srv, live: map[net.Conn]chan struct{}{}}
}

// ID names the hook.
func (h *takeover) ID() string { return "coop-takeover" }

// Provides says the hook sees connects.
func (h *takeover) Provides(b byte) bool { return b == mochi.OnConnect }

// OnConnect stops the connection that has cl's client id, if there is
// one still going, and waits for its end; then it forgets the
// acknowledgements the session kept for messages never routed
// (forgetUnrouted).
func (h *takeover) OnConnect(cl *mochi.Client, _ packets.Packet) error {
	old, ok := h.srv.Clients.Get(cl.ID)
	if !ok || old == cl {
		return nil
	}
	h.mu.Lock()
	done := h.live[old.Net.Conn]
	h.mu.Unlock()
	if done != nil { // not ended yet
		old.Stop(packets.ErrSessionTakenOver)
		select {
		case <-done:
		case <-time.After(takeoverWait):
		}
	}
	forgetUnrouted(h.srv, old)
	return nil
}

// serve wraps a connection's establishment so that its end is known.
func (h *takeover) serve(establish listeners.EstablishFn) listeners.EstablishFn {
	return func(id string, c net.Conn) error {
		done := make(chan struct{})
		h.mu.Lock()
		h.live[c] = done
		h.mu.Unlock()
		defer func() {
			h.mu.Lock()
			delete(h.live, c)
			h.mu.Unlock()
			close(done)
		}()
		return establish(id, c)
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
