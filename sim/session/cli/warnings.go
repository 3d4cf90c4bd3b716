package cli

import (
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/coopgo/coop"
)

// modulePath is coop's module: frames of its packages are coop's, not the
// program's, except those of the examples.
const modulePath = "github.com/coopgo/coop"

// warnFrames is how many frames of the program's stack a warning shows.
const warnFrames = 3

// moduleRoot is the directory of coop's module as source paths in stacks
// spell it ("/home/me/coop/", or "github.com/coopgo/coop/" in a binary
// built with -trimpath), so that a frame's file prints relative to it.
var moduleRoot = func() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return ""
	}
	root, ok := strings.CutSuffix(file, "sim/session/cli/warnings.go")
	if !ok {
		return ""
	}
	return root
}()

// warnRepeat is how many warnings of one kind, about one task and one line
// of the program, are printed; the rest are counted, and summed up at the
// end of the run: a loop that blocks every second for an hour of virtual
// time would bury everything else under 3600 lines.
const warnRepeat = 3

// warnings counts the warnings of a run by what they are about.
type warnings struct {
	counts map[string]*warnCount
	order  []*warnCount
}

type warnCount struct {
	w       coop.Warning // the first
	where   string       // the program's line, "" if not known
	n       int
	longest time.Duration // of the steps that blocked
}

// warn prints a warning of the loop, on the loop, unless warnRepeat like it
// were printed already.
func (r *runner) warn(w coop.Warning) {
	ws := &r.live.warnings
	where := ""
	if f := programFrames(w.Stack, 1); len(f) > 0 {
		where = f[0]
	}
	key := fmt.Sprint(w.Kind, "\x00", w.Task, "\x00", where)
	c := ws.counts[key]
	if c == nil {
		if ws.counts == nil {
			ws.counts = map[string]*warnCount{}
		}
		c = &warnCount{w: w, where: where}
		ws.counts[key] = c
		ws.order = append(ws.order, c)
	}
	c.n++
	c.longest = max(c.longest, w.Held)
	switch {
	case c.n <= warnRepeat:
		r.scr.errorf("%s", warningText(w))
	case c.n == warnRepeat+1:
		r.scr.errorf("warning: more warnings like these about task %q are counted, not printed; their total comes at the end", w.Task)
	}
}

// warnSummary prints how many warnings of each kind were counted without
// being printed.
func (r *runner) warnSummary() {
	for _, c := range r.live.warnings.order {
		if c.n <= warnRepeat {
			continue
		}
		in := ""
		if c.where != "" {
			in = ", in " + c.where
		}
		switch c.w.Kind {
		case coop.WarnBlocking:
			r.scr.errorf("warning: task %q blocked the loop %d times in all, %v at most%s", c.w.Task, c.n, roundHeld(c.longest), in)
		default:
			r.scr.errorf("warning: %d warnings in all like this one: %s", c.n, warningText(c.w))
		}
	}
}

// warningText is a warning as coop prints it after "coop: ": one line,
// which ends with where the program was, then the program's callers, one
// per line, at most warnFrames frames in all. Frames of the runtime, of the
// standard library and of coop's packages are left out: the program's
// frames say which line to fix.
//
//	warning: task "main" blocked the loop for 30ms (threshold 20ms) at 1.030s, in blinkblocking.App (examples/blink-blocking/blinkblocking.go:67)
func warningText(w coop.Warning) string {
	var b strings.Builder
	var hint string // what to do, after where
	switch w.Kind {
	case coop.WarnBlocking:
		fmt.Fprintf(&b, "warning: task %q blocked the loop for %v (threshold %v) at %s",
			w.Task, roundHeld(w.Held), w.Threshold, seconds(w.At))
		switch w.Cause {
		case coop.CauseWaiting:
			b.WriteString(", waiting in a blocking call (a time.Sleep where t.Sleep belongs?)")
		case coop.CauseComputing:
			b.WriteString(", computing (await t.Sleep(0) now and then to let other tasks run)")
		}
	case coop.WarnIgnoredCancel:
		fmt.Fprintf(&b, "warning: task %q ignored cancellation (%d awaits returned ErrCancelled); abandoned at %s",
			w.Task, w.Count, seconds(w.At))
		hint = "a task returns the error of each await: if err := t.Sleep(d); err != nil { return err }"
	default:
		line, _, _ := strings.Cut(w.String(), "\n")
		b.WriteString(strings.TrimPrefix(line, "coop: "))
	}
	frames := programFrames(w.Stack, warnFrames)
	if len(frames) > 0 {
		fmt.Fprintf(&b, ", in %s", frames[0])
	}
	if hint != "" { // at the end of the first line
		b.WriteString(": " + hint)
	}
	for _, f := range frames[min(1, len(frames)):] {
		fmt.Fprintf(&b, "\n    called from %s", f)
	}
	return b.String()
}

// roundHeld rounds a time a step held the loop to a tenth of a millisecond:
// on the real clock it is measured to the nanosecond.
func roundHeld(d time.Duration) time.Duration {
	if d >= time.Millisecond {
		return d.Round(100 * time.Microsecond)
	}
	return d
}

// seconds formats board time in seconds, with millisecond resolution,
// truncated: "1.030s".
func seconds(d time.Duration) string {
	d = d.Truncate(time.Millisecond)
	return fmt.Sprintf("%d.%03ds", d/time.Second, d%time.Second/time.Millisecond)
}

// programFrames returns the program's frames of a goroutine stack, as
// runtime.Stack writes it, innermost first, at most n: "pkg.Func
// (dir/file.go:12)".
func programFrames(stack string, n int) []string {
	var frames []string
	lines := strings.Split(stack, "\n")
	for i := 0; i+1 < len(lines) && len(frames) < n; i++ {
		fn, file := lines[i], lines[i+1]
		if strings.HasPrefix(fn, "created by ") || !strings.HasPrefix(file, "\t") {
			continue
		}
		i++
		if j := strings.LastIndexByte(fn, '('); j > 0 {
			fn = fn[:j]
		}
		if !programFunc(fn) {
			continue
		}
		file = strings.TrimPrefix(file, "\t")
		if j := strings.LastIndex(file, " +0x"); j > 0 {
			file = file[:j]
		}
		file = strings.TrimPrefix(file, moduleRoot)
		if j := strings.LastIndexByte(fn, '/'); j >= 0 {
			fn = fn[j+1:]
		}
		frames = append(frames, fmt.Sprintf("%s (%s)", fn, file))
	}
	return frames
}

// programFunc reports whether the function fn, as a stack names it
// ("github.com/coopgo/coop.(*Task).Busy"), belongs to the program: the
// examples and code outside coop and the standard library, not coop's
// runner.
func programFunc(fn string) bool {
	pkg := fn
	slash := strings.LastIndexByte(fn, '/')
	if dot := strings.IndexByte(fn[slash+1:], '.'); dot >= 0 {
		pkg = fn[:slash+1+dot]
	}
	switch {
	case pkg == "main": // a user's program
		return true
	case pkg == modulePath+"/sim/session/cli": // the runner, and the programs of its tests
		rest := strings.TrimPrefix(fn, pkg+".")
		return !strings.HasPrefix(rest, "(*runner).")
	case strings.HasPrefix(pkg, modulePath+"/examples/"):
		return true
	case pkg == modulePath || strings.HasPrefix(pkg, modulePath+"/"):
		return false
	}
	first, _, _ := strings.Cut(pkg, "/")
	return strings.Contains(first, ".") // not the standard library
}
