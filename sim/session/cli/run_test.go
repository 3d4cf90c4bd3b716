package cli

import (
	"bytes"
	"errors"
	"github.com/coopgo/coop/internal/textmatch"
	"github.com/coopgo/coop/sim/session"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/trace"
)

// testPrograms are blink and small programs that end in each way a
// program can, on blink's wiring.
func testPrograms(t *testing.T) []examples.Program {
	blink, err := examples.Find("blink")
	if err != nil {
		t.Fatal(err)
	}
	prog := func(name, scenario string, app func(t *coop.Task, b hw.Board) error) examples.Program {
		p := examples.Program{Name: name, Board: "pico2w", App: app, Wiring: blink.Wiring}
		if scenario != "" {
			p.Scenario = []byte(scenario)
		}
		return p
	}
	hello := func(t *coop.Task, b hw.Board) error {
		b.Console().Println("Task started")
		if err := t.Sleep(time.Second); err != nil {
			return err
		}
		b.Console().Println("Task finished")
		return nil
	}
	return []examples.Program{
		blink,
		prog("hello", "", hello),
		prog("fail", "", func(t *coop.Task, b hw.Board) error {
			if err := t.Sleep(time.Second); err != nil {
				return err
			}
			return errors.New("Something went wrong")
		}),
		prog("panic", "", func(t *coop.Task, b hw.Board) error { panic("boom") }),
		// A worker panics; main awaits it only after the failure was
		// reported as nobody's.
		prog("panic-late", "", func(t *coop.Task, b hw.Board) error {
			w := t.Spawn("worker", func(t *coop.Task) error { panic("boom") })
			if err := t.Sleep(100 * time.Millisecond); err != nil {
				return err
			}
			return w.Wait(t)
		}),
		prog("stuck", "", func(t *coop.Task, b hw.Board) error {
			var never coop.Event
			return never.Wait(t)
		}),
		prog("partial", "", func(t *coop.Task, b hw.Board) error {
			b.Console().Printf("no newline")
			return nil
		}),
		prog("bounce", "", func(t *coop.Task, b hw.Board) error {
			btn, err := b.Input("GP14", hw.PullUp)
			if err != nil {
				return err
			}
			btn.SetInterrupt(hw.EdgeFalling, func(hw.Edge) { b.Console().Println("falling edge") })
			return t.Sleep(3 * time.Second)
		}),
		prog("unawaited", "", func(t *coop.Task, b hw.Board) error {
			t.Spawn("worker", func(t *coop.Task) error { return errors.New("worker broke") })
			return t.Sleep(time.Second)
		}),
		// The program ends at 1 s; the scenario goes on to 3 s.
		prog("hello-scenario", "steps:\n  - expect-serial: {text: finished, within: 2s}\n  - at: 3s\n", hello),
		// The scenario's first step sees the program's first line, and the
		// run ends with the scenario.
		prog("hello-wait", "steps:\n  - wait-serial: {text: Task started, timeout: 10ms}\n", hello),
		// The scenario waits for a line that never comes.
		prog("hello-late", "steps:\n  - expect-serial: {text: never, within: 5s}\n", hello),
	}
}

