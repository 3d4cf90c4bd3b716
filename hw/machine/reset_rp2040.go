//go:build tinygo && pico && rp2040

package machine

import (
	"device/rp"

	"github.com/coopgo/coop/hw"
)

// Reset resets the board (machine.reset()) and does not return. It resets
// through the watchdog, as the Pico SDK's watchdog_reboot does, so that
// ResetCause says HardReset afterwards.
func (b *Board) Reset() {
	rp.WATCHDOG.CTRL.ClearBits(rp.WATCHDOG_CTRL_ENABLE)
	rp.WATCHDOG.SCRATCH4.Set(0) // boot normally, not into a saved address
	// Reset everything but the oscillators, as machine.Watchdog does.
	rp.PSM.WDSEL.Set(0x0001ffff &^ (rp.PSM_WDSEL_ROSC | rp.PSM_WDSEL_XOSC))
	rp.WATCHDOG.CTRL.SetBits(rp.WATCHDOG_CTRL_TRIGGER)
	for {
	}
}

// ResetCause returns why the board last started, from the watchdog's
// REASON register: WatchdogReset after the watchdog expired, HardReset
// after Reset, PowerOnReset otherwise (power on, the RUN pin, a debugger).
func (b *Board) ResetCause() hw.ResetCause {
	r := rp.WATCHDOG.REASON.Get()
	switch {
	case r&rp.WATCHDOG_REASON_TIMER != 0:
		return hw.WatchdogReset
	case r&rp.WATCHDOG_REASON_FORCE != 0:
		return hw.HardReset
	}
	return hw.PowerOnReset
}

var _ hw.ResetBoard = (*Board)(nil)
