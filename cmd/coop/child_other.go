//go:build !linux

package main

import (
	"os"
	"syscall"
)

// childAttr is nil where a child cannot ask to be signalled when its
// parent dies.
func childAttr() *syscall.SysProcAttr { return nil }

// passedSignals are the signals coop passes on to the program it runs:
// none where SIGTERM and SIGHUP may not exist.
var passedSignals []os.Signal
