package trace

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// requireSigrok is the environment variable that makes the sigrok check
// required: CI sets it to 1, so a missing sigrok-cli fails the test
// instead of skipping it.
const requireSigrok = "COOP_REQUIRE_SIGROK"

// skipFataler is what needSigrok needs of a test.
type skipFataler interface {
	Helper()
	Skip(args ...any)
	Fatal(args ...any)
}

// needSigrok skips t when sigrok-cli is not on PATH, or fails it when
// COOP_REQUIRE_SIGROK=1 says the check must run.
func needSigrok(t skipFataler) {
	t.Helper()
	if _, err := exec.LookPath("sigrok-cli"); err == nil {
		return
	}
	const missing = "sigrok-cli is not on PATH; install it (apt-get install sigrok-cli) to check that sigrok reads WriteVCD files"
	if os.Getenv(requireSigrok) == "1" {
		t.Fatal(missing + "; " + requireSigrok + "=1 requires the check")
		return
	}
	t.Skip(missing)
}

// sigrokBits runs `sigrok-cli -I vcd -i FILE -O bits:width=0` on vcd and
// returns each channel's samples as a string of 0 and 1.
func sigrokBits(t *testing.T, vcd []byte) map[string]string {
	t.Helper()
	needSigrok(t)
	file := filepath.Join(t.TempDir(), "trace.vcd")
	if err := os.WriteFile(file, vcd, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sigrok-cli", "-I", "vcd", "-i", file, "-O", "bits:width=0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("sigrok-cli: %v\n%s", err, stderr.String())
	}
	bits := make(map[string]string)
	for _, line := range strings.Split(string(out), "\n") {
		name, samples, ok := strings.Cut(line, ":")
		if !ok || strings.Contains(name, " ") || strings.Trim(samples, "01 ") != "" {
			continue // "META samplerate: …" and other chatter
		}
		bits[name] += strings.ReplaceAll(samples, " ", "")
	}
	return bits
}

// runs spells out samples: runs("0", 2, "1", 3) is "00111".
func runs(args ...any) string {
	var b strings.Builder
	for i := 0; i < len(args); i += 2 {
		b.WriteString(strings.Repeat(args[i].(string), args[i+1].(int)))
	}
	return b.String()
}

func TestSigrokReadsVCD(t *testing.T) {
	var b bytes.Buffer
	// One sample per 100µs: 50 samples up to End.
	if err := WriteVCD(&b, blinkEvents(), VCDOptions{Timescale: 100 * time.Microsecond, End: 5 * ms}); err != nil {
		t.Fatal(err)
	}
	got := sigrokBits(t, b.Bytes())
	want := map[string]string{
		"LED":           runs("0", 10, "1", 20, "0", 20),
		"GP_15":         runs("0", 20, "1", 30),                  // x reads as 0
		"main_running":  runs("1", 10, "0", 20, "1", 1, "0", 19), // its last step drawn one unit long
		"main_ready":    runs("0", 50),
		"main_waiting":  runs("0", 10, "1", 20, "0", 20),
		"blink_running": runs("0", 10, "1", 5, "0", 35),
		"blink_ready":   runs("1", 10, "0", 40),
		"blink_waiting": runs("0", 15, "1", 25, "0", 10),
	}
	if len(got) != len(want) {
		t.Errorf("sigrok-cli read channels %v, want %d channels", keys(got), len(want))
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("sigrok-cli channel %s:\n got %s\nwant %s\nfile:\n%s", name, got[name], w, b.String())
		}
	}
}

// TestSigrokManySignals checks two-character identifier codes.
func TestSigrokManySignals(t *testing.T) {
	var events []Event
	const n = 120
	for i := range n {
		// Pin i goes high at sample i%10.
		events = append(events, Event{At: 0, Kind: KindPin, Source: fmt.Sprintf("P%d", i)})
		events = append(events, Event{At: time.Duration(i%10) * time.Microsecond, Kind: KindPin, Source: fmt.Sprintf("P%d", i), Level: true})
	}
	var b bytes.Buffer
	if err := WriteVCD(&b, events, VCDOptions{End: 12 * time.Microsecond}); err != nil {
		t.Fatal(err)
	}
	got := sigrokBits(t, b.Bytes())
	if len(got) != n {
		t.Fatalf("sigrok-cli read %d channels, want %d", len(got), n)
	}
	for i := range n {
		name := fmt.Sprintf("P%d", i)
		if want := runs("0", i%10, "1", 12-i%10); got[name] != want {
			t.Errorf("sigrok-cli channel %s = %s, want %s", name, got[name], want)
		}
	}
}

func keys(m map[string]string) []string {
	var k []string
	for name := range m {
		k = append(k, name)
	}
	return k
}

// recorder records what needSigrok does to a test.
type recorder struct{ skipped, failed string }

func (r *recorder) Helper()           {}
func (r *recorder) Skip(args ...any)  { r.skipped = fmt.Sprint(args...) }
func (r *recorder) Fatal(args ...any) { r.failed = fmt.Sprint(args...) }

// Without sigrok-cli the check skips, unless COOP_REQUIRE_SIGROK=1 makes
// it a failure; with it, needSigrok lets the test run.
func TestNeedSigrok(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	t.Setenv(requireSigrok, "")
	var r recorder
	needSigrok(&r)
	if r.failed != "" || !strings.HasPrefix(r.skipped, "sigrok-cli is not on PATH") {
		t.Errorf("needSigrok without sigrok-cli: skipped %q, failed %q; want a skip", r.skipped, r.failed)
	}
	t.Setenv(requireSigrok, "1")
	r = recorder{}
	needSigrok(&r)
	if r.skipped != "" || !strings.HasSuffix(r.failed, "; COOP_REQUIRE_SIGROK=1 requires the check") {
		t.Errorf("needSigrok without sigrok-cli, required: skipped %q, failed %q; want a failure", r.skipped, r.failed)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "sigrok-cli"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	r = recorder{}
	needSigrok(&r)
	if r != (recorder{}) {
		t.Errorf("needSigrok with sigrok-cli: %+v, want nothing", r)
	}
}
