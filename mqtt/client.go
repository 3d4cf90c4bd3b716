package mqtt

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"time"

	"github.com/eclipse/paho.mqtt.golang/packets"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/internal/topic"
)

// Defaults for the zero fields of a [Config].
const (
	DefaultKeepAlive  = 60 * time.Second
	DefaultAckTimeout = 5 * time.Second
	DefaultRetries    = 3
	DefaultMinBackoff = time.Second
	DefaultMaxBackoff = time.Minute
	DefaultMaxPacket  = 16 << 10
)

// Config configures a [Client]. Zero fields take the defaults above, and
// a zero CleanSession means a persistent session, which QoS 1 needs to
// lose nothing across reconnects.
type Config struct {
	// Addr is the broker's "host:port", as [hw.Network.Dial] takes it
	// ([ParseURL] gives it from a broker URL).
	Addr string
	// ClientID names the session at the broker: one per device, the same
	// after each reset, so that the broker keeps its session.
	ClientID string
	// Username and Password, if Username is set, are sent in CONNECT.
	// They are never printed.
	Username, Password string
	// CleanSession asks the broker to forget the session at each
	// connect. Leave it false for QoS 1 delivery across outages.
	CleanSession bool
	// KeepAlive is the interval the broker is told: the client sends a
	// PINGREQ after this long without sending, and drops the connection
	// if no answer comes within AckTimeout.
	KeepAlive time.Duration
	// AckTimeout is how long the client waits for CONNACK, PUBACK,
	// SUBACK or PINGRESP before it retransmits or gives the connection
	// up.
	AckTimeout time.Duration
	// Retries is how many times a QoS 1 publish is sent again on the same
	// connection (with the DUP flag) before the connection is given up
	// and made anew.
	Retries int
	// MinBackoff and MaxBackoff bound the wait between two connection
	// attempts, which doubles from MinBackoff after each failure, with
	// jitter of up to half of it so that a fleet does not reconnect in
	// step.
	MinBackoff, MaxBackoff time.Duration
	// MaxPacket is the largest PUBLISH the client sends or accepts, in
	// bytes: a bigger payload fails with ErrTooLarge.
	MaxPacket int
	// Seed drives the jitter; with the client id, each device gets its
	// own.
	Seed uint64
	// OnMessage, if set, is told of each message that arrives on a
	// subscription, on the client's reader task: keep it short.
	OnMessage func(topic string, payload []byte)
	// OnStatus, if set, is told of each change of the connection's
	// status, with the error that ended the last connection or attempt
	// (nil when it connects).
	OnStatus func(s Status, err error)
}

// Status is the state of a [Client]'s connection.
type Status uint8

// The statuses.
const (
	Disconnected Status = iota // not connected; between attempts
	Connecting                 // dialling, or waiting for CONNACK
	Connected                  // CONNACK accepted
)

// String returns "disconnected", "connecting" or "connected".
func (s Status) String() string {
	switch s {
	case Disconnected:
		return "disconnected"
	case Connecting:
		return "connecting"
	case Connected:
		return "connected"
	}
	return fmt.Sprintf("Status(%d)", uint8(s))
}

// Errors of the client.
var (
	// ErrNotConnected: a QoS 0 publish while the client is not connected;
	// QoS 0 messages are not kept.
	ErrNotConnected = errors.New("mqtt: not connected")
	// ErrTooLarge: the packet would exceed Config.MaxPacket.
	ErrTooLarge = errors.New("mqtt: packet too large")
	// ErrBadTopic: a topic name to publish to or a topic filter to
	// subscribe with that MQTT does not allow: empty, longer than 65535
	// bytes, not UTF-8, with a NUL, with a wildcard in a name, or with a
	// wildcard that is not a whole level ('#' the last one) in a filter.
	// The error says which, and what is allowed.
	ErrBadTopic = errors.New("mqtt: bad topic")
	// ErrTimeout: the broker did not answer within Config.AckTimeout.
	ErrTimeout = errors.New("mqtt: broker did not answer in time")
	// ErrProtocol: the broker sent something MQTT 3.1.1 does not allow
	// there.
	ErrProtocol = errors.New("mqtt: protocol error")
	// ErrSubscribeRefused: the broker refused a subscription.
	ErrSubscribeRefused = errors.New("mqtt: subscription refused")
)

