package mqtt

import "testing"

// The SUBSCRIBE that renews the subscriptions at a reconnect takes a
// packet id no pending publish holds, even once the ids have wrapped: its
// SUBACK would otherwise complete that publish, which the outbox would
// then forget unacknowledged.
func TestSubscribeIDNotPending(t *testing.T) {
	c := New(nil, Config{ClientID: "d"})
	c.nextID = 65534
	held := c.enqueue(nil) // 65535
	c.nextID = 65535       // the ids wrapped while it waited
	c.enqueue(nil)         // 1
	c.nextID = 65534
	sp := c.subscribePacket([]subscription{{"coop/#", 1}})
	if _, used := c.pending[sp.MessageID]; used || sp.MessageID == 0 {
		t.Errorf("SUBSCRIBE took id %d; pending: %d and 1", sp.MessageID, held.id)
	}
}
