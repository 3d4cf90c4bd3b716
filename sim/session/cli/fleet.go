package cli

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/coopgo/coop/fleet"
	"github.com/coopgo/coop/mqtt"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/sim/session"
)

// FleetText says what a fleet run does and prints, for help texts.
const FleetText = `Simulates N devices in virtual time, each its own board, loop, flash and
device id (dev-00000, dev-00001…), all running the same program and
publishing to one MQTT broker, and prints what arrived: readings received
and per second of wall time, the latency from a reading taken to the
broker's acknowledgement in board time (p50, p99), readings lost and
duplicated, readings still pending in the devices' outboxes, and the heap
per device. The fleet learns of deliveries and pending readings from
mqtt.Uplink, which the program publishes through; the subscriber counts
what arrives. The devices run without the program's scenario (one
board's story: its broker steps would stop the whole fleet's broker). A
progress bar runs on standard error when it is a terminal. Exit status 1
if a reading was lost or a device failed.

With no --broker the devices publish to an embedded broker; with one,
over TCP (or TLS for mqtts://). --shard K/N simulates the devices whose
index i has i % N == K-1, so that N processes, on N machines, sharing one
broker, simulate one fleet: each counts its own devices' readings.
Credentials come from the URL, --user and --password, or COOP_MQTT_USER
and COOP_MQTT_PASSWORD; they are never printed.
`

// FleetFlags are the flags of a fleet run, parsed by [ParseFleet]:
// `coop fleet`'s and a program's own under device.Main (with --devices)
// are the same.
type FleetFlags struct {
	devices        int
	d              time.Duration
	broker         string
	brokerCA       string
	tls            *tls.Config // from broker and brokerCA
	seed           uint64
	shard          string
	k, n           int
	user, password string
	rtt            time.Duration
	set            []*flag.Flag // the fleet's flags that were given
}

// fleetFlagSet defines the flags of a fleet run in fs, for f.
func fleetFlagSet(fs *flag.FlagSet, f *FleetFlags) {
	fs.IntVar(&f.devices, "devices", 0, "how many devices the fleet has, `N`, every shard included (required)")
	fs.DurationVar(&f.d, "for", 0, "how long each device runs, in board time, `D`, such as 1h (required)")
	fs.StringVar(&f.broker, "broker", "", "the broker, `URL` mqtt://host:port or mqtts://host:port (default: an embedded one)")
	fs.StringVar(&f.brokerCA, "broker-ca", "", "for an mqtts:// --broker, trust only the certificate authorities in this PEM `file` instead of the system's")
	fs.Uint64Var(&f.seed, "seed", 0, "seeds the devices: device i gets `S`+i")
	fs.StringVar(&f.shard, "shard", "1/1", "simulate shard `K/N` of the devices")
	fs.StringVar(&f.user, "user", "", "the broker's user `name` (or "+EnvMQTTUser+")")
	fs.StringVar(&f.password, "password", "", "the broker's `password` (or "+EnvMQTTPassword+")")
	fs.DurationVar(&f.rtt, "rtt", RTT, "round trip between a device and the broker, in board time, `D`")
}

