// The host's benchmarks read the process's CPU time and goroutine stacks,
// which TinyGo lacks; on a microcontroller scripts/mcu-bench.sh counts the
// scheduler's instructions instead.

//go:build !tinygo

package coop_test

import (
	"testing"

	"github.com/coopgo/coop/bench"
)

// The benchmarks live in package bench, so that `coop bench` runs the same
// code; bench/asyncio_bench.py holds their CPython asyncio twins and
// scripts/bench-vs-asyncio.sh runs both side by side.

func BenchmarkPullFloor(b *testing.B)       { bench.PullFloor(b) }
func BenchmarkLoopFloor(b *testing.B)       { bench.LoopFloor(b) }
func BenchmarkPingPongFloor(b *testing.B)   { bench.PingPongFloor(b) }
func BenchmarkStep(b *testing.B)            { bench.Step(b) }
func BenchmarkStepRealClock(b *testing.B)   { bench.StepRealClock(b) }
func BenchmarkSpawnWait(b *testing.B)       { bench.SpawnWait(b) }
func BenchmarkYield(b *testing.B)           { bench.Yield(b) }
func BenchmarkEventPingPong(b *testing.B)   { bench.EventPingPong(b) }
func BenchmarkQueue(b *testing.B)           { bench.Queue(b) }
func BenchmarkTimers(b *testing.B)          { bench.Timers(b) }
func BenchmarkGather1000(b *testing.B)      { bench.Gather1000(b) }
func BenchmarkQueuePingPong(b *testing.B)   { bench.QueuePingPong(b) }
func BenchmarkCrossThreadWake(b *testing.B) { bench.CrossThreadWake(b) }
func BenchmarkScale(b *testing.B)           { bench.Scale(b) }
func BenchmarkMemoryPerTask(b *testing.B)   { bench.MemoryPerTask(b) }
