package main

import (
	"bufio"
	"errors"
	"net"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startRunDir starts coop (this test binary, as the command) running the
// program in dir with --web, and returns the process and the address the
// program serves its page on, once it has printed it.
func startRunDir(t *testing.T, dir string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), shardEnv+"=run "+dir+" --web 127.0.0.1:0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	lines := bufio.NewScanner(stderr)
	for lines.Scan() {
		if url, ok := strings.CutPrefix(lines.Text(), "coop: web: http://"); ok {
			go func() { // keep the pipe drained
				for lines.Scan() {
				}
			}()
			return cmd, strings.TrimSuffix(url, "/")
		}
	}
	t.Fatalf("coop run %s --web printed no address (%v)", dir, lines.Err())
	return nil, ""
}

// serving reports whether something accepts connections at addr.
func serving(addr string) bool {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// coop run ./DIR takes its program down with it: a SIGTERM is passed on
// and waited for, and a coop killed outright has the system stop the
// program, which would otherwise run on, orphaned, serving its page.
func TestRunDir_signals(t *testing.T) {
	dir := newProgram(t)

	cmd, addr := startRunDir(t, dir)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	var ee *exec.ExitError
	if err := cmd.Wait(); !errors.As(err, &ee) || ee.ExitCode() != 128+int(syscall.SIGTERM) {
		t.Errorf("coop run --web after SIGTERM: %v, want exit status 143", err)
	}
	if serving(addr) {
		t.Errorf("after coop run ended on SIGTERM, its program still serves %s", addr)
	}

	cmd, addr = startRunDir(t, dir)
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	// The system signals the program once coop is gone: wait for it to
	// stop serving.
	deadline := time.Now().Add(30 * time.Second)
	for serving(addr) {
		if time.Now().After(deadline) {
			t.Fatalf("30s after coop run was killed, its program still serves %s", addr)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