// ParseFleet parses the arguments of a fleet run, flags before and after
// the positional arguments, which it returns. Its error wraps
// flag.ErrHelp for -h and --help; otherwise its message is the line to
// print after "coop: ". name is the command ("fleet") for messages.
func ParseFleet(name string, args []string, extra ExtraFlags) (FleetFlags, []string, error) {
	var f FleetFlags
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fleetFlagSet(fs, &f)
	own := map[string]bool{}
	fs.VisitAll(func(fl *flag.Flag) { own[fl.Name] = true })
	var check func(set map[string]bool) error
	if extra != nil {
		check = extra(fs)
	}
	pos, err := ParseArgs(fs, name, args)
	if err != nil {
		return f, nil, err
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) {
		set[fl.Name] = true
		if own[fl.Name] {
			f.set = append(f.set, fl)
		}
	})
	switch {
	case f.devices < 1:
		err = fmt.Errorf("%s: --devices N is required, at least 1", name)
	case f.d <= 0:
		err = fmt.Errorf("%s: --for D is required, more than 0s, such as --for 1h", name)
	case f.d > MaxFor:
		err = fmt.Errorf("%s: --for %v: the duration must be at most %v", name, f.d, MaxFor)
	case f.rtt < 0:
		err = fmt.Errorf("%s: --rtt %v: the round trip must not be negative", name, f.rtt)
	default:
		f.k, f.n, err = fleet.ParseShard(f.shard)
	}
	switch {
	case err == nil && f.broker != "":
		var u mqtt.BrokerURL
		if u, err = mqtt.ParseURL(f.broker); err == nil {
			f.tls, err = BrokerTLS(u, f.brokerCA)
		}
	case err == nil && f.brokerCA != "":
		err = errors.New("--broker-ca: give it with an mqtts:// --broker")
	}
	if err == nil && check != nil {
		err = check(set)
	}
	if f.user == "" {
		f.user = os.Getenv(EnvMQTTUser)
	}
	if f.password == "" {
		f.password = os.Getenv(EnvMQTTPassword)
	}
	return f, pos, err
}

// FleetUsage writes the flags of a fleet run, with the extra ones, as
// [Usage] does a run's.
func FleetUsage(w io.Writer, extra ExtraFlags) error {
	fs := flag.NewFlagSet("", flag.ContinueOnError)
	fleetFlagSet(fs, &FleetFlags{})
	if extra != nil {
		extra(fs)
	}
	_, err := io.WriteString(w, FlagHelp(fs))
	return err
}

// Args returns the fleet's flags that were given, --name=value, for the
// same fleet run by a program in another process (`coop fleet --app
// ./DIR`), and the environment that carries the broker's credentials
// there, COOP_MQTT_USER and COOP_MQTT_PASSWORD, rather than the
// command line, which other users of the machine can read.
func (f FleetFlags) Args() (args, env []string) {
	for _, fl := range f.set {
		value := fl.Value.String()
		switch fl.Name {
		case "user", "password":
			continue
		case "broker-ca":
			// The program runs in its own directory.
			if abs, err := filepath.Abs(value); err == nil {
				value = abs
			}
		}
		args = append(args, "--"+fl.Name+"="+value)
	}
	if f.user != "" {
		env = append(env, EnvMQTTUser+"="+f.user)
	}
	if f.password != "" {
		env = append(env, EnvMQTTPassword+"="+f.password)
	}
	return args, env
}

// isFleet reports whether args ask for a fleet run: --devices is among
// its flags.
func isFleet(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		name, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-"), "=")
		if strings.HasPrefix(a, "-") && name == "devices" {
			return true
		}
	}
	return false
}

// RunFleet runs p as a fleet of simulated devices as f asks, prints what
// it measured on stdio.Out, and returns the exit status: [ExitFail] if a
// reading was lost, a device failed or the broker could not be reached.
// p's Scenario is not run.
func RunFleet(p Program, f FleetFlags, stdio Stdio) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	bar := newProgressBar(stdio.Err)
	where := "an embedded broker"
	if f.broker != "" {
		if u, err := mqtt.ParseURL(f.broker); err == nil {
			where = u.String()
		}
	}
	fmt.Fprintf(stdio.Err, "coop: fleet: %d of %d devices (shard %d/%d) × %v of board time, %s, on %s\n",
		len(fleet.ShardDevices(f.devices, f.k, f.n)), f.devices, f.k, f.n, f.d, p.Name, where)
	res, err := fleet.Run(ctx, fleet.Config{
		Program: fleet.Program{Name: p.Name, Board: p.Board, Wiring: p.Wiring, Parts: p.Parts, App: p.App},
		Devices: f.devices, For: f.d, Broker: f.broker,
		Username: f.user, Password: f.password, TLS: f.tls, Seed: f.seed, Shard: f.k, Shards: f.n, RTT: f.rtt,
		Progress: bar.set,
		OnBroker: func(url string) {
			host, port, _ := strings.Cut(strings.TrimPrefix(url, "mqtt://"), ":")
			fmt.Fprintf(stdio.Err, "coop: broker on %s: mosquitto_sub -h %s -p %s -t 'coop/#' -v\n", url, host, port)
		},
	})
	bar.done()
	if err != nil {
		fmt.Fprintf(stdio.Err, "coop: %v\n", err)
		return ExitFail
	}
	if err := writeFleetResult(stdio.Out, res); err != nil {
		fmt.Fprintf(stdio.Err, "coop: %v\n", err)
		return ExitFail
	}
	writeFailures(stdio.Err, res.Failed)
	if res.Lost > 0 || len(res.Failed) > 0 {
		return ExitFail
	}
	return ExitOK
}

