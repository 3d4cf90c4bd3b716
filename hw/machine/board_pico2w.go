//go:build tinygo && pico2 && cyw43439

package machine

// A Raspberry Pi Pico 2 W: RP2350 and a CYW43439 Wi-Fi chip, which holds
// the LED and GPIO 23–25.
const (
	boardName  = "pico2w"
	wireless   = true
	ledGPIO    = -1
	pinSummary = "GP0–GP22, GP26–GP28, LED (GPIO 23–25 belong to the CYW43439 Wi-Fi chip, which holds the LED)"
)
