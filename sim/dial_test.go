package sim

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"testing"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/mqtt/mqtttest"
)

// serve listens on a free loopback port and hands each connection to fn,
// on its own goroutine, until the test ends.
func serve(t *testing.T, fn func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				fn(c)
			}()
		}
	}()
	return ln.Addr().String()
}

// serveTLS serves TLS handshakes with cfg on a free loopback port.
func serveTLS(t *testing.T, cfg *tls.Config) string {
	t.Helper()
	return serve(t, func(c net.Conn) {
		tc := tls.Server(c, cfg)
		if tc.Handshake() == nil {
			io.Copy(io.Discard, tc)
		}
	})
}

// tlsDial dials addr over TLS with cfg, as the host's dial of a board.
func tlsDial(addr string, cfg *tls.Config) func(context.Context, string) (net.Conn, error) {
	return func(ctx context.Context, _ string) (net.Conn, error) {
		d := tls.Dialer{Config: cfg}
		return d.DialContext(ctx, "tcp", addr)
	}
}

// tcpDial dials addr over TCP.
func tcpDial(addr string) func(context.Context, string) (net.Conn, error) {
	return func(ctx context.Context, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "tcp", addr)
	}
}

// fails is a host dial that fails with err.
func fails(err error) func(context.Context, string) (net.Conn, error) {
	return func(context.Context, string) (net.Conn, error) { return nil, err }
}