// RefusedError is a CONNACK that refused the connection.
type RefusedError struct {
	Code byte // the CONNACK return code, 1 to 5
}

// Error names the reason, such as
// "mqtt: broker refused the connection: bad user name or password".
func (e *RefusedError) Error() string {
	reason := "return code " + fmt.Sprint(e.Code)
	switch e.Code {
	case packets.ErrRefusedBadProtocolVersion:
		reason = "unacceptable protocol version"
	case packets.ErrRefusedIDRejected:
		reason = "client id rejected"
	case packets.ErrRefusedServerUnavailable:
		reason = "server unavailable"
	case packets.ErrRefusedBadUsernameOrPassword:
		reason = "bad user name or password"
	case packets.ErrRefusedNotAuthorised:
		reason = "not authorised"
	}
	return "mqtt: broker refused the connection: " + reason
}

// Stats counts what a client did.
type Stats struct {
	Connects    int // connections accepted by the broker
	Published   int // QoS 1 messages acknowledged, QoS 0 messages sent
	Retransmits int // QoS 1 publishes sent again
	Received    int // messages arrived on subscriptions
}

// Client is an MQTT 3.1.1 client on coop tasks: QoS 0 and 1, keepalive on
// the loop's clock, retransmission after AckTimeout, reconnection with
// backoff and jitter, a persistent session with its subscriptions
// restored. The packets are encoded by paho.mqtt.golang's packets
// package; the state machine is the client's own, written for the
// cooperative loop: no goroutines, no locks beyond a [coop.Lock] on the
// stream, no clock but the loop's.
//
// [Client.Run] keeps the connection; [Client.Publish] and
// [Client.Subscribe] may be called from other tasks at any time, connected
// or not. A Client belongs to one loop.
type Client struct {
	net hw.Network
	cfg Config
	rnd *rand.Rand

	status  Status
	conn    hw.Conn
	gen     uint64 // bumped at each connection
	wmu     coop.Lock
	lastOut time.Duration // when the last packet was sent
	pingAck coop.Event
	drop    error // why the connection is being given up

	nextID   uint16
	pending  map[uint16]*pending
	order    []*pending // pending QoS 1 publishes and subscriptions, oldest first
	flushing bool
	subs     []subscription
	stats    Stats
}

// pending is a QoS 1 PUBLISH or a SUBSCRIBE waiting for its answer.
type pending struct {
	id    uint16
	pkt   packets.ControlPacket
	gen   uint64 // the connection it was last sent on, 0 for none
	done  coop.Event
	codes []byte // SUBACK's return codes
}

type subscription struct {
	filter string
	qos    byte
}

// New returns a client that reaches the broker through n.
func New(n hw.Network, cfg Config) *Client {
	if cfg.KeepAlive <= 0 {
		cfg.KeepAlive = DefaultKeepAlive
	}
	if cfg.AckTimeout <= 0 {
		cfg.AckTimeout = DefaultAckTimeout
	}
	if cfg.Retries <= 0 {
		cfg.Retries = DefaultRetries
	}
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = DefaultMinBackoff
	}
	if cfg.MaxBackoff < cfg.MinBackoff {
		cfg.MaxBackoff = max(DefaultMaxBackoff, cfg.MinBackoff)
	}
	if cfg.MaxPacket <= 0 {
		cfg.MaxPacket = DefaultMaxPacket
	}
	h := fnv.New64a()
	h.Write([]byte(cfg.ClientID))
	return &Client{
		net:     n,
		cfg:     cfg,
		rnd:     rand.New(rand.NewPCG(cfg.Seed, h.Sum64())),
		pending: make(map[uint16]*pending),
	}
}

// Status returns the state of the connection.
func (c *Client) Status() Status { return c.status }

// Stats returns what the client has done so far.
func (c *Client) Stats() Stats { return c.stats }

// Pending returns how many QoS 1 publishes and subscriptions wait for the
// broker's answer.
func (c *Client) Pending() int { return len(c.order) }

func (c *Client) setStatus(s Status, err error) {
	if c.status == s && err == nil {
		return
	}
	c.status = s
	if c.cfg.OnStatus != nil {
		c.cfg.OnStatus(s, err)
	}
}

