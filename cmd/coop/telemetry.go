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

	"github.com/coopgo/coop/mqtt"
	"github.com/coopgo/coop/mqtt/telemetry"
	"github.com/coopgo/coop/sim/session/cli"
)

// Environment variables for a broker's credentials, so that they need not
// be on a command line.
const (
	envUser     = cli.EnvMQTTUser
	envPassword = cli.EnvMQTTPassword
)

const telemetryHelp = `Usage: coop telemetry --broker URL [flags]

Subscribes to the readings coop's devices publish (topic coop/#) and
prints each as it arrives, per device, with gaps and duplicates named:

  pico-1 #41 at 1m22s {"temp":24,"hum":58}
  pico-1 #43 at 1m26s {"temp":24,"hum":58}  (#42 missing)
  pico-1 #42 at 1m24s {"temp":24,"hum":58}  (late)
  pico-1 #43 again  (duplicate)

At the end (Ctrl-C, or --for) it prints a line per device: readings
received, the last, how many are missing and how many came twice (or, on
standard error, that no reading came). A
number that comes again with another reading is named a conflict: two
devices publish under one name. The
subscription is a persistent session (client id --client-id): readings
published while it is away wait at the broker for its return. When the
connection to the broker is lost, it says so on stderr, connects again,
and says when it has subscribed again.

Credentials come from the URL, --user and --password, or the environment
(COOP_MQTT_USER, COOP_MQTT_PASSWORD); they are never printed.

A device's readings are counted from the first one this run receives:
those before it were published before the session first subscribed, or
received by an earlier run of it. With --from-start they are counted
from #1, for a session that subscribed before the devices began.

Exit status: 0 no reading missing, 1 a reading missing, a conflict or the
broker out of reach, 2 bad usage.

Flags:

`

// telemetryConfig is what coop telemetry's flags say.
type telemetryConfig struct {
	broker, brokerCA, topic, id, user, password string
	d                                           time.Duration
	count                                       int
	fromStart                                   bool
}

func telemetryFlags(fs *flag.FlagSet) *telemetryConfig {
	c := &telemetryConfig{}
	fs.StringVar(&c.broker, "broker", "", "the broker, `URL` mqtt://host:port or mqtts://host:port")
	fs.StringVar(&c.brokerCA, "broker-ca", "", "for an mqtts:// --broker, trust only the certificate authorities in this PEM `file` instead of the system's")
	fs.StringVar(&c.topic, "topic", telemetry.DefaultFilter, "the topic `filter` to subscribe to")
	fs.StringVar(&c.id, "client-id", "coop-telemetry", "the subscriber's client `id`, its session at the broker")
	fs.StringVar(&c.user, "user", "", "the broker's user `name` (or "+envUser+")")
	fs.StringVar(&c.password, "password", "", "the broker's `password` (or "+envPassword+")")
	fs.DurationVar(&c.d, "for", 0, "stop after `D` of wall time (0: at Ctrl-C)")
	fs.IntVar(&c.count, "count", 0, "stop after `N` readings (0: no limit)")
	fs.BoolVar(&c.fromStart, "from-start", false, "count readings missing from each device's #1, for a session that subscribed before the devices began to publish")
	return c
}

func telemetryUsage() string {
	fs := flag.NewFlagSet("telemetry", flag.ContinueOnError)
	telemetryFlags(fs)
	return telemetryHelp + cli.FlagHelp(fs)
}

