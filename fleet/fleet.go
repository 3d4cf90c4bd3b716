// Package fleet simulates many devices at once, in virtual time, all
// publishing to one MQTT broker, and measures what arrives: messages per
// second, end-to-end latency in board time, readings lost and duplicated.
//
// Each device is its own session (package session): its own board, loop,
// flash and device id, run on its own goroutine. With no broker URL, Run
// starts an embedded broker (package broker) and the devices reach it in
// the process; with one, they reach it over TCP (or TLS), so that several
// processes, on several machines, each simulating a shard of the devices,
// make one fleet on one broker:
//
//	coop fleet --devices 10000 --for 1h --shard 3/8 --broker mqtt://broker:1883
//
// The shards of N are disjoint and together complete: shard K of N
// simulates the devices whose index i (0 ≤ i < devices) has i % N == K-1,
// named dev-00000, dev-00001…
package fleet

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"maps"
	"math"
	"net"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coopgo/coop/mqtt"
	"github.com/coopgo/coop/mqtt/broker"
	"github.com/coopgo/coop/mqtt/telemetry"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/sim/session"
)

// Program is what every device of a fleet runs.
type Program struct {
	// Name names the program in messages ("mqtt-sensor").
	Name string
	// Board, Wiring and Scenario are as in session.Config.
	Board    string
	Wiring   session.File
	Scenario session.File
	// Parts are the program's own part types, as in session.Config.
	Parts []*sim.PartType
	// App is the program every device runs. The fleet learns of the
	// readings it publishes through mqtt.Uplink, which reports them to
	// the board (hw.TelemetryBoard): the ones the broker acknowledged,
	// when, and how many wait in the outbox. A program that publishes
	// otherwise is counted by the subscriber alone.
	App session.App
}

// Config configures [Run].
type Config struct {
	Program Program
	// Devices is the size of the whole fleet, every shard included.
	Devices int
	// For is how long each device runs, in board time.
	For time.Duration
	// Broker is the broker's URL; "" starts an embedded one.
	Broker string
	// Username and Password, if set, override the URL's.
	Username, Password string
	// TLS configures an mqtts:// Broker, for the devices and the
	// subscriber (see broker.TLSConfig); nil means the system's roots.
	TLS *tls.Config
	// Seed seeds the devices: device i gets Seed+i.
	Seed uint64
	// Shard and Shards select the slice of the devices this process
	// simulates: shard K of N (1 ≤ K ≤ N). Zero means 1 of 1.
	Shard, Shards int
	// RTT is the round trip between a device and the broker, in board
	// time; zero means 20 ms.
	RTT time.Duration
	// Drain bounds, in wall time, how long Run waits after the devices
	// end for the readings they delivered to reach the subscriber; zero
	// means 30 s.
	Drain time.Duration
	// Progress, if set, is told how far the run is, from 0 to 1, from
	// time to time, on a goroutine of its own.
	Progress func(done float64)
	// OnBroker, if set, is told where the embedded broker listens, once
	// it does.
	OnBroker func(url string)
}

// Result is what a fleet run measured.
type Result struct {
	Devices  []string      // the devices this process simulated
	Board    time.Duration // board time each ran
	Wall     time.Duration // wall time of the run, until the last reading arrived
	Received int           // readings received by the subscriber, once each
	// Duplicates counts readings received more than once (QoS 1 resends).
	Duplicates int
	// Lost counts readings the broker acknowledged that never reached the
	// subscriber, readings the devices dropped unacknowledged (an outbox
	// full after a long outage), and gaps in the sequence numbers
	// received.
	Lost int
	// Pending counts readings still in the devices' outboxes at the end,
	// as the program last reported them.
	Pending int
	// Delivered counts readings the broker acknowledged, as the program
	// reported them.
	Delivered int
	// P50 and P99 are the latency from a reading taken to the broker's
	// acknowledgement, in board time; zero when the program reports no
	// deliveries (it does not publish through mqtt.Uplink).
	P50, P99 time.Duration
	// Failed lists the devices whose session failed, with why, in the
	// devices' order.
	Failed []Failure
	// HeapPerDevice is the Go heap in use per device at the busiest
	// moment measured, in bytes.
	HeapPerDevice uint64
}

