package hw

import "github.com/coopgo/coop"

// WLAN is a Wi-Fi station interface (MicroPython's network.WLAN in STA_IF
// mode).
type WLAN interface {
	// Connect joins the network ssid with password, waiting from inside
	// the task self until it is connected (nil) or it fails with
	// ErrWrongPassword, ErrNoAP or ErrJoinTimeout. A connection already
	// up is dropped first. If self is cancelled the join is abandoned,
	// the status goes back to idle and Connect returns
	// coop.ErrCancelled.
	Connect(self *coop.Task, ssid, password string) error
	// Status returns the state of the link.
	Status() WLANStatus
	// Disconnect leaves the network. The status becomes StatusIdle.
	Disconnect()
}

// WLANStatus is the state of a [WLAN], after network.WLAN.status().
type WLANStatus int8

// The statuses, with MicroPython's values where it has one.
const (
	StatusIdle          WLANStatus = 0  // not connected, not trying (STAT_IDLE)
	StatusConnecting    WLANStatus = 1  // joining (STAT_CONNECTING)
	StatusGotIP         WLANStatus = 3  // connected (STAT_GOT_IP)
	StatusConnectFail   WLANStatus = -1 // failed for another reason (STAT_CONNECT_FAIL)
	StatusNoAPFound     WLANStatus = -2 // no such network (STAT_NO_AP_FOUND)
	StatusWrongPassword WLANStatus = -3 // refused (STAT_WRONG_PASSWORD)
	// StatusLinkLost: was connected, and the access point went away.
	// MicroPython reports this as a failure status too; call Connect
	// again to rejoin.
	StatusLinkLost WLANStatus = -4
)

// Connected reports whether s is StatusGotIP (network.WLAN.isconnected).
func (s WLANStatus) Connected() bool { return s == StatusGotIP }

// String returns the status's name in lower case, such as "got ip".
func (s WLANStatus) String() string {
	switch s {
	case StatusIdle:
		return "idle"
	case StatusConnecting:
		return "connecting"
	case StatusGotIP:
		return "got ip"
	case StatusConnectFail:
		return "connect fail"
	case StatusNoAPFound:
		return "no ap found"
	case StatusWrongPassword:
		return "wrong password"
	case StatusLinkLost:
		return "link lost"
	}
	return "WLANStatus(" + itoa(int(s)) + ")"
}

// WLANBoard is a [Board] with Wi-Fi.
type WLANBoard interface {
	// WLAN returns the board's station interface; every call returns the
	// same one.
	WLAN() (WLAN, error)
}

// OpenWLAN returns b's Wi-Fi interface, or a *DeviceError wrapping
// [ErrNoDevice] if b has none.
func OpenWLAN(b Board) (WLAN, error) {
	if wb, ok := b.(WLANBoard); ok {
		return wb.WLAN()
	}
	return nil, &DeviceError{Board: b.Name(), Device: "WLAN"}
}
