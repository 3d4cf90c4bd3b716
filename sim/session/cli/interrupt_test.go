//go:build unix

package cli

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coopgo/coop/trace"
)

// syncBuffer is a buffer written by the run's loop and read by the test;
// wrote signals the first write.
type syncBuffer struct {
	mu      sync.Mutex
	b       bytes.Buffer
	wrote   chan struct{}
	once    sync.Once
	changed chan struct{} // closed at the next write
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.once.Do(func() { close(s.wrote) })
	if s.changed != nil {
		close(s.changed)
		s.changed = nil
	}
	return s.b.Write(p)
}

// waitFor waits until the buffer holds text, or d has passed; it reports
// whether it does.
func (s *syncBuffer) waitFor(text string, d time.Duration) bool {
	timeout := time.After(d)
	for {
		s.mu.Lock()
		if strings.Contains(s.b.String(), text) {
			s.mu.Unlock()
			return true
		}
		if s.changed == nil {
			s.changed = make(chan struct{})
		}
		changed := s.changed
		s.mu.Unlock()
		select {
		case <-changed:
		case <-timeout:
			return false
		}
	}
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Ctrl-C cancels the program, which turns its LEDs off as it cleans up,
// and the run ends with status 0.
func TestRun_interrupt(t *testing.T) {
	vcdPath := filepath.Join(t.TempDir(), "run.vcd")
	out := &syncBuffer{wrote: make(chan struct{})}
	var errb bytes.Buffer
	done := make(chan int)
	go func() {
		done <- run([]string{"run", "blink", "--trace", vcdPath}, strings.NewReader(""), out, &errb)
	}()
	select {
	case <-out.wrote:
	case <-time.After(5 * time.Second):
		t.Fatal("blink printed nothing in 5 s")
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-done:
		if code != ExitOK || !strings.HasPrefix(out.String(), "LED ON\n") || errb.Len() > 0 {
			t.Errorf("coop run blink, Ctrl-C = %d\nstdout:\n%s\nstderr:\n%s\nwant 0", code, out, &errb)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("coop run blink did not end within 5 s of Ctrl-C")
	}
	f, err := os.Open(vcdPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	vcd, err := trace.ReadVCD(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, pin := range []string{"pins.LED", "pins.GP15"} {
		s := vcd.Signal(pin)
		if s == nil || len(s.Changes) == 0 || s.Changes[len(s.Changes)-1].Value != "0" {
			t.Errorf("after Ctrl-C, %s = %+v, want it low at the end", pin, s)
		}
	}
}

// A run with --web whose scenario fails says why as it ends, before the
// page stays up until Ctrl-C, and its status is still 1.
func TestRun_webFailureReportedAtOnce(t *testing.T) {
	scen := filepath.Join(t.TempDir(), "late.yaml")
	if err := os.WriteFile(scen, []byte("steps:\n  - expect-serial: {text: never, within: 100ms}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	errb := &syncBuffer{wrote: make(chan struct{})}
	done := make(chan int, 1)
	go func() {
		done <- runCommand(testPrograms(t), []string{"hello", "--web", "--scenario", scen}, io.Discard, errb)
	}()
	if !errb.waitFor("the run is over", 20*time.Second) {
		t.Fatalf("coop run hello --web: no end in 20 s; stderr:\n%s", errb)
	}
	failure := "coop: " + scen + `:2: step 1 (expect-serial "never"): at 100ms expected "never" within 100ms, got 1 other line, "Task started"` + "\n"
	got := errb.String()
	if over := strings.Index(got, "coop: web: the run is over"); !strings.Contains(got[:over], failure) {
		t.Errorf("stderr when the page stays:\n%s\nwant before it %s", got, failure)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-done:
		if code != ExitFail {
			t.Errorf("coop run hello --web, Ctrl-C = %d, want %d\nstderr:\n%s", code, ExitFail, errb)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("coop run hello --web did not end within 20 s of Ctrl-C")
	}
}

// With --web the page drives the board: a program's own scenario is left
// out, and the run says so under the page's address, with how to play it;
// a program without one hears nothing of it.
func TestRun_webSaysScenarioLeftOut(t *testing.T) {
	for _, tt := range []struct{ name, want string }{
		{"hello-scenario", "coop: web: the page drives the board: examples/hello-scenario/scenario.yaml is left out (give it with --scenario to play it)\n"},
		{"hello", ""},
	} {
		errb := &syncBuffer{wrote: make(chan struct{})}
		done := make(chan int, 1)
		go func() {
			done <- runCommand(testPrograms(t), []string{tt.name, "--web"}, io.Discard, errb)
		}()
		if !errb.waitFor("the run is over", 20*time.Second) {
			t.Fatalf("coop run %s --web: no end in 20 s; stderr:\n%s", tt.name, errb)
		}
		lines := strings.SplitAfter(errb.String(), "\n")
		leftOut := "" // the line under the address that says so
		if len(lines) > 1 && strings.Contains(lines[1], "left out") {
			leftOut = lines[1]
		}
		if !strings.HasPrefix(lines[0], "coop: web: http://127.0.0.1:") || leftOut != tt.want {
			t.Errorf("coop run %s --web: stderr\n%s\nwant the address, then %q", tt.name, errb, tt.want)
		}
		if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
		select {
		case code := <-done:
			if code != ExitOK {
				t.Errorf("coop run %s --web, Ctrl-C = %d, want %d\nstderr:\n%s", tt.name, code, ExitOK, errb)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("coop run %s --web did not end within 20 s of Ctrl-C", tt.name)
		}
	}
}
