// Package mqtttest gives tests real MQTT peers: a Mosquitto of their own,
// started on a free port with a temporary configuration and stopped at the
// end of the test.
package mqtttest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// RequireEnv is the environment variable that turns a missing mosquitto
// from a skipped test into a failed one: CI sets COOP_REQUIRE_MOSQUITTO=1.
const RequireEnv = "COOP_REQUIRE_MOSQUITTO"

// Mosquitto is a mosquitto process of a test's own. Its queued QoS 1
// messages survive Stop (kill -9) and Restart: its configuration saves
// the store at every change (autosave_on_changes true, autosave_interval
// 1), without which a kill -9 loses them all.
type Mosquitto struct {
	tb   testing.TB
	bin  string
	dir  string
	conf string
	addr string
	tls  string // the TLS listener's "127.0.0.1:PORT", or ""

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
}

// StartMosquitto starts a mosquitto for tb, or skips tb if mosquitto is
// not installed (fails it if RequireEnv is "1"). It is stopped, and its
// files removed, when tb ends.
func StartMosquitto(tb testing.TB) *Mosquitto {
	tb.Helper()
	return startMosquitto(tb, "", "")
}

// StartMosquittoTLS starts a mosquitto as StartMosquitto does, with a
// second listener, for TLS, that presents the certificate in certFile
// (with its key in keyFile: see [CA.Issue]). The plain listener stays, at
// Addr, for subscribers and mosquitto_sub.
func StartMosquittoTLS(tb testing.TB, certFile, keyFile string) *Mosquitto {
	tb.Helper()
	return startMosquitto(tb, certFile, keyFile)
}

// freeAddr returns a "127.0.0.1:PORT" nothing listens on.
func freeAddr(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func startMosquitto(tb testing.TB, certFile, keyFile string) *Mosquitto {
	tb.Helper()
	bin, err := exec.LookPath("mosquitto")
	if err != nil {
		if _, serr := os.Stat("/usr/sbin/mosquitto"); serr == nil {
			bin, err = "/usr/sbin/mosquitto", nil
		}
	}
	if err != nil {
		if os.Getenv(RequireEnv) == "1" {
			tb.Fatalf("mosquitto is not installed, and %s=1: install Debian's mosquitto (scripts/setup.sh)", RequireEnv)
		}
		tb.Skip("mosquitto is not installed (scripts/setup.sh installs it); skipping the test against a real broker")
	}
	addr := freeAddr(tb)
	_, port, _ := net.SplitHostPort(addr)
	dir := tb.TempDir()
	m := &Mosquitto{tb: tb, bin: bin, dir: dir, conf: filepath.Join(dir, "mosquitto.conf"), addr: addr}
	conf := []string{
		"listener " + port + " 127.0.0.1",
		"allow_anonymous true",
		"persistence true",
		"persistence_location " + dir + "/",
		"autosave_on_changes true",
		"autosave_interval 1",
		"max_queued_messages 0",
		"log_dest stderr",
		"log_type error",
		"log_type warning",
		"log_type notice",
		"log_type information",
	}
	if certFile != "" {
		m.tls = freeAddr(tb)
		_, tport, _ := net.SplitHostPort(m.tls)
		conf = append(conf, "listener "+tport+" 127.0.0.1", "certfile "+certFile, "keyfile "+keyFile)
	}
	if os.Geteuid() == 0 {
		// As root mosquitto would drop to user mosquitto, who may not
		// write the test's directory.
		conf = append(conf, "user root")
	}
	if err := os.WriteFile(m.conf, []byte(strings.Join(conf, "\n")+"\n"), 0o644); err != nil {
		tb.Fatal(err)
	}
	if err := m.start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { m.Stop() })
	return m
}

// Addr returns "127.0.0.1:PORT".
func (m *Mosquitto) Addr() string { return m.addr }

// URL returns "mqtt://127.0.0.1:PORT".
func (m *Mosquitto) URL() string { return "mqtt://" + m.addr }

// TLSAddr returns the TLS listener's "127.0.0.1:PORT", or "" without
// one.
func (m *Mosquitto) TLSAddr() string { return m.tls }

// TLSURL returns "mqtts://127.0.0.1:PORT", the TLS listener, or "" without
// one.
func (m *Mosquitto) TLSURL() string {
	if m.tls == "" {
		return ""
	}
	return "mqtts://" + m.tls
}

// Dir returns the directory of its configuration and store.
func (m *Mosquitto) Dir() string { return m.dir }

