//go:build !unix || tinygo

package coop

import "time"

// processCPU reports false where the process's CPU time is not read: the
// blocking detector then cannot tell computing from waiting.
func processCPU() (time.Duration, bool) { return 0, false }
