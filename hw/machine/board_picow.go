//go:build tinygo && pico && cyw43439

package machine

// A Raspberry Pi Pico W: RP2040 and a CYW43439 Wi-Fi chip, which holds the
// LED and GPIO 23–25; hw/machine drives the LED and Wi-Fi through it.
const (
	boardName  = "picow"
	wireless   = true
	ledGPIO    = -1
	pinSummary = "GP0–GP22, GP26–GP28, LED (GPIO 23–25 belong to the CYW43439 Wi-Fi chip, which holds the LED)"
)
