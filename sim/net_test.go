package sim

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/trace"
)

// echoDialer serves each dial with an in-process peer that answers every
// line with the line in upper case, and refuses addresses other than
// "echo:7" as a port nothing listens on does.
func echoDialer(ctx context.Context, addr string) (net.Conn, error) {
	if addr != "echo:7" {
		return nil, fmt.Errorf("echo: %s: %w", addr, syscall.ECONNREFUSED)
	}
	board, peer := net.Pipe()
	go func() {
		defer peer.Close()
		r := bufio.NewReader(peer)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			if line == "bye\n" {
				return // the peer hangs up
			}
			if _, err := peer.Write([]byte(strings.ToUpper(line))); err != nil {
				return
			}
		}
	}()
	return board, nil
}

// netRig is a Pico 2 W joined to "home", with the echo peer 40 ms away.
func netRig(t *testing.T) (*rig, hw.Network) {
	t.Helper()
	return netRigWith(t, NetConfig{Dial: echoDialer, RTT: 40 * time.Millisecond})
}

// netRigWith is a Pico 2 W with the access point "home" and the network
// cfg.
func netRigWith(t *testing.T, cfg NetConfig) (*rig, hw.Network) {
	t.Helper()
	r := newRig(t, "pico2w", 1)
	r.b.SetNetwork(cfg)
	if _, err := r.b.AddAccessPoint(APConfig{SSID: "home"}); err != nil {
		t.Fatal(err)
	}
	n, err := hw.OpenNetwork(r.b)
	if err != nil {
		t.Fatal(err)
	}
	return r, n
}

func joinHome(t *coop.Task, b *Board) error {
	w, err := b.WLAN()
	if err != nil {
		return err
	}
	return w.Connect(t, "home", "")
}

// readLine reads until a newline.
func readLine(t *coop.Task, c hw.Conn) (string, error) {
	var s []byte
	buf := make([]byte, 1)
	for {
		n, err := c.Read(t, buf)
		if err != nil {
			return string(s), err
		}
		s = append(s, buf[:n]...)
		if buf[0] == '\n' {
			return string(s), nil
		}
	}
}

