package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/sim"
)

// boardStatus is what the status line shows of a board at one instant.
type boardStatus struct {
	At      time.Duration
	LEDs    []ledStatus
	Buttons []buttonStatus
	DHT22s  []dhtStatus
	// WiFi is the station's status; it is shown only if HasWiFi, once
	// the program has used the board's Wi-Fi.
	WiFi    hw.WLANStatus
	HasWiFi bool
}

type ledStatus struct {
	Name, Color string
	On          bool
}

type buttonStatus struct {
	Name    string
	Pressed bool
}

type dhtStatus struct {
	Name                  string
	Temperature, Humidity float64 // what the sensor is exposed to
}

// snapshot reads the status of b's parts now. Call it on b's loop.
func snapshot(b *sim.Board, wifi bool) boardStatus {
	s := boardStatus{At: b.Loop().Now()}
	for _, p := range b.Parts() {
		switch p := p.(type) {
		case *sim.LED:
			s.LEDs = append(s.LEDs, ledStatus{Name: p.Name(), Color: p.Color(), On: p.On()})
		case *sim.Button:
			s.Buttons = append(s.Buttons, buttonStatus{Name: p.Name(), Pressed: p.Pressed()})
		case *sim.DHT22:
			s.DHT22s = append(s.DHT22s, dhtStatus{Name: p.Name(), Temperature: p.Temperature(), Humidity: p.Humidity()})
		}
	}
	if wifi {
		if w, err := b.WLAN(); err == nil {
			s.WiFi, s.HasWiFi = w.Status(), true
		}
	}
	return s
}

// ANSI select graphic rendition sequences.
const (
	sgrReset   = "\x1b[0m"
	sgrBold    = "\x1b[1m"
	sgrDim     = "\x1b[2m"
	sgrReverse = "\x1b[7m"
	sgrGrey    = "\x1b[90m"
	sgrGreen   = "\x1b[92m"
	sgrYellow  = "\x1b[93m"
	sgrRed     = "\x1b[91m"
)

// ledSGR returns the ANSI sequence that draws in an LED's colour: the
// bright variant of the eight basic colours, 256-colour codes for orange
// and pink, bold for a colour it does not know.
func ledSGR(color string) string {
	switch strings.ToLower(color) {
	case "red":
		return "\x1b[91m"
	case "green", "lime":
		return "\x1b[92m"
	case "yellow":
		return "\x1b[93m"
	case "blue":
		return "\x1b[94m"
	case "purple", "magenta", "violet":
		return "\x1b[95m"
	case "cyan":
		return "\x1b[96m"
	case "white":
		return "\x1b[97m"
	case "orange":
		return "\x1b[38;5;208m"
	case "pink":
		return "\x1b[38;5;213m"
	}
	return sgrBold
}

// render draws s as one line of text with ANSI colours, items separated by
// two spaces:
//
//	[   1.500s]  ● LED  ○ led1  btn1 up  dht1 24.0°C 58.0%  Wi-Fi got ip
//
// The time is board time, as --timestamps writes it. A lit LED is a ● in
// its colour, a dark one a grey ○; a pressed button is shown in reverse
// video; a DHT22 shows the temperature and humidity it is exposed to.
func render(s boardStatus) string {
	var b strings.Builder
	b.WriteString(sgrDim + stamp(s.At) + sgrReset)
	for _, l := range s.LEDs {
		if l.On {
			fmt.Fprintf(&b, "  %s●%s %s", ledSGR(l.Color), sgrReset, l.Name)
		} else {
			fmt.Fprintf(&b, "  %s○%s %s", sgrGrey, sgrReset, l.Name)
		}
	}
	for _, btn := range s.Buttons {
		if btn.Pressed {
			fmt.Fprintf(&b, "  %s %s down %s", sgrReverse, btn.Name, sgrReset)
		} else {
			fmt.Fprintf(&b, "  %s up", btn.Name)
		}
	}
	for _, d := range s.DHT22s {
		fmt.Fprintf(&b, "  %s %.1f°C %.1f%%", d.Name, d.Temperature, d.Humidity)
	}
	if s.HasWiFi {
		c := sgrYellow
		switch {
		case s.WiFi.Connected():
			c = sgrGreen
		case s.WiFi == hw.StatusIdle:
			c = sgrGrey
		case s.WiFi < 0:
			c = sgrRed
		}
		fmt.Fprintf(&b, "  Wi-Fi %s%s%s", c, s.WiFi, sgrReset)
	}
	return b.String()
}

// stamp formats board time as the --timestamps prefix does, without the
// trailing space: "[   1.500s]". The time is in seconds with millisecond
// resolution, truncated, right-aligned in eight characters (longer past
// 9999.999 s), so that columns line up.
func stamp(d time.Duration) string {
	d = d.Truncate(time.Millisecond)
	return fmt.Sprintf("[%4d.%03ds]", d/time.Second, d%time.Second/time.Millisecond)
}
