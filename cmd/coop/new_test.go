package main

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// programFlags lists the flags of a program's own command line.
const programFlags = "--blocking, --board, --broker, --broker-ca, --for, --pins, --scenario, --seed, --stats, --stats-every, --step-cost, --timeline, --timestamps, --top, --trace, --virtual, --web, --web-token, --wiring"

// blinkyPins is what the program coop new writes prints in 2 s of board
// time with --virtual --timestamps --pins: its console and its pins.
const blinkyPins = `[   0.000s] GP15 (led1) off
[   0.000s] GP14 (btn1) on
[   0.000s] GP15 (led1) on
[   0.500s] GP15 (led1) off
[   1.000s] GP15 (led1) on
[   1.200s] GP14 (btn1) off
[   1.200s] button pressed
[   1.500s] GP15 (led1) off
[   1.700s] GP14 (btn1) on
[   1.700s] button released
[   2.000s] GP15 (led1) on
`

// newProgram writes a program with coop new in a temporary directory,
// outside coop's module, and returns its directory. Its go.mod requires
// coop from this checkout.
func newProgram(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	t.Setenv("GOFLAGS", "-mod=mod")
	dir := filepath.Join(t.TempDir(), "blinky")
	code, stdout, stderr := runArgs(t, "new", dir)
	if code != exitOK || !strings.Contains(stdout, "go run . --virtual --for 5s --pins") || stderr != "" {
		t.Fatalf("coop new %s = %d\nstdout:\n%s\nstderr:\n%s", dir, code, stdout, stderr)
	}
	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(gomod), "\n\n// coop is used from a checkout: the one coop new was built from, or its --replace.\nreplace github.com/coopgo/coop => "+root+"\n") {
		t.Errorf("go.mod does not use coop from %s:\n%s", root, gomod)
	}
	return dir
}

// goCmd runs the go command in dir and returns its exit status and output.
func goCmd(t *testing.T, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("go %v: %v", args, err)
	}
	return cmd.ProcessState.ExitCode(), out.String(), errb.String()
}

// The program coop new writes runs with go run, its test passes, and
// coop run ./DIR runs it the same way.
func TestNew(t *testing.T) {
	dir := newProgram(t)
	args := []string{"--virtual", "--for", "2s", "--timestamps", "--pins"}
	code, stdout, stderr := goCmd(t, dir, append([]string{"run", "."}, args...)...)
	if code != exitOK || stdout != blinkyPins || stderr != "" {
		t.Errorf("go run . %v = %d\nstdout:\n%s\nstderr:\n%s\nwant 0, stdout:\n%s", args, code, stdout, stderr, blinkyPins)
	}
	if code, stdout, stderr := goCmd(t, dir, "test", "-count=1", "."); code != 0 {
		t.Errorf("go test in %s = %d\n%s%s", dir, code, stdout, stderr)
	}
	for _, arg := range []string{dir, "./" + filepath.Base(dir)} {
		t.Run(arg, func(t *testing.T) {
			t.Chdir(filepath.Dir(dir))
			code, stdout, stderr := runArgs(t, append([]string{"run", arg}, args...)...)
			if code != exitOK || stdout != blinkyPins || stderr != "" {
				t.Errorf("coop run %s %v = %d\nstdout:\n%s\nstderr:\n%s\nwant 0, stdout:\n%s", arg, args, code, stdout, stderr, blinkyPins)
			}
		})
	}
	// Without --for the run ends with the scenario, at 1.7 s.
	code, stdout, _ = runArgs(t, "run", dir, "--virtual", "--timestamps")
	if want := "[   1.200s] button pressed\n[   1.700s] button released\n"; code != exitOK || stdout != want {
		t.Errorf("coop run %s --virtual --timestamps = %d\n%s\nwant 0\n%s", dir, code, stdout, want)
	}
}

