package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"github.com/coopgo/coop/examples"
	"github.com/coopgo/coop/internal/textmatch"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/coopgo/coop/trace"
)

// runFlags lists the flags of run, as its messages do.
const runFlags = "--blocking, --board, --broker, --broker-ca, --for, --pins, --report, --scenario, --seed, --stats, --stats-every, --step-cost, --technique, --timeline, --timestamps, --top, --trace, --virtual, --web, --web-token, --wiring, --work"

// coop runs the command with args and returns its exit status and output.
func runArgs(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// blink3s is what blink prints in its first 3 s: the lines due at 3 s
// included, as --for includes what is due at its end.
const blink3s = `LED ON
Uptime: 0 s
LED OFF
Uptime: 1 s
LED ON
LED OFF
Uptime: 2 s
LED ON
LED OFF
Uptime: 3 s
LED ON
`

func TestRun_output(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"run", "blink", "--virtual", "--for", "3s"}, blink3s},
		{[]string{"run", "--virtual", "--for=3s", "blink"}, blink3s},
		{[]string{"run", "-virtual", "blink", "-for", "3s", "--seed", "9"}, blink3s},
		{[]string{"run", "blink", "--virtual", "--for", "1500ms", "--timestamps"}, `[   0.000s] LED ON
[   0.000s] Uptime: 0 s
[   0.500s] LED OFF
[   1.000s] Uptime: 1 s
[   1.000s] LED ON
[   1.500s] LED OFF
`},
		// Pin changes, with board times and the parts on the pins; at
		// 1s --for cancels blink, which turns its LEDs off.
		{[]string{"run", "blink", "--virtual", "--for", "1s", "--pins"}, `[   0.000s] LED off
[   0.000s] GP15 (led1) off
[   0.000s] LED on
LED ON
Uptime: 0 s
[   0.500s] LED off
[   0.500s] GP15 (led1) on
LED OFF
Uptime: 1 s
[   1.000s] LED on
[   1.000s] GP15 (led1) off
LED ON
[   1.000s] LED off
`},
		{[]string{"help"}, usage()},
		{[]string{"help", "run"}, runUsage()},
		{[]string{"help", "help"}, usage()},
		{[]string{"run", "--help"}, runUsage()},
		{[]string{"run", "blink", "-h"}, runUsage()},
	}
	for _, tt := range tests {
		code, stdout, stderr := runArgs(t, tt.args...)
		if code != exitOK || stdout != tt.want || stderr != "" {
			t.Errorf("coop %s = %d\nstdout:\n%s\nstderr:\n%s\nwant 0 and stdout:\n%s", strings.Join(tt.args, " "), code, stdout, stderr, tt.want)
		}
	}
}

// exampleNames lists the examples as coop's messages do.
func exampleNames() string {
	var names []string
	for _, p := range examples.All() {
		names = append(names, p.Name)
	}
	return strings.Join(names, ", ")
}

func TestList(t *testing.T) {
	programs := []examples.Program{
		{Name: "blink", Board: "pico2w", Seed: "000_d824fd38bca75ebc.txt", Section: "§7 wiring", Summary: "LEDs blink"},
		{Name: "railroad-async", Board: "pyboard", Seed: "002_8bb247d82e275c69.txt", Section: "asyncio", Summary: "two LEDs, 150 ms"},
	}
	var out, errOut strings.Builder
	if code := listCommand(programs, &out, &errOut); code != exitOK {
		t.Fatalf("list = %d, stderr %q", code, errOut.String())
	}
	want := `NAME              BOARD    SECTION    SUMMARY
Creating, Running, and Managing Tasks (course session, uasyncio on the Pico 2 W)
  blink           pico2w   §7 wiring  LEDs blink
Managing Real-Time Tasks (book chapter of MicroPython Projects, pyboard)
  railroad-async  pyboard  asyncio    two LEDs, 150 ms
`
	if out.String() != want {
		t.Errorf("list printed:\n%s\nwant:\n%s", out.String(), want)
	}
	// coop list names every example, in lines of at most 100 characters.
	code, stdout, _ := runArgs(t, "list")
	for line := range strings.Lines(stdout) {
		if n := utf8.RuneCountInString(strings.TrimSuffix(line, "\n")); n > 100 {
			t.Errorf("coop list: a line of %d characters, over 100: %q", n, line)
		}
	}
	for _, p := range examples.All() {
		if !strings.Contains(stdout, "\n  "+p.Name+" ") {
			t.Errorf("coop list = %d and does not name %s:\n%s", code, p.Name, stdout)
		}
	}
}

