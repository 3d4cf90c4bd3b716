package sim

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// DefaultReplyWait is how long, in wall time, the virtual clock waits for a
// peer to answer bytes a board wrote, unless NetConfig.ReplyWait says
// otherwise.
const DefaultReplyWait = time.Second

// NetConfig is how a board's network reaches hosts: the world beyond its
// Wi-Fi.
type NetConfig struct {
	// Dial opens a stream to addr on the host running the simulator:
	// (*net.Dialer).DialContext for real TCP (a Mosquitto, a broker on
	// another machine), or one end of a net.Pipe whose other end an
	// in-process server serves. Its error fails the board's dial as
	// "sim: dial ADDR: ", the [hw.ErrorCode] the failure is, then the
	// error itself, which stays in the chain for errors.Is and errors.As:
	//
	//   - one that wraps an hw.ErrorCode (a dialer that says what
	//     happened): that code, once;
	//   - syscall.ECONNREFUSED (nothing listens at the address; a stopped
	//     mqtt/broker says so too): hw.ErrConnRefused;
	//   - a failed TLS handshake: a certificate not trusted
	//     (*tls.CertificateVerificationError and the x509 errors in it),
	//     an alert from the peer (crypto/tls's "remote error", or a
	//     tls.AlertError), a peer that does not speak TLS
	//     (tls.RecordHeaderError), a rejected ECH configuration:
	//     hw.ErrTLS;
	//   - syscall.ECONNRESET (the peer dropped the stream while it
	//     opened): hw.ErrConnReset.
	//
	// Anything else (a name that does not resolve, a timeout, a host out
	// of reach) has no code of the board's and comes through as it is,
	// after "sim: dial ADDR: ". Nil reaches no host: every dial fails
	// with syscall.EHOSTUNREACH.
	Dial func(ctx context.Context, addr string) (net.Conn, error)
	// RTT is the round-trip time in board time: bytes from the peer
	// reach the board this long after they left it, and a dial takes
	// this long. Zero is instant.
	RTT time.Duration
	// ReplyWait bounds, in wall time, how long the virtual clock stands
	// still after a board writes, waiting for the peer's answer (counted
	// from when the peer took the bytes: a write in flight holds the
	// clock anyway), so that
	// a broker's acknowledgement arrives at the board time it would on a
	// fast network instead of after the timeout the program waits with.
	// Bytes that get no answer (an MQTT QoS 0 publish) cost this much
	// wall time each. Zero means DefaultReplyWait.
	ReplyWait time.Duration
	// Server, if set, is the broker at the other end, for a scenario to
	// stop and start ([Board.NetServer]).
	Server Server
}

// Server is a server a board's network leads to, as a scenario acts on
// it: *broker.Broker is one.
type Server interface {
	// Stop stops the server as a crash would.
	Stop() error
	// Restart starts it again, with what it keeps across a crash.
	Restart() error
}

// NetServer returns the server the board's network leads to, or nil.
func (b *Board) NetServer() Server { return b.netCfg.Server }

// SetNetwork sets how the board's network reaches hosts. Streams already
// open keep the configuration they were dialled with.
func (b *Board) SetNetwork(cfg NetConfig) {
	if cfg.ReplyWait <= 0 {
		cfg.ReplyWait = DefaultReplyWait
	}
	b.netCfg = cfg
}

// Network implements [hw.NetworkBoard] on a board with Wi-Fi: streams to
// hosts through the link the board's WLAN has joined. Dial fails with
// hw.ErrLinkDown unless the WLAN is connected, and as NetConfig.Dial says
// when the host's dial fails; when the link goes down
// (the access point drops, the program disconnects, the board resets)
// every open stream fails with hw.ErrLinkDown. Opening and closing
// streams is traced as interrupts of source "net".
//
// The bytes travel through NetConfig.Dial's connection on goroutines of
// the host; the board sees them on the loop, RTT after they were sent.
// On the virtual clock, time does not move while a dial or a write is in
// flight, nor while the board waits for the peer's answer to what it
// wrote (up to NetConfig.ReplyWait of wall time).
func (b *Board) Network() (hw.Network, error) {
	if !b.kind.wlan {
		return nil, &hw.DeviceError{Board: b.kind.name, Device: "network"}
	}
	return boardNet{b}, nil
}

