//go:build linux && !tinygo

package coop

import (
	"syscall"
	"time"
)

// fineSleep says that sleepOS sleeps with the OS's precision, finer than
// the runtime's timers.
const fineSleep = true

// sleepOS sleeps d in the OS (nanosleep), blocking the goroutine's thread.
func sleepOS(d time.Duration) {
	ts := syscall.NsecToTimespec(int64(d))
	syscall.Nanosleep(&ts, nil)
}
