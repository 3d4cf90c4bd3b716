package examples

import "fmt"

// Seed is a document the examples come from (the files of ../shared/seeds
// in the project's workspace).
type Seed struct {
	File  string // "000_d824fd38bca75ebc.txt"
	Title string // "Creating, Running, and Managing Tasks"
	Kind  string // what it is and for which board: "course session, uasyncio on the Pico 2 W"
}

// String names the seed by its title and kind.
func (s Seed) String() string { return fmt.Sprintf("%s (%s)", s.Title, s.Kind) }

// Seeds returns the seed documents, in the order of their files.
func Seeds() []Seed {
	return []Seed{
		{"000_d824fd38bca75ebc.txt", "Creating, Running, and Managing Tasks", "course session, uasyncio on the Pico 2 W"},
		{"001_8d353a2df959ea55.txt", "How to Use Asyncio in MicroPython", "Digi-Key video, Raspberry Pi Pico"},
		{"002_8bb247d82e275c69.txt", "Managing Real-Time Tasks", "book chapter of MicroPython Projects, pyboard"},
		{"003_cbd3fe38788dca2b.txt", "Concurrent Tasks", "Adafruit guide page, CircuitPython on the Metro M4"},
		{"004_373b34f80c94f397.txt", "Cooperative Multitasking in CircuitPython", "Adafruit guide, Metro M4"},
	}
}

// SeedOf returns the seed document of p; a Seed with only its File if the
// file is not one of Seeds.
func SeedOf(p Program) Seed {
	for _, s := range Seeds() {
		if s.File == p.Seed {
			return s
		}
	}
	return Seed{File: p.Seed, Title: p.Seed}
}