// telemetryCommand is `coop telemetry`.
func telemetryCommand(args []string, stdio cli.Stdio) int {
	fs := flag.NewFlagSet("telemetry", flag.ContinueOnError)
	c := telemetryFlags(fs)
	pos, err := cli.ParseArgs(fs, "telemetry", args)
	if errors.Is(err, flag.ErrHelp) {
		return cli.WriteHelp(stdio, telemetryUsage())
	}
	switch {
	case err != nil:
	case len(pos) > 0:
		err = fmt.Errorf("telemetry takes no arguments, got %q", pos[0])
	case c.broker == "":
		err = errors.New("telemetry: --broker URL is required, such as --broker mqtt://127.0.0.1:1883")
	case c.d < 0 || c.count < 0:
		err = errors.New("telemetry: --for and --count must not be negative")
	default:
		if ferr := telemetry.CheckFilter(c.topic); ferr != nil {
			err = fmt.Errorf("telemetry: --topic %q: %w", c.topic, ferr)
		}
	}
	var tlsConfig *tls.Config
	if err == nil {
		var u mqtt.BrokerURL
		if u, err = mqtt.ParseURL(c.broker); err == nil {
			tlsConfig, err = cli.BrokerTLS(u, c.brokerCA)
		}
	}
	if err != nil {
		fmt.Fprintf(stdio.Err, "coop: %v\n", err)
		return exitUsage
	}
	if c.user == "" {
		c.user = os.Getenv(envUser)
	}
	if c.password == "" {
		c.password = os.Getenv(envPassword)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var received int
	done := make(chan struct{})
	var once sync.Once
	tally := &telemetry.Tally{FromFirst: !c.fromStart}
	p := &telemetryPrinter{w: stdio.Out, fromFirst: tally.FromFirst, highest: map[string]uint64{}}
	connectCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
	sub, err := telemetry.Subscribe(connectCtx, telemetry.Config{
		URL: c.broker, Username: c.user, Password: c.password, ClientID: c.id, Filter: c.topic, TLS: tlsConfig,
		OnReading: func(topic string, r mqtt.Reading, first bool) {
			p.reading(r, first)
			received++
			if c.count > 0 && received >= c.count {
				once.Do(func() { close(done) })
			}
		},
		OnConflict: func(topic string, r mqtt.Reading) { p.conflict(r) },
		OnConnection: func(err error) {
			if err != nil {
				fmt.Fprintf(stdio.Err, "coop: %v\n", err)
				return
			}
			fmt.Fprintf(stdio.Err, "coop: subscribed again to %s on %s\n", c.topic, redactURL(c.broker))
		},
		OnOther: func(topic string, payload []byte, err error) {
			if errors.Is(err, telemetry.ErrRetained) {
				fmt.Fprintf(stdio.Out, "%s: retained, from before the subscription: not counted\n", topic)
				return
			}
			fmt.Fprintf(stdio.Out, "%s: not a reading (%d bytes)\n", topic, len(payload))
		},
	}, tally)
	cancel()
	if err != nil {
		fmt.Fprintf(stdio.Err, "coop: %v\n", err)
		return exitFail
	}
	fmt.Fprintf(stdio.Err, "coop: subscribed to %s on %s\n", c.topic, redactURL(c.broker))
	var timeout <-chan time.Time
	if c.d > 0 {
		timer := time.NewTimer(c.d)
		defer timer.Stop()
		timeout = timer.C
	}
	select {
	case <-ctx.Done():
	case <-done:
	case <-timeout:
	}
	sub.Close()
	devs := tally.Devices()
	if len(devs) == 0 {
		fmt.Fprintf(stdio.Err, "coop: no readings: nothing was published on %s while subscribed\n", c.topic)
	}
	failed := false
	for _, dev := range devs {
		fmt.Fprintln(stdio.Out, dev.Line())
		failed = failed || dev.Missing > 0 || dev.Conflicts > 0
	}
	if failed {
		return exitFail
	}
	return exitOK
}

// telemetryPrinter prints readings as they arrive, one goroutine at a
// time (the subscriber's).
type telemetryPrinter struct {
	w         io.Writer
	fromFirst bool // as the tally counts: from each device's first reading received, not from #1
	mu        sync.Mutex
	highest   map[string]uint64 // by device, the highest number received
}

// conflict prints a reading numbered as one received before, but another.
func (p *telemetryPrinter) conflict(r mqtt.Reading) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "%s #%d at %v %s  (another reading numbered #%d: two devices named %s?)\n", r.Device, r.Seq, r.At, dataText(r), r.Seq, r.Device)
}

// dataText is a reading's data as printed: null if it has none.
func dataText(r mqtt.Reading) string {
	if len(r.Data) == 0 {
		return "null"
	}
	return string(r.Data)
}

func (p *telemetryPrinter) reading(r mqtt.Reading, first bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !first {
		fmt.Fprintf(p.w, "%s #%d again  (duplicate)\n", r.Device, r.Seq)
		return
	}
	note := ""
	switch h, known := p.highest[r.Device]; {
	case !known && p.fromFirst && r.Seq > 1:
		note = fmt.Sprintf("  (the first received: %s not counted)", telemetry.SeqRange(1, r.Seq-1))
	case r.Seq > h+1:
		note = fmt.Sprintf("  (%s missing)", telemetry.SeqRange(h+1, r.Seq-1))
	case r.Seq <= h:
		note = "  (late)"
	}
	p.highest[r.Device] = max(p.highest[r.Device], r.Seq)
	fmt.Fprintf(p.w, "%s #%d at %v %s%s\n", r.Device, r.Seq, r.At, dataText(r), note)
}

// redactURL drops the credentials of a broker URL, for messages.
func redactURL(s string) string {
	u, err := mqtt.ParseURL(s)
	if err != nil {
		if i := strings.LastIndexByte(s, '@'); i >= 0 {
			return "…" + s[i:]
		}
		return s
	}
	return u.String()
}
