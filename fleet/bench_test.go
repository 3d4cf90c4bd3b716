package fleet_test

import (
	"context"
	"flag"
	"testing"
	"time"

	"github.com/coopgo/coop/fleet"
)

var (
	benchDevices = flag.Int("fleet.devices", 1000, "devices of BenchmarkFleet")
	benchFor     = flag.Duration("fleet.for", time.Hour, "board time of BenchmarkFleet")
)

// BenchmarkFleet runs 1,000 devices for a board-hour each, a reading every
// 2 s (1.8 million messages), through the embedded broker, and reports the
// wall time, the messages per second and the heap per device:
//
//	go test -run '^$' -bench Fleet -benchtime 1x ./fleet
//	go test -run '^$' -bench Fleet -benchtime 1x ./fleet -fleet.for 3m   # a shorter run
func BenchmarkFleet(b *testing.B) {
	for b.Loop() {
		res, err := fleet.Run(context.Background(), fleet.Config{Program: sensor(), Devices: *benchDevices, For: *benchFor, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		if res.Lost != 0 || len(res.Failed) > 0 {
			b.Fatalf("lost %d, failed %v", res.Lost, res.Failed)
		}
		b.ReportMetric(res.Wall.Seconds(), "wall-s")
		b.ReportMetric(res.MsgsPerSecond(), "msgs/s")
		b.ReportMetric(float64(res.Received), "msgs")
		b.ReportMetric(float64(res.HeapPerDevice)/1024, "heap-KiB/device")
		b.ReportMetric(float64(res.P99.Milliseconds()), "p99-board-ms")
	}
}
