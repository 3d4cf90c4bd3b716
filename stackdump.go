//go:build !tinygo

package coop

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"runtime/pprof"
	"strings"
)

// The blocking detector finds the running step's stack in a goroutine
// profile. Each task goroutine of a watched loop carries a pprof label
// naming the loop; the profile groups goroutines by stack and labels, so
// however many tasks wait (each in the same park frames), the dump stays
// short, and the one group of the loop's label that is not suspended is
// the running step. Every await suspends through Task.suspend, inlined or
// not, which the profile names either way.

const loopLabel = "coop.loop"

// taskLabel returns the label value of l's task goroutines, and the
// labels to give them (made once, so labelling a task allocates nothing).
func taskLabel(l *Loop) (string, any) {
	label := fmt.Sprintf("%p", l)
	return label, pprof.WithLabels(context.Background(), pprof.Labels(loopLabel, label))
}

// labelTaskGoroutine gives the calling task goroutine labels made by
// taskLabel.
func labelTaskGoroutine(labels any) {
	pprof.SetGoroutineLabels(labels.(context.Context))
}

// runningTaskStack returns the stack of the running step of the loop
// whose task goroutines carry label, or "" if none runs, in the format of
// runtime.Stack (without arguments and offsets).
func runningTaskStack(label string) string {
	var buf bytes.Buffer
	if err := pprof.Lookup("goroutine").WriteTo(&buf, 1); err != nil {
		return ""
	}
	want := fmt.Sprintf("# labels: {%q:%q}", loopLabel, label)
	for group := range strings.SplitSeq(buf.String(), "\n\n") {
		if !strings.Contains(group, want) || strings.Contains(group, "coop.(*Task).suspend+") {
			continue
		}
		var b strings.Builder
		for line := range strings.Lines(group) {
			// "#\t0x4dc977\tmain.hog+0x17\t\t/tmp/main.go:12"
			f := strings.Fields(strings.TrimPrefix(line, "#"))
			if !strings.HasPrefix(line, "#\t") || len(f) < 3 {
				continue
			}
			fn := f[1]
			if i := strings.LastIndex(fn, "+0x"); i > 0 {
				fn = fn[:i]
			}
			fmt.Fprintf(&b, "%s(...)\n\t%s\n", fn, f[2]) // as runtime.Stack prints it
		}
		return b.String()
	}
	return ""
}

// stack returns the calling goroutine's stack.
func stack() []byte {
	buf := make([]byte, 8192)
	for {
		n := runtime.Stack(buf, false)
		if n < len(buf) {
			return buf[:n]
		}
		buf = make([]byte, 2*len(buf))
	}
}
