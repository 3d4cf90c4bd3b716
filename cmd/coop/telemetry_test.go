package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/coopgo/coop/fleet"
	"github.com/coopgo/coop/mqtt"
	"github.com/coopgo/coop/mqtt/broker"
	"github.com/coopgo/coop/mqtt/mqtttest"
	"github.com/coopgo/coop/mqtt/telemetry"
)

// outBuffer is a buffer written by a command's goroutines and read by
// the test.
type outBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *outBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *outBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// publish sends readings of device with the sequence numbers seqs, at QoS 1.
func publish(t *testing.T, url, device string, seqs ...uint64) {
	t.Helper()
	c := paho.NewClient(paho.NewClientOptions().AddBroker(strings.Replace(url, "mqtt://", "tcp://", 1)).SetClientID("pub-" + device))
	if tok := c.Connect(); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		t.Fatal(tok.Error())
	}
	defer c.Disconnect(0)
	for _, seq := range seqs {
		r := mqtt.Reading{Device: device, Seq: seq, At: time.Duration(seq) * 2 * time.Second, Data: []byte(`{"temp":21}`)}
		if tok := c.Publish("coop/"+device+"/t", 1, false, r.AppendPayload(nil)); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
			t.Fatal(tok.Error())
		}
	}
}

// startTelemetry runs coop telemetry --broker url with args in the
// background, and returns once it has subscribed (it says so on stderr):
// its stdout and stderr, and its exit code once it ends.
func startTelemetry(t *testing.T, url string, args ...string) (out, errOut *outBuffer, done <-chan int) {
	t.Helper()
	out, errOut = &outBuffer{}, &outBuffer{}
	ended := make(chan int, 1)
	go func() { ended <- run(append([]string{"telemetry", "--broker", url}, args...), nil, out, errOut) }()
	subscribed := "coop: subscribed to coop/# on " + url + "\n"
	for errOut.String() != subscribed {
		select {
		case code := <-ended:
			t.Fatalf("coop telemetry ended before subscribing: exit %d, stderr %s", code, errOut.String())
		case <-time.After(time.Millisecond):
		}
	}
	return out, errOut, ended
}

// coop telemetry that received nothing says so as it ends, rather than
// ending in silence.
func TestTelemetryCommand_nothing(t *testing.T) {
	br, err := broker.Start(broker.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer br.Close()
	out, errOut, done := startTelemetry(t, br.URL(), "--for", "50ms")
	code := <-done
	want := "coop: subscribed to coop/# on " + br.URL() + "\ncoop: no readings: nothing was published on coop/# while subscribed\n"
	if code != exitOK || out.String() != "" || errOut.String() != want {
		t.Errorf("exit %d, stdout %q, stderr %q; want 0, nothing, %q", code, out.String(), errOut.String(), want)
	}
}

// coop telemetry prints each reading, names gaps, late and duplicate
// readings, and ends with a line per device; missing readings exit 1. A
// device's readings count from the first received, or with --from-start
// from #1.
func TestTelemetryCommand(t *testing.T) {
	for _, tt := range []struct {
		name string
		flag string
		seqs []uint64
		code int
		want string
	}{
		{"gaps, a late reading and a duplicate", "", []uint64{1, 2, 4, 3, 3, 6}, exitFail, `pico-1 #1 at 2s {"temp":21}
pico-1 #2 at 4s {"temp":21}
pico-1 #4 at 8s {"temp":21}  (#3 missing)
pico-1 #3 at 6s {"temp":21}  (late)
pico-1 #3 again  (duplicate)
pico-1 #6 at 12s {"temp":21}  (#5 missing)
pico-1  received 6  last #6 at 12s  missing 1  duplicates 1  out of order 1
`},
		{"joined late, nothing missing since", "", []uint64{3, 4, 5}, exitOK, `pico-1 #3 at 6s {"temp":21}  (the first received: #1–#2 not counted)
pico-1 #4 at 8s {"temp":21}
pico-1 #5 at 10s {"temp":21}
pico-1  received 3  last #5 at 10s  missing 0  duplicates 0  not counted #1–#2, before the first received
`},
		{"joined late, one missing since", "", []uint64{2, 4}, exitFail, `pico-1 #2 at 4s {"temp":21}  (the first received: #1 not counted)
pico-1 #4 at 8s {"temp":21}  (#3 missing)
pico-1  received 2  last #4 at 8s  missing 1  duplicates 0  not counted #1, before the first received
`},
		{"from the start", "--from-start", []uint64{3, 4, 5}, exitFail, `pico-1 #3 at 6s {"temp":21}  (#1–#2 missing)
pico-1 #4 at 8s {"temp":21}
pico-1 #5 at 10s {"temp":21}
pico-1  received 3  last #5 at 10s  missing 2  duplicates 0
`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			br, err := broker.Start(broker.Config{})
			if err != nil {
				t.Fatal(err)
			}
			defer br.Close()
			// The readings are published once the command has subscribed
			// (it says so on stderr), so they reach it live, in the order
			// they were sent.
			args := []string{"--count", fmt.Sprint(len(tt.seqs))}
			if tt.flag != "" {
				args = append(args, tt.flag)
			}
			out, errOut, done := startTelemetry(t, br.URL(), args...)
			subscribed := errOut.String()
			publish(t, br.URL(), "pico-1", tt.seqs...)
			code := <-done
			if out.String() != tt.want || code != tt.code {
				t.Errorf("exit %d, output\n%s\nwant exit %d and\n%s\nstderr %s", code, out.String(), tt.code, tt.want, errOut.String())
			}
			if got := errOut.String(); got != subscribed {
				t.Errorf("stderr %q, want only %q", got, subscribed)
			}
		})
	}
}

