//go:build !linux || tinygo

package coop

import "time"

// fineSleep says that sleepOS sleeps with the OS's precision, finer than
// the runtime's timers: not here, where the runtime's timers are used.
const fineSleep = false

// sleepOS is not used where fineSleep is false.
func sleepOS(d time.Duration) { time.Sleep(d) }
