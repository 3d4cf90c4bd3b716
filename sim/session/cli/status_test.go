package cli

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/internal/parttest"
	"github.com/coopgo/coop/sim"
)

func led(name, color string, on bool) partStatus {
	return partStatus{Name: name, Fields: sim.LEDType().State, State: sim.State{"on": on, "color": color}}
}

func button(name string, pressed bool) partStatus {
	return partStatus{Name: name, Fields: sim.ButtonType().State, State: sim.State{"pressed": pressed}}
}

func TestRender(t *testing.T) {
	tests := []struct {
		name string
		s    boardStatus
		want string
	}{
		{
			name: "blink",
			s: boardStatus{At: 1500 * time.Millisecond, Parts: []partStatus{
				led("LED", "green", true),
				led("led1", "red", false),
			}},
			want: "\x1b[2m[   1.500s]\x1b[0m  \x1b[92m●\x1b[0m LED  \x1b[90m○\x1b[0m led1",
		},
		{
			name: "everything",
			s: boardStatus{
				At: 12*time.Second + 345678*time.Microsecond,
				Parts: []partStatus{
					led("LED(1)", "red", true),
					led("d2", "Orange", true),
					led("d3", "chartreuse", true),
					button("btn1", true), button("USR", false),
					{Name: "dht1", Fields: sim.DHT22Type().State, State: sim.State{"temperature": 24.0, "humidity": 57.5}},
					{Name: "pot1", Fields: sim.PotentiometerType().State, State: sim.State{"position": 0.75}},
					{Name: "servo1", Fields: sim.ServoType().State, State: sim.State{"angle": 134.99}},
				},
				WiFi: hw.StatusGotIP, HasWiFi: true,
			},
			want: "\x1b[2m[  12.345s]\x1b[0m" +
				"  \x1b[91m●\x1b[0m LED(1)  \x1b[38;5;208m●\x1b[0m d2  \x1b[1m●\x1b[0m d3" +
				"  \x1b[7m btn1 down \x1b[0m  USR up" +
				"  dht1 24.0°C 57.5%  pot1 0.75  servo1 135°" +
				"  Wi-Fi \x1b[92mgot ip\x1b[0m",
		},
		{
			name: "wifi lost",
			s:    boardStatus{At: 0, WiFi: hw.StatusLinkLost, HasWiFi: true},
			want: "\x1b[2m[   0.000s]\x1b[0m  Wi-Fi \x1b[91m" + hw.StatusLinkLost.String() + "\x1b[0m",
		},
		{
			name: "wifi idle",
			s:    boardStatus{At: 10000 * time.Second, WiFi: hw.StatusIdle, HasWiFi: true},
			want: "\x1b[2m[10000.000s]\x1b[0m  Wi-Fi \x1b[90midle\x1b[0m",
		},
	}
	for _, tt := range tests {
		if got := render(tt.s); got != tt.want {
			t.Errorf("render(%s) =\n%q\nwant\n%q", tt.name, got, tt.want)
		}
	}
}

