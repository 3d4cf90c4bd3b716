package cli

import (
	"bytes"
	"fmt"
	"github.com/coopgo/coop/internal/textmatch"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples"
	"github.com/coopgo/coop/hw"
)

// liveTestPrograms are small programs on blink's wiring for the tests of
// the live features.
func liveTestPrograms(t *testing.T) []examples.Program {
	blink, err := examples.Find("blink")
	if err != nil {
		t.Fatal(err)
	}
	prog := func(name string, app func(t *coop.Task, b hw.Board) error) examples.Program {
		return examples.Program{Name: name, Board: "pico2w", App: app, Wiring: blink.Wiring}
	}
	return []examples.Program{
		prog("busy", busyApp),
		prog("busy5", func(t *coop.Task, b hw.Board) error {
			for i := range 5 {
				if err := t.Sleep(time.Second); err != nil {
					return err
				}
				t.Busy(time.Duration(21+i) * time.Millisecond) // five blocks
			}
			return nil
		}),
		// 300 ms, so that a crowded machine, whose stalls the loop takes
		// out of a step, still leaves more than the 20 ms threshold.
		prog("busy300", func(t *coop.Task, b hw.Board) error {
			t.Busy(300 * time.Millisecond) // a long block
			return nil
		}),
		prog("work", workApp),
		prog("idle", idleApp),
		prog("stuck", func(t *coop.Task, b hw.Board) error {
			var never coop.Event
			return never.Wait(t)
		}),
		prog("stubborn", func(t *coop.Task, b hw.Board) error {
			t.Spawn("stubborn", func(t *coop.Task) error {
				for {
					t.Sleep(time.Second) // ignores ErrCancelled
				}
			})
			return t.Sleep(time.Second)
		}),
		// A time.Sleep holds the loop in real time only: on the virtual
		// clock it takes no board time.
		prog("sleepy", func(t *coop.Task, b hw.Board) error {
			time.Sleep(30 * time.Millisecond)
			return nil
		}),
	}
}

// busyApp holds the loop for 30 ms at 1 s, as a blocking call would.
func busyApp(t *coop.Task, b hw.Board) error {
	if err := t.Sleep(time.Second); err != nil {
		return err
	}
	t.Busy(30 * time.Millisecond) // one block
	return nil
}

// lineOf returns the line of this file that holds text.
func lineOf(t *testing.T, text string) int {
	t.Helper()
	src, err := os.ReadFile("warnings_test.go")
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(string(src), "\n") {
		if strings.Contains(line, text) && !strings.Contains(line, "lineOf") {
			return i + 1
		}
	}
	t.Fatalf("no line of warnings_test.go holds %q", text)
	return 0
}

// Warnings are checked in virtual time too, at 20 ms by default, of the
// board time a step takes, and name the program's line; --blocking changes
// the threshold or turns them off.
func TestRun_warnings(t *testing.T) {
	// In a test binary, package main is named by its path.
	at := fmt.Sprintf("cli.busyApp (sim/session/cli/warnings_test.go:%d)", lineOf(t, "// one block"))
	tests := []struct {
		args   []string
		stderr string
	}{
		{[]string{"busy", "--virtual"}, `coop: warning: task "main" blocked the loop for 30ms (threshold 20ms) at 1.030s, in ` + at + "\n"},
		{[]string{"busy", "--virtual", "--blocking", "10ms"}, `coop: warning: task "main" blocked the loop for 30ms (threshold 10ms) at 1.030s, in ` + at + "\n"},
		{[]string{"busy", "--virtual", "--blocking", "30ms"}, ""},
		{[]string{"busy", "--virtual", "--blocking", "0"}, ""},
		{[]string{"sleepy", "--virtual", "--blocking", "10ms"}, ""},
		// Warnings like others already printed are counted, and summed up
		// at the end.
		{[]string{"busy5", "--virtual"}, fmt.Sprintf(`coop: warning: task "main" blocked the loop for 21ms (threshold 20ms) at 1.021s, in %[1]s
coop: warning: task "main" blocked the loop for 22ms (threshold 20ms) at 2.043s, in %[1]s
coop: warning: task "main" blocked the loop for 23ms (threshold 20ms) at 3.066s, in %[1]s
coop: warning: more warnings like these about task "main" are counted, not printed; their total comes at the end
coop: warning: task "main" blocked the loop 5 times in all, 25ms at most, in %[1]s
`, fmt.Sprintf("cli.liveTestPrograms.func2 (sim/session/cli/warnings_test.go:%d)", lineOf(t, "// five blocks")))},
		{[]string{"stubborn", "--virtual"}, fmt.Sprintf(`coop: warning: task "stubborn" ignored cancellation (100 awaits returned ErrCancelled); abandoned at 1.000s, in cli.liveTestPrograms.func5.1 (sim/session/cli/warnings_test.go:%d): a task returns the error of each await: if err := t.Sleep(d); err != nil { return err }`+"\n", lineOf(t, "// ignores ErrCancelled"))},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := runCommand(liveTestPrograms(t), tt.args, &stdout, &stderr)
		if code != ExitOK || stderr.String() != tt.stderr {
			t.Errorf("coop run %s = %d, stderr:\n%s\nwant 0, stderr:\n%s", strings.Join(tt.args, " "), code, &stderr, tt.stderr)
		}
	}
}

