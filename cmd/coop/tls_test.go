package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop/mqtt/mqtttest"
)

// coop run publishes through mqtts:// to a Mosquitto whose certificate a
// private CA issued, trusted with --broker-ca; coop telemetry, given the
// same CA, receives every reading. With another CA the board says why it
// cannot connect and keeps its readings.
func TestRunTLSBroker(t *testing.T) {
	m := mqtttest.StartMosquittoWithCA(t)

	// With another CA: nothing connects, nothing is lost.
	var out, errOut outBuffer
	code := run([]string{"run", "mqtt-sensor", "--virtual", "--timestamps", "--for", "7s", "--scenario", "none",
		"--broker", m.TLSURL(), "--broker-ca", m.OtherCA.CertFile}, nil, &out, &errOut)
	want := "[   0.000s] boot, reset cause: power-on\n" +
		"[   0.004s] reading #1: {\"temp\":24,\"hum\":58}\n" +
		"[   2.004s] reading #2: {\"temp\":24,\"hum\":58}\n" +
		"[   2.004s] Wi-Fi connected\n" +
		"[   2.004s] MQTT down: mqtt: connect to broker.local:1883: sim: dial broker.local:1883: hw: TLS peer not verified: TLS handshake with " + m.TLSAddr() +
		": tls: failed to verify certificate: x509: certificate signed by unknown authority\n" +
		"[   4.004s] reading #3: {\"temp\":24,\"hum\":58}\n" +
		"[   6.004s] reading #4: {\"temp\":24,\"hum\":58}\n"
	if code != exitOK || out.String() != want {
		t.Fatalf("with another CA: exit %d, stdout\n%s\nwant exit 0 and\n%s\nstderr %s", code, out.String(), want, errOut.String())
	}
	subOut, _, done := startTelemetry(t, m.TLSURL(), "--broker-ca", m.CA.CertFile, "--count", "4")
	out, errOut = outBuffer{}, outBuffer{}
	code = run([]string{"run", "mqtt-sensor", "--virtual", "--timestamps", "--for", "7s", "--scenario", "none",
		"--broker", m.TLSURL(), "--broker-ca", m.CA.CertFile}, nil, &out, &errOut)
	if code != exitOK || !strings.Contains(out.String(), "MQTT connected") {
		t.Fatalf("with the broker's CA: exit %d, stdout\n%s\nstderr %s", code, out.String(), errOut.String())
	}
	want = "[   0.000s] boot, reset cause: power-on\n" +
		"[   0.004s] reading #1: {\"temp\":24,\"hum\":58}\n" +
		"[   2.004s] reading #2: {\"temp\":24,\"hum\":58}\n" +
		"[   2.004s] Wi-Fi connected\n" +
		"[   2.044s] MQTT connected, 2 to send\n" +
		"[   4.004s] reading #3: {\"temp\":24,\"hum\":58}\n" +
		"[   6.004s] reading #4: {\"temp\":24,\"hum\":58}\n"
	if out.String() != want {
		t.Errorf("with the broker's CA: stdout\n%s\nwant\n%s", out.String(), want)
	}
	select {
	case code := <-done:
		want := `pico2w-0 #1 at 4ms {"temp":24,"hum":58}
pico2w-0 #2 at 2.004s {"temp":24,"hum":58}
pico2w-0 #3 at 4.004s {"temp":24,"hum":58}
pico2w-0 #4 at 6.004s {"temp":24,"hum":58}
pico2w-0  received 4  last #4 at 6.004s  missing 0  duplicates 0
`
		if code != exitOK || subOut.String() != want {
			t.Errorf("coop telemetry: exit %d, output\n%s\nwant exit 0 and\n%s", code, subOut.String(), want)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("coop telemetry did not get 4 readings: %s", subOut.String())
	}
}

// --broker-ca goes with an mqtts:// broker and a readable PEM file.
func TestBrokerCAErrors(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "ca.txt")
	if err := os.WriteFile(notPEM, []byte("not a certificate\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.pem")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "mqtt-sensor", "--broker-ca", notPEM}, "coop: --broker-ca: give it with an mqtts:// --broker\n"},
		{[]string{"run", "mqtt-sensor", "--broker", "mqtt://127.0.0.1:1", "--broker-ca", notPEM}, "coop: --broker-ca: mqtt://127.0.0.1:1 has no TLS: give an mqtts:// --broker\n"},
		{[]string{"run", "mqtt-sensor", "--broker", "mqtts://127.0.0.1:1", "--broker-ca", notPEM}, "coop: --broker-ca: broker: CA file " + notPEM + ": no PEM certificate in it\n"},
		{[]string{"run", "mqtt-sensor", "--broker", "mqtts://127.0.0.1:1", "--broker-ca", missing}, "coop: --broker-ca: broker: CA file: open " + missing + ": no such file or directory\n"},
		{[]string{"telemetry", "--broker", "mqtts://127.0.0.1:1", "--broker-ca", missing}, "coop: --broker-ca: broker: CA file: open " + missing + ": no such file or directory\n"},
		{[]string{"fleet", "--devices", "1", "--for", "1s", "--broker-ca", notPEM}, "coop: --broker-ca: give it with an mqtts:// --broker\n"},
		{[]string{"fleet", "--devices", "1", "--for", "1s", "--broker", "mqtts://127.0.0.1:1", "--broker-ca", notPEM}, "coop: --broker-ca: broker: CA file " + notPEM + ": no PEM certificate in it\n"},
	} {
		var out, errOut outBuffer
		code := run(tt.args, nil, &out, &errOut)
		if code != exitUsage || errOut.String() != tt.want {
			t.Errorf("coop %s: exit %d, stderr %q; want %d, %q", strings.Join(tt.args, " "), code, errOut.String(), exitUsage, tt.want)
		}
	}
}