// A program's exit status says how its run went, the same from coop run
// ./DIR and from the program itself: 0 it ended as asked, 1 it failed, 2
// bad usage or input.
func TestNew_exitStatus(t *testing.T) {
	dir := newProgram(t)
	main := filepath.Join(dir, "main.go")
	src, err := os.ReadFile(main)
	if err != nil {
		t.Fatal(err)
	}
	// App fails at 1 s when given an environment variable.
	failing := strings.Replace(string(src), "\tfor {\n\t\tled.Toggle()", "\tif os.Getenv(\"BLINKY_FAIL\") != \"\" {\n\t\tif err := t.Sleep(time.Second); err != nil {\n\t\t\treturn err\n\t\t}\n\t\treturn errors.New(\"the LED burnt out\")\n\t}\n\tfor {\n\t\tled.Toggle()", 1)
	failing = strings.Replace(failing, "import (\n", "import (\n\t\"errors\"\n\t\"os\"\n", 1)
	if err := os.WriteFile(main, []byte(failing), 0o666); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(dir, "broken.json")
	if err := os.WriteFile(broken, []byte("{"), 0o666); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "blinky")
	if code, stdout, stderr := goCmd(t, dir, "build", "-o", bin, "."); code != 0 {
		t.Fatalf("go build = %d\n%s%s", code, stdout, stderr)
	}
	tests := []struct {
		fail   bool
		args   []string
		code   int
		stderr string
	}{
		{false, []string{"--virtual", "--for", "1s"}, exitOK, ""},
		{false, []string{"--help"}, exitOK, ""},
		{true, []string{"--virtual"}, exitFail, "coop: blinky: the LED burnt out\n"},
		{false, []string{"--virtual", "--for", "soon"}, exitUsage, "coop: --for \"soon\": not a duration (such as 500ms, 10s, 1m30s)\n"},
		{false, []string{"--virtual", "--nope"}, exitUsage, "coop: blinky: unknown flag --nope (flags: " + programFlags + ")\n"},
		{false, []string{"--virtual", "--wiring", broken}, exitUsage, "coop: " + broken + ":1:1: unexpected end of JSON input\n"},
		{false, []string{"--virtual", "--board", "pyboard"}, exitUsage, "coop: wiring diagram.json is for board pico2w, not pyboard: give a wiring for pyboard with --wiring\n"},
	}
	for _, tt := range tests {
		if tt.fail {
			t.Setenv("BLINKY_FAIL", "1")
		} else {
			t.Setenv("BLINKY_FAIL", "")
		}
		// The program itself.
		cmd := exec.Command(bin, tt.args...)
		cmd.Dir = dir
		var errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = new(bytes.Buffer), &errb
		cmd.Run()
		if code := cmd.ProcessState.ExitCode(); code != tt.code || errb.String() != tt.stderr {
			t.Errorf("blinky %v = %d, stderr:\n%s\nwant %d, stderr:\n%s", tt.args, code, errb.String(), tt.code, tt.stderr)
		}
		// coop run passes it through.
		code, _, stderr := runArgs(t, append([]string{"run", dir}, tt.args...)...)
		want := strings.ReplaceAll(tt.stderr, "coop: blinky: unknown flag --nope (flags: "+programFlags, "coop: run: unknown flag --nope (flags: "+runFlags)
		if code != tt.code || stderr != want {
			t.Errorf("coop run DIR %v = %d, stderr:\n%s\nwant %d, stderr:\n%s", tt.args, code, stderr, tt.code, want)
		}
	}
}

// coop new refuses a directory that is not empty, a file, and a checkout
// that is not coop's.
func TestNew_badInput(t *testing.T) {
	dir := t.TempDir()
	full, file := filepath.Join(dir, "full"), filepath.Join(dir, "file")
	if err := os.Mkdir(full, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(full, "notes.txt"), nil, 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, nil, 0o666); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args   []string
		stderr string
	}{
		{[]string{"new"}, "coop: new: missing DIR\n"},
		{[]string{"new", full}, "coop: new: " + full + " already exists and is not empty: give a new or empty directory\n"},
		{[]string{"new", file}, "coop: new: " + file + " already exists and is not a directory: give a new or empty directory\n"},
		{[]string{"new", "--replace", dir, filepath.Join(dir, "x")}, "coop: new: --replace " + dir + ": not a checkout of coop: no go.mod\n"},
		{[]string{"new", "a", "b"}, "coop: new: unexpected argument \"b\" after \"a\": new takes one DIR\n"},
		{[]string{"new", "--from", "blinky", filepath.Join(dir, "x")}, "coop: new: --from: examples: unknown example \"blinky\" (have: " + exampleNames() + ")\n"},
		{[]string{"new", filepath.Join(dir, "my blinky")}, "coop: new: " + filepath.Join(dir, "my blinky") + ": the directory's name \"my blinky\" is not a module path (" + modulePathRule + "): give one with --module\n"},
		{[]string{"new", "--module", "example.com/a b", filepath.Join(dir, "x")}, "coop: new: --module \"example.com/a b\": not a module path (" + modulePathRule + ")\n"},
		{[]string{"new", "--module", "example.com//x", filepath.Join(dir, "x")}, "coop: new: --module \"example.com//x\": not a module path (" + modulePathRule + ")\n"},
	}
	for _, tt := range tests {
		code, stdout, stderr := runArgs(t, tt.args...)
		if code != exitUsage || stdout != "" || stderr != tt.stderr {
			t.Errorf("coop %v = %d\nstdout:\n%s\nstderr:\n%s\nwant 2, stderr:\n%s", tt.args, code, stdout, stderr, tt.stderr)
		}
	}
}

