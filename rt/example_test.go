package rt_test

import (
	"fmt"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/rt"
	"github.com/coopgo/coop/sim"
)

// The book's railroad lights with every deterministic technique, on a
// simulated pyboard, each toggle followed by 5 ms of work.
func ExampleCompareRailroad() {
	rig := func() (*coop.Loop, hw.Board, error) {
		l := coop.NewLoop(coop.WithVirtualClock())
		b, err := sim.NewBoard(l, "pyboard", sim.Config{Seed: 1})
		return l, b, err
	}
	c, err := rt.CompareRailroad(rt.RailroadConfig{Rig: rig, Work: 5 * time.Millisecond},
		rt.TechRoundRobin, rt.TechTimers, rt.TechEvent, rt.TechAsync, rt.TechPeriodic)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(c)
	// Output:
	// technique   toggles  phase p50  phase max  skew max  jitter max  latency max  cpu   same trace
	// roundrobin  38       90ms       185ms      5ms       10ms        -            6.3%  yes, 2 runs
	// timers      38       0s         5ms        5ms       0s          5ms          6.3%  yes, 2 runs
	// event       38       0s         5ms        5ms       0s          5ms          6.3%  yes, 2 runs
	// async       40       50ms       100ms      5ms       5ms         -            6.7%  yes, 2 runs
	// periodic    38       0s         5ms        5ms       0s          -            6.3%  yes, 2 runs
}

// A control task with a 20 ms budget whose third job works 50 ms: the miss
// is counted and reported, and the task goes on.
func ExamplePeriodic() {
	l := coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	var p *rt.PeriodicTask
	l.Spawn("main", func(t *coop.Task) error {
		jobs := 0
		p = rt.Periodic(t, "ctl", rt.Contract{
			Period: 50 * time.Millisecond, Deadline: 40 * time.Millisecond, Budget: 20 * time.Millisecond,
			OnMiss: func(m rt.Miss) { fmt.Println("miss:", m) },
		}, func(t *coop.Task) error {
			if jobs++; jobs == 3 {
				t.Busy(50 * time.Millisecond)
			} else {
				t.Busy(5 * time.Millisecond)
			}
			return nil
		})
		return nil
	})
	l.RunFor(520 * time.Millisecond)
	fmt.Println(p.Stats())
	// Output:
	// miss: task "ctl", job released at 150ms: done at 200ms, 10ms past its 40ms deadline; ran 50ms, over its 20ms budget
	// ctl: period 50ms, deadline 40ms, budget 20ms, 10 jobs, jitter p50=0s p99=0s max=0s, exec max 50ms, response max 50ms, 1 deadline misses, 1 budget overruns, 0 skipped
}

// A watchdog fed every 50 ms by one task, starved by another that blocks
// the loop for 300 ms.
func ExampleWatchdog() {
	wd := &rt.Watchdog{Timeout: 200 * time.Millisecond, OnReset: func(r rt.Reset) { fmt.Println(r) }}
	l := coop.NewLoop(coop.WithVirtualClock(), coop.WithTaskEvents(wd.ObserveTask))
	defer l.Close()
	l.Spawn("feeder", func(t *coop.Task) error {
		for {
			wd.Feed()
			if err := t.Sleep(50 * time.Millisecond); err != nil {
				return err
			}
		}
	})
	l.Spawn("flash writer", func(t *coop.Task) error {
		if err := t.Sleep(500 * time.Millisecond); err != nil {
			return err
		}
		t.Busy(300 * time.Millisecond) // erasing a sector, blocking
		return nil
	})
	wd.Start(l)
	l.RunFor(time.Second)
	// Output:
	// watchdog reset at 800ms (expired at 650ms): not fed for 350ms (timeout 200ms), last fed by task "feeder" at 450ms; task "flash writer" held the loop for 300ms
}