func TestTelemetryCommandErrors(t *testing.T) {
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"telemetry"}, exitUsage, "coop: telemetry: --broker URL is required, such as --broker mqtt://127.0.0.1:1883\n"},
		{[]string{"telemetry", "--broker", "http://u:secret@host"}, exitUsage, "coop: mqtt: bad broker URL \"http://u:xxxxx@host\": scheme \"http\", want mqtt:// or mqtts://\n"},
		{[]string{"telemetry", "--broker", "mqtt://127.0.0.1:1", "--password", "secret"}, exitFail, ""},
		{[]string{"telemetry", "--broker", "mqtt://127.0.0.1:1", "--topic", "coop/#/t"}, exitUsage, "coop: telemetry: --topic \"coop/#/t\": bad topic filter: '#' must be a whole level, the last one, such as coop/#\n"},
		{[]string{"telemetry", "--broker", "mqtt://127.0.0.1:1", "--topic", "coop/pico+/t"}, exitUsage, "coop: telemetry: --topic \"coop/pico+/t\": bad topic filter: '+' must be a whole level, such as coop/+/t\n"},
		{[]string{"telemetry", "--broker", "mqtt://127.0.0.1:1", "--topic", ""}, exitUsage, "coop: telemetry: --topic \"\": bad topic filter: empty, want a topic filter such as coop/#\n"},
	} {
		var out, errOut outBuffer
		code := run(tt.args, nil, &out, &errOut)
		if code != tt.code || (tt.want != "" && errOut.String() != tt.want) {
			t.Errorf("coop %s: exit %d, stderr %q; want %d, %q", strings.Join(tt.args, " "), code, errOut.String(), tt.code, tt.want)
		}
		if strings.Contains(errOut.String()+out.String(), "secret") {
			t.Errorf("coop %s prints the password: %q", strings.Join(tt.args, " "), errOut.String())
		}
	}
}

var fleetOutput = regexp.MustCompile(`^devices     3 \(dev-00000 dev-00001 dev-00002\)
messages    3[0-3] received in [0-9.]+m?s: [0-9]+ msgs/s
latency     p50 20ms  p99 [0-9.]+m?s  \(board time, reading to broker acknowledgement\)
lost        0
duplicated  0
pending     [0-3] \(still in the devices' outboxes\)
memory      [0-9]+ KiB of heap per device
$`)

