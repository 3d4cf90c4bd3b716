package fleet_test

import (
	"context"
	"errors"
	"io/fs"
	"slices"
	"testing"
	"time"

	"github.com/coopgo/coop"
	mqttsensor "github.com/coopgo/coop/examples/mqtt-sensor"
	"github.com/coopgo/coop/fleet"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/sim/session"
)

// sensor is examples/mqtt-sensor as a fleet program.
func sensor() fleet.Program {
	files := mqttsensor.Files()
	wiring, _ := fs.ReadFile(files, "diagram.json")
	return fleet.Program{
		Name:   "mqtt-sensor",
		Wiring: session.File{Name: "mqtt-sensor/diagram.json", Data: wiring},
		App:    mqttsensor.NewApp(mqttsensor.Options{Quiet: true}),
	}
}

func TestFleet(t *testing.T) {
	res, err := fleet.Run(context.Background(), fleet.Config{Program: sensor(), Devices: 5, For: time.Minute, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Failed) > 0 {
		t.Fatalf("failed devices: %v", res.Failed)
	}
	// Readings at 0s, 2s … 60s: 31 a device; the first two wait for the
	// Wi-Fi; the one of the last instant is still in flash when the run
	// ends, unacknowledged. The broker may or may not have it by then:
	// that race is in real time, after the board's last instant.
	if res.Delivered != 5*30 || res.Pending != 5 || res.Lost != 0 || res.Duplicates != 0 ||
		res.Received < res.Delivered || res.Received > res.Delivered+res.Pending {
		t.Errorf("result %+v", res)
	}
	if res.P50 != 20*time.Millisecond {
		t.Errorf("p50 latency %v, want the 20 ms round trip", res.P50)
	}
	if want := []string{"dev-00000", "dev-00001", "dev-00002", "dev-00003", "dev-00004"}; len(res.Devices) != 5 || res.Devices[4] != want[4] {
		t.Errorf("devices %v, want %v", res.Devices, want)
	}
}

// A device that fails is named once, before what failed.
func TestFleet_failed(t *testing.T) {
	p := sensor()
	p.Name = "broken"
	p.App = func(t *coop.Task, b hw.Board) error {
		if err := t.Sleep(time.Second); err != nil {
			return err
		}
		return errors.New("sensor not found")
	}
	res, err := fleet.Run(context.Background(), fleet.Config{Program: p, Devices: 2, For: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range res.Failed {
		got = append(got, f.String())
	}
	if want := []string{"dev-00000: broken: sensor not found", "dev-00001: broken: sensor not found"}; !slices.Equal(got, want) {
		t.Errorf("failed %q, want %q", got, want)
	}
}

func TestShards(t *testing.T) {
	seen := map[int]int{}
	for k := 1; k <= 3; k++ {
		for _, i := range fleet.ShardDevices(10, k, 3) {
			seen[i]++
		}
	}
	for i := 0; i < 10; i++ {
		if seen[i] != 1 {
			t.Errorf("device %d is in %d shards, want 1", i, seen[i])
		}
	}
	for _, bad := range []string{"0/2", "3/2", "1", "a/b", "1/0"} {
		if _, _, err := fleet.ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) = nil error", bad)
		}
	}
	if k, n, err := fleet.ParseShard("2/8"); k != 2 || n != 8 || err != nil {
		t.Errorf("ParseShard(2/8) = %d, %d, %v", k, n, err)
	}
}
