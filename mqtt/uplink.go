package mqtt

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/internal/topic"
)

// SecretsFile is the flash file the broker's credentials may be kept in,
// rather than in the program: the user name on its first line, the
// password on its second (as CircuitPython keeps Wi-Fi's in
// settings.toml). `coop run --broker mqtt://user:password@host` writes it
// into the simulated board's flash.
const SecretsFile = "mqtt.secrets"

// WriteSecrets keeps the broker's credentials in f's SecretsFile.
func WriteSecrets(f hw.Flash, user, password string) error {
	return f.WriteFile(SecretsFile, []byte(user+"\n"+password+"\n"))
}

// readSecrets reads f's SecretsFile, if there is one.
func readSecrets(f hw.Flash) (user, password string, ok bool) {
	data, err := f.ReadFile(SecretsFile)
	if err != nil {
		return "", "", false
	}
	s := string(data)
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			user, password = s[:i], s[i+1:]
			for len(password) > 0 && (password[len(password)-1] == '\n' || password[len(password)-1] == '\r') {
				password = password[:len(password)-1]
			}
			return user, password, user != ""
		}
	}
	return s, "", s != ""
}

// UplinkConfig configures [StartUplink].
type UplinkConfig struct {
	// SSID and Password are the Wi-Fi network to keep joined.
	SSID, Password string
	// Broker is the broker's "host:port".
	Broker string
	// Username and BrokerPassword are the broker's credentials, if it
	// wants some; if Username is empty, they are read from the flash's
	// SecretsFile, if it is there.
	Username, BrokerPassword string
	// Device names the device in readings, topics and its MQTT client
	// id; "" means hw.DeviceID of the board.
	Device string
	// Check is how often the Wi-Fi link is checked; zero means 2 s.
	Check time.Duration
	// Client configures the MQTT client; Addr, ClientID, credentials and
	// OnStatus are set by the uplink. Zero fields take the client's
	// defaults, but MaxBackoff, which is 10 s here: a device back online
	// should not wait a minute.
	Client Config
	// Outbox configures the flash outbox.
	Outbox OutboxConfig
	// Quiet, if set, prints nothing on the console.
	Quiet bool
	// OnDelivered, if set, is told of each reading the broker has
	// acknowledged, with the board time it did (see ForwardConfig).
	// The board is told too, whatever this is ([hw.ReportDelivered]),
	// and of the readings pending after each change
	// ([hw.ReportPending]): a fleet of simulated devices counts them so.
	OnDelivered func(r Record, at time.Duration)
}

// Uplink keeps a device's readings flowing to a broker, losing none: it
// keeps the Wi-Fi joined, keeps an MQTT connection, and publishes the
// readings recorded in its flash [Outbox] in order, at QoS 1. It is what
// mqtt_as gives a MicroPython program, plus the outbox that survives
// resets and power cuts.
//
// Its tasks, spawned by StartUplink from the caller's task: "wifi" (joins
// again after an outage), "mqtt" ([Client.Run]) and "uplink"
// ([Outbox.Forward]). It prints its changes of state on the console:
//
//	Wi-Fi connected
//	MQTT connected, 3 to send
//	MQTT down: mqtt: connection lost: sim: stream to broker:1883: hw: network link is down
//
// It tells the board of each reading the broker acknowledged, of the
// readings pending ([hw.TelemetryBoard]) and of those dropped
// unacknowledged ([hw.TelemetryDropBoard]), so that a simulator counts
// the program's deliveries, their latency and its losses, without knowing
// the program.
type Uplink struct {
	Client *Client
	Outbox *Outbox
	// Tasks are the uplink's tasks: cancel them to stop it.
	Tasks  []*coop.Task
	device string
	board  hw.Board
	quiet  bool
}