func TestRun_programs(t *testing.T) {
	tests := []struct {
		args   []string
		code   int
		stdout string
		stderr string // "…" stands for any text (see match)
		end    time.Duration
	}{
		{[]string{"hello", "--virtual", "--timestamps"}, ExitOK, "[   0.000s] Task started\n[   1.000s] Task finished\n", "", time.Second},
		{[]string{"hello", "--virtual", "--for", "500ms"}, ExitOK, "Task started\n", "", 500 * time.Millisecond},
		{[]string{"fail", "--virtual"}, ExitFail, "", "coop: fail: Something went wrong\n", time.Second},
		{[]string{"panic", "--virtual"}, ExitFail, "", "coop: panic: panic: boom\ngoroutine …", 0}, // and the stack
		{[]string{"stuck", "--virtual"}, ExitFail, "", `coop: stuck: coop: deadlock at 0s: every task waits and nothing can wake them: "main" waits on event` + "\n", 0},
		{[]string{"partial", "--virtual"}, ExitOK, "no newline\n", "", 0},
		{[]string{"unawaited", "--virtual"}, ExitOK, "", `coop: unawaited: task "worker" failed: worker broke` + "\n", time.Second},
		{[]string{"hello-scenario", "--virtual"}, ExitOK, "Task started\nTask finished\n", "", 3 * time.Second},
		{[]string{"hello-scenario", "--virtual", "--for", "2s"}, ExitOK, "Task started\nTask finished\n", "", 2 * time.Second},
		{[]string{"hello-wait", "--virtual"}, ExitOK, "Task started\n", "", 0},
		{[]string{"hello-late", "--virtual"}, ExitFail, "Task started\nTask finished\n",
			`coop: examples/hello-late/scenario.yaml:2: step 1 (expect-serial "never"): at 5s expected "never" within 5s, got 2 other lines, the last "Task finished"` + "\n", 5 * time.Second},
		{[]string{"blink", "--virtual", "--scenario", "testdata/pass.yaml", "--timestamps"}, ExitOK, `[   0.000s] LED ON
[   0.000s] Uptime: 0 s
[   0.500s] LED OFF
[   1.000s] Uptime: 1 s
[   1.000s] LED ON
`, "", time.Second},
		{[]string{"blink", "--virtual", "--scenario", "testdata/fail.yaml"}, ExitFail, "LED ON\nUptime: 0 s\n",
			"coop: testdata/fail.yaml:5: step 2 (expect-pin led1.A): at 100ms expected 1, got 0\n", 100 * time.Millisecond},
		// --for cuts the scenario short: not a failure.
		{[]string{"blink", "--virtual", "--scenario", "testdata/pass.yaml", "--for", "200ms"}, ExitOK, "LED ON\nUptime: 0 s\n", "", 200 * time.Millisecond},
		{[]string{"blink", "--virtual", "--scenario", "testdata/malformed.yaml"}, ExitUsage, "",
			"coop: testdata/malformed.yaml:…: did not find expected ',' or '}'\n", 0},
		{[]string{"blink", "--virtual", "--scenario", "testdata/unknown-part.yaml"}, ExitUsage, "",
			`coop: testdata/unknown-part.yaml:4:…: step 1 (press): no part "btn1" (parts: LED, led1)` + "\n", 0},
		{[]string{"hello-scenario", "--virtual", "--scenario", "testdata/unknown-part.yaml"}, ExitUsage, "",
			`coop: testdata/unknown-part.yaml:4:…: step 1 (press): no part "btn1" (parts: LED, led1)` + "\n", 0},
	}
	programs := testPrograms(t)
	for _, tt := range tests {
		vcdPath := filepath.Join(t.TempDir(), "run.vcd")
		var stdout, stderr bytes.Buffer
		args := append([]string{"--trace", vcdPath}, tt.args...)
		code := runCommand(programs, args, &stdout, &stderr)
		call := "coop run " + strings.Join(tt.args, " ")
		if code != tt.code || stdout.String() != tt.stdout {
			t.Errorf("%s = %d, stdout:\n%s\nwant %d, stdout:\n%s", call, code, &stdout, tt.code, tt.stdout)
		}
		if !textmatch.Match(stderr.String(), tt.stderr) {
			t.Errorf("%s: stderr:\n%s\nwant:\n%s", call, &stderr, tt.stderr)
		}
		if code == ExitUsage {
			if _, err := os.Stat(vcdPath); err == nil {
				t.Errorf("%s: bad input, yet the trace was written", call)
			}
			continue
		}
		f, err := os.Open(vcdPath)
		if err != nil {
			t.Errorf("%s: %v", call, err)
			continue
		}
		vcd, err := trace.ReadVCD(f)
		f.Close()
		if err != nil {
			t.Errorf("%s: ReadVCD: %v", call, err)
			continue
		}
		if vcd.End != tt.end {
			t.Errorf("%s: the trace ends at %v, want %v", call, vcd.End, tt.end)
		}
		if vcd.Signal("tasks.main"+trace.WireRunning) == nil && code == ExitOK {
			t.Errorf("%s: the trace has no task main", call)
		}
		for _, s := range vcd.Signals {
			if strings.Contains(s.Name, trace.VCDName(session.ScenarioTask)) {
				t.Errorf("%s: the trace has coop's own task: %s", call, s.Name)
			}
		}
	}
}

