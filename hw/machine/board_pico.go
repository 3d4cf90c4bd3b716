//go:build tinygo && pico && !cyw43439

package machine

// A Raspberry Pi Pico: RP2040, the LED on GPIO 25.
const (
	boardName  = "pico"
	wireless   = false
	ledGPIO    = 25
	pinSummary = "GP0–GP28, LED"
)
