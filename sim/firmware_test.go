package sim

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/rt"
	"github.com/coopgo/coop/trace"
)

// firmwareRig is a pyboard on a virtual-clock loop whose program runs under
// a Firmware that follows its tasks.
type firmwareRig struct {
	*rig
	fw *Firmware
}

func newFirmwareRig(t *testing.T, app func(t *coop.Task, b hw.Board) error) *firmwareRig {
	t.Helper()
	fw := &Firmware{App: app}
	l := coop.NewLoop(coop.WithVirtualClock())
	t.Cleanup(func() { l.Close() })
	b, err := NewBoard(l, "pyboard", Config{})
	if err != nil {
		t.Fatal(err)
	}
	rec := &trace.Recorder{}
	b.Observe(rec)
	return &firmwareRig{rig: &rig{l: l, b: b, rec: rec}, fw: fw}
}

// console returns the console lines as "time line".
func (r *rig) console() []string {
	var s []string
	for _, e := range r.rec.Events() {
		if e.Kind == trace.KindConsole {
			s = append(s, fmt.Sprintf("%v %s", e.At, e.Text))
		}
	}
	return s
}

func equal(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\ngot\n\t%s\nwant\n\t%s", what, lines(got), lines(want))
	}
}

// every runs fn every period, from a task called name spawned by t.
func every(t *coop.Task, name string, period time.Duration, fn func(t *coop.Task)) *coop.Task {
	return t.Spawn(name, func(t *coop.Task) error {
		for {
			fn(t)
			if err := t.Sleep(period); err != nil {
				return err
			}
		}
	})
}

// The book's watchdog story: a task feeds the watchdog, another hogs the
// loop, the board resets and the program starts again from the top, with
// every task of the first boot cancelled (even those it never awaited),
// its timers stopped and its pins released, and the flash kept.
func TestWatchdogResetRestartsTheProgram(t *testing.T) {
	var r *firmwareRig
	var cleanups []string
	app := func(t *coop.Task, b hw.Board) error {
		con := b.Console()
		flash, _ := hw.OpenFlash(b)
		boots := 1
		if data, err := flash.ReadFile("boots"); err == nil {
			boots += int(data[0])
		}
		flash.WriteFile("boots", []byte{byte(boots)})
		con.Println("boot", boots, "cause", hw.LastReset(b))
		wdt, err := hw.OpenWatchdog(b)
		if err != nil {
			return err
		}
		if err := wdt.Start(time.Second); err != nil {
			return err
		}
		led, _ := b.Output("LED(2)")
		tm, _ := hw.OpenTimer(b, 4)
		tm.Start(hw.TimerConfig{Period: 100 * time.Millisecond}, func() {})
		vt, _ := hw.OpenTimer(b, -1)
		ticks := 0
		vt.Start(hw.TimerConfig{Period: 100 * time.Millisecond}, func() { ticks++ })
		every(t, "feeder", 250*time.Millisecond, func(t *coop.Task) { wdt.Feed() })
		// A task that a task spawned and nobody awaits: the reset cancels
		// it too.
		t.Spawn("starter", func(t *coop.Task) error {
			every(t, "blink", 500*time.Millisecond, func(t *coop.Task) { led.Toggle() })
			return nil
		})
		if boots == 1 {
			t.Spawn("hog", func(t *coop.Task) error {
				defer func() { cleanups = append(cleanups, fmt.Sprintf("hog at %v", t.Now())) }()
				if err := t.Sleep(2050 * time.Millisecond); err != nil {
					return err
				}
				con.Println("hogging")
				t.Busy(2 * time.Second)
				con.Println("hogged", ticks, "ticks")
				return t.Sleep(time.Hour)
			})
		}
		defer func() { cleanups = append(cleanups, fmt.Sprintf("main of boot %d at %v", boots, t.Now())) }()
		return t.Sleep(time.Hour)
	}
	r = newFirmwareRig(t, app)
	var resets []string
	r.fw.OnReset = func(rs Reset) { resets = append(resets, rs.String()) }
	var mains []*coop.Task
	r.fw.OnStart = func(m *coop.Task) { mains = append(mains, m) }
	if m := r.fw.Start(r.b); m.Name() != "main" || r.fw.Main() != m {
		t.Fatalf("Start returned %v, Main() %v", m, r.fw.Main())
	}
	if err := r.l.RunFor(6 * time.Second); err != nil {
		t.Fatal(err)
	}
	equal(t, "console", r.console(), []string{
		"0s boot 1 cause power-on",
		"2.05s hogging",
		"4.05s hogged 20 ticks",
		"4.05s boot 2 cause watchdog",
	})
	equal(t, "resets", resets, []string{`watchdog reset at 4.05s: task "hog" held the loop 2s (not fed for 2.05s, timeout 1s)`})
	rs := r.fw.Resets()
	if len(rs) != 1 || rs[0].Feeder != "feeder" || rs[0].LastFeed != 2*time.Second || rs[0].Deadline() != 3*time.Second {
		t.Errorf("Resets() = %+v, want one, last fed by feeder at 2s, deadline 3s", rs)
	}
	equal(t, "cleanups", cleanups, []string{"main of boot 1 at 4.05s", "hog at 4.05s"})
	if len(mains) != 2 || !mains[0].Done() || mains[1] != r.fw.Main() || mains[1].Done() {
		t.Errorf("OnStart saw %v; want the first main, done, and the second, running", mains)
	}
	// The first boot's blink task is gone: the LED goes dark at the reset
	// and toggles on the second boot's grid only.
	equal(t, "LED(2)", r.pins("LED(2)"), []string{
		"0s 0", "0s 1", "500ms 0", "1s 1", "1.5s 0", "2s 1", "4.05s 0", "4.05s 1", "4.55s 0", "5.05s 1", "5.55s 0",
	})
	names := map[string]int{}
	for _, ti := range r.l.Tasks() {
		names[ti.Name]++
	}
	if want := map[string]int{"main": 1, "feeder": 1, "blink": 1}; fmt.Sprint(names) != fmt.Sprint(want) {
		t.Errorf("live tasks %v, want %v", names, want)
	}
	// The trace shows the reset as the watchdog's interrupt.
	var irqs []string
	for _, e := range r.rec.Events() {
		if e.Kind == trace.KindInterrupt && e.Source == "watchdog" {
			irqs = append(irqs, fmt.Sprintf("%v %s", e.At, e.Text))
		}
	}
	equal(t, "watchdog interrupts", irqs, []string{"4.05s reset"})
}

