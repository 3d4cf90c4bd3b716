package sim

import "time"

// StepInstructions is what one task step costs on a Cortex-M, in
// instructions, as scripts/mcu-bench.sh measures it: a task that yields
// with Sleep(0), resumed and parked again by the loop, counted by QEMU
// (-icount shift=0) on a Cortex-M3 under TinyGo 0.42.
const StepInstructions = 1376

// clockHz is the processor clock of each simulated board's chip, as the
// board ships: the Pico 2 W's RP2350 at 150 MHz, the pyboard's STM32F405
// at 168 MHz, the Metro M4's SAMD51 at 120 MHz; and the RP2040 of a Pico
// and Pico W at 125 MHz.
func clockHz(board string) (hz int64, ok bool) {
	switch board {
	case "pico2w":
		return 150_000_000, true
	case "pyboard":
		return 168_000_000, true
	case "metro_m4":
		return 120_000_000, true
	case "pico":
		return 125_000_000, true
	case "picow":
		return 125_000_000, true
	}
	return 0, false
}

// StepCost returns the board time one task step takes on board, from
// StepInstructions at the board's clock, counting one instruction per
// cycle (most Cortex-M instructions take one; loads and taken branches
// take two, so the board is a little slower still): 9.2 µs on a Pico 2 W,
// 8.2 µs on a pyboard, 11.5 µs on a Metro M4, 11.0 µs on a Pico W. ok is
// false for a board it does not know.
//
// It is what coop.WithStepCost takes to make a program that polls with
// Sleep(0) see board time pass as it would on the board. It is not on by
// default: it moves every board time after the first step, and the seeds'
// outputs are checked at the exact times their sleeps give.
func StepCost(board string) (d time.Duration, ok bool) {
	hz, ok := clockHz(board)
	if !ok {
		return 0, false
	}
	return time.Duration(StepInstructions * int64(time.Second) / hz), true
}