// Run connects to the broker and keeps the connection, from inside the
// task self, until self is cancelled: it dials, sends CONNECT, and once
// the broker accepts, subscribes again and sends again every QoS 1
// publish not yet acknowledged. When the connection ends (the link
// dropped, the broker went away, an answer did not come), it waits
// (backoff with jitter) and connects again. It returns coop.ErrCancelled.
func (c *Client) Run(self *coop.Task) error {
	attempt := 0
	for {
		connected, err := c.session(self)
		if cerr := self.Check(); cerr != nil {
			c.setStatus(Disconnected, nil)
			return cerr
		}
		if connected {
			attempt = 0
		}
		c.setStatus(Disconnected, err)
		if err := self.Sleep(c.backoff(attempt)); err != nil {
			return err
		}
		attempt++
	}
}

// backoff is the wait before attempt n+1: MinBackoff doubled n times, at
// most MaxBackoff, less up to half of it at random.
func (c *Client) backoff(n int) time.Duration {
	d := c.cfg.MinBackoff
	for i := 0; i < n && d < c.cfg.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, c.cfg.MaxBackoff)
	jitter := time.Duration(c.rnd.Int64N(int64(d/2/time.Millisecond)+1)) * time.Millisecond
	return d - jitter
}

// session makes one connection and serves it until it ends. It reports
// whether the broker accepted it, and why it ended.
func (c *Client) session(self *coop.Task) (bool, error) {
	c.setStatus(Connecting, nil)
	conn, err := c.net.Dial(self, c.cfg.Addr)
	if err != nil {
		return false, fmt.Errorf("mqtt: connect to %s: %w", c.cfg.Addr, err)
	}
	c.conn = conn
	c.drop = nil
	defer func() {
		conn.Close()
		c.conn = nil
	}()
	src := &taskReader{conn: conn}
	tr := &stream{src: src, r: bufio.NewReaderSize(src, 512)}

	cp := packets.NewControlPacket(packets.Connect).(*packets.ConnectPacket)
	cp.ProtocolName = "MQTT"
	cp.ProtocolVersion = 4
	cp.CleanSession = c.cfg.CleanSession
	cp.ClientIdentifier = c.cfg.ClientID
	cp.Keepalive = uint16(min(c.cfg.KeepAlive/time.Second, 65535))
	if c.cfg.Username != "" {
		cp.UsernameFlag = true
		cp.Username = c.cfg.Username
		if c.cfg.Password != "" {
			cp.PasswordFlag = true
			cp.Password = []byte(c.cfg.Password)
		}
	}
	if err := c.send(self, cp); err != nil {
		return false, err
	}
	var ack packets.ControlPacket
	err = coop.WaitFor(self, c.cfg.AckTimeout, func(t *coop.Task) error {
		var err error
		ack, err = readPacket(t, tr)
		return err
	})
	switch {
	case errors.Is(err, coop.ErrTimeout) && self.Check() == nil:
		return false, fmt.Errorf("mqtt: connect to %s: no CONNACK: %w", c.cfg.Addr, ErrTimeout)
	case err != nil:
		return false, fmt.Errorf("mqtt: connect to %s: %w", c.cfg.Addr, err)
	}
	c.answered(conn)
	ca, ok := ack.(*packets.ConnackPacket)
	if !ok {
		return false, fmt.Errorf("mqtt: connect to %s: %w: %s before CONNACK", c.cfg.Addr, ErrProtocol, packetName(ack))
	}
	if ca.ReturnCode != packets.Accepted {
		return false, &RefusedError{Code: ca.ReturnCode}
	}

	c.gen++
	c.stats.Connects++
	c.lastOut = self.Now()
	c.setStatus(Connected, nil)
	reader := self.Spawn("mqtt-reader", func(t *coop.Task) error { return c.readLoop(t, tr) })
	keep := self.Spawn("mqtt-keepalive", c.keepAlive)
	c.flush(self, ca.SessionPresent)
	err = reader.Wait(self)
	keep.Cancel()
	keep.Wait(self)
	if c.drop != nil {
		err = c.drop
	}
	return true, err
}

