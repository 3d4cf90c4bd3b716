package mqtt_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/mqtt"
	"github.com/coopgo/coop/mqtt/broker"
	"github.com/coopgo/coop/mqtt/mqtttest"
	"github.com/coopgo/coop/sim"
)

// A device publishing through mqtts:// to a real Mosquitto whose
// certificate a private CA issued: while the device trusts another CA,
// every connection fails with hw.ErrTLS, not hw.ErrConnRefused, wrapping
// the TLS verification error (errors.As), the client backs off and tries
// again, and the outbox keeps every reading; once it trusts the broker's CA, every
// reading arrives, numbers 1 to 15 exactly.
func TestTLSMosquitto(t *testing.T) {
	m := mqtttest.StartMosquittoWithCA(t)
	sub, tally := subscribe(t, m.URL())

	u, err := mqtt.ParseURL(m.TLSURL())
	if err != nil {
		t.Fatal(err)
	}
	right, err := broker.TLSConfig(u, m.CA.CertFile)
	if err != nil {
		t.Fatal(err)
	}
	wrong, err := broker.TLSConfig(u, m.OtherCA.CertFile)
	if err != nil {
		t.Fatal(err)
	}
	var trust atomic.Pointer[tls.Config]
	trust.Store(wrong)
	dial := func(ctx context.Context, addr string) (net.Conn, error) {
		return broker.Dialer(u, trust.Load())(ctx, addr)
	}
	d := newDevice(t, sim.NetConfig{Dial: dial})
	var errs []error
	status := func(s mqtt.Status, err error) {
		d.status(s, err)
		if err != nil {
			errs = append(errs, err)
		}
	}
	var before mqtt.OutboxStats // at 19 s, trusting the wrong CA
	err = d.l.RunUntilComplete(d.l.Spawn("main", func(t *coop.Task) error {
		if err := d.join(t); err != nil {
			return err
		}
		f, err := d.b.Flash()
		if err != nil {
			return err
		}
		o, err := mqtt.OpenOutbox(f, mqtt.OutboxConfig{})
		if err != nil {
			return err
		}
		c := mqtt.New(d.net, mqtt.Config{Addr: "broker.local:8883", ClientID: "pico-tls", OnStatus: status, MaxBackoff: 4 * time.Second})
		run := t.Spawn("mqtt", c.Run)
		fwd := t.Spawn("uplink", func(t *coop.Task) error {
			return o.Forward(t, c, mqtt.ForwardConfig{Device: "pico-tls"})
		})
		defer run.Cancel()
		defer fwd.Cancel()
		t.Loop().CallAt(19*time.Second, func() { before = o.Stats() })
		t.Loop().CallAt(20*time.Second, func() { trust.Store(right) })
		for i := 0; i < 15; i++ {
			if _, err := o.Append("coop/pico-tls/temp", t.Now(), []byte(`{"temp":21}`)); err != nil {
				return err
			}
			if err := t.Sleep(2 * time.Second); err != nil {
				return err
			}
		}
		return coop.WaitFor(t, time.Minute, func(t *coop.Task) error {
			for o.Stats().Pending > 0 {
				if err := t.Sleep(100 * time.Millisecond); err != nil {
					return err
				}
			}
			return nil
		})
	}))
	if err != nil {
		t.Fatal(err, "\n", strings.Join(d.log, "\n"))
	}
	// Until 20 s, every attempt failed on the broker's certificate, with
	// the client's backoff (board time, the same on every run).
	untrusted := fmt.Sprintf(" disconnected: mqtt: connect to broker.local:8883: sim: dial broker.local:8883: hw: TLS peer not verified: "+
		"TLS handshake with %s: tls: failed to verify certificate: x509: certificate signed by unknown authority", m.TLSAddr())
	var want []string
	for _, at := range []string{"2s", "2.948s", "4.235s", "7.94s", "11.729s", "14.775s", "18.089s"} {
		want = append(want, at+" connecting", at+untrusted)
	}
	want = append(want, "21.421s connecting", "21.461s connected")
	if g, w := strings.Join(d.log, "\n"), strings.Join(want, "\n"); g != w {
		t.Fatalf("status lines\n%s\nwant\n%s", g, w)
	}
	if len(errs) == 0 {
		t.Fatal("no connection failed")
	}
	for _, err := range errs {
		var verr *tls.CertificateVerificationError
		var unknown x509.UnknownAuthorityError
		if !errors.As(err, &verr) || !errors.As(err, &unknown) {
			t.Errorf("error %v: want a *tls.CertificateVerificationError for an unknown authority", err)
		}
		if !errors.Is(err, hw.ErrTLS) || errors.Is(err, hw.ErrConnRefused) {
			t.Errorf("error %v: want hw.ErrTLS, not hw.ErrConnRefused", err)
		}
	}
	if before.Pending != 9 || before.NextSeq != 10 || before.Dropped != 0 || before.Acked != 0 {
		t.Errorf("outbox at 19 s, trusting another CA: %+v; want the 9 readings so far pending, none dropped", before)
	}
	waitAll(t, sub, "pico-tls", 15)
	dev := tally.Devices()
	if len(dev) != 1 || dev[0].Missing != 0 {
		t.Fatalf("tally %+v", dev)
	}
	if got := fmt.Sprint(tally.Seqs("pico-tls")); got != fmt.Sprint([]uint64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}) {
		t.Errorf("readings %s, want 1 to 15", got)
	}
}

// A CA file that is missing or holds no certificate is refused, naming
// the file.
func TestTLSConfigBadCAFile(t *testing.T) {
	u, _ := mqtt.ParseURL("mqtts://broker.example")
	dir := t.TempDir()
	if _, err := broker.TLSConfig(u, dir+"/missing.pem"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing CA file: %v", err)
	}
	empty := dir + "/empty.pem"
	if err := os.WriteFile(empty, []byte("not a certificate\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := broker.TLSConfig(u, empty); !errors.Is(err, broker.ErrNoCertificate) || !strings.Contains(err.Error(), empty) {
		t.Errorf("CA file with no certificate: %v", err)
	}
	cfg, err := broker.TLSConfig(u, "")
	if err != nil || cfg.RootCAs != nil || cfg.ServerName != "broker.example" {
		t.Errorf("no CA file: %+v, %v; want the system's roots for broker.example", cfg, err)
	}
}