// ResetConnections drops every open stream of the board as a peer or a
// router would: reads and writes fail with hw.ErrConnReset. A scenario
// uses it for a broker that goes away without a word.
func (b *Board) ResetConnections() {
	for _, c := range b.conns() {
		c.fail(hw.ErrConnReset)
	}
}

// Connections returns how many streams of the board are open.
func (b *Board) Connections() int { return len(b.openConns) }

// linkDown fails every open stream with hw.ErrLinkDown: the board left
// the network.
func (b *Board) linkDown() {
	for _, c := range b.conns() {
		c.fail(hw.ErrLinkDown)
	}
}

// conns returns the open streams in the order they were dialled.
func (b *Board) conns() []*conn {
	cs := make([]*conn, 0, len(b.openConns))
	for c := range b.openConns {
		cs = append(cs, c)
	}
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && cs[j].id < cs[j-1].id; j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
	return cs
}

type boardNet struct{ b *Board }

func (n boardNet) Dial(self *coop.Task, addr string) (hw.Conn, error) {
	b := n.b
	if b.wlan == nil || !b.wlan.status.Connected() {
		return nil, fmt.Errorf("sim: dial %s: %w", addr, hw.ErrLinkDown)
	}
	cfg := b.netCfg
	boot := b.boot
	// dialled is the host's connection even when Offload drops it (the
	// task was cancelled while the dial was in flight, and a dial may
	// ignore its context, as mqtt/broker's does): it must be closed, or
	// its peer waits on it for good.
	var dialled net.Conn
	nc, err := coop.Offload(self, func(ctx context.Context) (net.Conn, error) {
		if cfg.Dial == nil {
			return nil, syscall.EHOSTUNREACH
		}
		c, err := cfg.Dial(ctx, addr)
		dialled = c
		return c, err
	})
	if err != nil {
		if dialled != nil {
			dialled.Close()
		}
		if cerr := self.Check(); cerr != nil {
			return nil, cerr
		}
		return nil, dialError(addr, err)
	}
	if cfg.RTT > 0 {
		if err := self.Sleep(cfg.RTT); err != nil {
			nc.Close()
			return nil, err
		}
	}
	if b.boot != boot || b.wlan == nil || !b.wlan.status.Connected() {
		nc.Close()
		return nil, fmt.Errorf("sim: dial %s: %w", addr, hw.ErrLinkDown)
	}
	b.connSeq++
	c := &conn{b: b, id: b.connSeq, addr: addr, nc: nc, cfg: cfg}
	if b.openConns == nil {
		b.openConns = make(map[*conn]bool)
	}
	b.openConns[c] = true
	b.emitInterrupt(b.now(), "net", "connected to "+addr)
	go c.pump()
	return c, nil
}

// dialError is the error a board's dial of addr fails with when the
// host's dial failed with err, as NetConfig.Dial says.
func dialError(addr string, err error) error {
	var code hw.ErrorCode
	switch {
	case errors.As(err, &code):
		return fmt.Errorf("sim: dial %s: %w", addr, err)
	case errors.Is(err, syscall.ECONNREFUSED):
		code = hw.ErrConnRefused
	case isTLSFailure(err):
		code = hw.ErrTLS
	case errors.Is(err, syscall.ECONNRESET):
		code = hw.ErrConnReset
	default:
		return fmt.Errorf("sim: dial %s: %w", addr, err)
	}
	return fmt.Errorf("sim: dial %s: %w: %w", addr, code, err)
}

