//go:build tinygo && pico2 && !cyw43439

package machine

// A Raspberry Pi Pico 2: RP2350, the LED on GPIO 25.
const (
	boardName  = "pico2"
	wireless   = false
	ledGPIO    = 25
	pinSummary = "GP0–GP28, LED"
)