// A board's dial that fails on the host fails with the hw.ErrorCode of
// what happened, and only that one, keeping the host's error for
// errors.Is and errors.As: a refusal is hw.ErrConnRefused, a TLS
// handshake that could not verify the peer hw.ErrTLS, a reset
// hw.ErrConnReset; a name that does not resolve, a timeout, a host out of
// reach have no code and come through as they are.
func TestDialErrors(t *testing.T) {
	ca := mqtttest.NewCA(t, "coop test CA")
	certFile, keyFile := ca.Issue(t, "127.0.0.1", "localhost")
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	pem, err := os.ReadFile(ca.CertFile)
	if err != nil {
		t.Fatal(err)
	}
	trusted := x509.NewCertPool()
	trusted.AppendCertsFromPEM(pem)
	other := x509.NewCertPool()
	opem, err := os.ReadFile(mqtttest.NewCA(t, "another CA").CertFile)
	if err != nil {
		t.Fatal(err)
	}
	other.AppendCertsFromPEM(opem)

	// Nothing listens at closed.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	broker := serveTLS(t, &tls.Config{Certificates: []tls.Certificate{cert}})
	// wantsCert asks the board's host for a certificate it does not
	// have; over TLS 1.2 the refusal is an alert inside the handshake.
	wantsCert := serveTLS(t, &tls.Config{Certificates: []tls.Certificate{cert},
		ClientAuth: tls.RequireAnyClientCert, MaxVersion: tls.VersionTLS12})
	plain := serve(t, func(c net.Conn) {
		c.Write([]byte("SSH-2.0-OpenSSH_9.6\r\n"))
		io.Copy(io.Discard, c)
	})
	// resets reads the first bytes the board's host sends, then resets
	// the connection.
	resets := serve(t, func(c net.Conn) {
		c.Read(make([]byte, 1))
		c.(*net.TCPConn).SetLinger(0)
	})

	var (
		verify    *tls.CertificateVerificationError
		authority x509.UnknownAuthorityError
		hostname  x509.HostnameError
		record    tls.RecordHeaderError
		op        *net.OpError
		dns       *net.DNSError
	)
	for _, tt := range []struct {
		name string
		dial func(context.Context, string) (net.Conn, error)
		want string       // the error's text
		code hw.ErrorCode // the one code it wraps, or 0 for none
		is   error        // the host's error it wraps, or nil
		as   []any        // targets for errors.As
	}{
		{"refused", tcpDial(closed),
			"sim: dial broker:8883: hw: connection refused: dial tcp " + closed + ": connect: connection refused",
			hw.ErrConnRefused, syscall.ECONNREFUSED, []any{&op}},
		{"refused in process", fails(fmt.Errorf("pipe server: %w", hw.ErrConnRefused)),
			"sim: dial broker:8883: pipe server: hw: connection refused",
			hw.ErrConnRefused, nil, nil},
		{"TLS, unknown authority", tlsDial(broker, &tls.Config{RootCAs: other, ServerName: "localhost"}),
			"sim: dial broker:8883: hw: TLS peer not verified: tls: failed to verify certificate: x509: certificate signed by unknown authority",
			hw.ErrTLS, nil, []any{&verify, &authority}},
		{"TLS, another name", tlsDial(broker, &tls.Config{RootCAs: trusted, ServerName: "broker.example"}),
			"sim: dial broker:8883: hw: TLS peer not verified: tls: failed to verify certificate: x509: certificate is valid for localhost, not broker.example",
			hw.ErrTLS, nil, []any{&hostname}},
		{"TLS, alert from the peer", tlsDial(wantsCert, &tls.Config{RootCAs: trusted, ServerName: "localhost"}),
			"sim: dial broker:8883: hw: TLS peer not verified: remote error: tls: handshake failure",
			hw.ErrTLS, nil, []any{&op}},
		{"TLS, peer without TLS", tlsDial(plain, &tls.Config{RootCAs: trusted, ServerName: "localhost"}),
			"sim: dial broker:8883: hw: TLS peer not verified: tls: first record does not look like a TLS handshake",
			hw.ErrTLS, nil, []any{&record}},
		{"reset", tlsDial(resets, &tls.Config{RootCAs: trusted, ServerName: "localhost"}),
			"sim: dial broker:8883: hw: connection reset: read tcp ",
			hw.ErrConnReset, syscall.ECONNRESET, []any{&op}},
		{"name not found", fails(&net.DNSError{Err: "no such host", Name: "broker.invalid", IsNotFound: true}),
			"sim: dial broker:8883: lookup broker.invalid: no such host",
			0, nil, []any{&dns}},
		{"timeout", fails(&net.OpError{Op: "dial", Net: "tcp", Addr: &net.TCPAddr{IP: net.IPv4(192, 0, 2, 1), Port: 8883}, Err: os.ErrDeadlineExceeded}),
			"sim: dial broker:8883: dial tcp 192.0.2.1:8883: i/o timeout",
			0, os.ErrDeadlineExceeded, []any{&op}},
		{"no route", nil,
			"sim: dial broker:8883: no route to host",
			0, syscall.EHOSTUNREACH, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, n := netRigWith(t, NetConfig{Dial: tt.dial})
			var dialErr error
			err := r.run(func(t *coop.Task) error {
				if err := joinHome(t, r.b); err != nil {
					return err
				}
				c, err := n.Dial(t, "broker:8883")
				if err == nil {
					c.Close()
					return errors.New("the dial succeeded")
				}
				dialErr = err
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			got := dialErr.Error()
			if tt.code == hw.ErrConnReset {
				got = got[:min(len(got), len(tt.want))] // then the ports and the host's words
			}
			if got != tt.want {
				t.Errorf("error\n%s\nwant\n%s", dialErr, tt.want)
			}
			for _, code := range []hw.ErrorCode{hw.ErrConnRefused, hw.ErrTLS, hw.ErrConnReset, hw.ErrLinkDown} {
				if is := errors.Is(dialErr, code); is != (code == tt.code) {
					t.Errorf("error %v: errors.Is(err, %v) = %v", dialErr, code, is)
				}
			}
			if tt.is != nil && !errors.Is(dialErr, tt.is) {
				t.Errorf("error %v: does not wrap %v", dialErr, tt.is)
			}
			for _, target := range tt.as {
				if !errors.As(dialErr, target) {
					t.Errorf("error %v: errors.As to %T fails", dialErr, target)
				}
			}
		})
	}
}
