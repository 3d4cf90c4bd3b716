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