// Bad usage and input give status 2 and one line that says what is wrong
// and what is allowed.
// A directory here named as an example that holds no program, such as
// the example's own package in examples/, does not hide the example.
func TestRun_exampleBesideItsDirectory(t *testing.T) {
	t.Chdir("../../examples")
	code, stdout, stderr := runArgs(t, "run", "blink", "--virtual", "--for", "3s")
	if code != exitOK || stdout != blink3s || stderr != "" {
		t.Errorf("in examples/, coop run blink = %d\nstdout:\n%s\nstderr:\n%s\nwant 0 and the example's lines", code, stdout, stderr)
	}
}

func TestRun_badInput(t *testing.T) {
	dir := t.TempDir()
	noDir := filepath.Join(dir, "no", "such")
	tests := []struct {
		args []string
		want string
	}{
		{nil, ""}, // the usage(), tested below
		{[]string{"frobnicate"}, `unknown command "frobnicate" (commands: list, show, run, new, telemetry, fleet, bench, version, help)`},
		{[]string{"rn"}, `unknown command "rn" (did you mean run? commands: list, show, run, new, telemetry, fleet, bench, version, help)`},
		{[]string{"lsit"}, `unknown command "lsit" (did you mean list? commands: list, show, run, new, telemetry, fleet, bench, version, help)`},
		{[]string{"list", "x"}, `list takes no arguments, got "x"`},
		{[]string{"list", "--all"}, `list: unknown flag --all (list takes no flags)`},
		{[]string{"version", "x"}, `version takes no arguments, got "x"`},
		{[]string{"help", "x"}, `no help for "x" (commands: list, show, run, new, telemetry, fleet, bench, version)`},
		{[]string{"help", "run", "x"}, `no help for "run x" (commands: list, show, run, new, telemetry, fleet, bench, version)`},
		{[]string{"show"}, `show: missing NAME`},
		{[]string{"show", "nope"}, `unknown example "nope" (examples: ` + exampleNames() + `)`},
		{[]string{"bench", "x"}, `bench takes no arguments, got "x"`},
		{[]string{"bench", "--time"}, `bench: flag --time needs a value`},
		{[]string{"bench", "--reps", "x"}, `bench: --reps "x": not a whole number`},
		{[]string{"bench", "--time=soon"}, `bench: --time "soon": not a duration (such as 500ms, 10s, 1m30s)`},
		{[]string{"fleet", "--devices", "abc", "--for", "1m"}, `fleet: --devices "abc": not a whole number`},
		{[]string{"fleet", "--devices", "2", "--for", "3q"}, `fleet: --for "3q": not a duration (such as 500ms, 10s, 1m30s)`},
		{[]string{"fleet", "--devices", "2", "--for", "1m", "--seed", "-1"}, `fleet: --seed "-1": not a whole number from 0 to 18446744073709551615`},
		{[]string{"telemetry", "--broker", "mqtt://127.0.0.1:1", "--for=x"}, `telemetry: --for "x": not a duration (such as 500ms, 10s, 1m30s)`},
		{[]string{"run", "blink", "--for", "99999999h"}, "--for 99999999h: the duration must be at most 876000h0m0s"},
		{[]string{"run", "blink", "--for", "1000000h"}, "--for 1000000h: the duration must be at most 876000h0m0s"},
		{[]string{"run", "blink", "--step-cost", "-1ms"}, "--step-cost -1ms: the cost must not be negative"},
		{[]string{"run", "blink", "--wiring", "/dev/zero"}, "--wiring /dev/zero: file too large (at most 1048576 bytes)"},
		{[]string{"run", "blink", "--scenario", "/dev/zero"}, "--scenario /dev/zero: file too large (at most 1048576 bytes)"},
		{[]string{"run", noDir}, "run " + noDir + ": no such file or directory"},
		{[]string{"run", "./main.go"}, "run ./main.go: not a directory"},
		{[]string{"run"}, "run: missing example NAME or program ./DIR (coop list names the examples)"},
		{[]string{"run", "--virtual"}, "run: missing example NAME or program ./DIR (coop list names the examples)"},
		{[]string{"run", "blink", "extra"}, `run: unexpected argument "extra" after "blink": run takes one NAME or ./DIR`},
		{[]string{"run", "nope"}, `unknown example "nope" (examples: ` + exampleNames() + `)`},
		{[]string{"run", "blink", "--wiring", "testdata/metro.json"}, "wiring testdata/metro.json is for board metro_m4, not pico2w: give a wiring for pico2w with --wiring"},
		{[]string{"run", "blnik"}, `unknown example "blnik" (did you mean blink? examples: ` + exampleNames() + `)`},
		{[]string{"show", "dashbaord"}, `unknown example "dashbaord" (did you mean dashboard? examples: ` + exampleNames() + `)`},
		{[]string{"run", "blink", "--trace", "x.vcd", "--timeline", "x.vcd"}, "--trace and --timeline both write x.vcd: give each its own file"},
		{[]string{"run", "blink", "--nope"}, "run: unknown flag --nope (flags: " + runFlags + ")"},
		{[]string{"run", "--nope", "blink"}, "run: unknown flag --nope (flags: " + runFlags + ")"},
		{[]string{"run", "blink", "--for"}, "run: flag --for needs a value"},
		{[]string{"run", "blink", "--for", "soon"}, `--for "soon": not a duration (such as 500ms, 10s, 1m30s)`},
		{[]string{"run", "blink", "--for", "3"}, `--for "3": not a duration (such as 500ms, 10s, 1m30s)`},
		{[]string{"run", "blink", "--for", "0s"}, "--for 0s: the duration must be more than zero"},
		{[]string{"run", "blink", "--for", "-1s"}, "--for -1s: the duration must be more than zero"},
		{[]string{"run", "blink", "--seed", "-1"}, `--seed "-1": not a whole number from 0 to 18446744073709551615`},
		{[]string{"run", "blink", "--seed", "x"}, `--seed "x": not a whole number from 0 to 18446744073709551615`},
		{[]string{"run", "blink", "--virtual=maybe"}, "run: --virtual=maybe: not true or false (--virtual alone is true)"},
		{[]string{"run", "blink", "--pins=", "--virtual"}, "run: --pins=: not true or false (--pins alone is true)"},
		{[]string{"run", "blink", "--board", ""}, "--board: the value is empty"},
		{[]string{"run", "blink", "--board", "esp32"}, `--board "esp32": unknown board (boards: metro_m4, pico2w, pyboard)`},
		{[]string{"run", "blink", "--board", "pico2"}, `--board "pico2": unknown board (did you mean pico2w? boards: metro_m4, pico2w, pyboard)`},
		{[]string{"run", "blink", "--board", "pyboard"}, "wiring examples/blink/diagram.json is for board pico2w, not pyboard: give a wiring for pyboard with --wiring"},
		{[]string{"run", "blink", "--wiring", "testdata/metro.json", "--board", "pico2w"}, "wiring testdata/metro.json is for board metro_m4, not pico2w: give a wiring for pico2w with --wiring"},
		{[]string{"run", "blink", "--wiring", "testdata/none.json"}, "--wiring testdata/none.json: no such file or directory"},
		{[]string{"run", "blink", "--wiring", "testdata"}, "--wiring testdata: is a directory"},
		{[]string{"run", "blink", "--wiring", "testdata/malformed.json"}, "testdata/malformed.json:6:35: invalid character ']' looking for beginning of value (a comma after the last element? JSON allows none)"},
		{[]string{"run", "blink", "--wiring", "testdata/unknown-part.json"}, `testdata/unknown-part.json:5:15: part "lcd1" has unknown type "wokwi-lcd1602" (known: …wokwi-led…)`},
		{[]string{"run", "blink", "--scenario", "testdata/none.yaml"}, "--scenario testdata/none.yaml: no such file or directory"},
		{[]string{"run", "blink", "--virtual", "--for", "1s", "--trace", noDir}, "--trace " + noDir + ": no such file or directory"},
		{[]string{"run", "blink", "--virtual", "--for", "1s", "--timeline", noDir}, "--timeline " + noDir + ": no such file or directory"},
		{[]string{"run", "blink", "--virtual"}, "blink: still running after 1h0m0s of board time: give --virtual a duration with --for, such as --for 10s"},
		{[]string{"run", "blink", "--web-token", "x"}, "--web-token needs --web"},
		{[]string{"run", "blink", "--web", "--web-token", ""}, "--web-token: the value is empty"},
		{[]string{"run", "blink", "--web="}, `run: invalid boolean value "" for -web: the address is empty (--web alone serves on 127.0.0.1)`},
		{[]string{"run", "blink", "--web", "--virtual"}, "--web and --virtual: the page runs the board on the virtual clock, at the speed it asks for; leave out --virtual"},
		{[]string{"run", "blink", "--web=nohost"}, `--web: address "nohost": missing port in address (give host:port, such as 127.0.0.1:8080)`},
		{[]string{"run", "blink", "--web=127.0.0.1:99999"}, "--web: listen tcp: address 99999: invalid port"},
	}
	for _, tt := range tests {
		code, stdout, stderr := runArgs(t, tt.args...)
		want := "coop: " + tt.want + "\n"
		if tt.args == nil {
			want = usage()
		}
		if code != exitUsage || stdout != "" || !textmatch.Match(stderr, want) {
			t.Errorf("coop %s = %d\nstdout:\n%s\nstderr:\n%s\nwant 2, no stdout, stderr:\n%s", strings.Join(tt.args, " "), code, stdout, stderr, want)
		}
	}
}