// The coop a new program requires: a release or a module from the proxy by
// its version, a coop built from a checkout through the checkout, and
// neither when there is no checkout to find, which coop new refuses.
func TestCoopVersion(t *testing.T) {
	mod := func(version, sum string) *debug.BuildInfo {
		return &debug.BuildInfo{Main: debug.Module{Path: "github.com/coopgo/coop", Version: version, Sum: sum}}
	}
	const pseudo = "v0.0.0-20261207030000-b9e3496a1b2c"
	tests := []struct {
		bi                   *debug.BuildInfo
		checkout             string
		version, wantReplace string
	}{
		{mod("v1.2.3", ""), "", "v1.2.3", ""},
		{mod("v1.2.3", "h1:abc="), "/mod/cache", "v1.2.3", ""},
		{mod(pseudo, "h1:abc="), "/mod/cache", pseudo, ""},
		{mod("(devel)", ""), "/src/coop", develVersion, "/src/coop"},
		{mod(pseudo+"+dirty", ""), "/src/coop", develVersion, "/src/coop"},
		{mod("(devel)", ""), "", develVersion, ""},
		{nil, "", develVersion, ""},
	}
	for _, tt := range tests {
		version, replace := coopVersion(tt.bi, tt.checkout)
		if version != tt.version || replace != tt.wantReplace {
			t.Errorf("coopVersion(%+v, %q) = %q, %q; want %q, %q", tt.bi, tt.checkout, version, replace, tt.version, tt.wantReplace)
		}
	}
}

// coop new writes into an empty directory, the current one too, and then
// says how to run the program from there.
func TestNew_emptyDir(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	t.Setenv("GOFLAGS", "-mod=mod")
	dir := filepath.Join(t.TempDir(), "blinky")
	if err := os.Mkdir(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	code, stdout, stderr := runArgs(t, "new", ".")
	want := "wrote .: diagram.json, go.mod, main.go, main_test.go, scenario.yaml\nrun it:\n\n  go run . --virtual --for 5s --pins\n"
	if code != exitOK || stdout != want || stderr != "" {
		t.Fatalf("coop new . = %d\nstdout:\n%s\nstderr:\n%s\nwant 0, stdout:\n%s", code, stdout, stderr, want)
	}
	gomod, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(gomod), "module blinky\n") {
		t.Errorf("go.mod of coop new . in blinky:\n%s\nwant module blinky", gomod)
	}
}

// A coop that cannot find its checkout and is no release says so before it
// writes anything.
func TestNew_noCheckout(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	bin := filepath.Join(t.TempDir(), "coop")
	if code, stdout, stderr := goCmd(t, ".", "build", "-trimpath", "-o", bin, "."); code != 0 {
		t.Fatalf("go build -trimpath = %d\n%s%s", code, stdout, stderr)
	}
	dir := t.TempDir()
	cmd := exec.Command(bin, "new", "blinky")
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Run()
	want := "coop: new: " + noCoop + "\n"
	if code := cmd.ProcessState.ExitCode(); code != exitUsage || out.String() != "" || errb.String() != want {
		t.Errorf("coop new blinky (built with -trimpath) = %d\nstdout:\n%s\nstderr:\n%s\nwant 2, stderr:\n%s", code, out.String(), errb.String(), want)
	}
	if _, err := os.Stat(filepath.Join(dir, "blinky")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("coop new blinky left %s/blinky behind (stat: %v)", dir, err)
	}
}
