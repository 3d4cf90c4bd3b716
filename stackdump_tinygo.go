//go:build tinygo

package coop

// TinyGo has no goroutine profile: the blocking detector reports steps on
// the real clock without their stack.

func taskLabel(*Loop) (string, any) { return "", nil }

func labelTaskGoroutine(any) {}

func runningTaskStack(string) string { return "" }