// Every command exits 0 when it does as asked, --help included, 1 when it
// fails (a program, or output that cannot be written) and 2 for bad usage
// or input (TestRun_badInput has the messages).
func TestExitStatus(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full:", err)
	}
	defer full.Close()
	tests := []struct {
		args []string
		code int
	}{
		{[]string{"help"}, exitOK},
		{[]string{"--help"}, exitOK},
		{[]string{"-h"}, exitOK},
		{[]string{"list"}, exitOK},
		{[]string{"list", "--help"}, exitOK},
		{[]string{"help", "list"}, exitOK},
		{[]string{"show", "blink"}, exitOK},
		{[]string{"show", "--help"}, exitOK},
		{[]string{"help", "show"}, exitOK},
		{[]string{"run", "hello", "--virtual"}, exitOK},
		{[]string{"run", "hello", "--virtual=true", "--pins=0", "--timestamps=T"}, exitOK},
		{[]string{"run", "--help"}, exitOK},
		{[]string{"help", "run"}, exitOK},
		{[]string{"run", "blink", "--virtual", "--wiring", "testdata/metro.json", "--board", "metro_m4"}, exitFail},
		{[]string{"new", "--help"}, exitOK},
		{[]string{"help", "new"}, exitOK},
		{[]string{"bench", "--help"}, exitOK},
		{[]string{"help", "bench"}, exitOK},
		{[]string{"version"}, exitOK},
		{[]string{"--version"}, exitOK},
		{[]string{"version", "--help"}, exitOK},
		{[]string{"help", "version"}, exitOK},
		{nil, exitUsage},
		{[]string{"nope"}, exitUsage},
		{[]string{"list", "x"}, exitUsage},
		{[]string{"show"}, exitUsage},
		{[]string{"run", "nope"}, exitUsage},
		{[]string{"new"}, exitUsage},
		{[]string{"bench", "--time", "0s"}, exitUsage},
		{[]string{"version", "x"}, exitUsage},
		{[]string{"help", "nope"}, exitUsage},
	}
	for _, tt := range tests {
		code, _, stderr := runArgs(t, tt.args...)
		if code != tt.code {
			t.Errorf("coop %s = %d, want %d; stderr:\n%s", strings.Join(tt.args, " "), code, tt.code, stderr)
		}
		if tt.code != exitOK || len(tt.args) > 0 && tt.args[0] == "run" && tt.args[1] != "--help" {
			continue
		}
		// What they print cannot be written: that is a failure.
		var errb bytes.Buffer
		if code := run(tt.args, strings.NewReader(""), full, &errb); code != exitFail || !strings.Contains(errb.String(), "no space left on device") {
			t.Errorf("coop %s >/dev/full = %d, want 1; stderr:\n%s", strings.Join(tt.args, " "), code, errb.String())
		}
	}
	var errb bytes.Buffer
	if code := run([]string{"run", "hello", "--virtual"}, strings.NewReader(""), full, &errb); code != exitFail {
		t.Errorf("coop run hello --virtual >/dev/full = %d, want 1; stderr:\n%s", code, errb.String())
	}
}

