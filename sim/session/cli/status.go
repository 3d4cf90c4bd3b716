package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/sim"
)

// boardStatus is what the status line shows of a board at one instant.
type boardStatus struct {
	At    time.Duration
	Parts []partStatus // grouped by type, in the order of sim.PartTypes
	// WiFi is the station's status; it is shown only if HasWiFi, once
	// the program has used the board's Wi-Fi.
	WiFi    hw.WLANStatus
	HasWiFi bool
}

// partStatus is what a part shows: its type's state fields and their
// values.
type partStatus struct {
	Name   string
	Fields []sim.Field
	State  sim.State
}

// snapshot reads the status of b's parts now, each as its type describes
// it, grouped by type in the order of sim.PartTypes, then the parts of the
// program's own types in the board's order. Call it on b's loop.
func snapshot(b *sim.Board, wifi bool) boardStatus {
	s := boardStatus{At: b.Loop().Now()}
	parts := b.Parts()
	coops := map[string]bool{}
	add := func(p sim.Part, pt *sim.PartType) {
		if len(pt.State) > 0 {
			s.Parts = append(s.Parts, partStatus{Name: p.Name(), Fields: pt.State, State: sim.StateOf(p)})
		}
	}
	for _, t := range sim.PartTypes() {
		coops[t.Type] = true
		for _, p := range parts {
			if pt := sim.TypeOf(p); pt != nil && pt.Type == t.Type {
				add(p, pt)
			}
		}
	}
	for _, p := range parts {
		if pt := sim.TypeOf(p); pt != nil && !coops[pt.Type] {
			add(p, pt)
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
//	[   1.500s]  ● LED  ○ led1  btn1 up  dht1 24.0°C 58.0%  servo1 90°  Wi-Fi got ip
//
// The time is board time, as --timestamps writes it. Each part is drawn
// from its state fields: a light is a ● in the part's colour when on, a
// grey ○ when off; a switch (a button) is its word, in reverse video when
// on; numbers follow the part's name with their units.
func render(s boardStatus) string {
	var b strings.Builder
	b.WriteString(sgrDim + stamp(s.At) + sgrReset)
	for _, p := range s.Parts {
		b.WriteString("  " + renderPart(p))
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

// renderPart draws one part from its fields.
func renderPart(p partStatus) string {
	var light, word string
	var values []string
	on := false
	for _, f := range p.Fields {
		v, ok := p.State[f.Name]
		if !ok {
			continue
		}
		switch f.Show {
		case sim.ShowHidden:
		case sim.ShowLight:
			lit, _ := v.(bool)
			color, _ := p.State["color"].(string)
			if lit {
				light = ledSGR(color) + "●" + sgrReset
			} else {
				light = sgrGrey + "○" + sgrReset
			}
		case sim.ShowSwitch:
			on, _ = v.(bool)
			word = f.Format(v)
		default:
			values = append(values, f.Format(v))
		}
	}
	text := p.Name
	if len(values) > 0 {
		text += " " + strings.Join(values, " ")
	}
	switch {
	case light != "":
		return light + " " + text
	case word != "" && on:
		return sgrReverse + " " + text + " " + word + " " + sgrReset
	case word != "":
		return text + " " + word
	}
	return text
}

// stamp formats board time as the --timestamps prefix does, without the
// trailing space: "[   1.500s]". The time is in seconds with millisecond
// resolution, truncated, right-aligned in eight characters (longer past
// 9999.999 s), so that columns line up.
func stamp(d time.Duration) string {
	d = d.Truncate(time.Millisecond)
	return fmt.Sprintf("[%4d.%03ds]", d/time.Second, d%time.Second/time.Millisecond)
}