func TestNetworkEcho(t *testing.T) {
	r, n := netRig(t)
	var got []string
	err := r.run(func(t *coop.Task) error {
		if _, err := n.Dial(t, "echo:7"); !errors.Is(err, hw.ErrLinkDown) {
			t.Loop().Stop()
			return errors.New("dial before joining: " + errString(err))
		}
		if err := joinHome(t, r.b); err != nil {
			return err
		}
		if _, err := n.Dial(t, "nobody:1"); !errors.Is(err, hw.ErrConnRefused) {
			return errors.New("dial nobody: " + errString(err))
		}
		c, err := n.Dial(t, "echo:7")
		if err != nil {
			return err
		}
		got = append(got, "dialled at "+t.Now().String())
		for _, w := range []string{"hello\n", "world\n"} {
			if _, err := c.Write(t, []byte(w)); err != nil {
				return err
			}
			line, err := readLine(t, c)
			if err != nil {
				return err
			}
			got = append(got, t.Now().String()+" "+line)
		}
		if _, err := c.Write(t, []byte("bye\n")); err != nil {
			return err
		}
		if _, err := c.Read(t, make([]byte, 1)); err != io.EOF {
			return errors.New("read after the peer hung up: " + errString(err))
		}
		got = append(got, "eof at "+t.Now().String())
		if err := c.Close(); err != nil {
			return err
		}
		if _, err := c.Read(t, make([]byte, 1)); !errors.Is(err, hw.ErrConnClosed) {
			return errors.New("read after close: " + errString(err))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "dialled at 2.04s\n2.08s HELLO\n\n2.12s WORLD\n\neof at 2.16s"
	if g := strings.Join(got, "\n"); g != want {
		t.Errorf("got\n%s\nwant\n%s", g, want)
	}
	if n := r.b.Connections(); n != 0 {
		t.Errorf("Connections() = %d after close, want 0", n)
	}
}

func TestNetworkLinkDown(t *testing.T) {
	r, n := netRig(t)
	r.b.AccessPoint("home").OutageAt(5*time.Second, 8*time.Second)
	var readErr error
	var at time.Duration
	err := r.run(func(t *coop.Task) error {
		if err := joinHome(t, r.b); err != nil {
			return err
		}
		c, err := n.Dial(t, "echo:7")
		if err != nil {
			return err
		}
		_, readErr = c.Read(t, make([]byte, 8)) // nothing comes
		at = t.Now()
		if _, err := c.Write(t, []byte("x\n")); !errors.Is(err, hw.ErrLinkDown) {
			return errors.New("write after the link went down: " + errString(err))
		}
		if _, err := n.Dial(t, "echo:7"); !errors.Is(err, hw.ErrLinkDown) {
			return errors.New("dial while down: " + errString(err))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(readErr, hw.ErrLinkDown) || at != 5*time.Second {
		t.Errorf("read = %v at %v, want ErrLinkDown at 5s", readErr, at)
	}
	want := []string{
		`2.04s interrupt net "connected to echo:7"`,
		`5s interrupt net "link down echo:7"`,
	}
	if g := r.events(trace.KindInterrupt); !containsAll(g, want) {
		t.Errorf("interrupts\n%s\nwant among them\n%s", lines(g), lines(want))
	}
}

func TestNetworkResetConnections(t *testing.T) {
	r, n := netRig(t)
	var readErr error
	err := r.run(func(t *coop.Task) error {
		if err := joinHome(t, r.b); err != nil {
			return err
		}
		c, err := n.Dial(t, "echo:7")
		if err != nil {
			return err
		}
		t.Loop().CallAt(3*time.Second, r.b.ResetConnections)
		_, readErr = c.Read(t, make([]byte, 8))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(readErr, hw.ErrConnReset) {
		t.Errorf("read = %v, want ErrConnReset", readErr)
	}
}

func TestNetworkNoWLAN(t *testing.T) {
	r := newRig(t, "pyboard", 1)
	if _, err := hw.OpenNetwork(r.b); !errors.Is(err, hw.ErrNoDevice) {
		t.Errorf("OpenNetwork(pyboard) = %v, want ErrNoDevice", err)
	}
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

func containsAll(have, want []string) bool {
	set := make(map[string]bool, len(have))
	for _, h := range have {
		set[h] = true
	}
	for _, w := range want {
		if !set[w] {
			return false
		}
	}
	return true
}

// A board's dial cancelled while the host's dial is in flight fails with
// ErrCancelled, and a stream the host's dial returns all the same (as
// mqtt/broker's Dial does, which ignores its context) is closed, not
// dropped: its peer sees the end at once instead of waiting for a first
// byte that never comes (a broker's connection that lives on).
func TestNetworkDialCancelledClosesTheHostConn(t *testing.T) {
	peers := make(chan net.Conn, 1)
	r, n := netRigWith(t, NetConfig{RTT: 40 * time.Millisecond, Dial: func(ctx context.Context, _ string) (net.Conn, error) {
		<-ctx.Done() // the board's dial is cancelled meanwhile
		board, peer := net.Pipe()
		peers <- peer
		return board, nil
	}})
	var dialErr error
	err := r.run(func(t *coop.Task) error {
		if err := joinHome(t, r.b); err != nil {
			return err
		}
		dialer := t.Spawn("dialer", func(t *coop.Task) error {
			_, err := n.Dial(t, "broker:1883")
			return err
		})
		if err := t.Sleep(0); err != nil { // the dialer's dial is in flight
			return err
		}
		dialer.Cancel()
		dialErr = dialer.Wait(t)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(dialErr, coop.ErrCancelled) {
		t.Errorf("cancelled dial = %v, want ErrCancelled", dialErr)
	}
	if n := r.b.Connections(); n != 0 {
		t.Errorf("Connections() = %d, want 0", n)
	}
	peer := <-peers
	peer.SetReadDeadline(time.Now().Add(10 * time.Second)) // a bound on the wait, not a wait
	if _, err := peer.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("the host conn's peer reads %v, want io.EOF: the board's end was never closed", err)
	}
}

// The wall time the clock waits for a peer's answer counts from when the
// peer took the bytes: a peer slow to read a question (past ReplyWait),
// that then answers at once, is answered RTT after the question in board
// time, not after the clock jumped to the board's next timer (where an
// MQTT client times out and sends again).
func TestNetworkReplyWaitCountsFromThePeersRead(t *testing.T) {
	peers := make(chan net.Conn, 1)
	r, n := netRigWith(t, NetConfig{RTT: 40 * time.Millisecond, ReplyWait: 50 * time.Millisecond,
		Dial: func(context.Context, string) (net.Conn, error) {
			board, peer := net.Pipe()
			peers <- peer
			return board, nil
		}})
	var c *conn
	dialled := make(chan struct{})
	peerErr := make(chan error, 1)
	go func() {
		peer := <-peers
		defer peer.Close()
		<-dialled
		// Read only once the board's wait for the answer has begun and
		// run out.
		waited := func(want bool) {
			for {
				c.mu.Lock()
				held := c.release != nil
				c.mu.Unlock()
				if held == want {
					return
				}
				time.Sleep(time.Millisecond)
			}
		}
		waited(true)
		waited(false)
		buf := make([]byte, 5)
		if _, err := io.ReadFull(peer, buf); err != nil {
			peerErr <- err
			return
		}
		_, err := peer.Write([]byte("PONG\n"))
		peerErr <- err
	}()
	var asked, answered time.Duration
	err := r.run(func(t *coop.Task) error {
		if err := joinHome(t, r.b); err != nil {
			return err
		}
		hc, err := n.Dial(t, "broker:1883")
		if err != nil {
			return err
		}
		c = hc.(*conn)
		close(dialled)
		t.Spawn("timer", func(t *coop.Task) error { return t.Sleep(5 * time.Second) })
		c.ExpectReply(true)
		asked = t.Now()
		if _, err := c.Write(t, []byte("ping\n")); err != nil {
			return err
		}
		line, err := readLine(t, c)
		if err != nil {
			return err
		}
		c.Answered()
		answered = t.Now()
		if line != "PONG\n" {
			return fmt.Errorf("answer %q, want PONG", line)
		}
		return c.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := <-peerErr; err != nil {
		t.Fatal(err)
	}
	if d := answered - asked; d != 40*time.Millisecond {
		t.Errorf("answered %v after the question, want the RTT, 40ms", d)
	}
}