// Failure is a device whose session failed, and why: its program's
// error (a *coop.PanicError, with the task's stack, for a panic).
type Failure struct {
	Device string
	Err    error
}

// String returns "DEVICE: ERROR".
func (f Failure) String() string { return f.Device + ": " + f.Err.Error() }

// MsgsPerSecond is the readings received per second of wall time.
func (r Result) MsgsPerSecond() float64 {
	if r.Wall <= 0 {
		return 0
	}
	return float64(r.Received) / r.Wall.Seconds()
}

// DeviceName names device i of the fleet.
func DeviceName(i int) string { return fmt.Sprintf("dev-%05d", i) }

// ShardDevices returns the indexes shard k of n simulates out of devices.
func ShardDevices(devices, k, n int) []int {
	var idx []int
	for i := k - 1; i < devices; i += n {
		idx = append(idx, i)
	}
	return idx
}

// ParseShard parses "K/N" (1 ≤ K ≤ N).
func ParseShard(s string) (k, n int, err error) {
	a, b, ok := strings.Cut(s, "/")
	if ok {
		k, err = strconv.Atoi(a)
		if err == nil {
			n, err = strconv.Atoi(b)
		}
	}
	if !ok || err != nil || n < 1 || k < 1 || k > n {
		return 0, 0, fmt.Errorf("fleet: shard %q: want K/N with 1 ≤ K ≤ N, such as 1/4", s)
	}
	return k, n, nil
}

// device is one simulated device and what it reported.
type device struct {
	name  string
	index int
	s     *session.Session
	now   atomic.Int64 // its board time at its last delivery, for progress
	mu    sync.Mutex
	// delivered holds the sequence numbers the broker acknowledged,
	// latency how many took each time from taken to acknowledged: both
	// cost the same however long the device runs.
	delivered telemetry.Runs
	// dropped holds the numbers the program dropped unacknowledged (a
	// full outbox), as it reported them.
	dropped telemetry.Runs
	latency map[time.Duration]int
	pending int // as the program last reported, on the device's goroutine
	err     error
}