// In real time, the default threshold applies too. The stack is taken
// by a watchdog while the step runs, every half threshold: a step well
// over the threshold gives it time to. What the step did (waiting or
// computing, by the process's CPU time) depends on the machine's load.
func TestRun_warningsRealTime(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := runCommand(liveTestPrograms(t), []string{"busy300"}, &stdout, &stderr)
	want := fmt.Sprintf(`coop: warning: task "main" blocked the loop for …ms (threshold 20ms) at …s, … (…), in cli.liveTestPrograms.func3 (sim/session/cli/warnings_test.go:%d)`,
		lineOf(t, "// a long block")) + "\n"
	if code != ExitOK || !textmatch.Match(stderr.String(), want) {
		t.Errorf("coop run busy = %d, stderr:\n%s\nwant 0, stderr:\n%s", code, &stderr, want)
	}
}

func TestWarningText(t *testing.T) {
	stack := `goroutine 7 [running]:
github.com/coopgo/coop.stack()
	/src/coop/diag.go:171 +0x4a
github.com/coopgo/coop.(*Task).Busy(0xc000112000, 0x1c9c380)
	/src/coop/diag.go:73 +0x85
github.com/coopgo/coop/sim.(*DHT22).read(...)
	/src/coop/sim/dht22.go:226
github.com/coopgo/coop/examples/sensor.measure(0xc000112000)
	/src/coop/examples/sensor/sensor.go:40 +0x2e
github.com/coopgo/coop/examples/sensor.App.func1(0xc000112000)
	/src/coop/examples/sensor/sensor.go:61 +0x2e
example.com/mine/util.Retry(...)
	/home/me/mine/util/retry.go:9
main.(*runner).execute.func2(0xc000112000)
	/src/coop/cmd/coop/run.go:327 +0x3c
github.com/coopgo/coop/cmd/coop.(*runner).execute.func2(0xc000112000)
	/src/coop/cmd/coop/run.go:327 +0x3c
github.com/coopgo/coop.(*Task).start.func1(0x0?)
	/src/coop/task.go:340 +0x7c
iter.Pull[...].func1()
	/usr/lib/go/src/iter/iter.go:84 +0x10c
created by iter.Pull[...] in goroutine 1
	/usr/lib/go/src/iter/iter.go:70 +0x1bd
`
	defer func(root string) { moduleRoot = root }(moduleRoot)
	moduleRoot = "/src/coop/"
	tests := []struct {
		w    coop.Warning
		want string
	}{
		{coop.Warning{Kind: coop.WarnBlocking, Task: "sensor", At: 2*time.Second + 5123456, Held: 5123456,
			Threshold: 5 * time.Millisecond, Stack: stack},
			`warning: task "sensor" blocked the loop for 5.1ms (threshold 5ms) at 2.005s, in sensor.measure (examples/sensor/sensor.go:40)` +
				"\n    called from sensor.App.func1 (examples/sensor/sensor.go:61)" +
				"\n    called from util.Retry (/home/me/mine/util/retry.go:9)"},
		{coop.Warning{Kind: coop.WarnBlocking, Task: "t", Held: 30 * time.Millisecond, Threshold: 20 * time.Millisecond},
			`warning: task "t" blocked the loop for 30ms (threshold 20ms) at 0.000s`},
		// On the real clock the loop tells waiting from computing, and the
		// warning says what to do about each.
		{coop.Warning{Kind: coop.WarnBlocking, Task: "t", Held: 300 * time.Millisecond, Threshold: 20 * time.Millisecond, Cause: coop.CauseWaiting},
			`warning: task "t" blocked the loop for 300ms (threshold 20ms) at 0.000s, waiting in a blocking call (a time.Sleep where t.Sleep belongs?)`},
		{coop.Warning{Kind: coop.WarnBlocking, Task: "t", Held: 300 * time.Millisecond, Threshold: 20 * time.Millisecond, Cause: coop.CauseComputing, Stack: stack},
			`warning: task "t" blocked the loop for 300ms (threshold 20ms) at 0.000s, computing (await t.Sleep(0) now and then to let other tasks run), in sensor.measure (examples/sensor/sensor.go:40)` +
				"\n    called from sensor.App.func1 (examples/sensor/sensor.go:61)" +
				"\n    called from util.Retry (/home/me/mine/util/retry.go:9)"},
		{coop.Warning{Kind: coop.WarnIgnoredCancel, Task: "t", At: time.Second, Count: 100},
			`warning: task "t" ignored cancellation (100 awaits returned ErrCancelled); abandoned at 1.000s: a task returns the error of each await: if err := t.Sleep(d); err != nil { return err }`},
		{coop.Warning{Kind: coop.WarnIgnoredCancel, Task: "t", At: time.Second, Count: 100, Stack: stack},
			`warning: task "t" ignored cancellation (100 awaits returned ErrCancelled); abandoned at 1.000s, in sensor.measure (examples/sensor/sensor.go:40): a task returns the error of each await: if err := t.Sleep(d); err != nil { return err }` +
				"\n    called from sensor.App.func1 (examples/sensor/sensor.go:61)" +
				"\n    called from util.Retry (/home/me/mine/util/retry.go:9)"},
	}
	for _, tt := range tests {
		if got := warningText(tt.w); got != tt.want {
			t.Errorf("warningText(%+v) =\n%s\nwant\n%s", tt.w, got, tt.want)
		}
	}
}

