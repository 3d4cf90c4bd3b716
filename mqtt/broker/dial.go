package broker

import (
	"context"
	"crypto/tls"
	"net"

	"github.com/coopgo/coop/mqtt"
)

// Dialer returns how a simulated board reaches the broker at u from this
// host, whatever address the program dials (its "broker.local:1883"
// stands for the broker the run was given): TCP for mqtt://, TLS through
// crypto/tls for mqtts://, with tlsConfig (nil: the system's roots, the
// URL's host as server name).
func Dialer(u mqtt.BrokerURL, tlsConfig *tls.Config) func(ctx context.Context, addr string) (net.Conn, error) {
	return func(ctx context.Context, _ string) (net.Conn, error) {
		if !u.TLS {
			var d net.Dialer
			return d.DialContext(ctx, "tcp", u.Addr)
		}
		cfg := tlsConfig
		if cfg == nil {
			host, _, _ := net.SplitHostPort(u.Addr)
			cfg = &tls.Config{ServerName: host}
		}
		d := tls.Dialer{Config: cfg}
		return d.DialContext(ctx, "tcp", u.Addr)
	}
}
