package mqtt_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/mqtt"
	"github.com/coopgo/coop/sim"
)

// With no Wi-Fi, the outbox fills; at its capacity it drops the oldest
// readings (the default policy), and the uplink says which on the
// console: the loss is told, not silent. Records of 33 bytes, segments of
// 128 (three records) and a capacity of 256: the 8th reading drops the
// first segment, #1–#3, the 11th the next, #4–#6. The board is told too
// (hw.TelemetryDropBoard), for a fleet that counts them lost.
func TestUplinkTellsOutboxDrops(t *testing.T) {
	d := newDevice(t, sim.NetConfig{})
	var lines []string
	d.b.Observe(sim.ObserverFuncs{
		OnConsole: func(at time.Duration, line string) {
			if strings.HasPrefix(line, "outbox") {
				lines = append(lines, fmt.Sprintf("%v %s", at, line))
			}
		},
		OnDropped: func(at time.Duration, from, to uint64) {
			lines = append(lines, fmt.Sprintf("%v board told #%d–#%d dropped", at, from, to))
		},
	})
	var st mqtt.OutboxStats
	err := d.l.RunUntilComplete(d.l.Spawn("main", func(t *coop.Task) error {
		up, err := mqtt.StartUplink(t, d.b, mqtt.UplinkConfig{SSID: "nowhere", Broker: "broker:1883", Device: "d",
			Outbox: mqtt.OutboxConfig{SegmentSize: 128, Capacity: 256}})
		if err != nil {
			return err
		}
		defer func() {
			for _, task := range up.Tasks {
				task.Cancel()
			}
		}()
		for i := 1; i <= 12; i++ {
			if seq, err := up.Record(t, "n", []byte("1")); err != nil || seq != uint64(i) {
				return fmt.Errorf("reading %d: #%d, %v", i, seq, err)
			}
			if err := t.Sleep(time.Second); err != nil {
				return err
			}
		}
		st = up.Outbox.Stats()
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"7s outbox full: #1–#3 dropped, the oldest unacknowledged",
		"7s board told #1–#3 dropped",
		"10s outbox full: #4–#6 dropped, the oldest unacknowledged",
		"10s board told #4–#6 dropped",
	}
	if !slices.Equal(lines, want) {
		t.Errorf("console\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if st.Dropped != 6 || st.Pending != 6 || st.Acked != 6 || st.NextSeq != 13 {
		t.Errorf("outbox %+v, want 6 dropped, #7–#12 pending", st)
	}
}

// A device name is one level of its readings' topics: one that cannot be
// is refused as the uplink starts, with what is allowed, not at the first
// reading.
func TestUplinkRefusesBadDeviceName(t *testing.T) {
	tests := []struct {
		device, want string
	}{
		{"kitchen/1", `mqtt: bad topic: device name "kitchen/1": it is one level of its topics (coop/DEVICE/NAME), so it may not hold '/', '+' or '#'`},
		{"d+", `mqtt: bad topic: device name "d+": it is one level of its topics (coop/DEVICE/NAME), so it may not hold '/', '+' or '#'`},
		{"#", `mqtt: bad topic: device name "#": it is one level of its topics (coop/DEVICE/NAME), so it may not hold '/', '+' or '#'`},
		{"d\x00", `mqtt: bad topic "coop/d\x00": `},
	}
	for _, tt := range tests {
		t.Run(tt.device, func(t *testing.T) {
			d := newDevice(t, sim.NetConfig{})
			err := d.l.RunUntilComplete(d.l.Spawn("main", func(t *coop.Task) error {
				_, err := mqtt.StartUplink(t, d.b, mqtt.UplinkConfig{SSID: "nowhere", Broker: "broker:1883", Device: tt.device})
				return err
			}))
			if !errors.Is(err, mqtt.ErrBadTopic) || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("StartUplink with device %q: %v, want %s…", tt.device, err, tt.want)
			}
		})
	}
}
