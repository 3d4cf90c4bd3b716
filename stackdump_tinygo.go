//go:build tinygo

package coop

// TinyGo has no goroutine profile and no stack to dump: the blocking
// detector reports steps on the real clock without their stack, and
// warnings and panics carry none (a buffer for one would not fit a small
// board's heap anyway).

func taskLabel(*Loop) (string, any) { return "", nil }

func labelTaskGoroutine(any) {}

func runningTaskStack(string) string { return "" }

func stack() []byte { return nil }