// mainFleet is [Main] with --devices: app as a fleet, wired by
// diagram.json of the current directory.
func mainFleet(name string, app session.App, parts []*sim.PartType, args []string, stdio Stdio) int {
	f, pos, err := ParseFleet("fleet", args, nil)
	if code, end := endOnArgs(name, pos, err, stdio, func(w *strings.Builder) {
		fmt.Fprintf(w, "Usage: go run . --devices N --for D [flags]\n\nRuns %s as a fleet.\n\n%s\nFlags:\n\n", name, FleetText)
		FleetUsage(w, nil)
	}); end {
		return code
	}
	p := Program{Name: name, App: app, Parts: parts}
	if p.Wiring, err = readDefault(WiringFile); err != nil {
		fmt.Fprintf(stdio.Err, "coop: %v\n", err)
		return ExitUsage
	}
	if p.Wiring.Data == nil {
		fmt.Fprintf(stdio.Err, "coop: %s: no %s here: a fleet's devices are wired by it\n", name, WiringFile)
		return ExitUsage
	}
	return RunFleet(p, f, stdio)
}

// writeFleetResult prints a fleet's result, one measure a line.
func writeFleetResult(w io.Writer, r fleet.Result) error {
	lat := "- (the program reports no deliveries: it does not publish through mqtt.Uplink)"
	switch {
	case r.P99 > 0 || r.P50 > 0:
		lat = fmt.Sprintf("p50 %v  p99 %v  (board time, reading to broker acknowledgement)", r.P50, r.P99)
	case r.Pending > 0:
		lat = fmt.Sprintf("- (the broker acknowledged no reading: the devices still hold them; "+
			"a round trip (--rtt) as long as a device waits for the broker's answer, %v by default, keeps it from connecting)",
			mqtt.DefaultAckTimeout)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "devices     %d (%s)\n", len(r.Devices), deviceRange(r.Devices))
	fmt.Fprintf(&b, "messages    %d received in %v: %.0f msgs/s\n", r.Received, r.Wall.Round(time.Millisecond), r.MsgsPerSecond())
	fmt.Fprintf(&b, "latency     %s\n", lat)
	fmt.Fprintf(&b, "lost        %d\n", r.Lost)
	fmt.Fprintf(&b, "duplicated  %d\n", r.Duplicates)
	fmt.Fprintf(&b, "pending     %d (still in the devices' outboxes)\n", r.Pending)
	fmt.Fprintf(&b, "memory      %d KiB of heap per device\n", r.HeapPerDevice/1024)
	_, err := io.WriteString(w, b.String())
	return err
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
	return &progressBar{w: w, on: IsTerminal(w), last: -1}
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

// writeFailures writes a line for each failed device, and after the first
// device to panic with a message, the stack of its task: devices running
// one program tend to fail alike, and a thousand copies of one stack say
// no more than one. A later panic with the same message says where its
// stack is.
func writeFailures(w io.Writer, failed []fleet.Failure) {
	shown := map[string]string{} // panic message → the device whose stack was written
	for _, f := range failed {
		pe := panicOf(f.Err)
		if pe == nil {
			fmt.Fprintf(w, "coop: fleet: %s\n", f)
			continue
		}
		if first, ok := shown[pe.Error()]; ok {
			fmt.Fprintf(w, "coop: fleet: %s (the stack is %s's, above)\n", f, first)
			continue
		}
		shown[pe.Error()] = f.Device
		fmt.Fprintf(w, "coop: fleet: %s\n%s\n", f, stackText(pe))
	}
}
