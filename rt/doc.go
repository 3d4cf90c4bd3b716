// Package rt holds the real-time scheduling techniques of embedded practice,
// runnable and measurable side by side on a coop loop: the chapter "Managing
// Real-Time Tasks" of MicroPython Projects, in Go.
//
// # Techniques
//
//   - Round-robin: [SuperLoop] calls a list of functions in turn, forever,
//     and reports how long a pass takes.
//   - Periodic timers: [Foreground] runs callbacks at a timer's frequency in
//     interrupt context, under MicroPython's ISR rules: work handed to the
//     loop through a bounded schedule queue (micropython.schedule), overruns
//     counted, the first failure kept in an emergency buffer
//     (micropython.alloc_emergency_exception_buf).
//   - Event-driven: [EventTask] and [OnEdge] turn an interrupt into a task
//     run through a [coop.ThreadSafeFlag], measuring the latency.
//   - Threads: [Threads] runs preemptive goroutines next to the loop, for
//     comparison: they run in real time and no two runs are alike.
//   - Cooperative: [Periodic] runs a task on a drift-free grid under a
//     timing [Contract] (period, deadline, budget, soft or hard) and
//     measures release jitter, misses and overruns.
//
// A [Watchdog] fed by a task fires a reset hook, naming the task that
// starved it, when the loop is held too long.
//
// # The railroad
//
// The chapter's example, blue and yellow LEDs alternating every 150 ms on a
// pyboard, runs with every technique ([Railroad], [RunRailroad]); a
// [Report] compares their phase error, jitter, processor share and
// determinism:
//
//	rep, err := rt.RunRailroad(rt.TechAsync, rt.RailroadConfig{Rig: newPyboard})
//	fmt.Print(rep)
//
// The package programs against hw, never a simulator: the caller makes the
// board (a simulated one in tests, with the loop on the virtual clock, where
// every measure comes out exact).
//
// # Time
//
// Work takes time only when it says so: a task calls [coop.Task.Busy], an
// interrupt callback [ISR.Work]. On the virtual clock that is the only way
// time passes while code runs, so loop times, jitter and latencies are exact
// and the same on every run.
package rt
