//go:build linux

package cli

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop/examples"
	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal of 120 × 30 characters: the test writes
// keys to master and reads the screen from it; coop gets slave as its
// standard input and output.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { master.Close() })
	if err := unix.IoctlSetPointerInt(int(master.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Skipf("unlockpt: %v", err)
	}
	n, err := unix.IoctlGetUint32(int(master.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Skipf("ptsname: %v", err)
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("open pts: %v", err)
	}
	t.Cleanup(func() { slave.Close() })
	if err := unix.IoctlSetWinsize(int(slave.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: 30, Col: 120}); err != nil {
		t.Fatal(err)
	}
	return master, slave
}

// termState is what cbreak changes of a terminal.
func termState(t *testing.T, f *os.File) string {
	t.Helper()
	tio, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("lflag %#x vmin %d vtime %d", tio.Lflag, tio.Cc[unix.VMIN], tio.Cc[unix.VTIME])
}

// runOnPTY runs `coop run` with args and programs on a pseudo-terminal,
// types keys once the screen shows waitFor, and returns the exit status,
// the screen's bytes and standard error.
func runOnPTY(t *testing.T, programs []examples.Program, waitFor, keys string, args ...string) (int, string, string) {
	t.Helper()
	master, slave := openPTY(t)
	before := termState(t, slave)
	screen := &syncBuffer{wrote: make(chan struct{})}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			screen.Write(buf[:n])
			if err != nil {
				return
			}
		}
	}()
	var errb bytes.Buffer
	done := make(chan int)
	go func() { done <- runCommandIn(programs, args, slave, slave, &errb) }()
	deadline := time.After(10 * time.Second)
	if keys != "" {
		if !screen.waitFor(waitFor, 10*time.Second) {
			t.Fatalf("coop run %s: no %q in 10 s; screen:\n%q", strings.Join(args, " "), waitFor, screen)
		}
		master.Write([]byte(keys))
	}
	var code int
	select {
	case code = <-done:
	case <-deadline:
		t.Fatalf("coop run %s did not end in 10 s; screen:\n%q", strings.Join(args, " "), screen)
	}
	if after := termState(t, slave); after != before {
		t.Errorf("coop run %s left the terminal in %s, was %s", strings.Join(args, " "), after, before)
	}
	// The last bytes through the terminal come before a mark written
	// after them.
	const mark = "\x00end of the run\x00"
	if _, err := slave.WriteString(mark); err != nil {
		t.Fatal(err)
	}
	if !screen.waitFor(mark, 10*time.Second) {
		t.Fatalf("coop run %s: the terminal did not pass on its last bytes in 10 s; screen:\n%q", strings.Join(args, " "), screen)
	}
	out, _, _ := strings.Cut(screen.String(), mark)
	return code, out, errb.String()
}

// On a terminal, --top draws the table in place on the alternate screen,
// with the keys at the bottom; q ends the run as Ctrl-C does, the shell's
// screen comes back with the final table, and the terminal is as it was.
func TestTop_quit(t *testing.T) {
	code, screen, stderr := runOnPTY(t, examples.All(), "] LED OFF", "q", "blink", "--top")
	if code != ExitOK || stderr != "" {
		t.Errorf("coop run blink --top, q = %d, stderr:\n%s\nwant 0", code, stderr)
	}
	for _, want := range []string{
		altScreenOn, cursorHome, "coop top · blink on pico2w · board time ", " · real time · 3 tasks · loop busy ",
		"TASK    STATE                  STEPS/S    BUSY  LONGEST     LATE  MAX LATE  MISSES",
		"main    waiting: task \"blink\"", "── console", "] LED ON", "keys: q quit",
		altScreenOff, " · ended",
	} {
		if !strings.Contains(screen, want) {
			t.Errorf("the screen of coop run blink --top has no %q:\n%q", want, screen)
		}
	}
	if i, j := strings.LastIndex(screen, altScreenOff), strings.LastIndex(screen, " · ended"); i > j {
		t.Errorf("the final table is not after the dashboard closed:\n%q", screen)
	}
}

// In virtual time the board races ahead; --for still ends the run, and the
// final table gives the whole run's numbers.
func TestTop_virtual(t *testing.T) {
	code, screen, stderr := runOnPTY(t, examples.All(), "", "", "blink", "--top", "--virtual", "--for", "30s")
	if code != ExitOK || stderr != "" {
		t.Errorf("coop run blink --top --virtual --for 30s = %d, stderr:\n%s\nwant 0", code, stderr)
	}
	want := "coop top · blink on pico2w · board time 30.000s · virtual time · 3 tasks · loop busy 0.0% · ended"
	if !strings.Contains(screen, want) {
		t.Errorf("the screen of coop run blink --top --virtual has no %q:\n%q", want, screen)
	}
	// Console lines show only in the dashboard, and the last ten after the
	// final table.
	live, after, _ := strings.Cut(screen, "── console, last lines")
	if strings.Contains(live, "LED ON\r\n") {
		t.Errorf("console lines went to the screen with --top:\n%q", live)
	}
	if n := strings.Count(after, "\r\n[ "); n != 10 {
		t.Errorf("%d console lines after the final table, want the last 10:\n%q", n, after)
	}
}

// Keys press the buttons of the wiring in real time: the status line
// says which, and the terminal is restored after.
func TestKeys_terminal(t *testing.T) {
	code, screen, stderr := runOnPTY(t, testPrograms(t), "keys: 1 btn1 · h+N hold · q quit", "1",
		"bounce", "--for", "1s", "--wiring", "testdata/full.json")
	if code != ExitOK || stderr != "" {
		t.Errorf("coop run bounce = %d, stderr:\n%s\nwant 0", code, stderr)
	}
	if !strings.Contains(screen, "falling edge") {
		t.Errorf("the key pressed no button: screen:\n%q", screen)
	}
}