// isTLSFailure reports whether err is crypto/tls's or crypto/x509's for a
// handshake that could not verify the peer.
func isTLSFailure(err error) bool {
	var (
		verify    *tls.CertificateVerificationError
		alert     tls.AlertError
		op        *net.OpError
		record    tls.RecordHeaderError
		ech       *tls.ECHRejectionError
		authority x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
		roots     x509.SystemRootsError
	)
	// crypto/tls gives an alert the peer sent over TCP as a *net.OpError
	// of Op "remote error" ("remote error: tls: bad certificate"); its
	// AlertError is for QUIC.
	remoteAlert := errors.As(err, &op) && op.Op == "remote error"
	return remoteAlert || errors.As(err, &verify) || errors.As(err, &alert) || errors.As(err, &record) ||
		errors.As(err, &ech) || errors.As(err, &authority) || errors.As(err, &hostname) ||
		errors.As(err, &invalid) || errors.As(err, &roots)
}

// conn is a stream of a simulated board, bridged to a host connection.
// Its fields without a comment belong to the loop.
type conn struct {
	b    *Board
	id   uint64
	addr string
	nc   net.Conn
	cfg  NetConfig

	in       []byte // arrived, not yet read
	eof      bool   // the peer closed its side, after in
	err      error  // the stream failed or was closed
	readable coop.Event
	noReply  bool // the next Write expects no answer (ExpectReply)
	owed     int  // answers owed, when told (ExpectReply, Answered)

	told    atomic.Bool // the program says which writes expect answers
	mu      sync.Mutex  // guards release and timer, for the pump and the wall timer
	release func()      // the hold while an answer is on its way, or nil
	timer   *time.Timer
	reads   uint64 // how many times the pump got bytes or the end
}

// hold holds the virtual clock until release is called, or ReplyWait of
// wall time passes.
func (c *conn) hold() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.release != nil {
		return
	}
	c.release = c.b.loop.Hold()
	c.timer = time.AfterFunc(c.cfg.ReplyWait, c.unhold)
}

// unhold lets the clock go on. Any goroutine may call it.
func (c *conn) unhold() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.release != nil {
		c.timer.Stop()
		c.release()
		c.release = nil
	}
}

// pump copies what the peer sends to the loop, which hands it to the
// board RTT later. It runs on its own goroutine until the host
// connection fails or closes. Each arrival lets the clock go on, to the
// board time the bytes are delivered at; there, if an answer is still
// owed, the clock is held again.
func (c *conn) pump() {
	l := c.b.loop
	for {
		buf := make([]byte, 4096)
		n, err := c.nc.Read(buf)
		if n > 0 {
			data := buf[:n]
			l.CallSoon(func() { c.arrive(data, nil) })
		}
		if err != nil {
			l.CallSoon(func() { c.arrive(nil, err) })
			c.got()
			return
		}
		c.got()
	}
}

// got counts an arrival from the peer and lets the clock go on, to the
// board time the arrival is delivered at. The pump calls it.
func (c *conn) got() {
	c.mu.Lock()
	c.reads++
	c.mu.Unlock()
	c.unhold()
}

// arrivals returns how many times the pump got bytes or the end.
func (c *conn) arrivals() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reads
}

// arrive runs on the loop when bytes or the end of the stream come from
// the host connection: the board sees them RTT later.
func (c *conn) arrive(data []byte, err error) {
	deliver := func() {
		if c.err != nil {
			return
		}
		c.in = append(c.in, data...)
		if err != nil {
			c.eof = true
			c.b.emitInterrupt(c.b.now(), "net", "closed by "+c.addr)
		} else if c.told.Load() && c.owed > 0 {
			c.hold() // the rest of the answer is on its way
		}
		c.readable.Set()
	}
	if c.cfg.RTT > 0 {
		c.b.loop.CallLater(c.cfg.RTT, deliver)
		return
	}
	deliver()
}

