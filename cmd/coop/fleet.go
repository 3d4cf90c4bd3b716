package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"time"

	"github.com/coopgo/coop/examples"
	mqttsensor "github.com/coopgo/coop/examples/mqtt-sensor"
	"github.com/coopgo/coop/fleet"
	"github.com/coopgo/coop/mqtt"
	"github.com/coopgo/coop/sim/session"
	"github.com/coopgo/coop/sim/session/cli"
)

const fleetHelp = `Usage: coop fleet --devices N --for D [flags]

Simulates N devices in virtual time, each its own board, loop, flash and
device id (dev-00000, dev-00001…), all running the same program and
publishing to one MQTT broker, and prints what arrived: readings received
and per second of wall time, the latency from a reading taken to the
broker's acknowledgement in board time (p50, p99), readings lost and
duplicated, and the heap per device. A progress bar runs on standard
error when it is a terminal. Exit status 1 if a reading was lost or a
device failed.

With no --broker the devices publish to an embedded broker; with one,
over TCP (or TLS for mqtts://). --shard K/N simulates the devices whose
index i has i % N == K-1, so that N processes, on N machines, sharing one
broker, simulate one fleet: each counts its own devices' readings.

The program is --app NAME, an example that publishes through the flash
outbox (mqtt-sensor by default). Credentials come from the URL, --user and
--password, or COOP_MQTT_USER and COOP_MQTT_PASSWORD; they are never
printed.

Flags:

`

type fleetFlags struct {
	devices        *int
	d              *time.Duration
	app, broker    *string
	brokerCA       *string
	seed           *uint64
	shard          *string
	user, password *string
	rtt            *time.Duration
}

func newFleetFlags(fs *flag.FlagSet) fleetFlags {
	return fleetFlags{
		devices:  fs.Int("devices", 0, "how many devices the fleet has, `N` (every shard included)"),
		d:        fs.Duration("for", 0, "how long each device runs, in board time, `D` (1h)"),
		app:      fs.String("app", "mqtt-sensor", "the example every device runs, `NAME`"),
		broker:   fs.String("broker", "", "the broker, `URL` mqtt://host:port or mqtts://host:port (default: an embedded one)"),
		brokerCA: fs.String("broker-ca", "", "for an mqtts:// --broker, trust only the certificate authorities in this PEM `file` instead of the system's"),
		seed:     fs.Uint64("seed", 0, "seeds the devices: device i gets `S`+i"),
		shard:    fs.String("shard", "1/1", "simulate shard `K/N` of the devices"),
		user:     fs.String("user", "", "the broker's user `name` (or "+envUser+")"),
		password: fs.String("password", "", "the broker's `password` (or "+envPassword+")"),
		rtt:      fs.Duration("rtt", 20*time.Millisecond, "round trip between a device and the broker, in board time, `D`"),
	}
}

func fleetUsage() string {
	fs := flag.NewFlagSet("fleet", flag.ContinueOnError)
	newFleetFlags(fs)
	return fleetHelp + cli.FlagHelp(fs)
}

// fleetProgram makes example p a fleet's program: mqtt-sensor reports its
// deliveries, for the latency; the others run as they are.
func fleetProgram(p examples.Program) fleet.Program {
	fp := fleet.Program{Name: p.Name, Board: p.Board,
		Wiring: session.File{Name: "examples/" + p.Name + "/" + examples.WiringFile, Data: p.Wiring}}
	if p.Name == "mqtt-sensor" {
		fp.App = func(delivered func(mqtt.Record, time.Duration)) session.App {
			return mqttsensor.NewApp(mqttsensor.Options{Quiet: true, OnDelivered: delivered})
		}
	} else {
		fp.App = func(func(mqtt.Record, time.Duration)) session.App { return p.App }
	}
	return fp
}

