//go:build tinygo && (pico || pico2) && !cyw43439

package machine

import "github.com/coopgo/coop/hw"

// radio is nothing on a board without a Wi-Fi chip.
type radio struct{}

func (b *Board) startRadio() {}

// ledOutput is not reached: the LED of a Pico or Pico 2 is a GPIO.
func (b *Board) ledOutput() (hw.Output, error) { return nil, b.noPin("LED") }
