package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples"
	"github.com/coopgo/coop/fleet"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/internal/textmatch"
	"github.com/coopgo/coop/mqtt"
)

// counter records a reading through mqtt.Uplink every 2 s from 1 s on:
// a program the fleet knows nothing of.
func counter(t *coop.Task, b hw.Board) error {
	up, err := mqtt.StartUplink(t, b, mqtt.UplinkConfig{SSID: "Wokwi-GUEST", Broker: "broker.local:1883", Quiet: true})
	if err != nil {
		return err
	}
	if err := t.Sleep(time.Second); err != nil {
		return err
	}
	tick := coop.NewTicker(t, 2*time.Second)
	for n := 1; ; n++ {
		if _, err := up.Record(t, "n", strconv.AppendInt(nil, int64(n), 10)); err != nil {
			return err
		}
		if err := tick.Next(t); err != nil {
			return err
		}
	}
}

// programDir makes a program's directory, named counter, with the wiring
// of examples/mqtt-sensor if wired, and makes it the current directory.
func programDir(t *testing.T, wired bool) {
	dir := filepath.Join(t.TempDir(), "counter")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if wired {
		p, _ := examples.Find("mqtt-sensor")
		if err := os.WriteFile(filepath.Join(dir, WiringFile), p.Wiring, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
}

// With --devices, a program's Main runs it as a fleet: readings at 1 s,
// 3 s … 9 s, five a device, all acknowledged, the first once the Wi-Fi
// (2 s) and MQTT (2.04 s) are up.
func TestMainFleet(t *testing.T) {
	programDir(t, true)
	var out, errOut bytes.Buffer
	code := Main(counter, []string{"--devices=2", "--for", "10s"}, Stdio{Out: &out, Err: &errOut})
	want := `devices     2 (dev-00000 dev-00001)
messages    10 received in …: … msgs/s
latency     p50 20ms  p99 1.06s  (board time, reading to broker acknowledgement)
lost        0
duplicated  0
pending     0 (still in the devices' outboxes)
memory      … KiB of heap per device
`
	wantErr := "coop: fleet: 2 of 2 devices (shard 1/1) × 10s of board time, counter, on an embedded broker\n" +
		"coop: broker on mqtt://127.0.0.1:…: mosquitto_sub -h 127.0.0.1 -p … -t 'coop/#' -v\n"
	if code != ExitOK || !textmatch.Match(out.String(), want) || !textmatch.Match(errOut.String(), wantErr) {
		t.Errorf("Main(--devices=2 --for 10s) = %d\nstdout:\n%s\nstderr:\n%s\nwant 0, stdout:\n%s\nstderr:\n%s", code, out.String(), errOut.String(), want, wantErr)
	}

	out.Reset()
	if code := Main(counter, []string{"--devices", "1", "--help"}, Stdio{Out: &out, Err: &errOut}); code != ExitOK ||
		!strings.HasPrefix(out.String(), "Usage: go run . --devices N --for D [flags]\n\nRuns counter as a fleet.\n\nSimulates N devices in virtual time, each its own board, loop, flash and\n") ||
		!strings.Contains(out.String(), "  --shard K/N ") ||
		!strings.Contains(out.String(), "\n  --devices N     how many devices the fleet has, N, every shard included\n                  (required)\n  --for D         how long each device runs, in board time, D, such as 1h\n                  (required)\n") {
		t.Errorf("Main(--devices 1 --help) = %d\n%s", code, out.String())
	}
}

func TestMainFleet_badInput(t *testing.T) {
	for _, tt := range []struct {
		wired bool
		args  string
		want  string
	}{
		{false, "--devices 2 --for 10s", "coop: counter: no diagram.json here: a fleet's devices are wired by it\n"},
		{true, "--devices 2 --for 10s --pins", "coop: fleet: unknown flag --pins (flags: --broker, --broker-ca, --devices, --for, --password, --rtt, --seed, --shard, --user)\n"},
		{true, "--devices 2", "coop: fleet: --for D is required, more than 0s, such as --for 1h\n"},
		{true, "--for 10s --devices -1", "coop: fleet: --devices N is required, at least 1\n"},
		{true, "--devices 2 --for 10s --rtt -5ms", "coop: fleet: --rtt -5ms: the round trip must not be negative\n"},
		{true, "--devices 2 --for 10s --shard 4/3", "coop: fleet: shard \"4/3\": want K/N with 1 ≤ K ≤ N, such as 1/4\n"},
		{true, "--devices 2 --for 10s --broker http://h", "coop: mqtt: bad broker URL \"http://h\": scheme \"http\", want mqtt:// or mqtts://\n"},
		{true, "--devices 2 --for 10s extra", "coop: counter: unexpected argument \"extra\": a program takes flags only\n"},
	} {
		t.Run(tt.args, func(t *testing.T) {
			programDir(t, tt.wired)
			var out, errOut bytes.Buffer
			code := Main(counter, strings.Fields(tt.args), Stdio{Out: &out, Err: &errOut})
			if code != ExitUsage || out.Len() != 0 || errOut.String() != tt.want {
				t.Errorf("Main(%s) = %d\nstdout:\n%s\nstderr:\n%s\nwant 2, stderr:\n%s", tt.args, code, out.String(), errOut.String(), tt.want)
			}
		})
	}
}

// Args gives the fleet's flags back for another process, the broker's
// credentials in its environment rather than on its command line.
func TestFleetFlagsArgs(t *testing.T) {
	f, _, err := ParseFleet("fleet", []string{"--devices", "4", "--for=1h", "--shard", "2/2", "--user", "u", "--password", "secret"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	args, env := f.Args()
	if want := "--devices=4 --for=1h0m0s --shard=2/2"; strings.Join(args, " ") != want {
		t.Errorf("Args() = %q, want %q", args, want)
	}
	if strings.Join(env, " ") != EnvMQTTUser+"=u "+EnvMQTTPassword+"=secret" {
		t.Errorf("Args() env = %q", env)
	}
}

// The latency line says why there is no latency to give: no reading
// acknowledged while the devices hold some, or no deliveries reported.
func TestWriteFleetResultLatency(t *testing.T) {
	for _, tt := range []struct {
		name string
		r    fleet.Result
		want string
	}{
		{"acknowledged", fleet.Result{P50: 40 * time.Millisecond, P99: 90 * time.Millisecond, Received: 10},
			"latency     p50 40ms  p99 90ms  (board time, reading to broker acknowledgement)\n"},
		{"none acknowledged", fleet.Result{Pending: 183},
			"latency     - (the broker acknowledged no reading: the devices still hold them; a round trip (--rtt) as long as a device waits for the broker's answer, 5s by default, keeps it from connecting)\n"},
		{"no uplink", fleet.Result{Received: 10},
			"latency     - (the program reports no deliveries: it does not publish through mqtt.Uplink)\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			if err := writeFleetResult(&b, tt.r); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(b.String(), tt.want) {
				t.Errorf("result:\n%s\nwant the line\n%s", b.String(), tt.want)
			}
		})
	}
}

// A fleet's failed devices get a line each; the first device to panic
// with a message gets its task's stack after its line, and the others
// that panicked alike point to it, so that a thousand devices failing one
// way print one stack.
func TestWriteFailures(t *testing.T) {
	stack := func(fn string) []byte { return []byte("goroutine 7 [running]:\n" + fn + "()\n\t/src/app.go:12\n") }
	var b strings.Builder
	writeFailures(&b, []fleet.Failure{
		{Device: "dev-00000", Err: errors.New("knob: sensor not found")},
		{Device: "dev-00001", Err: &coop.PanicError{Value: "index out of range", Stack: stack("main.read")}},
		{Device: "dev-00002", Err: &coop.PanicError{Value: "index out of range", Stack: stack("main.read")}},
		{Device: "dev-00003", Err: fmt.Errorf("knob: %w", &coop.PanicError{Value: "nil map", Stack: stack("main.store")})},
	})
	want := `coop: fleet: dev-00000: knob: sensor not found
coop: fleet: dev-00001: panic: index out of range
goroutine 7 [running]:
main.read()
	/src/app.go:12
coop: fleet: dev-00002: panic: index out of range (the stack is dev-00001's, above)
coop: fleet: dev-00003: knob: panic: nil map
goroutine 7 [running]:
main.store()
	/src/app.go:12
`
	if b.String() != want {
		t.Errorf("written:\n%s\nwant:\n%s", b.String(), want)
	}
}