// flush sends, in order, the subscriptions if the broker has no session
// for the client, and the pending packets not yet sent on this
// connection.
func (c *Client) flush(self *coop.Task, sessionPresent bool) {
	c.flushing = true
	defer func() { c.flushing = false }()
	if len(c.subs) > 0 && !sessionPresent {
		// The broker forgot them (a clean session, a broker that lost its
		// store): subscribe again; the SUBACK is not awaited.
		sp := c.subscribePacket(c.subs)
		if c.send(self, sp) != nil {
			return
		}
	}
	for {
		var next *pending
		for _, p := range c.order {
			if p.gen != c.gen {
				next = p
				break
			}
		}
		if next == nil || c.status != Connected {
			return
		}
		if pp, ok := next.pkt.(*packets.PublishPacket); ok && next.gen != 0 {
			pp.Dup = true // sent on an earlier connection
		}
		next.gen = c.gen
		if c.send(self, next.pkt) != nil {
			return
		}
	}
}

// send writes one packet, serialised with other writers. A write error
// gives the connection up.
func (c *Client) send(self *coop.Task, pkt packets.ControlPacket) error {
	var buf bytes.Buffer
	if err := pkt.Write(&buf); err != nil {
		return fmt.Errorf("mqtt: encode %s: %w", packetName(pkt), err)
	}
	if err := c.wmu.Acquire(self); err != nil {
		return err
	}
	defer c.wmu.Release()
	conn := c.conn
	if conn == nil {
		return ErrNotConnected
	}
	if re, ok := conn.(hw.ReplyExpecter); ok {
		re.ExpectReply(expectsReply(pkt))
	}
	if _, err := conn.Write(self, buf.Bytes()); err != nil {
		c.giveUp(fmt.Errorf("mqtt: send %s: %w", packetName(pkt), err))
		return err
	}
	c.lastOut = self.Now()
	return nil
}

// answered tells conn, if it wants to know, that an answer is in.
func (c *Client) answered(conn hw.Conn) {
	if re, ok := conn.(hw.ReplyExpecter); ok {
		re.Answered()
	}
}

// expectsReply reports whether the broker answers pkt.
func expectsReply(pkt packets.ControlPacket) bool {
	switch p := pkt.(type) {
	case *packets.PublishPacket:
		return p.Qos > 0
	case *packets.PubackPacket, *packets.DisconnectPacket:
		return false
	}
	return true
}

// giveUp ends the connection because of err: the reader's next read
// fails, and the session ends with err.
func (c *Client) giveUp(err error) {
	if c.conn == nil {
		return
	}
	if c.drop == nil {
		c.drop = err
	}
	c.conn.Close()
}

// readLoop handles what the broker sends until the connection ends.
func (c *Client) readLoop(self *coop.Task, r *stream) error {
	for {
		pkt, err := readPacket(self, r)
		if err != nil {
			if c.drop != nil {
				return c.drop
			}
			return fmt.Errorf("mqtt: connection lost: %w", err)
		}
		switch p := pkt.(type) {
		case *packets.PubackPacket:
			c.answered(r.src.conn)
			c.answer(p.MessageID, nil)
		case *packets.SubackPacket:
			c.answered(r.src.conn)
			c.answer(p.MessageID, p.ReturnCodes)
		case *packets.PingrespPacket:
			c.answered(r.src.conn)
			c.pingAck.Set()
		case *packets.PublishPacket:
			if len(p.Payload) > c.cfg.MaxPacket {
				c.giveUp(fmt.Errorf("mqtt: %w: a %d-byte message on %s", ErrTooLarge, len(p.Payload), p.TopicName))
				continue
			}
			c.stats.Received++
			if c.cfg.OnMessage != nil {
				c.cfg.OnMessage(p.TopicName, p.Payload)
			}
			if p.Qos == 1 {
				pa := packets.NewControlPacket(packets.Puback).(*packets.PubackPacket)
				pa.MessageID = p.MessageID
				if err := c.send(self, pa); err != nil {
					continue // the next read fails
				}
			}
		case *packets.UnsubackPacket:
		default:
			c.giveUp(fmt.Errorf("mqtt: %w: unexpected %s", ErrProtocol, packetName(pkt)))
		}
	}
}

// answer completes the pending packet id.
func (c *Client) answer(id uint16, codes []byte) {
	p, ok := c.pending[id]
	if !ok {
		return // a duplicate answer to a retransmission
	}
	p.codes = codes
	p.done.Set()
}