// A watchdog whose feeder stops starves at its deadline, with no task to
// blame; one fed in time never fires.
func TestWatchdogStarves(t *testing.T) {
	r := newFirmwareRig(t, func(t *coop.Task, b hw.Board) error {
		wdt, _ := hw.OpenWatchdog(b)
		if hw.LastReset(b) == hw.PowerOnReset {
			if err := wdt.Start(0); err == nil {
				return errors.New("Start(0) = nil, want an error")
			}
			wdt.Start(500 * time.Millisecond)
			for range 4 {
				if err := t.Sleep(300 * time.Millisecond); err != nil {
					return err
				}
				wdt.Feed()
			}
		}
		return t.Sleep(time.Hour)
	})
	r.fw.Start(r.b)
	if err := r.l.RunFor(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, rs := range r.fw.Resets() {
		got = append(got, rs.String())
	}
	equal(t, "resets", got, []string{`watchdog reset at 1.7s (not fed for 500ms, timeout 500ms)`})
}

// A feed that comes after the deadline, because a step held the feeder,
// resets the board at that feed.
func TestWatchdogLateFeed(t *testing.T) {
	r := newFirmwareRig(t, func(t *coop.Task, b hw.Board) error {
		if hw.LastReset(b) != hw.PowerOnReset {
			return t.Sleep(time.Hour)
		}
		wdt, _ := hw.OpenWatchdog(b)
		wdt.Start(time.Second)
		t.Busy(1500 * time.Millisecond)
		wdt.Feed()
		b.Console().Println("fed late")
		return t.Sleep(time.Hour)
	})
	r.fw.Start(r.b)
	if err := r.l.RunFor(3 * time.Second); err != nil {
		t.Fatal(err)
	}
	rs := r.fw.Resets()
	if len(rs) != 1 || rs[0].String() != `watchdog reset at 1.5s: task "main" held the loop 1.5s (not fed for 1.5s, timeout 1s)` {
		t.Errorf("Resets() = %v", rs)
	}
	equal(t, "console", r.console(), []string{"1.5s fed late"})
}

// machine.reset() from a task restarts the program; the program is
// cancelled at its next await.
func TestBoardReset(t *testing.T) {
	r := newFirmwareRig(t, func(t *coop.Task, b hw.Board) error {
		con := b.Console()
		con.Println("start", hw.LastReset(b))
		if hw.LastReset(b) == hw.PowerOnReset {
			if err := t.Sleep(time.Second); err != nil {
				return err
			}
			con.Printf("half a line")
			if err := hw.Reset(b); err != nil {
				return err
			}
			err := t.Sleep(time.Second)
			con.Println("after reset:", err)
			return err
		}
		return t.Sleep(time.Hour)
	})
	var got []string
	r.fw.OnReset = func(rs Reset) { got = append(got, rs.String()) }
	r.fw.Start(r.b)
	if err := r.l.RunFor(3 * time.Second); err != nil {
		t.Fatal(err)
	}
	equal(t, "resets", got, []string{`reset at 1s by task "main" (machine.reset)`})
	equal(t, "console", r.console(), []string{
		"0s start power-on",
		"1s half a lineafter reset: coop: task cancelled",
		"1s start hard",
	})
}

// The run stopping the program while it resets ends the reset: the program
// does not start again.
func TestFirmwareStoppedDuringReset(t *testing.T) {
	var started int
	r := newFirmwareRig(t, func(t *coop.Task, b hw.Board) error {
		started++
		if started == 1 {
			hw.Reset(b)
			// Cleanup that takes a while, during which the run stops.
			t.Shield(func() error { return t.Sleep(time.Second) })
			return t.Check()
		}
		return t.Sleep(time.Hour)
	})
	r.fw.OnStart = func(m *coop.Task) {
		if started == 1 {
			r.l.CallLater(500*time.Millisecond, func() { m.Cancel() })
		}
	}
	r.fw.Start(r.b)
	err := r.l.RunUntilComplete(r.fw.Main())
	if !errors.Is(err, coop.ErrCancelled) || started != 1 {
		t.Errorf("the stopped reset returned %v with %d starts, want ErrCancelled and 1", err, started)
	}
	// A second reset request while the first is under way is ignored.
	if n := len(r.fw.Resets()); n != 1 {
		t.Errorf("%d resets, want 1", n)
	}
}

// Without a Firmware a watchdog that expires is only traced.
func TestWatchdogWithoutFirmware(t *testing.T) {
	r := newRig(t, "pico2w", 0)
	err := r.run(func(t *coop.Task) error {
		wdt, err := hw.OpenWatchdog(r.b)
		if err != nil {
			return err
		}
		wdt.Start(100 * time.Millisecond)
		if hw.LastReset(r.b) != hw.PowerOnReset {
			return errors.New("not a power-on start")
		}
		r.b.Reset()
		return t.Sleep(time.Second)
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range r.rec.Events() {
		if e.Kind == trace.KindInterrupt {
			got = append(got, fmt.Sprintf("%v %s %s", e.At, e.Source, e.Text))
		}
	}
	equal(t, "interrupts", got, []string{"0s reset reset ignored: no firmware", "100ms watchdog expired"})
}

func TestFlash(t *testing.T) {
	r := newRig(t, "metro_m4", 0)
	f, err := hw.OpenFlash(r.b)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := r.b.Flash(); again != f {
		t.Error("Flash() twice gave two file systems")
	}
	if _, err := f.ReadFile("a.txt"); !errors.Is(err, fs.ErrNotExist) || err.Error() != "open a.txt: file does not exist" {
		t.Errorf("ReadFile(missing) error = %v, want open a.txt: file does not exist", err)
	}
	data := []byte("hello")
	if err := f.WriteFile("a.txt", data); err != nil {
		t.Fatal(err)
	}
	data[0] = 'J'
	got, err := f.ReadFile("a.txt")
	if string(got) != "hello" || err != nil {
		t.Errorf("ReadFile(a.txt) = %q, %v; want hello", got, err)
	}
	got[0] = 'J'
	f.WriteFile("b", nil)
	if names := r.b.FlashFiles(); !slices.Equal(names, []string{"a.txt", "b"}) {
		t.Errorf("FlashFiles() = %v", names)
	}
	if again, _ := f.ReadFile("a.txt"); string(again) != "hello" {
		t.Errorf("the file changed with the slice ReadFile returned: %q", again)
	}
	if err := f.Remove("a.txt"); err != nil {
		t.Error(err)
	}
	if err := f.Remove("a.txt"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Remove twice = %v, want ErrNotExist", err)
	}
	for _, name := range []string{"", "..", "d/e"} {
		if err := f.WriteFile(name, nil); !errors.Is(err, fs.ErrInvalid) {
			t.Errorf("WriteFile(%q) = %v, want ErrInvalid", name, err)
		}
	}
}

// A program may use rt's software watchdog instead: its reset hook resets
// the board through hw.Reset, and the program starts again.
func TestSoftwareWatchdogResetsTheBoard(t *testing.T) {
	r := newFirmwareRig(t, func(t *coop.Task, b hw.Board) error {
		con := b.Console()
		con.Println("start,", hw.LastReset(b))
		if hw.LastReset(b) != hw.PowerOnReset {
			return t.Sleep(time.Hour)
		}
		wd := &rt.Watchdog{Timeout: 500 * time.Millisecond, OnReset: func(rs rt.Reset) {
			con.Println(rs.Reason)
			hw.Reset(b)
		}}
		wd.Start(t.Loop())
		defer wd.Stop()
		t.Spawn("stuck", func(t *coop.Task) error {
			if err := t.Sleep(200 * time.Millisecond); err != nil {
				return err
			}
			t.Busy(time.Second)
			return t.Sleep(time.Hour)
		})
		for {
			wd.Feed()
			if err := t.Sleep(100 * time.Millisecond); err != nil {
				return err
			}
		}
	})
	var got []string
	r.fw.OnReset = func(rs Reset) { got = append(got, rs.String()) }
	r.fw.Start(r.b)
	if err := r.l.RunFor(2 * time.Second); err != nil {
		t.Fatal(err)
	}
	equal(t, "console", r.console(), []string{
		"0s start, power-on",
		`1.2s not fed for 1.1s (timeout 500ms), last fed by task "main" at 100ms; task "stuck" held the loop for 1s`,
		"1.2s start, hard",
	})
	equal(t, "resets", got, []string{"reset at 1.2s (machine.reset)"})
}

// Running names the task whose step runs, whoever spawned it, and nothing
// between steps: what a goroutine outside the loop reads to name a step
// that holds the loop.
func TestFirmwareRunning(t *testing.T) {
	var r *firmwareRig
	var seen []string
	note := func(where string) {
		name := "nil"
		if x := r.fw.Running(); x != nil {
			name = x.Name()
		}
		seen = append(seen, where+": "+name)
	}
	r = newFirmwareRig(t, func(t *coop.Task, b hw.Board) error {
		note("main")
		a := t.Spawn("a", func(t *coop.Task) error {
			note("a, first step")
			if err := t.Sleep(0); err != nil {
				return err
			}
			note("a, after a yield")
			return nil
		})
		if err := t.Sleep(time.Millisecond); err != nil {
			return err
		}
		note("main, after a sleep")
		return a.Wait(t)
	})
	main := r.fw.Start(r.b)
	r.l.CallLater(500*time.Microsecond, func() { note("a callback") })
	if err := r.l.RunUntilComplete(main); err != nil {
		t.Fatal(err)
	}
	note("after the run")
	equal(t, "Running in each step", seen, []string{
		"main: main", "a, first step: a", "a, after a yield: a", "a callback: nil", "main, after a sleep: main", "after the run: nil",
	})
}