// Run simulates the fleet's shard and returns what it measured. Its error
// is bad input or a broker that cannot be reached; devices that fail are
// listed in Result.Failed.
func Run(ctx context.Context, cfg Config) (Result, error) {
	if cfg.Devices < 1 {
		return Result{}, errors.New("fleet: --devices must be at least 1")
	}
	if cfg.For <= 0 {
		return Result{}, errors.New("fleet: --for must be more than 0s")
	}
	if cfg.Shards == 0 {
		cfg.Shard, cfg.Shards = 1, 1
	}
	if cfg.Shard < 1 || cfg.Shard > cfg.Shards {
		return Result{}, fmt.Errorf("fleet: shard %d/%d: want 1 ≤ K ≤ N", cfg.Shard, cfg.Shards)
	}
	if cfg.RTT <= 0 {
		cfg.RTT = 20 * time.Millisecond
	}
	if cfg.Drain <= 0 {
		cfg.Drain = 30 * time.Second
	}
	start := time.Now()

	var dial func(context.Context, string) (net.Conn, error)
	var server sim.Server
	var embedded *broker.Broker
	url := cfg.Broker
	if url == "" {
		// No store: a fleet's broker is not restarted, and the store
		// would serialise every message.
		br, err := broker.Start(broker.Config{Memory: true})
		if err != nil {
			return Result{}, err
		}
		defer br.Close()
		url = br.URL()
		dial, server, embedded = br.Dial, br, br
		if cfg.OnBroker != nil {
			cfg.OnBroker(url)
		}
	} else {
		u, err := mqtt.ParseURL(url)
		if err != nil {
			return Result{}, err
		}
		dial = broker.Dialer(u, cfg.TLS)
		if cfg.Username == "" {
			cfg.Username, cfg.Password = u.Username, u.Password
		}
	}

	// The subscriber counts this shard's devices.
	idx := ShardDevices(cfg.Devices, cfg.Shard, cfg.Shards)
	devs := make([]*device, len(idx))
	mine := make(map[string]bool, len(idx))
	for j, i := range idx {
		devs[j] = &device{name: DeviceName(i), index: i, latency: map[time.Duration]int{}}
		mine[devs[j].name] = true
	}
	tally := &telemetry.Tally{}
	accept := func(r mqtt.Reading) bool { return mine[r.Device] }
	var wait func(ctx context.Context, cond func(*telemetry.Tally) bool) error
	if embedded != nil {
		// In the process, the tally is fed as the broker routes: it
		// cannot fall behind a burst of a thousand devices.
		w := newWaiter(tally)
		if err := embedded.Subscribe(telemetry.DefaultFilter, func(_ string, payload []byte) {
			if r, err := telemetry.Parse(payload); err == nil && accept(r) {
				tally.Add(r)
				w.notify()
			}
		}); err != nil {
			return Result{}, err
		}
		wait = w.wait
	} else {
		subCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
		sub, err := telemetry.Subscribe(subCtx, telemetry.Config{
			URL: url, Username: cfg.Username, Password: cfg.Password, TLS: cfg.TLS,
			ClientID: fmt.Sprintf("coop-fleet-%d-of-%d", cfg.Shard, cfg.Shards),
			// Not what an earlier run left in the session.
			Fresh:  true,
			Accept: accept,
		}, tally)
		cancel()
		if err != nil {
			return Result{}, fmt.Errorf("fleet: %w", err)
		}
		defer sub.Close()
		wait = sub.WaitFor
	}

	for _, d := range devs {
		s, err := session.New(cfg.Program.App, session.Config{
			Name:     cfg.Program.Name, // Result.Failed puts the device's name before its errors
			Board:    cfg.Program.Board,
			Wiring:   cfg.Program.Wiring,
			Scenario: cfg.Program.Scenario,
			Parts:    cfg.Program.Parts,
			Virtual:  true,
			For:      cfg.For,
			Seed:     cfg.Seed + uint64(d.index),
			DeviceID: d.name,
			Network:  sim.NetConfig{Dial: dial, RTT: cfg.RTT, Server: server},
		})
		if err != nil {
			return Result{}, err
		}
		if cfg.Username != "" {
			// The devices' credentials, where mqtt.Uplink finds them.
			if err := writeSecrets(s.Board(), cfg.Username, cfg.Password); err != nil {
				return Result{}, fmt.Errorf("fleet: %s: %w", d.name, err)
			}
		}
		s.Observe(session.Observer{
			Delivered: func(at time.Duration, seq uint64, taken time.Duration) {
				d.now.Store(int64(at)) // how far the device is, for the progress
				d.mu.Lock()
				d.delivered.Add(seq)
				d.latency[at-taken]++
				d.mu.Unlock()
			},
			Pending: func(_ time.Duration, n int) { d.pending = n },
			Dropped: func(_ time.Duration, from, to uint64) {
				d.mu.Lock()
				for seq := from; seq <= to; seq++ {
					d.dropped.Add(seq)
				}
				d.mu.Unlock()
			},
		})
		d.s = s
	}

	var heap atomic.Uint64
	stop := make(chan struct{})
	var watch sync.WaitGroup
	watch.Go(func() {
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > heap.Load() {
				heap.Store(ms.HeapInuse)
			}
			if cfg.Progress != nil {
				var sum time.Duration
				for _, d := range devs {
					sum += time.Duration(d.now.Load())
				}
				cfg.Progress(float64(sum) / float64(cfg.For) / float64(len(devs)))
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	})

	var wg sync.WaitGroup
	for _, d := range devs {
		wg.Go(func() {
			d.err = d.s.Run(ctx)
			d.now.Store(int64(cfg.For))
		})
	}
	wg.Wait()

	// Wait for every delivered reading to reach the subscriber, or for
	// the drain time to pass. Not for the ones a device dropped: they
	// never come.
	drain, cancelDrain := context.WithTimeout(ctx, cfg.Drain)
	wait(drain, func(t *telemetry.Tally) bool {
		for _, d := range devs {
			d.mu.Lock()
			ok := t.HasEvery(d.name, &d.delivered)
			d.mu.Unlock()
			if !ok {
				return false
			}
		}
		return true
	})
	cancelDrain()
	close(stop)
	watch.Wait()
	if cfg.Progress != nil {
		cfg.Progress(1)
	}

	res := Result{Board: cfg.For, Wall: time.Since(start)}
	per := map[string]telemetry.Device{}
	for _, td := range tally.Devices() {
		per[td.Name] = td
	}
	lat := map[time.Duration]int{}
	for _, d := range devs {
		res.Devices = append(res.Devices, d.name)
		if d.err != nil {
			res.Failed = append(res.Failed, Failure{Device: d.name, Err: d.err})
		}
		td := per[d.name]
		res.Received += td.Received - td.Duplicates - td.Conflicts
		res.Duplicates += td.Duplicates
		res.Pending += d.pending
		res.Delivered += d.delivered.Len()
		res.Lost = addSat(res.Lost, addSat(td.Missing, d.lostAbove(td.Highest)))
		for l, n := range d.latency {
			lat[l] += n
		}
	}
	res.P50, res.P99 = percentile(lat, 50), percentile(lat, 99)
	res.HeapPerDevice = heap.Load() / uint64(len(devs))
	return res, nil
}

// lostAbove counts the readings numbered above highest, the highest the
// subscriber received, that will never arrive: those the broker
// acknowledged, and those the program dropped. (The ones below are the
// subscriber's gaps.)
func (d *device) lostAbove(highest uint64) int {
	n := d.delivered.CountAbove(highest)
	for _, seq := range d.dropped.Seqs(nil) {
		if seq > highest && !d.delivered.Has(seq) {
			n++
		}
	}
	return n
}

// addSat returns a + b, counts not negative, math.MaxInt if larger: a
// stray reading with a huge number must not wrap the count of lost ones
// round to nothing.
func addSat(a, b int) int {
	if a > math.MaxInt-b {
		return math.MaxInt
	}
	return a + b
}

// percentile returns the p-th percentile of the latencies counted in lat
// (how many there were of each): the one at index (n-1)·p/100 of the n
// sorted; 0 if there are none.
func percentile(lat map[time.Duration]int, p int) time.Duration {
	keys := slices.Sorted(maps.Keys(lat))
	n := 0
	for _, l := range keys {
		n += lat[l]
	}
	at := (n - 1) * p / 100
	for _, l := range keys {
		if at < lat[l] {
			return l
		}
		at -= lat[l]
	}
	return 0
}

// writeSecrets puts the broker's credentials in b's flash.
func writeSecrets(b *sim.Board, user, password string) error {
	f, err := b.Flash()
	if err != nil {
		return err
	}
	return mqtt.WriteSecrets(f, user, password)
}

// waiter lets Run wait on a tally fed in the process, checked at each
// reading.
type waiter struct {
	tally *telemetry.Tally
	mu    sync.Mutex
	ch    chan struct{}
}

func newWaiter(t *telemetry.Tally) *waiter { return &waiter{tally: t, ch: make(chan struct{})} }

func (w *waiter) notify() {
	w.mu.Lock()
	close(w.ch)
	w.ch = make(chan struct{})
	w.mu.Unlock()
}

func (w *waiter) wait(ctx context.Context, cond func(*telemetry.Tally) bool) error {
	for {
		w.mu.Lock()
		ch := w.ch
		w.mu.Unlock()
		if cond(w.tally) {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