func TestFleetCommand(t *testing.T) {
	var out, errOut outBuffer
	code := run([]string{"fleet", "--devices", "3", "--for", "20s"}, nil, &out, &errOut)
	if code != exitOK || !fleetOutput.MatchString(out.String()) {
		t.Errorf("exit %d, output\n%s\nstderr\n%s", code, out.String(), errOut.String())
	}
	if !strings.HasPrefix(errOut.String(), "coop: fleet: 3 of 3 devices (shard 1/1) × 20s of board time, mqtt-sensor, on an embedded broker\ncoop: broker on mqtt://127.0.0.1:") {
		t.Errorf("stderr %q", errOut.String())
	}
	for _, tt := range []struct{ args, want string }{
		{"fleet --for 1m", "coop: fleet: --devices N is required, at least 1\n"},
		{"fleet --devices 2", "coop: fleet: --for D is required, more than 0s, such as --for 1h\n"},
		{"fleet --devices 2 --for 1m --shard 3/2", "coop: fleet: shard \"3/2\": want K/N with 1 ≤ K ≤ N, such as 1/4\n"},
		{"fleet --devices 2 --for 1m --app nope", ""},
	} {
		var out, errOut outBuffer
		if code := run(strings.Fields(tt.args), nil, &out, &errOut); code != exitUsage || (tt.want != "" && errOut.String() != tt.want) {
			t.Errorf("coop %s: exit %d, stderr %q; want 2, %q", tt.args, code, errOut.String(), tt.want)
		}
	}
}

// shardEnv makes the test binary a coop process: the shard test runs two.
const shardEnv = "COOP_TEST_FLEET_SHARD"

func TestMain(m *testing.M) {
	if args := os.Getenv(shardEnv); args != "" {
		os.Exit(run(strings.Fields(args), nil, os.Stdout, os.Stderr))
	}
	// coop bench runs some measurements in a process of its own, started
	// as os.Executable() with bench's arguments: under test that is this
	// binary, which then acts as the command.
	if len(os.Args) > 1 && os.Args[1] == "bench" {
		os.Exit(run(os.Args[1:], nil, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// Two shard processes on one Mosquitto simulate one fleet: each its own
// devices, together all of them, and a subscriber gets every reading of
// every device once.
func TestFleetShards(t *testing.T) {
	m := mqtttest.StartMosquitto(t)
	tally := &telemetry.Tally{}
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	sub, err := telemetry.Subscribe(ctx, telemetry.Config{URL: m.URL(), ClientID: "test-shards"}, tally)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()

	const devices = 5
	outs := make([]bytes.Buffer, 2)
	var procs []*exec.Cmd
	for k := 1; k <= 2; k++ {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), fmt.Sprintf("%s=fleet --devices %d --for 20s --shard %d/2 --broker %s", shardEnv, devices, k, m.URL()))
		cmd.Stdout = &outs[k-1]
		cmd.Stderr = &outs[k-1]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		procs = append(procs, cmd)
	}
	for i, p := range procs {
		if err := p.Wait(); err != nil {
			t.Fatalf("shard %d/2: %v\n%s", i+1, err, outs[i].String())
		}
	}
	// Each shard simulated its own devices: disjoint, together all.
	var all []string
	for k, out := range outs {
		m := regexp.MustCompile(`devices     (\d+) \(([^)]*)\)`).FindStringSubmatch(out.String())
		var want []string
		for _, i := range fleet.ShardDevices(devices, k+1, 2) {
			want = append(want, fleet.DeviceName(i))
		}
		if m == nil || m[2] != strings.Join(want, " ") {
			t.Errorf("shard %d/2 printed\n%s\nwant devices %v", k+1, out.String(), want)
		}
		all = append(all, want...)
	}
	slices.Sort(all)
	if len(slices.Compact(all)) != devices {
		t.Errorf("the shards' devices %v are not %d different ones", all, devices)
	}
	// A subscriber of the whole fleet gets readings 1…10 of every device.
	err = sub.WaitFor(ctx, func(tl *telemetry.Tally) bool {
		for i := range devices {
			if !tl.Has(fleet.DeviceName(i), 10) {
				return false
			}
		}
		return true
	})
	if err != nil {
		t.Fatalf("readings: %v; devices %+v", err, tally.Devices())
	}
	for _, d := range tally.Devices() {
		if d.Duplicates != 0 || d.Missing != 0 {
			t.Errorf("device %s: %s", d.Name, d.Line())
		}
	}
}

// publishRaw sends payloads to topic at QoS 1, retained if asked, in
// order on one connection (the broker keeps the order of one
// connection's messages, not of several). It returns once the broker has
// routed them: mochi acknowledges a message before it routes it, so the
// acknowledgement of one more, on another topic, says that it has.
func publishRaw(t *testing.T, url, topic string, retained bool, payloads ...string) {
	t.Helper()
	c := paho.NewClient(paho.NewClientOptions().AddBroker(strings.Replace(url, "mqtt://", "tcp://", 1)).SetClientID("pub-raw"))
	if tok := c.Connect(); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		t.Fatal(tok.Error())
	}
	defer c.Disconnect(0)
	for _, payload := range payloads {
		if tok := c.Publish(topic, 1, retained, payload); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
			t.Fatal(tok.Error())
		}
	}
	if tok := c.Publish("test/routed", 1, false, "."); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		t.Fatal(tok.Error())
	}
}

