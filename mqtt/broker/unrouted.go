package broker

import (
	"sync/atomic"

	mochi "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"
)

// forgetUnrouted makes old's session's client, connecting again, send
// the QoS 1 messages the broker acknowledged but never routed, rather
// than be told they were delivered. mochi v2.7.9 keeps its PUBACK to a
// QoS 1 PUBLISH in the session's in-flight messages while it writes it,
// and routes the message only once the write succeeded: when the
// connection drops first, the message is not routed and the PUBACK
// stays, and mochi sends it at the session's next connect, before the
// client could send the message again. The client forgets the message;
// unless its resend on that connection is routed, nobody ever gets it (a
// fleet under load, whose devices drop connections the broker is slow to
// answer on, lost readings so). A PUBACK kept in a session is never for a
// routed message (mochi deletes it once written), so the takeover hook
// forgets them when the session's client connects again, once the old
// connection has ended: the client, told nothing, sends the message
// again, and that one is routed and acknowledged.
func forgetUnrouted(srv *mochi.Server, old *mochi.Client) {
	for _, pk := range old.State.Inflight.GetAll(false) {
		if pk.FixedHeader.Type == packets.Puback && old.State.Inflight.Delete(pk.PacketID) {
			atomic.AddInt64(&srv.Info.Inflight, -1)
		}
	}
}
