package wiring

import (
	"slices"
	"strings"

	"github.com/coopgo/coop/sim"
)

// boardType is a board part type of a diagram and how it maps onto a
// simulated board.
type boardType struct {
	kind  string // sim board kind
	wifi  bool   // Wokwi-GUEST in range by default
	gnd   []string
	high  []string // 3V3 and the supply rails: a pull to any of them is a pull-up
	inert []string // pins the simulator does not model (RUN, AREF…)
	// digits accepts Arduino-style numbers ("13" for "D13").
	digits bool
	// rails is how the rail pins are listed in messages.
	rails string
}

var (
	picoBoard = boardType{
		kind: "pico2w", gnd: []string{"GND", "AGND"}, high: []string{"3V3", "VSYS", "VBUS"},
		inert: []string{"3V3_EN", "RUN", "ADC_VREF"},
		rails: "GND.1–GND.8, AGND, 3V3, VSYS, VBUS",
	}
	pyboardBoard = boardType{
		kind: "pyboard", gnd: []string{"GND"}, high: []string{"3V3", "V+", "VIN"},
		inert: []string{"RST", "BOOT0"},
		rails: "GND, 3V3, V+, VIN",
	}
	metroBoard = boardType{
		kind: "metro_m4", gnd: []string{"GND"}, high: []string{"3V3", "3.3V", "5V", "VIN"},
		inert: []string{"AREF", "IOREF", "RESET"}, digits: true,
		rails: "GND.1–GND.3, 3.3V, 5V, VIN",
	}
)

// boardTypes are the board part types a diagram may use. Wokwi has the
// Picos; the pyboard and the Metro M4 are not in Wokwi, so they have coop
// names.
func boardTypes() map[string]boardType {
	withWifi := func(b boardType) boardType { b.wifi = true; return b }
	return map[string]boardType{
		"board-pi-pico-w":  withWifi(picoBoard),
		"board-pi-pico2-w": withWifi(picoBoard),
		"wokwi-pi-pico":    picoBoard,
		"board-pi-pico2":   picoBoard,
		"coop-pyboard":     pyboardBoard,
		"coop-metro-m4":    metroBoard,
	}
}

// KnownTypes returns the part types a diagram may use, boards first, each
// group sorted, then the parts in the order of [sim.PartTypes].
func KnownTypes() []string { return knownTypes(sim.PartTypes()) }

// knownTypes returns the board types, sorted, then the part types of
// parts in their order.
func knownTypes(parts []*sim.PartType) []string {
	var boards []string
	for t := range boardTypes() {
		boards = append(boards, t)
	}
	slices.Sort(boards)
	for _, t := range parts {
		boards = append(boards, t.Type)
		boards = append(boards, t.Aliases...)
	}
	return boards
}

// railKind is what a board pin that is not a GPIO is.
type railKind uint8

const (
	notRail railKind = iota
	railGND
	railHigh
	railInert
)

// rail classifies a board pin name: GND, GND.1…, 3V3, RUN…
func (bt boardType) rail(name string) railKind {
	base := name
	if i := strings.IndexByte(name, '.'); i > 0 && isDigits(name[i+1:]) {
		base = name[:i]
	}
	switch {
	case slices.Contains(bt.gnd, base):
		return railGND
	case slices.Contains(bt.high, base):
		return railHigh
	case slices.Contains(bt.inert, name):
		return railInert
	}
	return notRail
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
