package hw

import "github.com/coopgo/coop"

// Network reaches hosts over the board's network link (the Wi-Fi of a
// Pico 2 W): MicroPython's socket module reduced to what a client needs, a
// byte stream to host:port.
type Network interface {
	// Dial opens a stream to addr ("host:port"), waiting from inside the
	// task self, without holding up the loop. It fails with an error
	// wrapping ErrLinkDown when the board is not on a network,
	// ErrConnRefused when nothing accepts streams at addr, ErrTLS when
	// the stream is TLS and the peer could not be verified, and
	// ErrConnReset when the peer dropped the stream while it opened; other
	// failures (a name that does not resolve, a host out of reach) wrap
	// what the network stack said. If self is cancelled the dial is
	// abandoned and Dial returns coop.ErrCancelled.
	Dial(self *coop.Task, addr string) (Conn, error)
}

// Conn is an open byte stream. Read and Write wait from inside a task
// without holding up the loop; one task may read while another writes.
// When the link goes down, or the peer resets the stream, the calls in
// progress and later ones fail with an error wrapping ErrLinkDown or
// ErrConnReset; a peer that closes the stream gives io.EOF to Read once
// what it sent is read. If the calling task is cancelled, Read returns
// coop.ErrCancelled and the stream stays usable; a Write cancelled in
// flight returns coop.ErrCancelled and leaves the stream reset, since the
// peer may have got part of it.
type Conn interface {
	// Read waits until at least one byte has arrived, then copies up to
	// len(p) of them into p.
	Read(self *coop.Task, p []byte) (int, error)
	// Write sends all of p, or fails. It returns when p is on its way,
	// not when the peer has it.
	Write(self *coop.Task, p []byte) (int, error)
	// Close closes the stream: waiting reads and writes return
	// ErrConnClosed. Closing twice does nothing.
	Close() error
}

// NetworkBoard is a [Board] that can reach hosts.
type NetworkBoard interface {
	// Network returns the board's network interface, the same at each
	// call.
	Network() (Network, error)
}

// OpenNetwork returns the network interface of b, or a *DeviceError
// wrapping [ErrNoDevice] if b has none.
func OpenNetwork(b Board) (Network, error) {
	if nb, ok := b.(NetworkBoard); ok {
		return nb.Network()
	}
	return nil, &DeviceError{Board: b.Name(), Device: "network"}
}

// ReplyExpecter is a [Conn] that wants to know which bytes written call
// for an answer from the peer, and when the answer is in. The simulator,
// whose virtual clock stands still while an answer is on its way, uses it
// to wait for answers that will come (a broker answers a PUBLISH at QoS
// 1, not a PUBACK), until they are whole. A board's Conn need not
// implement it; callers check with a type assertion and go on without it.
type ReplyExpecter interface {
	// ExpectReply says whether the next Write expects an answer. A Conn
	// never told waits for the first bytes after each Write.
	ExpectReply(bool)
	// Answered says that one answer the peer owed has been read whole.
	Answered()
}
