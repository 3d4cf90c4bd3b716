package mqtt

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
)

// ErrBadURL: a broker URL that is not mqtt://host[:port] or
// mqtts://host[:port].
var ErrBadURL = errors.New("mqtt: bad broker URL")

// BrokerURL is a broker's address as a user writes it:
// mqtt://[user[:password]@]host[:port] (port 1883 by default), or mqtts://
// for TLS (port 8883).
type BrokerURL struct {
	TLS      bool
	Addr     string // "host:port"
	Username string
	Password string
}

// ParseURL parses a broker URL. The error wraps ErrBadURL and never shows
// a password.
func ParseURL(s string) (BrokerURL, error) {
	u, err := url.Parse(s)
	if err != nil {
		return BrokerURL{}, fmt.Errorf("%w %q: want mqtt://host:port or mqtts://host:port", ErrBadURL, redact(s))
	}
	var b BrokerURL
	port := "1883"
	switch u.Scheme {
	case "mqtt", "tcp":
	case "mqtts", "ssl", "tls":
		b.TLS, port = true, "8883"
	default:
		return BrokerURL{}, fmt.Errorf("%w %q: scheme %q, want mqtt:// or mqtts://", ErrBadURL, u.Redacted(), u.Scheme)
	}
	host := u.Hostname()
	if host == "" {
		return BrokerURL{}, fmt.Errorf("%w %q: no host", ErrBadURL, u.Redacted())
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return BrokerURL{}, fmt.Errorf("%w %q: port %q", ErrBadURL, u.Redacted(), p)
		}
		port = p
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" {
		return BrokerURL{}, fmt.Errorf("%w %q: a broker URL has no path or query", ErrBadURL, u.Redacted())
	}
	b.Addr = net.JoinHostPort(host, port)
	if u.User != nil {
		b.Username = u.User.Username()
		b.Password, _ = u.User.Password()
	}
	return b, nil
}

// String returns the URL without its credentials, for messages.
func (b BrokerURL) String() string {
	if b.TLS {
		return "mqtts://" + b.Addr
	}
	return "mqtt://" + b.Addr
}

// redact hides what may be a password in a URL that did not parse.
func redact(s string) string {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '@' {
			return "…" + s[i:]
		}
	}
	return s
}
