package broker

import (
	"sync/atomic"

	mochi "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"
)

// unrouted makes a client that connects again send the QoS 1 messages
// the broker acknowledged but never routed, rather than be told they
// were delivered. mochi v2.7.9 keeps its PUBACK to a QoS 1 PUBLISH in the
// session's in-flight messages while it writes it, and routes the
// message only once the write succeeded: when the connection drops
// first, the message is not routed and the PUBACK stays, and mochi sends
// it at the session's next connect, before the client could send the
// message again. The client forgets the message; unless its resend on
// that connection is routed, nobody ever gets it (a fleet under load,
// whose devices drop connections the broker is slow to answer on, lost
// readings so). A PUBACK kept in a session is never for a routed message
// (mochi deletes it once written), so the hook forgets it when the
// session's client connects again, after the old connection has ended
// (hook takeover waits for that): the client, told nothing, sends the
// message again, and that one is routed and acknowledged.
type unrouted struct {
	mochi.HookBase
	srv *mochi.Server
}

// ID names the hook.
func (h *unrouted) ID() string { return "coop-unrouted" }

// Provides says the hook sees connects.
func (h *unrouted) Provides(b byte) bool { return b == mochi.OnConnect }

// OnConnect forgets the PUBACKs kept in cl's session.
func (h *unrouted) OnConnect(cl *mochi.Client, _ packets.Packet) error {
	old, ok := h.srv.Clients.Get(cl.ID)
	if !ok || old == cl {
		return nil
	}
	for _, pk := range old.State.Inflight.GetAll(false) {
		if pk.FixedHeader.Type == packets.Puback && old.State.Inflight.Delete(pk.PacketID) {
			atomic.AddInt64(&h.srv.Info.Inflight, -1)
		}
	}
	return nil
}
