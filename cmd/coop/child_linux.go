package main

import (
	"os"
	"syscall"
)

// childAttr makes a program that coop runs (`coop run ./DIR`) get a
// SIGTERM when coop dies, however it dies: killed with SIGKILL, coop
// cannot pass anything on, and the program would run on, orphaned.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}

// passedSignals are the signals coop passes on to the program it runs. A
// Ctrl-C is not among them: the terminal sends it to both.
var passedSignals = []os.Signal{syscall.SIGTERM, syscall.SIGHUP}