// keepAlive sends PINGREQ when nothing was sent for KeepAlive, and gives
// the connection up when no PINGRESP follows within AckTimeout.
func (c *Client) keepAlive(self *coop.Task) error {
	for {
		due := c.lastOut + c.cfg.KeepAlive
		if now := self.Now(); now < due {
			if err := self.Sleep(due - now); err != nil {
				return err
			}
			continue
		}
		c.pingAck.Clear()
		if err := c.send(self, packets.NewControlPacket(packets.Pingreq)); err != nil {
			return err
		}
		err := coop.WaitFor(self, c.cfg.AckTimeout, c.pingAck.Wait)
		if errors.Is(err, coop.ErrTimeout) && self.Check() == nil {
			c.giveUp(fmt.Errorf("mqtt: no PINGRESP: %w", ErrTimeout))
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// Publish sends payload to topic from inside the task self.
//
// At QoS 0 it sends once if connected and returns; while disconnected it
// returns ErrNotConnected. At QoS 1 it returns once the broker has
// acknowledged the message: it waits through outages and reconnects,
// sends the message again (DUP) when AckTimeout passes without PUBACK,
// and gives the connection up after Retries such resends. The broker may
// so get it more than once; consumers drop duplicates. It returns
// coop.ErrCancelled if self is cancelled first, ErrBadTopic or
// ErrTooLarge for a message that cannot be sent.
func (c *Client) Publish(self *coop.Task, topic string, payload []byte, qos byte) error {
	if err := checkName(topic); err != nil {
		return err
	}
	if qos > 1 {
		panic("mqtt: Publish supports QoS 0 and 1; pass 0 or 1")
	}
	if n := 2 + len(topic) + 2 + len(payload); n > c.cfg.MaxPacket {
		return fmt.Errorf("mqtt: publish to %s: %w: %d bytes, at most %d", topic, ErrTooLarge, n, c.cfg.MaxPacket)
	}
	pp := packets.NewControlPacket(packets.Publish).(*packets.PublishPacket)
	pp.TopicName = topic
	pp.Payload = payload
	pp.Qos = qos
	if qos == 0 {
		if c.status != Connected {
			return ErrNotConnected
		}
		if err := c.send(self, pp); err != nil {
			return err
		}
		c.stats.Published++
		return nil
	}
	p := c.enqueue(pp)
	pp.MessageID = p.id
	defer c.dequeue(p)
	if err := c.await(self, p); err != nil {
		return err
	}
	c.stats.Published++
	return nil
}

// await sends p if connected and waits for its answer, retransmitting.
func (c *Client) await(self *coop.Task, p *pending) error {
	tries := 0
	for {
		if c.status == Connected && !c.flushing && p.gen != c.gen {
			p.gen = c.gen
			c.send(self, p.pkt) // an error gives the connection up: sent again at the next
		}
		gen := p.gen
		err := coop.WaitFor(self, c.cfg.AckTimeout, p.done.Wait)
		if err == nil {
			return nil
		}
		if !errors.Is(err, coop.ErrTimeout) || self.Check() != nil {
			return err
		}
		if c.status != Connected || gen != c.gen {
			tries = 0
			continue // not sent on this connection yet: flush or the loop above will
		}
		if tries == c.cfg.Retries {
			c.giveUp(fmt.Errorf("mqtt: no PUBACK or SUBACK after %d sends: %w", tries+1, ErrTimeout))
			tries = 0
			continue
		}
		tries++
		if pp, ok := p.pkt.(*packets.PublishPacket); ok {
			pp.Dup = true
		}
		c.stats.Retransmits++
		c.send(self, p.pkt)
	}
}

// newID returns the next packet id no pending packet holds.
func (c *Client) newID() uint16 {
	for {
		c.nextID++
		if c.nextID == 0 {
			c.nextID = 1
		}
		if _, used := c.pending[c.nextID]; !used {
			return c.nextID
		}
	}
}

func (c *Client) enqueue(pkt packets.ControlPacket) *pending {
	p := &pending{id: c.newID(), pkt: pkt}
	c.pending[p.id] = p
	c.order = append(c.order, p)
	return p
}

func (c *Client) dequeue(p *pending) {
	delete(c.pending, p.id)
	for i, q := range c.order {
		if q == p {
			c.order = append(c.order[:i], c.order[i+1:]...)
			break
		}
	}
}

// Subscribe subscribes to filter at qos, from inside the task self, and
// keeps the subscription across reconnects. It waits for the broker's
// SUBACK as Publish waits for PUBACK. Messages go to Config.OnMessage.
// A filter MQTT does not allow ("coop/#/t", "coop/pico+") returns
// ErrBadTopic at once, and is not sent: a broker would refuse it or end
// the connection.
func (c *Client) Subscribe(self *coop.Task, filter string, qos byte) error {
	if err := checkFilter(filter); err != nil {
		return err
	}
	if qos > 1 {
		panic("mqtt: Subscribe supports QoS 0 and 1; pass 0 or 1")
	}
	s := subscription{filter, qos}
	sp := c.subscribePacket([]subscription{s})
	p := c.enqueue(sp)
	sp.MessageID = p.id
	defer c.dequeue(p)
	if err := c.await(self, p); err != nil {
		return err
	}
	if len(p.codes) != 1 || p.codes[0] == 0x80 {
		return fmt.Errorf("mqtt: subscribe to %s: %w", filter, ErrSubscribeRefused)
	}
	for i := range c.subs {
		if c.subs[i].filter == filter {
			c.subs[i] = s
			return nil
		}
	}
	c.subs = append(c.subs, s)
	return nil
}

func (c *Client) subscribePacket(subs []subscription) *packets.SubscribePacket {
	sp := packets.NewControlPacket(packets.Subscribe).(*packets.SubscribePacket)
	for _, s := range subs {
		sp.Topics = append(sp.Topics, s.filter)
		sp.Qoss = append(sp.Qoss, s.qos)
	}
	if sp.MessageID == 0 {
		sp.MessageID = c.newID()
	}
	return sp
}

// checkName refuses a topic name MQTT does not allow to publish to.
func checkName(name string) error {
	if err := topic.CheckName(name); err != nil {
		return fmt.Errorf("%w %s: %w", ErrBadTopic, topic.Quote(name), err)
	}
	return nil
}

// checkFilter refuses a topic filter MQTT does not allow: a broker
// refuses it, or ends the connection.
func checkFilter(filter string) error {
	if err := topic.CheckFilter(filter); err != nil {
		return fmt.Errorf("%w filter %s: %w", ErrBadTopic, topic.Quote(filter), err)
	}
	return nil
}

// taskReader adapts an hw.Conn to io.Reader for the codec: reads happen
// from the task in t.
type taskReader struct {
	conn hw.Conn
	t    *coop.Task
}

func (r *taskReader) Read(p []byte) (int, error) { return r.conn.Read(r.t, p) }

// stream is a connection's buffered reading side.
type stream struct {
	src *taskReader
	r   *bufio.Reader
}

// readPacket reads one packet from inside t. One task reads at a time:
// the CONNACK is read before the reader task starts.
func readPacket(t *coop.Task, s *stream) (packets.ControlPacket, error) {
	s.src.t = t
	defer func() { s.src.t = nil }()
	return packets.ReadPacket(s.r)
}

// packetName names a packet's type, "PUBLISH".
func packetName(p packets.ControlPacket) string {
	var t byte
	switch p.(type) {
	case nil:
		return "nothing"
	case *packets.ConnectPacket:
		t = packets.Connect
	case *packets.ConnackPacket:
		t = packets.Connack
	case *packets.PublishPacket:
		t = packets.Publish
	case *packets.PubackPacket:
		t = packets.Puback
	case *packets.PubrecPacket:
		t = packets.Pubrec
	case *packets.PubrelPacket:
		t = packets.Pubrel
	case *packets.PubcompPacket:
		t = packets.Pubcomp
	case *packets.SubscribePacket:
		t = packets.Subscribe
	case *packets.SubackPacket:
		t = packets.Suback
	case *packets.UnsubscribePacket:
		t = packets.Unsubscribe
	case *packets.UnsubackPacket:
		t = packets.Unsuback
	case *packets.PingreqPacket:
		t = packets.Pingreq
	case *packets.PingrespPacket:
		t = packets.Pingresp
	case *packets.DisconnectPacket:
		t = packets.Disconnect
	}
	return packets.PacketNames[t]
}
