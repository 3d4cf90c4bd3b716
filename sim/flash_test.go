package sim

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

func TestFlashFull(t *testing.T) {
	r := newRig(t, "pyboard", 0)
	f, _ := r.b.Flash()
	if r.b.FlashSize() != 1<<20 {
		t.Fatalf("FlashSize() = %d, want 1 MB", r.b.FlashSize())
	}
	if err := f.WriteFile("big", make([]byte, 1<<20-10)); err != nil {
		t.Fatal(err)
	}
	a := f.(hw.FlashAppender)
	if err := a.AppendFile("log", make([]byte, 10)); err != nil {
		t.Fatal(err)
	}
	err := a.AppendFile("log", []byte{1})
	if !errors.Is(err, hw.ErrFlashFull) || err.Error() != "append log: hw: flash is full: 0 bytes free" {
		t.Errorf("append to a full flash: %v", err)
	}
	if got, _ := f.ReadFile("log"); len(got) != 10 {
		t.Errorf("the failed append changed the file: %d bytes", len(got))
	}
	// Replacing a file counts its old size as free.
	if err := f.WriteFile("big", make([]byte, 1<<20-10)); err != nil {
		t.Errorf("rewrite in place: %v", err)
	}
	if err := f.Remove("big"); err != nil || r.b.FlashUsed() != 10 {
		t.Errorf("Remove: %v, used %d", err, r.b.FlashUsed())
	}
}

// A power cut tears a write at the byte asked for; the board starts again
// as at power-on; writes made after the cut in the same step fail.
func TestFlashPowerCut(t *testing.T) {
	boots := 0
	var after error
	var rig *firmwareRig
	rig = newFirmwareRig(t, func(t *coop.Task, b hw.Board) error {
		boots++
		f, _ := hw.OpenFlash(b)
		a := f.(hw.FlashAppender)
		if boots > 1 {
			return nil
		}
		if err := f.WriteFile("cfg", []byte("old contents")); err != nil {
			return err
		}
		if err := a.AppendFile("log", []byte("first;")); err != nil {
			return err
		}
		rig.b.CutPowerDuringWrite(3)
		if err := a.AppendFile("log", []byte("second;")); !errors.Is(err, hw.ErrPowerLost) {
			return errors.New("torn append: " + errString(err))
		}
		after = f.WriteFile("cfg", []byte("NEW"))
		return t.Sleep(time.Second)
	})
	main := rig.fw.Start(rig.b)
	rig.l.RunFor(2 * time.Second)
	_ = main
	if boots != 2 {
		t.Fatalf("boots = %d, want 2", boots)
	}
	if hw.LastReset(rig.b) != hw.PowerOnReset {
		t.Errorf("LastReset = %v", hw.LastReset(rig.b))
	}
	f, _ := rig.b.Flash()
	if got, _ := f.ReadFile("log"); string(got) != "first;sec" {
		t.Errorf("log = %q, want the first record and 3 bytes of the second", got)
	}
	if got, _ := f.ReadFile("cfg"); string(got) != "old contents" || !errors.Is(after, hw.ErrPowerLost) {
		t.Errorf("cfg = %q, write after the cut: %v", got, after)
	}
	if rs := rig.fw.Resets(); len(rs) != 1 || rs[0].String() != `power cut at 0s during append "log" after 3 of 7 bytes` {
		t.Errorf("resets %v", rs)
	}
}

// A torn WriteFile leaves the new bytes over the old ones.
func TestFlashTornWriteFile(t *testing.T) {
	r := newRig(t, "pico2w", 0)
	f, _ := r.b.Flash()
	f.WriteFile("cfg", []byte("abcdefgh"))
	r.b.CutPowerDuringWrite(2)
	err := f.WriteFile("cfg", []byte("XYZW"))
	var pe *fs.PathError
	if !errors.As(err, &pe) || !errors.Is(err, hw.ErrPowerLost) {
		t.Fatalf("torn write: %v", err)
	}
	if got, _ := f.ReadFile("cfg"); string(got) != "XYcd" {
		t.Errorf("cfg = %q, want XYcd", got)
	}
}

// The watchdog resets the board at its deadline, even in the middle of a
// step that holds the loop: a write after the deadline does not happen.
func TestFlashWriteAfterWatchdogDeadline(t *testing.T) {
	var werr error
	boots := 0
	r := newFirmwareRig(t, func(t *coop.Task, b hw.Board) error {
		boots++
		if boots > 1 {
			return nil
		}
		wdt, _ := hw.OpenWatchdog(b)
		f, _ := hw.OpenFlash(b)
		wdt.Start(100 * time.Millisecond)
		t.Busy(150 * time.Millisecond) // holds the loop past the deadline
		werr = f.WriteFile("late", []byte("x"))
		return t.Sleep(time.Second)
	})
	r.fw.Start(r.b)
	r.l.RunFor(time.Second)
	if !errors.Is(werr, hw.ErrPowerLost) {
		t.Errorf("write after the deadline: %v", werr)
	}
	if files := r.b.FlashFiles(); len(files) != 0 {
		t.Errorf("files %v, want none", files)
	}
	rs := r.fw.Resets()
	if len(rs) != 1 || rs[0].At != 100*time.Millisecond || !strings.HasPrefix(rs[0].String(), "watchdog reset at 100ms") {
		t.Errorf("resets %v, want one at the deadline, 100ms", rs)
	}
}
