package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// A program's directory without diagram.json runs on a bare Pico 2 W, as
// `go run .` there runs it; --board still chooses another board.
func TestMain_withoutWiring(t *testing.T) {
	programDir(t, false)
	app := func(t *coop.Task, b hw.Board) error {
		if err := t.Sleep(500 * time.Millisecond); err != nil {
			return err
		}
		b.Console().Println("on", b.Name())
		return nil
	}
	for _, tt := range []struct{ args, want string }{
		{"--virtual --timestamps", "[   0.500s] on pico2w\n"},
		{"--virtual --board pyboard", "on pyboard\n"},
	} {
		var out, errOut bytes.Buffer
		code := Main(app, strings.Fields(tt.args), Stdio{Out: &out, Err: &errOut})
		if code != ExitOK || out.String() != tt.want || errOut.Len() != 0 {
			t.Errorf("Main(%s) = %d\nstdout:\n%s\nstderr:\n%s\nwant 0, stdout:\n%s", tt.args, code, out.String(), errOut.String(), tt.want)
		}
	}
}

// --web takes its address after a space too, as --for takes its duration:
// an argument with a colon that is not a path is the address.
func TestParse_webAddr(t *testing.T) {
	for _, tt := range []struct {
		args, web, pos string
	}{
		{"--web 127.0.0.1:0", "127.0.0.1:0", ""},
		{"blink --web :8080 --for 1s", ":8080", "blink"},
		{"--web=localhost:8080 blink", "localhost:8080", "blink"},
		{"--web blink", defaultWebAddr, "blink"},
		{"--web ./a:b", defaultWebAddr, "./a:b"},
		{"--web --pins", defaultWebAddr, ""},
	} {
		f, pos, err := Parse("run", strings.Fields(tt.args), nil)
		if err != nil || f.c.web != tt.web || strings.Join(pos, " ") != tt.pos {
			t.Errorf("Parse(%s): web %q, positional %q, error %v; want web %q, positional %q", tt.args, f.c.web, pos, err, tt.web, tt.pos)
		}
	}
	f, _, err := Parse("run", []string{"--web", "127.0.0.1:0", "--for", "2s"}, nil)
	args, aerr := f.Args()
	if err != nil || aerr != nil || strings.Join(args, " ") != "--for=2s --web=127.0.0.1:0" {
		t.Errorf("Args() = %q, %v, %v; want --for=2s --web=127.0.0.1:0", args, err, aerr)
	}
}

// An unknown --board is named with the flag, before anything runs.
func TestMain_unknownBoard(t *testing.T) {
	programDir(t, false)
	for _, tt := range []struct{ board, want string }{
		{"esp32", "coop: --board \"esp32\": unknown board (boards: metro_m4, pico2w, pyboard)\n"},
		{"pico", "coop: --board \"pico\": unknown board (did you mean pico2w? boards: metro_m4, pico2w, pyboard)\n"},
	} {
		var out, errOut bytes.Buffer
		code := Main(func(*coop.Task, hw.Board) error { return nil }, []string{"--virtual", "--board", tt.board}, Stdio{Out: &out, Err: &errOut})
		if code != ExitUsage || out.Len() != 0 || errOut.String() != tt.want {
			t.Errorf("Main(--board %s) = %d\nstdout:\n%s\nstderr:\n%s\nwant 2, stderr:\n%s", tt.board, code, out.String(), errOut.String(), tt.want)
		}
	}
}

// A program's --help says what `coop run -h` says of a run beyond its
// flags: the keys that press buttons, how long a run lasts, the exit
// statuses, and what go run makes of them.
func TestMain_help(t *testing.T) {
	programDir(t, false)
	var out, errOut bytes.Buffer
	code := Main(func(*coop.Task, hw.Board) error { return nil }, []string{"--help"}, Stdio{Out: &out, Err: &errOut})
	got := out.String()
	want := "\n\n" + RunText + "\n" + ExitText +
		"go run turns any failure into its own status 1; the program built with\ngo build exits with the statuses above.\n"
	if code != ExitOK || errOut.Len() != 0 || !strings.HasSuffix(got, want) {
		t.Errorf("Main(--help) = %d, stdout:\n%s\nstderr:\n%s\nwant 0, the flags, then:\n%s", code, got, &errOut, want)
	}
}