func TestStamp(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "[   0.000s]"},
		{999999 * time.Microsecond, "[   0.999s]"}, // truncated, never ahead
		{1500 * time.Millisecond, "[   1.500s]"},
		{9999*time.Second + 999*time.Millisecond, "[9999.999s]"},
		{12345 * time.Second, "[12345.000s]"},
	}
	for _, tt := range tests {
		if got := stamp(tt.d); got != tt.want {
			t.Errorf("stamp(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

// snapshot reads the parts of a board: the Pico's LED, an LED, a button,
// a DHT22 and a part of the program's own (a tilt switch) wired to it.
func TestSnapshot(t *testing.T) {
	l := coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	b, err := sim.NewBoard(l, "pico2w", sim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	btn := sim.NewButton(sim.ButtonConfig{Name: "btn1"})
	for pin, p := range map[string]sim.Part{
		"GP15": sim.NewLED(sim.LEDConfig{Name: "led1", Color: "red"}),
		"GP14": btn,
		"GP16": sim.NewDHT22(sim.DHT22Config{Name: "dht1", Temperature: 21.5, Humidity: 40}),
		"GP5":  parttest.NewTilt("tilt1"),
	} {
		if err := b.Attach(pin, p); err != nil {
			t.Fatal(err)
		}
	}
	l.Spawn("main", func(t *coop.Task) error {
		led, err := b.Output("LED")
		if err != nil {
			return err
		}
		led.Set(true)
		btn.Press()
		return t.Sleep(time.Second)
	})
	if err := l.RunFor(time.Second); err != nil {
		t.Fatal(err)
	}
	got := snapshot(b, true)
	if got.At != time.Second || got.WiFi != hw.StatusIdle || !got.HasWiFi {
		t.Errorf("snapshot: At %v, Wi-Fi %v %v; want 1s, idle, shown", got.At, got.WiFi, got.HasWiFi)
	}
	// Grouped by type: LEDs, buttons, sensors, whatever order they were
	// attached in, then the program's own parts.
	var shown []string
	for _, p := range got.Parts {
		shown = append(shown, fmt.Sprintf("%s %v", p.Name, p.State))
	}
	want := []string{
		"LED map[color:green on:true]",
		"led1 map[color:red on:false]",
		"btn1 map[pressed:true]",
		"dht1 map[humidity:40 temperature:21.5]",
		"tilt1 map[tilted:false]", // coop's types first, then the program's
	}
	if !slices.Equal(shown, want) {
		t.Errorf("snapshot parts:\n%s\nwant:\n%s", strings.Join(shown, "\n"), strings.Join(want, "\n"))
	}
}

// The status line is rendered on a tick, erased before a console line or a
// message, put back unchanged after a console line, or rendered anew if the
// last rendering is statusEvery old, and erased for good at the end.
func TestScreen(t *testing.T) {
	var out, errb bytes.Buffer
	wall := time.Unix(0, 0)
	n := 0
	s := &screen{out: &out, err: &errb, now: func() time.Time { return wall }}
	s.status = func() string { n++; return "S" + string(rune('0'+n)) }
	draw := func(text string) string { return eraseLine + noAutowrap + text + sgrReset + autowrap }

	s.tick()
	s.console(0, "one") // at once after the rendering: put back as it was
	wall = wall.Add(statusEvery)
	s.console(0, "two") // statusEvery after: rendered anew
	s.errorf("%s", "oops")
	s.console(0, "three") // not on the screen: stays off until the next tick
	s.tick()
	s.finish()
	s.tick()
	s.console(0, "four")

	want := draw("S1") +
		eraseLine + "one\n" + draw("S1") +
		eraseLine + "two\n" + draw("S2") +
		eraseLine + "three\n" +
		draw("S3") +
		eraseLine + "four\n"
	if got := out.String(); got != want {
		t.Errorf("stdout =\n%q\nwant\n%q", got, want)
	}
	if got := errb.String(); got != "coop: oops\n" {
		t.Errorf("stderr = %q, want %q", got, "coop: oops\n")
	}
}

// Without a terminal there is no status line, and lines held back are
// printed only on release.
func TestScreen_hold(t *testing.T) {
	var out bytes.Buffer
	s := &screen{out: &out, err: &out, timestamps: true, now: time.Now, hold: new(heldLines)}
	s.tick()
	s.console(time.Second, "one")
	if out.Len() > 0 {
		t.Fatalf("held line printed: %q", out.String())
	}
	s.release()
	s.console(2*time.Second, "two")
	s.finish()
	if got, want := out.String(), "[   1.000s] one\n[   2.000s] two\n"; got != want {
		t.Errorf("stdout = %q, want %q", got, want)
	}
	if isTerminal(&out) {
		t.Error("isTerminal(buffer) = true")
	}
	if strings.Contains(out.String(), "\x1b") {
		t.Error("escape codes written without a terminal")
	}
}

// While console lines are held back, coop's messages are too, and release
// prints both in the order they came, each on its own stream: a warning
// or a failure shows beside the lines the program printed around it, not
// above all of them. Dropping the console lines keeps the messages.
func TestScreen_holdKeepsOrder(t *testing.T) {
	tests := []struct {
		name       string
		drop       bool
		both, errs string // standard output and error as one stream; standard error alone
	}{
		{"release", false,
			"[   1.000s] one\ncoop: task \"worker\" failed: broke\n[   2.000s] two\ncoop: urgent\n",
			"coop: task \"worker\" failed: broke\ncoop: urgent\n"},
		{"drop", true,
			"coop: task \"worker\" failed: broke\ncoop: urgent\n",
			"coop: task \"worker\" failed: broke\ncoop: urgent\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var both, errs bytes.Buffer
			s := &screen{out: &both, err: io.MultiWriter(&both, &errs), timestamps: true, now: time.Now, hold: new(heldLines)}
			s.console(time.Second, "one")
			s.errorf("task %q failed: %s", "worker", "broke")
			s.console(2*time.Second, "two")
			if both.Len() > 0 {
				t.Fatalf("held lines printed: %q", both.String())
			}
			s.errorNow("urgent") // a run that cannot go on says so at once
			if got := both.String(); got != "coop: urgent\n" {
				t.Fatalf("before release: %q, want only the urgent message", got)
			}
			both.Reset()
			errs.Reset()
			if tt.drop {
				s.drop()
			} else {
				s.release()
			}
			s.errorf("urgent")
			if got := both.String(); got != tt.both {
				t.Errorf("output =\n%q\nwant\n%q", got, tt.both)
			}
			if got := errs.String(); got != tt.errs {
				t.Errorf("stderr =\n%q\nwant\n%q", got, tt.errs)
			}
		})
	}
}
