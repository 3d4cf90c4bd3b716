//go:build !unix

package bench

import "time"

// processCPU reports false: CPU time is read on Unix only.
func processCPU() (time.Duration, bool) { return 0, false }