// coop version and coop --version name coop's module version and the Go
// that built it.
func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, stdout, stderr := runArgs(t, args...)
		if code != exitOK || !regexp.MustCompile(`^coop \S+( [0-9a-f]{12}(\+modified)?)? go1\.\S+\n$`).MatchString(stdout) || stderr != "" {
			t.Errorf("coop %s = %d, stdout %q, stderr %q", args[0], code, stdout, stderr)
		}
	}
}

// coop show tells where an example comes from, its wiring and scenario.
func TestShow(t *testing.T) {
	code, stdout, stderr := runArgs(t, "show", "blink")
	want := `blink: built-in LED and LED on GP15 blink in turn; uptime every second

seed     Creating, Running, and Managing Tasks (course session, uasyncio on the Pico 2 W)
section  §7 wiring (a first program)
board    pico2w
source   examples/blink/blink.go
package  github.com/coopgo/coop/examples/blink
run      coop run blink

wiring (examples/blink/diagram.json):
  PART  TYPE             PIN
  pico  board-pi-pico-w
  r1    wokwi-resistor   -
  led1  wokwi-led        GP15

scenario: none (buttons are pressed with keys in real time)
`
	if code != exitOK || stdout != want || stderr != "" {
		t.Errorf("coop show blink = %d\nstdout:\n%s\nstderr:\n%s\nwant 0, stdout:\n%s", code, stdout, stderr, want)
	}
	code, stdout, _ = runArgs(t, "show", "button-toggle")
	if code != exitOK || !strings.Contains(stdout, "\n  btn1  wokwi-pushbutton  GP14\n") ||
		!strings.Contains(stdout, "\nscenario (examples/button-toggle/scenario.yaml):\n  name: First press starts the blinking, second press stops it\n") {
		t.Errorf("coop show button-toggle = %d\n%s", code, stdout)
	}
}

