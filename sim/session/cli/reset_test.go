package cli

import (
	"bytes"
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

// hasLine reports whether text has line as one of its lines.
func hasLine(text, line string) bool {
	return strings.Contains("\n"+text, "\n"+line+"\n")
}

// The watchdog example: the scenario's fault starves the watchdog, the
// board resets, coop says why on standard error, and the program runs
// again until the scenario ends.
func TestReset_watchdog(t *testing.T) {
	code, stdout, stderr := runArgs(t, "run", "watchdog", "--virtual", "--timestamps")
	want := `[   0.000s] boot 1, reset cause: power-on
[   3.100s] sensor: bus stuck
[   5.100s] boot 2, reset cause: watchdog
`
	reset := `coop: watchdog reset at 5.1s: task "sensor" held the loop 2s (not fed for 2.1s, timeout 1s)`
	if code != ExitOK || stdout != want || !hasLine(stderr, reset) {
		t.Errorf("coop run watchdog --virtual --timestamps = %d\n%s%s\nwant 0\n%s%s", code, stdout, stderr, want, reset)
	}
	// --for ends the run during the second boot: the new main task is
	// the one stopped.
	code, stdout, _ = runArgs(t, "run", "watchdog", "--virtual", "--for", "6s")
	if code != ExitOK || stdout != "boot 1, reset cause: power-on\nsensor: bus stuck\nboot 2, reset cause: watchdog\n" {
		t.Errorf("coop run watchdog --virtual --for 6s = %d\n%s", code, stdout)
	}
}

// A program that resets itself: every task of the first boot stops, even
// one nobody awaits; the second boot's run is stopped by --for; the trace
// shows main twice.
func TestReset_program(t *testing.T) {
	blink, err := examples.Find("blink")
	if err != nil {
		t.Fatal(err)
	}
	app := func(t *coop.Task, b hw.Board) error {
		con := b.Console()
		con.Println("start,", hw.LastReset(b))
		t.Spawn("ticker", func(t *coop.Task) error {
			for i := 0; ; i++ {
				con.Println("tick", i)
				if err := t.Sleep(400 * time.Millisecond); err != nil {
					return err
				}
			}
		})
		if hw.LastReset(b) == hw.PowerOnReset {
			if err := t.Sleep(time.Second); err != nil {
				return err
			}
			hw.Reset(b)
		}
		return t.Sleep(time.Hour)
	}
	programs := []examples.Program{{Name: "again", Board: "pico2w", App: app, Wiring: blink.Wiring}}
	vcd := filepath.Join(t.TempDir(), "again.vcd")
	var stdout, stderr bytes.Buffer
	code := runCommand(programs, []string{"again", "--virtual", "--for", "2s", "--timestamps", "--trace", vcd}, &stdout, &stderr)
	want := `[   0.000s] start, power-on
[   0.000s] tick 0
[   0.400s] tick 1
[   0.800s] tick 2
[   1.000s] start, hard
[   1.000s] tick 0
[   1.400s] tick 1
[   1.800s] tick 2
`
	if code != ExitOK || stdout.String() != want || stderr.String() != "coop: reset at 1s by task \"main\" (machine.reset)\n" {
		t.Errorf("coop run again = %d\n%s%s\nwant 0\n%s", code, &stdout, &stderr, want)
	}
	f, err := os.Open(vcd)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v, err := trace.ReadVCD(f)
	if err != nil {
		t.Fatal(err)
	}
	if v.Signal("tasks.main"+trace.WireRunning) == nil {
		t.Error("the trace has no task main")
	}
}
