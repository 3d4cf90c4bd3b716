package sim

import (
	"bytes"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/trace"
)

func TestConsoleLines(t *testing.T) {
	r := newRig(t, "pico2w", 0)
	var seen []string
	cancel := r.b.Observe(ObserverFuncs{OnConsole: func(at time.Duration, line string) {
		seen = append(seen, fmt.Sprintf("%v %s", at, line))
	}})
	err := r.run(func(t *coop.Task) error {
		con := r.b.Console()
		con.Println("Task 1:", 0)
		t.Sleep(500 * time.Millisecond)
		con.Printf("Temperature: %v C", 24.0)
		t.Sleep(500 * time.Millisecond)
		con.Printf("\nHumidity: %v %%\n", 58.0)
		fmt.Fprint(con, "a\nb\n\nc")
		cancel()
		con.Println()
		fmt.Fprint(con, "tail")
		r.b.FlushConsole()
		r.b.FlushConsole()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"0s Task 1: 0", "1s Temperature: 24 C", "1s Humidity: 58 %", "1s a", "1s b", "1s "}
	if !slices.Equal(seen, want) {
		t.Errorf("console lines = %q, want %q", seen, want)
	}
	wantRec := `0s console "Task 1: 0"
1s console "Temperature: 24 C"
1s console "Humidity: 58 %"
1s console "a"
1s console "b"
1s console ""
1s console "c"
1s console "tail"`
	if got := lines(r.events(trace.KindConsole)); got != wantRec {
		t.Errorf("recorded =\n%s\nwant\n%s", got, wantRec)
	}
}

// world runs a program that uses most of the simulator, with a scripted
// world, and returns its console and VCD trace.
func world(t *testing.T, seed uint64) (console, vcd string) {
	r := newRig(t, "pico2w", seed)
	btn := NewButton(ButtonConfig{Name: "btn", Bounce: DefaultBounce})
	r.b.Attach("GP14", btn)
	s := NewDHT22(DHT22Config{Name: "dht", Temperature: 24, Humidity: 58, FailRate: 0.3})
	s.SetTemperatureFunc(func(at time.Duration) float64 { return 24 + at.Seconds()/20 })
	r.b.Attach("GP16", s)
	ap, _ := r.b.AddAccessPoint(APConfig{SSID: "home", Password: "pw"})
	ap.OutageAt(5*time.Second, 7*time.Second)
	for i := range 5 {
		btn.ClickAt(time.Duration(i)*1700*time.Millisecond+ms(300), ms(150))
	}
	err := r.run(func(t *coop.Task) error {
		con := r.b.Console()
		led, _ := r.b.Output("LED")
		in, _ := r.b.Input("GP14", hw.PullUp)
		float, _ := r.b.Input("GP2", hw.PullNone)
		d, _ := hw.OpenDHT22(r.b, "GP16")
		w, _ := hw.OpenWLAN(r.b)
		tm, _ := hw.OpenTimer(r.b, -1)
		tm.Start(hw.TimerConfig{Freq: 2}, led.Toggle)
		in.SetInterrupt(hw.EdgeFalling, func(hw.Edge) { con.Println("irq", float.Get()) })
		t.Spawn("wifi", func(t *coop.Task) error {
			for {
				if !w.Status().Connected() {
					con.Println("wifi:", w.Connect(t, "home", "pw"))
				}
				if err := t.Sleep(500 * time.Millisecond); err != nil {
					return err
				}
			}
		})
		for range 5 {
			if err := d.Measure(t); err != nil {
				con.Println("Sensor read error:", err)
			} else {
				con.Println("Temperature:", d.Temperature(), "C")
			}
			if err := t.Sleep(2 * time.Second); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := trace.WriteVCD(&buf, r.rec.Events(), trace.VCDOptions{Timescale: time.Microsecond}); err != nil {
		t.Fatal(err)
	}
	return lines(r.events(trace.KindConsole)), buf.String()
}

func TestDeterminism(t *testing.T) {
	c1, v1 := world(t, 9)
	c2, v2 := world(t, 9)
	if c1 != c2 || v1 != v2 {
		t.Errorf("two runs with seed 9 differ:\n%s\n---\n%s", c1, c2)
	}
	c3, v3 := world(t, 10)
	if c1 == c3 && v1 == v3 {
		t.Error("seeds 9 and 10 gave the same run")
	}
	t.Logf("console, seed 9:\n%s", c1)
}

// On the real clock the same parts run in real time.
func TestRealClock(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 30 ms of real time")
	}
	l := coop.NewLoop()
	defer l.Close()
	b, _ := NewBoard(l, "pico2w", Config{})
	btn := NewButton(ButtonConfig{Name: "b"})
	b.Attach("GP14", btn)
	btn.PressAt(20 * time.Millisecond)
	var at time.Duration
	err := l.RunUntilComplete(l.Spawn("main", func(t *coop.Task) error {
		in, _ := b.Input("GP14", hw.PullUp)
		err := in.WaitEdge(t, hw.EdgeFalling)
		at = t.Now()
		return err
	}))
	if err != nil || at < 20*time.Millisecond || at > 2*time.Second {
		t.Errorf("WaitEdge on the real clock = %v at %v, want nil at about 20ms", err, at)
	}
}