// A program that returns an error: its name and the error, status 1.
func TestRun_programError(t *testing.T) {
	code, stdout, stderr := runArgs(t, "run", "blink", "--virtual", "--wiring", "testdata/metro.json", "--board", "metro_m4")
	want := "coop: blink: hw: board \"metro_m4\" has no pin \"GP15\" (pins: D0–D13, A0–A5, LED)\n"
	if code != exitFail || stdout != "" || stderr != want {
		t.Errorf("coop run blink on a Metro M4 = %d\nstdout:\n%s\nstderr:\n%s\nwant 1, no stdout, stderr:\n%s", code, stdout, stderr, want)
	}
}

func TestRun_trace(t *testing.T) {
	dir := t.TempDir()
	vcdPath, svgPath := filepath.Join(dir, "run.vcd"), filepath.Join(dir, "run.svg")
	code, _, stderr := runArgs(t, "run", "blink", "--virtual", "--for", "3s", "--trace", vcdPath, "--timeline", svgPath)
	if code != exitOK {
		t.Fatalf("coop run blink --trace --timeline = %d, stderr:\n%s", code, stderr)
	}

	f, err := os.Open(vcdPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	vcd, err := trace.ReadVCD(f)
	if err != nil {
		t.Fatalf("ReadVCD(%s) = %v", vcdPath, err)
	}
	if vcd.End != 3*time.Second {
		t.Errorf("VCD ends at %v, want 3s", vcd.End)
	}
	// Changes within one time unit collapse to the last: at 0 s the LED
	// goes low (made an output) then high; at 3 s it lights and is turned
	// off by the program's cleanup.
	wantPins := map[string][]string{
		"pins.LED":  {"0s 1", "500ms 0", "1s 1", "1.5s 0", "2s 1", "2.5s 0"},
		"pins.GP15": {"0s 0", "500ms 1", "1s 0", "1.5s 1", "2s 0", "2.5s 1", "3s 0"},
	}
	for name, want := range wantPins {
		s := vcd.Signal(name)
		if s == nil {
			t.Errorf("VCD has no signal %s", name)
			continue
		}
		var got []string
		for _, c := range s.Changes {
			got = append(got, c.At.String()+" "+c.Value)
		}
		if !slices.Equal(got, want) {
			t.Errorf("VCD %s changes = %q, want %q", name, got, want)
		}
	}
	for _, task := range []string{"main", "blink", "uptime"} {
		if vcd.Signal("tasks."+task+trace.WireRunning) == nil {
			t.Errorf("VCD has no signal tasks.%s%s", task, trace.WireRunning)
		}
	}

	svg, err := os.ReadFile(svgPath)
	if err != nil {
		t.Fatal(err)
	}
	checkSVG(t, svg)
}

// checkSVG checks that data is well-formed XML with an svg root.
func checkSVG(t *testing.T, data []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	root := ""
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("timeline is not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
	if root != "svg" {
		t.Errorf("timeline's root element is %q, want svg", root)
	}
}

// The same seed gives the same bytes: console, VCD and SVG.
func TestRun_seedReproducible(t *testing.T) {
	var outs [2][3]string
	for i := range outs {
		dir := t.TempDir()
		vcdPath, svgPath := filepath.Join(dir, "run.vcd"), filepath.Join(dir, "run.svg")
		code, stdout, stderr := runArgs(t, "run", "blink", "--virtual", "--for", "5s", "--seed", "42",
			"--timestamps", "--trace", vcdPath, "--timeline", svgPath)
		if code != exitOK {
			t.Fatalf("run %d: status %d, stderr:\n%s", i, code, stderr)
		}
		vcd, _ := os.ReadFile(vcdPath)
		svg, _ := os.ReadFile(svgPath)
		outs[i] = [3]string{stdout, string(vcd), string(svg)}
	}
	for j, what := range []string{"stdout", "VCD", "SVG"} {
		if outs[0][j] == "" {
			t.Errorf("%s is empty", what)
		}
		if outs[0][j] != outs[1][j] {
			t.Errorf("two runs with --seed 42 wrote different %s", what)
		}
	}
}

// A short run in real time ends on its own, about when it should.
func TestRun_realTime(t *testing.T) {
	start := time.Now()
	code, stdout, stderr := runArgs(t, "run", "blink", "--for", "300ms")
	took := time.Since(start)
	if code != exitOK || stdout != "LED ON\nUptime: 0 s\n" || stderr != "" {
		t.Errorf("coop run blink --for 300ms = %d\nstdout:\n%s\nstderr:\n%s\nwant 0, LED ON and Uptime: 0 s", code, stdout, stderr)
	}
	if took < 300*time.Millisecond || took > 5*time.Second {
		t.Errorf("coop run blink --for 300ms took %v", took)
	}
}
