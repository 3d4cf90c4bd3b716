package sim

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// kind describes one kind of board: its pins, devices and built-in parts.
type kind struct {
	name  string
	title string
	// machine is the board and its chip as MicroPython's
	// sys.implementation._machine names them.
	machine string
	pins    []string          // canonical names, in the order they are listed
	alias   map[string]string // other name → canonical name
	// timers are the ids of hardware timers; every board also has
	// virtual timers, id -1.
	timers []int
	wlan   bool
	// adc and pwm are the pins with an analogue input and those that
	// can make PWM.
	adc, pwm map[string]bool
	// flash is the size of the flash file system, in bytes.
	flash int
	// builtin attaches the parts soldered on the board.
	builtin func(b *Board)
}

func seq(prefix string, from, to int, suffix string) []string {
	var s []string
	for i := from; i <= to; i++ {
		s = append(s, prefix+strconv.Itoa(i)+suffix)
	}
	return s
}

func concat(lists ...[]string) []string {
	var s []string
	for _, l := range lists {
		s = append(s, l...)
	}
	return s
}

func set(names []string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// kinds returns the boards the simulator knows, by name. It builds the
// table on each call: there is no package-level mutable state.
func kinds() map[string]*kind {
	return map[string]*kind{
		"pico2w": {
			name:    "pico2w",
			title:   "Raspberry Pi Pico 2 W",
			machine: "Raspberry Pi Pico 2 W with RP2350",
			pins:    concat(seq("GP", 0, 28, ""), []string{"LED"}),
			wlan:    true,
			flash:   4 << 20, // the Pico 2 W's 4 MB
			// RP2350: ADC0–ADC2 on GP26–GP28 (ADC3 on GP29 measures
			// VSYS); every GPIO has a PWM slice channel. The LED is on
			// the radio chip.
			adc: set(seq("GP", 26, 28, "")),
			pwm: set(seq("GP", 0, 28, "")),
			builtin: func(b *Board) {
				b.mustAttach("LED", NewLED(LEDConfig{Name: "LED", Color: "green"}))
			},
		},
		"pyboard": {
			name:    "pyboard",
			title:   "pyboard v1.1",
			machine: "PYBv1.1 with STM32F405RG",
			pins: concat(seq("X", 1, 12, ""), seq("X", 17, 22, ""), seq("Y", 1, 12, ""),
				seq("LED(", 1, 4, ")"), []string{"USR"}),
			timers: []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14},
			flash:  1 << 20, // the STM32F405's 1 MB
			// STM32F405: the pins with an ADC channel and those with a
			// timer channel, as the pyboard v1.1 pinout marks them.
			adc: set(concat(seq("X", 1, 8, ""), []string{"X11", "X12"}, seq("X", 19, 22, ""), []string{"Y11", "Y12"})),
			pwm: set(concat(seq("X", 1, 4, ""), seq("X", 6, 10, ""), seq("Y", 1, 4, ""), seq("Y", 6, 12, ""))),
			builtin: func(b *Board) {
				for i, c := range []string{"red", "green", "yellow", "blue"} {
					n := "LED(" + strconv.Itoa(i+1) + ")"
					b.mustAttach(n, NewLED(LEDConfig{Name: n, Color: c}))
				}
				b.mustAttach("USR", NewButton(ButtonConfig{Name: "USR", Bounce: DefaultBounce}))
			},
		},
		"metro_m4": {
			name:    "metro_m4",
			title:   "Adafruit Metro M4 Express",
			machine: "Adafruit Metro M4 Express with samd51j19",
			pins:    concat(seq("D", 0, 13, ""), seq("A", 0, 5, "")),
			alias:   map[string]string{"LED": "D13"},
			flash:   2 << 20, // the 2 MB QSPI flash of CIRCUITPY
			// SAMD51: A0–A5 are analogue inputs; the digital pins but
			// D2 and D7 have a timer channel for PWM.
			adc: set(seq("A", 0, 5, "")),
			pwm: set(concat(seq("D", 0, 1, ""), seq("D", 3, 6, ""), seq("D", 8, 13, ""))),
			builtin: func(b *Board) {
				b.mustAttach("D13", NewLED(LEDConfig{Name: "LED", Color: "red"}))
			},
		},
	}
}

// Boards returns the names of the boards [NewBoard] knows, sorted.
func Boards() []string {
	var names []string
	for n := range kinds() {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// summary lists names in short form, runs of numbered names collapsed:
// "GP0–GP28, LED".
func summary(names []string) string {
	type run struct {
		prefix, suffix string
		from, to       int
		plain          string
	}
	var runs []run
	for _, n := range names {
		p, num, s, ok := splitNumber(n)
		if ok && len(runs) > 0 {
			r := &runs[len(runs)-1]
			if r.plain == "" && r.prefix == p && r.suffix == s && r.to+1 == num {
				r.to = num
				continue
			}
		}
		if ok {
			runs = append(runs, run{prefix: p, suffix: s, from: num, to: num})
		} else {
			runs = append(runs, run{plain: n})
		}
	}
	parts := make([]string, len(runs))
	for i, r := range runs {
		switch {
		case r.plain != "":
			parts[i] = r.plain
		case r.from == r.to:
			parts[i] = r.prefix + strconv.Itoa(r.from) + r.suffix
		default:
			parts[i] = r.prefix + strconv.Itoa(r.from) + r.suffix + "–" + r.prefix + strconv.Itoa(r.to) + r.suffix
		}
	}
	return strings.Join(parts, ", ")
}

// splitNumber splits "LED(3)" into "LED(", 3, ")".
func splitNumber(n string) (prefix string, num int, suffix string, ok bool) {
	i := strings.IndexAny(n, "0123456789")
	if i < 0 {
		return "", 0, "", false
	}
	j := i
	for j < len(n) && n[j] >= '0' && n[j] <= '9' {
		j++
	}
	v, err := strconv.Atoi(n[i:j])
	if err != nil {
		return "", 0, "", false
	}
	return n[:i], v, n[j:], true
}

// timerSummary lists the timer ids of a board: "-1, 1–14".
func timerSummary(ids []int) string {
	names := []string{"-1"}
	for _, id := range ids {
		names = append(names, "T"+strconv.Itoa(id))
	}
	return strings.ReplaceAll(summary(names), "T", "")
}

// Default timings of the simulated world.
const (
	// DefaultBounce is a typical contact bounce of a push button: the
	// contacts make and break a few times within this span.
	DefaultBounce = 5 * time.Millisecond
)