func TestRun_liveBadInput(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"run", "blink", "--blocking", "-1ms"}, "--blocking -1ms: the threshold must not be negative (0 turns the warnings off)"},
		{[]string{"run", "blink", "--blocking", "soon"}, `--blocking "soon": not a duration (such as 20ms, or 0 for no warnings)`},
		{[]string{"run", "blink", "--stats-every", "0s"}, "--stats-every 0s: the period must be more than zero"},
		{[]string{"run", "blink", "--stats-every", "x"}, `--stats-every "x": not a duration (such as 100ms, 1s, 1m)`},
		{[]string{"run", "blink", "--stats", ""}, "--stats: the value is empty"},
		{[]string{"run", "blink", "--stats", "/no/such/dir/s.jsonl"}, "--stats /no/such/dir/s.jsonl: no such file or directory"},
		{[]string{"run", "blink", "--top"}, "--top: standard output is not a terminal (--stats F writes the same numbers to a file)"},
	}
	for _, tt := range tests {
		code, stdout, stderr := runArgs(t, tt.args...)
		want := "coop: " + tt.want + "\n"
		if code != ExitUsage || stdout != "" || stderr != want {
			t.Errorf("coop %s = %d\nstdout:\n%s\nstderr:\n%s\nwant 2, no stdout, stderr:\n%s", strings.Join(tt.args, " "), code, stdout, stderr, want)
		}
	}
}

// An input read without a pull, with a button to GND on it, floats while
// the button is up: the run says so once, among the program's lines, with
// the fix; with the pull the seeds use, it says nothing.
func TestRun_floatingInput(t *testing.T) {
	dashboard, err := examples.Find("dashboard")
	if err != nil {
		t.Fatal(err)
	}
	app := func(pull hw.Pull) func(t *coop.Task, b hw.Board) error {
		return func(t *coop.Task, b hw.Board) error {
			b.Console().Println("start")
			btn, err := b.Input("GP14", pull)
			if err != nil {
				return err
			}
			for range 5 {
				btn.Get()
				if err := t.Sleep(100 * time.Millisecond); err != nil {
					return err
				}
			}
			b.Console().Println("end")
			return nil
		}
	}
	programs := []examples.Program{
		{Name: "nopull", Board: "pico2w", App: app(hw.PullNone), Wiring: dashboard.Wiring},
		{Name: "pullup", Board: "pico2w", App: app(hw.PullUp), Wiring: dashboard.Wiring},
	}
	tests := []struct {
		name, want string
	}{
		{"nopull", "start\ncoop: warning: GP14 (btn1) floats: no part drives it now and nothing pulls it, so it reads noise; " +
			"give the input a pull: hw.PullUp for a button to GND, hw.PullDown for one to 3V3\nend\n"},
		{"pullup", "start\nend\n"},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		if code := runCommand(programs, []string{tt.name, "--virtual"}, &out, &out); code != ExitOK || out.String() != tt.want {
			t.Errorf("coop run %s --virtual = %d, output:\n%s\nwant 0, output:\n%s", tt.name, code, &out, tt.want)
		}
	}
}