// start starts the process and waits until it says it is running.
func (m *Mosquitto) start() error {
	cmd := exec.Command(m.bin, "-c", m.conf)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("mqtttest: start mosquitto: %w", err)
	}
	running := make(chan struct{})
	done := make(chan struct{})
	var log strings.Builder
	var logMu sync.Mutex
	go func() {
		sc := bufio.NewScanner(stderr)
		once := sync.Once{}
		for sc.Scan() {
			logMu.Lock()
			log.WriteString(sc.Text() + "\n")
			logMu.Unlock()
			if strings.Contains(sc.Text(), " running") {
				once.Do(func() { close(running) })
			}
		}
		io.Copy(io.Discard, stderr)
		cmd.Wait()
		close(done)
	}()
	select {
	case <-running:
	case <-done:
		logMu.Lock()
		defer logMu.Unlock()
		return fmt.Errorf("mqtttest: mosquitto exited at start:\n%s", log.String())
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		return errors.New("mqtttest: mosquitto did not say it was running within 20 s")
	}
	m.mu.Lock()
	m.cmd, m.done = cmd, done
	m.mu.Unlock()
	return nil
}

// Stop kills the process (kill -9) and waits until it is gone. Stopping a
// stopped broker does nothing.
func (m *Mosquitto) Stop() error {
	m.mu.Lock()
	cmd, done := m.cmd, m.done
	m.cmd = nil
	m.mu.Unlock()
	if cmd == nil {
		return nil
	}
	cmd.Process.Kill()
	<-done
	return nil
}

// Restart kills the process if it runs and starts it again on the same
// port and store.
func (m *Mosquitto) Restart() error {
	if err := m.Stop(); err != nil {
		return err
	}
	return m.start()
}

// Dial connects to the broker over TCP: a sim.NetConfig.Dial for whatever
// address a simulated board dials.
func (m *Mosquitto) Dial(ctx context.Context, _ string) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, "tcp", m.addr)
}

// Sub is a mosquitto_sub process of a test's own, with a persistent
// session at QoS 1, whose lines (topic and payload, -v) a test reads.
type Sub struct {
	mu    sync.Mutex
	lines []string
	more  chan struct{} // closed and replaced at each line
	cmd   *exec.Cmd
	done  chan struct{}
}

// Subscribe starts mosquitto_sub on m for filter, with client id, and
// waits until its subscription is in place. Skips as StartMosquitto does
// when mosquitto_sub is missing.
func (m *Mosquitto) Subscribe(tb testing.TB, id, filter string) *Sub {
	tb.Helper()
	bin, err := exec.LookPath("mosquitto_sub")
	if err != nil {
		if os.Getenv(RequireEnv) == "1" {
			tb.Fatalf("mosquitto_sub is not installed, and %s=1: install Debian's mosquitto-clients", RequireEnv)
		}
		tb.Skip("mosquitto_sub is not installed; skipping")
	}
	host, port, _ := net.SplitHostPort(m.addr)
	// -c: a persistent session, so that the broker queues what comes
	// while mosquitto_sub is away; -d prints the SUBACK.
	args := []string{"-h", host, "-p", port, "-t", filter, "-q", "1", "-c", "-i", id, "-v", "-d"}
	cmd := exec.Command(bin, args...)
	if stdbuf, err := exec.LookPath("stdbuf"); err == nil {
		// Its debug lines are not flushed to a pipe: ask for lines.
		cmd = exec.Command(stdbuf, append([]string{"-oL", bin}, args...)...)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	s := &Sub{more: make(chan struct{}), cmd: cmd, done: make(chan struct{})}
	subscribed := make(chan struct{})
	go func() {
		defer close(s.done)
		sc := bufio.NewScanner(out)
		once := sync.Once{}
		for sc.Scan() {
			line := sc.Text()
			if strings.HasPrefix(line, "Client ") {
				if strings.Contains(line, "received SUBACK") {
					once.Do(func() { close(subscribed) })
				}
				continue // -d's own lines
			}
			s.mu.Lock()
			s.lines = append(s.lines, line)
			close(s.more)
			s.more = make(chan struct{})
			s.mu.Unlock()
		}
	}()
	select {
	case <-subscribed:
	case <-s.done:
		tb.Fatal("mqtttest: mosquitto_sub exited before subscribing")
	case <-time.After(20 * time.Second):
		tb.Fatal("mqtttest: mosquitto_sub did not subscribe within 20 s")
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// WaitFor waits until cond holds for the lines received so far, checked
// at each line, or fails after timeout.
func (s *Sub) WaitFor(timeout time.Duration, cond func(lines []string) bool) error {
	deadline := time.After(timeout)
	for {
		s.mu.Lock()
		lines, more := append([]string(nil), s.lines...), s.more
		s.mu.Unlock()
		if cond(lines) {
			return nil
		}
		select {
		case <-more:
		case <-s.done:
			return errors.New("mqtttest: mosquitto_sub exited")
		case <-deadline:
			return fmt.Errorf("mqtttest: condition not met within %v, after %d lines", timeout, len(lines))
		}
	}
}

// Lines returns the lines received: "TOPIC PAYLOAD".
func (s *Sub) Lines() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.lines...)
}

// Close stops mosquitto_sub.
func (s *Sub) Close() {
	s.cmd.Process.Kill()
	<-s.done
	s.cmd.Wait()
}
