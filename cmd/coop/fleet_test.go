package main

import (
	"strings"
	"testing"

	"github.com/coopgo/coop/internal/textmatch"
)

// beacon is the program in testdata/beacon as a fleet of three devices
// runs it for a board-minute: readings at 1 s, 3 s … 59 s, thirty a
// device, every one acknowledged by the minute's end; the first waits for
// the Wi-Fi, joined at 2 s, and MQTT, connected at 2.04 s, and is
// acknowledged a round trip later, at 2.06 s.
const beaconFleet = `devices     3 (dev-00000 dev-00001 dev-00002)
messages    90 received in …: … msgs/s
latency     p50 20ms  p99 1.06s  (board time, reading to broker acknowledgement)
lost        0
duplicated  0
pending     0 (still in the devices' outboxes)
memory      … KiB of heap per device
`

// coop fleet --app ./DIR builds the program in DIR and runs it as the
// fleet, with the fleet's flags passed on to device.Main.
func TestFleetApp(t *testing.T) {
	for _, tt := range []struct {
		args, stdout, stderr string
	}{
		{"--devices 3 --for 1m", beaconFleet, "coop: fleet: 3 of 3 devices (shard 1/1) × 1m0s of board time, beacon, on an embedded broker\n" +
			"coop: broker on mqtt://127.0.0.1:…: mosquitto_sub -h 127.0.0.1 -p … -t 'coop/#' -v\n"},
		// The shard reaches the program, and the seed is taken: one device of three,
		// dev-00001, whose one slow reading of thirty is under the 99th
		// percentile.
		{"--devices 3 --for 1m --shard 2/3 --seed 7",
			strings.NewReplacer("3 (dev-00000 dev-00001 dev-00002)", "1 (dev-00001)", "90 received", "30 received", "p99 1.06s", "p99 20ms").Replace(beaconFleet),
			"coop: fleet: 1 of 3 devices (shard 2/3) × 1m0s of board time, beacon, on an embedded broker\n" +
				"coop: broker on mqtt://127.0.0.1:…: mosquitto_sub -h 127.0.0.1 -p … -t 'coop/#' -v\n"},
	} {
		args := append([]string{"fleet", "--app", "./testdata/beacon"}, strings.Fields(tt.args)...)
		var out, errOut outBuffer
		code := run(args, nil, &out, &errOut)
		if code != exitOK || !textmatch.Match(out.String(), tt.stdout) || !textmatch.Match(errOut.String(), tt.stderr) {
			t.Errorf("coop %s = %d\nstdout:\n%s\nstderr:\n%s\nwant 0, stdout:\n%s\nstderr:\n%s",
				strings.Join(args, " "), code, out.String(), errOut.String(), tt.stdout, tt.stderr)
		}
	}
}

// A program's directory that is not there, holds no Go package or no
// main package is bad input, said in one line, before anything runs.
func TestFleetApp_badInput(t *testing.T) {
	for _, tt := range []struct{ args, want string }{
		{"--app ./nonexistent --devices 3 --for 1m", "coop: fleet ./nonexistent: no such file or directory\n"},
		{"--app ./testdata/metro.json --devices 3 --for 1m", "coop: fleet ./testdata/metro.json: not a directory\n"},
		{"--app ./testdata --devices 3 --for 1m", "coop: fleet ./testdata: not a Go package: no Go files in …\n"},
		{"--app ../../examples/blink --devices 3 --for 1m", "coop: fleet ../../examples/blink: package blink is not a program: a program's directory holds package main, whose main is device.Main(App) (coop new DIR writes one)\n"},
		{"--app ./testdata/beacon --devices 0 --for 1m", "coop: fleet: --devices N is required, at least 1\n"},
		{"--app ./testdata/beacon --devices 3 --for 1m --pins", "coop: fleet: unknown flag --pins (flags: --app, --broker, --broker-ca, --devices, --for, --password, --rtt, --seed, --shard, --user)\n"},
		{"--app= --devices 3 --for 1m", "coop: fleet: --app: the value is empty\n"},
	} {
		var out, errOut outBuffer
		code := run(append([]string{"fleet"}, strings.Fields(tt.args)...), nil, &out, &errOut)
		if code != exitUsage || out.String() != "" || !textmatch.Match(errOut.String(), tt.want) {
			t.Errorf("coop fleet %s = %d\nstdout:\n%s\nstderr:\n%s\nwant 2, stderr:\n%s", tt.args, code, out.String(), errOut.String(), tt.want)
		}
	}
}
