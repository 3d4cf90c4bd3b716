package cli

import (
	"crypto/tls"
	"net"
	"os"
	"time"

	"github.com/coopgo/coop/mqtt"
	"github.com/coopgo/coop/mqtt/broker"
	"github.com/coopgo/coop/sim"
)

// Environment variables for the broker's credentials, so that they need
// not be on a command line.
const (
	EnvMQTTUser     = "COOP_MQTT_USER"
	EnvMQTTPassword = "COOP_MQTT_PASSWORD"
)

// RTT is the round trip between a simulated board and its broker, in
// board time.
const RTT = 20 * time.Millisecond

// network is where a run's board reaches: the broker of --broker, or one
// in the process, started when the program first dials, with the address
// to subscribe at printed then.
type network struct {
	cfg         sim.NetConfig
	lazy        *broker.Lazy // nil with --broker
	user, pass  string       // the broker's credentials, for the board's flash
	credentials bool
}

func newNetwork(url string, tlsConfig *tls.Config, scr *screen) *network {
	n := &network{}
	if url == "" {
		n.lazy = &broker.Lazy{OnStart: func(b *broker.Broker) {
			host, port, _ := net.SplitHostPort(b.Addr())
			scr.errorf("MQTT broker on %s: mosquitto_sub -h %s -p %s -t 'coop/#' -v", b.Addr(), host, port)
		}}
		n.cfg = sim.NetConfig{Dial: n.lazy.Dial, Server: n.lazy, RTT: RTT}
		return n
	}
	u, _ := mqtt.ParseURL(url) // checked with the flags
	n.cfg = sim.NetConfig{Dial: broker.Dialer(u, tlsConfig), RTT: RTT}
	n.user, n.pass = u.Username, u.Password
	if n.user == "" {
		n.user, n.pass = os.Getenv(EnvMQTTUser), os.Getenv(EnvMQTTPassword)
	}
	n.credentials = n.user != ""
	return n
}

// prepare puts the broker's credentials in the board's flash, where an
// mqtt.Uplink finds them (mqtt.SecretsFile).
func (n *network) prepare(b *sim.Board) error {
	if !n.credentials {
		return nil
	}
	f, err := b.Flash()
	if err != nil {
		return err
	}
	return mqtt.WriteSecrets(f, n.user, n.pass)
}

// close stops the broker in the process, if it started.
func (n *network) close() {
	if n.lazy != nil {
		n.lazy.Close()
	}
}