// payload is reading #seq of device as publish sends it.
func payload(device string, seq uint64) string {
	r := mqtt.Reading{Device: device, Seq: seq, At: time.Duration(seq) * 2 * time.Second, Data: []byte(`{"temp":21}`)}
	return string(r.AppendPayload(nil))
}

// What is not a reading of this run is named and not counted: a retained
// reading an earlier run left, a payload that is not JSON, a reading
// numbered #0 (numbers start at #1: counted, it would hide a missing
// one). Here #2 is missing, and the exit status says so.
func TestTelemetryCommandNotReadings(t *testing.T) {
	br, err := broker.Start(broker.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer br.Close()
	old := mqtt.Reading{Device: "pico-1", Seq: 500, At: time.Second, Data: []byte(`{"temp":20}`)}
	publishRaw(t, br.URL(), "coop/pico-1/t", true, string(old.AppendPayload(nil)))
	out, errOut, done := startTelemetry(t, br.URL(), "--count", "2", "--from-start")
	// The broker sends the retained message after its SUBACK: wait for
	// it, so that it comes first.
	for !strings.Contains(out.String(), "retained") {
		select {
		case code := <-done:
			t.Fatalf("exit %d before the retained message, output\n%s", code, out.String())
		case <-time.After(time.Millisecond):
		}
	}
	publishRaw(t, br.URL(), "coop/pico-1/t", false, "not json",
		`{"device":"pico-1","seq":0,"ms":0,"data":null}`,
		`{"device":"","seq":1,"ms":0,"data":null}`,
		payload("pico-1", 1), payload("pico-1", 3))
	code := <-done
	want := `coop/pico-1/t: retained, from before the subscription: not counted
coop/pico-1/t: not a reading (8 bytes)
coop/pico-1/t: not a reading (46 bytes)
coop/pico-1/t: not a reading (40 bytes)
pico-1 #1 at 2s {"temp":21}
pico-1 #3 at 6s {"temp":21}  (#2 missing)
pico-1  received 2  last #3 at 6s  missing 1  duplicates 0
`
	if out.String() != want || code != exitFail {
		t.Errorf("exit %d, output\n%s\nwant exit 1 and\n%s\nstderr %s", code, out.String(), want, errOut.String())
	}
}

// Two devices publishing as pico-1: the second one's readings carry
// numbers already received, with other readings. They are named
// conflicts, not duplicates, and the exit status is 1.
func TestTelemetryCommandConflict(t *testing.T) {
	br, err := broker.Start(broker.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer br.Close()
	out, errOut, done := startTelemetry(t, br.URL(), "--count", "3")
	other := mqtt.Reading{Device: "pico-1", Seq: 1, At: 7 * time.Second, Data: []byte(`{"temp":30}`)}
	publishRaw(t, br.URL(), "coop/pico-1/t", false,
		payload("pico-1", 1), payload("pico-1", 2), string(other.AppendPayload(nil)), payload("pico-1", 3))
	code := <-done
	want := `pico-1 #1 at 2s {"temp":21}
pico-1 #2 at 4s {"temp":21}
pico-1 #1 at 7s {"temp":30}  (another reading numbered #1: two devices named pico-1?)
pico-1 #3 at 6s {"temp":21}
pico-1  received 4  last #3 at 6s  missing 0  duplicates 0  conflicting 1 (other readings under numbers already received: two devices named pico-1?)
`
	if out.String() != want || code != exitFail {
		t.Errorf("exit %d, output\n%s\nwant exit 1 and\n%s\nstderr %s", code, out.String(), want, errOut.String())
	}
}

// A stray reading numbered near 2^64 does not make the readings missing
// elsewhere count for nothing: the exit status is 1.
func TestTelemetryCommandHugeNumber(t *testing.T) {
	br, err := broker.Start(broker.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer br.Close()
	out, errOut, done := startTelemetry(t, br.URL(), "--count", "3", "--from-start")
	publishRaw(t, br.URL(), "coop/x/t", false, `{"device":"x","seq":18446744073709551615,"ms":0,"data":null}`,
		payload("pico-1", 1), payload("pico-1", 3))
	code := <-done
	want := `x #18446744073709551615 at 0s null  (#1–#18446744073709551614 missing)
pico-1 #1 at 2s {"temp":21}
pico-1 #3 at 6s {"temp":21}  (#2 missing)
pico-1  received 2  last #3 at 6s  missing 1  duplicates 0
x  received 1  last #18446744073709551615 at 0s  missing 9223372036854775807  duplicates 0
`
	if out.String() != want || code != exitFail {
		t.Errorf("exit %d, output\n%s\nwant exit 1 and\n%s\nstderr %s", code, out.String(), want, errOut.String())
	}
}

// When the broker goes away, coop telemetry says so, and again when it
// has subscribed again; the readings after count as before.
func TestTelemetryCommandBrokerRestart(t *testing.T) {
	br, err := broker.Start(broker.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer br.Close()
	out, errOut, done := startTelemetry(t, br.URL(), "--count", "2")
	subscribed := errOut.String()
	waitErr := func(text string) {
		t.Helper()
		for !strings.Contains(errOut.String(), text) {
			select {
			case code := <-done:
				t.Fatalf("exit %d before %q, stderr\n%s", code, text, errOut.String())
			case <-time.After(time.Millisecond):
			}
		}
	}
	publishRaw(t, br.URL(), "coop/pico-1/t", false, payload("pico-1", 1))
	if err := br.Stop(); err != nil {
		t.Fatal(err)
	}
	waitErr(" lost: ")
	if err := br.Restart(); err != nil {
		t.Fatal(err)
	}
	waitErr("subscribed again")
	publishRaw(t, br.URL(), "coop/pico-1/t", false, payload("pico-1", 2))
	code := <-done
	want := `pico-1 #1 at 2s {"temp":21}
pico-1 #2 at 4s {"temp":21}
pico-1  received 2  last #2 at 4s  missing 0  duplicates 0
`
	wantErr := regexp.MustCompile(`^` + regexp.QuoteMeta(subscribed) +
		`coop: telemetry: connection to ` + regexp.QuoteMeta(br.URL()) + ` lost: [^\n]+; connecting again\n` +
		`coop: subscribed again to coop/# on ` + regexp.QuoteMeta(br.URL()) + `\n$`)
	if out.String() != want || code != exitOK || !wantErr.MatchString(errOut.String()) {
		t.Errorf("exit %d, output\n%s\nstderr\n%s\nwant exit 0 and\n%s", code, out.String(), errOut.String(), want)
	}
}