// fleetCommand is `coop fleet`.
func fleetCommand(programs []examples.Program, args []string, stdio cli.Stdio) int {
	fs := flag.NewFlagSet("fleet", flag.ContinueOnError)
	f := newFleetFlags(fs)
	pos, err := cli.ParseArgs(fs, "fleet", args)
	if errors.Is(err, flag.ErrHelp) {
		return cli.WriteHelp(stdio, fleetUsage())
	}
	var k, n int
	switch {
	case err != nil:
	case len(pos) > 0:
		err = fmt.Errorf("fleet takes no arguments, got %q", pos[0])
	case *f.devices < 1:
		err = errors.New("fleet: --devices N is required, at least 1")
	case *f.d <= 0:
		err = errors.New("fleet: --for D is required, more than 0s, such as --for 1h")
	case *f.rtt < 0:
		err = errors.New("fleet: --rtt must not be negative")
	default:
		k, n, err = fleet.ParseShard(*f.shard)
	}
	var tlsConfig *tls.Config
	switch {
	case err == nil && *f.broker != "":
		var u mqtt.BrokerURL
		if u, err = mqtt.ParseURL(*f.broker); err == nil {
			tlsConfig, err = cli.BrokerTLS(u, *f.brokerCA)
		}
	case err == nil && *f.brokerCA != "":
		err = errors.New("--broker-ca: give it with an mqtts:// --broker")
	}
	var p examples.Program
	if err == nil {
		p, err = findProgram(programs, *f.app)
	}
	if err != nil {
		fmt.Fprintf(stdio.Err, "coop: %v\n", err)
		return exitUsage
	}
	user, password := *f.user, *f.password
	if user == "" {
		user = os.Getenv(envUser)
	}
	if password == "" {
		password = os.Getenv(envPassword)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	bar := newProgressBar(stdio.Err)
	where := "an embedded broker"
	if *f.broker != "" {
		where = redactURL(*f.broker)
	}
	fmt.Fprintf(stdio.Err, "coop: fleet: %d of %d devices (shard %d/%d) × %v of board time, %s, on %s\n",
		len(fleet.ShardDevices(*f.devices, k, n)), *f.devices, k, n, *f.d, p.Name, where)
	res, err := fleet.Run(ctx, fleet.Config{
		Program: fleetProgram(p), Devices: *f.devices, For: *f.d, Broker: *f.broker,
		Username: user, Password: password, TLS: tlsConfig, Seed: *f.seed, Shard: k, Shards: n, RTT: *f.rtt,
		Progress: bar.set,
		OnBroker: func(url string) {
			host, port, _ := strings.Cut(strings.TrimPrefix(url, "mqtt://"), ":")
			fmt.Fprintf(stdio.Err, "coop: broker on %s: mosquitto_sub -h %s -p %s -t 'coop/#' -v\n", url, host, port)
		},
	})
	bar.done()
	if err != nil {
		fmt.Fprintf(stdio.Err, "coop: %v\n", err)
		return exitFail
	}
	writeFleetResult(stdio.Out, res)
	for _, fail := range res.Failed {
		fmt.Fprintf(stdio.Err, "coop: fleet: %s\n", fail)
	}
	if res.Lost > 0 || len(res.Failed) > 0 {
		return exitFail
	}
	return exitOK
}

// writeFleetResult prints a fleet's result, one measure a line.
func writeFleetResult(w io.Writer, r fleet.Result) {
	lat := "- (the program does not report deliveries)"
	if r.P99 > 0 || r.P50 > 0 {
		lat = fmt.Sprintf("p50 %v  p99 %v  (board time, reading to broker acknowledgement)", r.P50, r.P99)
	}
	fmt.Fprintf(w, "devices     %d (%s)\n", len(r.Devices), deviceRange(r.Devices))
	fmt.Fprintf(w, "messages    %d received in %v: %.0f msgs/s\n", r.Received, r.Wall.Round(time.Millisecond), r.MsgsPerSecond())
	fmt.Fprintf(w, "latency     %s\n", lat)
	fmt.Fprintf(w, "lost        %d\n", r.Lost)
	fmt.Fprintf(w, "duplicated  %d\n", r.Duplicates)
	fmt.Fprintf(w, "pending     %d (still in the devices' outboxes)\n", r.Pending)
	fmt.Fprintf(w, "memory      %d KiB of heap per device\n", r.HeapPerDevice/1024)
}

// deviceRange names the first and last devices, or all of them if few.
func deviceRange(devs []string) string {
	if len(devs) <= 4 {
		return strings.Join(devs, " ")
	}
	return devs[0] + " " + devs[1] + " … " + devs[len(devs)-1]
}

// progressBar draws a bar on a terminal: [#####-----] 50%.
type progressBar struct {
	mu   sync.Mutex
	w    io.Writer
	on   bool
	last int
}

func newProgressBar(w io.Writer) *progressBar {
	return &progressBar{w: w, on: cli.IsTerminal(w), last: -1}
}

func (b *progressBar) set(done float64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	pct := int(min(max(done, 0), 1) * 100)
	if !b.on || pct == b.last {
		return
	}
	b.last = pct
	const width = 40
	fill := pct * width / 100
	fmt.Fprintf(b.w, "\r[%s%s] %3d%%", strings.Repeat("#", fill), strings.Repeat("-", width-fill), pct)
}

func (b *progressBar) done() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.on && b.last >= 0 {
		fmt.Fprint(b.w, "\r\033[K")
	}
}