// The same seed gives the same run, bounces of a button included; another
// seed bounces it otherwise.
func TestRun_seed(t *testing.T) {
	run := func(seed string) (string, string) {
		vcdPath := filepath.Join(t.TempDir(), "run.vcd")
		var stdout, stderr bytes.Buffer
		code := runCommand(testPrograms(t), []string{"bounce", "--virtual", "--seed", seed, "--trace", vcdPath,
			"--wiring", "testdata/full.json", "--scenario", "testdata/bounce.yaml"}, &stdout, &stderr)
		if code != ExitOK {
			t.Fatalf("coop run bounce --seed %s = %d, stderr:\n%s", seed, code, &stderr)
		}
		vcd, err := os.ReadFile(vcdPath)
		if err != nil {
			t.Fatal(err)
		}
		return stdout.String(), string(vcd)
	}
	out1, vcd1 := run("1")
	out2, vcd2 := run("1")
	_, vcd3 := run("2")
	if out1 != out2 || vcd1 != vcd2 {
		t.Error("two runs with --seed 1 differ")
	}
	if !strings.Contains(out1, "falling edge") {
		t.Errorf("coop run bounce printed %q, want falling edges", out1)
	}
	if vcd1 == vcd3 {
		t.Error("the traces with --seed 1 and --seed 2 are the same: the button did not bounce otherwise")
	}
	if !strings.Contains(vcd1, "GP14") {
		t.Error("the trace has no GP14, the button's pin")
	}
}

// --for lasts past the scenario's end; --scenario none leaves the world
// alone.
func TestRun_forPastScenarioAndNoScenario(t *testing.T) {
	tests := []struct {
		args     []string
		lastLine string
		presses  int
	}{
		{[]string{"run", "dashboard", "--virtual", "--timestamps"}, "[  10.000s] Uptime: 10 s", 3},
		{[]string{"run", "dashboard", "--virtual", "--timestamps", "--for", "12s"}, "[  12.000s] Uptime: 12 s", 3},
		{[]string{"run", "dashboard", "--virtual", "--timestamps", "--for", "3s", "--scenario", "none"}, "[   3.000s] Uptime: 3 s", 0},
	}
	for _, tt := range tests {
		code, stdout, stderr := runArgs(t, tt.args...)
		lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
		if code != ExitOK || stderr != "" || lines[len(lines)-1] != tt.lastLine || strings.Count(stdout, "Button pressed") != tt.presses {
			t.Errorf("coop %s = %d, stderr %q, last line %q, %d presses; want 0, %q, %d presses",
				strings.Join(tt.args, " "), code, stderr, lines[len(lines)-1], strings.Count(stdout, "Button pressed"), tt.lastLine, tt.presses)
		}
	}
}

// A scenario step that can never finish is the scenario's failure, named
// with its file and line, whether the program ended or runs on forever.
func TestRun_scenarioStepNeverFinishes(t *testing.T) {
	dir := t.TempDir()
	never := filepath.Join(dir, "never.yaml")
	if err := os.WriteFile(never, []byte("name: never\nversion: 1\nsteps:\n  - wait-serial: \"never printed\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		prog, want string
	}{
		{"hello", never + `:4: step 1 (wait-serial "never printed"): the program ended at 1s, so the step can never finish`},
		{"dashboard", never + `:4: step 1 (wait-serial "never printed"): still waiting after 1h0m0s of board time (--for sets how long to run)`},
	}
	for _, tt := range tests {
		code, _, stderr := runArgs(t, "run", tt.prog, "--virtual", "--scenario", never)
		if code != ExitFail || stderr != "coop: "+tt.want+"\n" {
			t.Errorf("coop run %s --scenario never.yaml = %d, stderr %q; want 1, %q", tt.prog, code, stderr, tt.want)
		}
	}
}

// A panic reported as nobody's failure, then returned by the task that
// awaited it too late, shows its stack once: the second report points up.
func TestRun_panicStackOnce(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := runCommand(testPrograms(t), []string{"panic-late", "--virtual"}, &stdout, &stderr)
	got := stderr.String()
	first, second, _ := strings.Cut(got, "\ncoop: ")
	if code != ExitFail || !strings.HasPrefix(first, `coop: panic-late: task "worker" failed: panic: boom`+"\ngoroutine ") ||
		second != "panic-late: panic: boom (its stack is above)\n" || strings.Count(got, "[running]:") != 1 {
		t.Errorf("coop run panic-late = %d, stderr:\n%s\nwant 1, the worker's failure with its stack, then the program's without", code, got)
	}
}