func (c *conn) Read(self *coop.Task, p []byte) (int, error) {
	for len(c.in) == 0 {
		if c.err != nil {
			return 0, c.err
		}
		if c.eof {
			return 0, io.EOF
		}
		c.readable.Clear()
		if err := c.readable.Wait(self); err != nil {
			return 0, err
		}
	}
	n := copy(p, c.in)
	c.in = c.in[n:]
	if len(c.in) == 0 {
		c.in = nil
	}
	return n, nil
}

func (c *conn) Write(self *coop.Task, p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	data := append([]byte(nil), p...)
	expect := !c.noReply
	var before uint64
	if expect {
		if c.told.Load() {
			c.owed++
		}
		c.hold()
		before = c.arrivals()
	}
	c.noReply = false
	_, err := coop.Offload(self, func(ctx context.Context) (struct{}, error) {
		stop := context.AfterFunc(ctx, func() { c.nc.SetWriteDeadline(time.Unix(1, 0)) })
		defer stop()
		_, err := c.nc.Write(data)
		return struct{}{}, err
	})
	switch {
	case c.err != nil:
		return 0, c.err
	case err != nil:
		if cerr := self.Check(); cerr != nil {
			c.fail(hw.ErrConnReset) // a write cut short leaves the stream unusable
			return 0, cerr
		}
		c.fail(hw.ErrConnReset)
		return 0, fmt.Errorf("sim: write to %s: %w: %w", c.addr, hw.ErrConnReset, err)
	}
	if expect {
		c.rearm(before)
	}
	return len(p), nil
}

// rearm gives the peer ReplyWait of wall time from now to answer what was
// just written, if nothing has arrived since the pump's count was before:
// the wait counts from when the peer took the bytes (a net.Pipe's write
// returns once the peer has read them), not from when the board began to
// write. A peer slow to read (a broker busy with thousands of devices)
// otherwise had its answer's time spent before it had the question, and
// the board timed out and sent again, or connected again, adding to the
// load that made the peer slow. An arrival meanwhile lets the clock go
// on, to the board time it is delivered at, which holds it again if the
// answer is still owed.
func (c *conn) rearm(before uint64) {
	if c.told.Load() && c.owed == 0 {
		return // answered already
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.reads != before {
		return
	}
	if c.release != nil {
		if c.timer.Stop() { // else it has fired: its unhold is on its way
			c.timer = time.AfterFunc(c.cfg.ReplyWait, c.unhold)
		}
		return
	}
	if c.told.Load() { // the wait ran out while the peer was reading
		c.release = c.b.loop.Hold()
		c.timer = time.AfterFunc(c.cfg.ReplyWait, c.unhold)
	}
}

// ExpectReply implements hw.ReplyExpecter: a Write told that no answer
// comes does not hold the virtual clock; one that expects an answer holds
// it until Answered.
func (c *conn) ExpectReply(expect bool) {
	c.told.Store(true)
	c.noReply = !expect
}

// Answered implements hw.ReplyExpecter.
func (c *conn) Answered() {
	if c.owed > 0 {
		c.owed--
	}
	if c.owed == 0 {
		c.unhold()
	}
}

func (c *conn) Close() error {
	if c.err != nil {
		return nil
	}
	c.shut(hw.ErrConnClosed, "closed")
	return nil
}

// fail ends the stream with code, as the network or the peer did.
func (c *conn) fail(code hw.ErrorCode) {
	if c.err != nil {
		return
	}
	what := "reset"
	if code == hw.ErrLinkDown {
		what = "link down"
	}
	c.shut(code, what)
}

func (c *conn) shut(code hw.ErrorCode, what string) {
	c.err = fmt.Errorf("sim: stream to %s: %w", c.addr, code)
	if code == hw.ErrConnClosed {
		c.err = code
	}
	c.in = nil
	delete(c.b.openConns, c)
	c.nc.Close() // the pump's Read returns: its goroutine ends
	c.unhold()
	c.readable.Set()
	c.b.emitInterrupt(c.b.now(), "net", what+" "+c.addr)
}

var (
	_ hw.NetworkBoard  = (*Board)(nil)
	_ hw.ReplyExpecter = (*conn)(nil)
)
