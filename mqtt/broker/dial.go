package broker

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"

	"github.com/coopgo/coop/mqtt"
)

// ErrNoCertificate: a CA file with no PEM certificate in it.
var ErrNoCertificate = errors.New("no PEM certificate in it")

// TLSConfig returns the TLS configuration for reaching the broker at u
// over mqtts://: it trusts only the certificate authorities in the PEM
// file caFile (a private broker's CA, such as mosquitto's cafile), or,
// with caFile "", the system's roots. The server name is the URL's host.
// The error names caFile and wraps the file's error or ErrNoCertificate.
func TLSConfig(u mqtt.BrokerURL, caFile string) (*tls.Config, error) {
	host, _, _ := net.SplitHostPort(u.Addr)
	cfg := &tls.Config{ServerName: host}
	if caFile == "" {
		return cfg, nil
	}
	data, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("broker: CA file: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(data) {
		return nil, fmt.Errorf("broker: CA file %s: %w", caFile, ErrNoCertificate)
	}
	cfg.RootCAs = pool
	return cfg, nil
}

// Dialer returns how a simulated board reaches the broker at u from this
// host, whatever address the program dials (its "broker.local:1883"
// stands for the broker the run was given): TCP for mqtt://, TLS through
// crypto/tls for mqtts://, with tlsConfig (nil: the system's roots, the
// URL's host as server name; see [TLSConfig]). A failed TLS handshake's
// error says so, and wraps crypto/tls's: a certificate the client does
// not trust gives a *tls.CertificateVerificationError (errors.As), which
// the board sees as hw.ErrTLS.
func Dialer(u mqtt.BrokerURL, tlsConfig *tls.Config) func(ctx context.Context, addr string) (net.Conn, error) {
	return func(ctx context.Context, _ string) (net.Conn, error) {
		if !u.TLS {
			var d net.Dialer
			return d.DialContext(ctx, "tcp", u.Addr)
		}
		cfg := tlsConfig
		if cfg == nil {
			cfg, _ = TLSConfig(u, "")
		}
		var d net.Dialer
		raw, err := d.DialContext(ctx, "tcp", u.Addr)
		if err != nil {
			return nil, err
		}
		c := tls.Client(raw, cfg)
		if err := c.HandshakeContext(ctx); err != nil {
			raw.Close()
			return nil, fmt.Errorf("TLS handshake with %s: %w", u.Addr, err)
		}
		return c, nil
	}
}