// StartUplink opens the board's Wi-Fi, network and flash, recovers the
// outbox, and spawns the uplink's tasks from t.
func StartUplink(t *coop.Task, b hw.Board, cfg UplinkConfig) (*Uplink, error) {
	wlan, err := hw.OpenWLAN(b)
	if err != nil {
		return nil, err
	}
	n, err := hw.OpenNetwork(b)
	if err != nil {
		return nil, err
	}
	f, err := hw.OpenFlash(b)
	if err != nil {
		return nil, err
	}
	if cfg.Device == "" {
		cfg.Device = hw.DeviceID(b)
	}
	if err := checkDevice(cfg.Device); err != nil {
		return nil, err
	}
	if cfg.Check <= 0 {
		cfg.Check = 2 * time.Second
	}
	if cfg.Username == "" {
		if user, password, ok := readSecrets(f); ok {
			cfg.Username, cfg.BrokerPassword = user, password
		}
	}
	o, err := OpenOutbox(f, cfg.Outbox)
	if err != nil {
		return nil, err
	}
	u := &Uplink{Outbox: o, device: cfg.Device, board: b, quiet: cfg.Quiet}
	u.reportPending()
	cc := cfg.Client
	cc.Addr = cfg.Broker
	cc.ClientID = cfg.Device
	cc.Username, cc.Password = cfg.Username, cfg.BrokerPassword
	if cc.MaxBackoff <= 0 {
		cc.MaxBackoff = 10 * time.Second
	}
	lastDown := ""
	cc.OnStatus = func(s Status, err error) {
		switch {
		case s == Connected:
			lastDown = ""
			u.printf("MQTT connected, %d to send\n", o.Stats().Pending)
		case s == Disconnected && err != nil:
			// Once per cause: a device retrying through an outage
			// does not fill the console.
			if msg := err.Error(); msg != lastDown {
				lastDown = msg
				u.printf("MQTT down: %v\n", err)
			}
		}
	}
	u.Client = New(n, cc)
	if st := o.Stats(); st.Pending > 0 || st.Torn > 0 {
		u.printf("outbox: %d kept from #%d, %d torn\n", st.Pending, st.Acked+1, st.Torn)
	}
	var online coop.Event // set once the Wi-Fi has joined
	wifi := t.Spawn("wifi", func(t *coop.Task) error {
		defer wlan.Disconnect()
		var failed error // the last failure printed
		for {
			if !wlan.Status().Connected() {
				if err := wlan.Connect(t, cfg.SSID, cfg.Password); err != nil {
					if cerr := t.Check(); cerr != nil {
						return cerr
					}
					if failed == nil || failed.Error() != err.Error() {
						u.printf("Wi-Fi: %v\n", err)
					}
					failed = err
				} else {
					failed = nil
					online.Set()
					u.printf("Wi-Fi connected\n")
				}
			}
			if err := t.Sleep(cfg.Check); err != nil {
				return err
			}
		}
	})
	client := t.Spawn("mqtt", func(t *coop.Task) error {
		if err := online.Wait(t); err != nil {
			return err
		}
		return u.Client.Run(t)
	})
	fwd := t.Spawn("uplink", func(t *coop.Task) error {
		return o.Forward(t, u.Client, ForwardConfig{
			Device: cfg.Device,
			OnDelivered: func(r Record, at time.Duration) {
				hw.ReportDelivered(b, r.Seq, r.At)
				u.reportPending()
				if cfg.OnDelivered != nil {
					cfg.OnDelivered(r, at)
				}
			},
			OnDrop: func(r Record, err error) {
				u.printf("reading #%d dropped: %v\n", r.Seq, err)
				hw.ReportDropped(b, r.Seq, r.Seq)
				u.reportPending()
			},
		})
	})
	u.Tasks = []*coop.Task{wifi, client, fwd}
	return u, nil
}

// checkDevice refuses a device name that cannot be one level of its
// readings' topics, coop/DEVICE/NAME: at the start, not at the first
// reading.
func checkDevice(device string) error {
	if strings.ContainsAny(device, "/+#") {
		return fmt.Errorf("%w: device name %s: it is one level of its topics (coop/DEVICE/NAME), so it may not hold '/', '+' or '#'",
			ErrBadTopic, topic.Quote(device))
	}
	return checkName("coop/" + device) // a NUL, not UTF-8, too long
}

// Device returns the device's id.
func (u *Uplink) Device() string { return u.device }

// Topic returns "coop/DEVICE/name", the topic of the device's readings
// called name.
func (u *Uplink) Topic(name string) string { return "coop/" + u.device + "/" + name }

// Record keeps data, a JSON value, as a reading on the device's topic
// name, taken now on t's clock, and returns its sequence number: it is
// in flash when Record returns nil, and will be published. When the
// outbox is full its policy applies (see [Outbox.Append]), and the
// console says what was lost:
//
//	outbox full: #1–#3 dropped, the oldest unacknowledged
func (u *Uplink) Record(t *coop.Task, name string, data []byte) (uint64, error) {
	before := u.Outbox.Stats()
	seq, err := u.Outbox.Append(u.Topic(name), t.Now(), data)
	if err != nil && errors.Is(err, ErrOutboxFull) {
		u.printf("outbox full: %v\n", err)
	}
	if after := u.Outbox.Stats(); after.Dropped > before.Dropped && after.Acked > before.Acked {
		// The oldest pending, numbered from the mark on, were dropped.
		lo, hi := before.Acked+1, after.Acked
		if lo == hi {
			u.printf("outbox full: #%d dropped, the oldest unacknowledged\n", lo)
		} else {
			u.printf("outbox full: #%d–#%d dropped, the oldest unacknowledged\n", lo, hi)
		}
		hw.ReportDropped(u.board, lo, hi)
	}
	u.reportPending()
	return seq, err
}

// reportPending tells the board how many readings the outbox keeps
// (hw.ReportPending), for a simulator that counts them.
func (u *Uplink) reportPending() { hw.ReportPending(u.board, u.Outbox.Stats().Pending) }

func (u *Uplink) printf(format string, a ...any) {
	if !u.quiet {
		u.board.Console().Printf(format, a...)
	}
}

// Status describes the uplink in one line, for a status display:
// "MQTT connected, 0 pending, 0 dropped".
func (u *Uplink) Status() string {
	st := u.Outbox.Stats()
	return fmt.Sprintf("MQTT %v, %d pending, %d dropped", u.Client.Status(), st.Pending, st.Dropped)
}
