package hw

// ErrorCode is a hardware failure as a small integer, comparable with ==
// and errors.Is, and free of allocation (as in TinyGo's drivers). Callers
// branch on it: retry after ErrChecksum, fix the wiring after
// ErrNoResponse.
type ErrorCode uint8

// The error codes.
const (
	// ErrNoPin: the board has no pin of that name (in a *PinError).
	ErrNoPin ErrorCode = iota + 1
	// ErrPinBusy: the pin is in use in another role, such as an output
	// asked for as an input (in a *PinError).
	ErrPinBusy
	// ErrNoDevice: the board has no such device (in a *DeviceError).
	ErrNoDevice

	// ErrChecksum: a sensor's data arrived with a bad checksum; the
	// previous reading stands.
	ErrChecksum
	// ErrNoResponse: a sensor did not answer (unwired, dead, or held by
	// a fault); MicroPython's ETIMEDOUT.
	ErrNoResponse
	// ErrTooSoon: a sensor was asked again before it could measure
	// anew (a DHT22 needs 2 s); the previous reading stands.
	ErrTooSoon

	// ErrWrongPassword: the access point refused the password.
	ErrWrongPassword
	// ErrNoAP: no access point with that SSID answered, or it vanished.
	ErrNoAP
	// ErrJoinTimeout: joining the network took longer than the
	// interface waits.
	ErrJoinTimeout

	// ErrRange: a setting outside what the device can do, such as a PWM
	// frequency the board cannot make.
	ErrRange
	// ErrLinkDown: the board is not on a network, or left it while a
	// stream was open.
	ErrLinkDown
	// ErrConnRefused: nothing accepts streams at the address dialled.
	ErrConnRefused
	// ErrTLS: the stream is TLS and its handshake failed, so the peer
	// could not be verified: its certificate is not trusted (an unknown
	// authority, another name, expired), it refused the handshake with
	// an alert, or it does not speak TLS.
	ErrTLS
	// ErrConnReset: the peer or the network dropped the stream.
	ErrConnReset
	// ErrConnClosed: the stream was closed on this side.
	ErrConnClosed

	// ErrFlashFull: the flash has no room for the write; nothing was
	// written.
	ErrFlashFull
	// ErrPowerLost: the board lost power or is resetting: the write did
	// not happen, or only its first bytes did.
	ErrPowerLost
)

var errorText = [...]string{
	ErrNoPin:         "hw: no such pin",
	ErrPinBusy:       "hw: pin busy",
	ErrNoDevice:      "hw: no such device",
	ErrChecksum:      "hw: checksum mismatch",
	ErrNoResponse:    "hw: sensor did not respond",
	ErrTooSoon:       "hw: sensor read too soon",
	ErrWrongPassword: "hw: wrong Wi-Fi password",
	ErrNoAP:          "hw: access point not found",
	ErrJoinTimeout:   "hw: Wi-Fi join timed out",
	ErrRange:         "hw: value out of range",
	ErrLinkDown:      "hw: network link is down",
	ErrConnRefused:   "hw: connection refused",
	ErrTLS:           "hw: TLS peer not verified",
	ErrConnReset:     "hw: connection reset",
	ErrConnClosed:    "hw: connection closed",
	ErrFlashFull:     "hw: flash is full",
	ErrPowerLost:     "hw: power lost during a flash write",
}

// Error returns the code's message, prefixed by "hw: ".
func (e ErrorCode) Error() string {
	if int(e) < len(errorText) && errorText[e] != "" {
		return errorText[e]
	}
	return "hw: error " + itoa(int(e))
}

// PinError reports a pin that does not exist or that is in use in another
// role. It wraps [ErrNoPin] or [ErrPinBusy].
type PinError struct {
	Board string    // the board's name
	Pin   string    // the name asked for
	Err   ErrorCode // ErrNoPin or ErrPinBusy
	// Have is, for ErrNoPin, the board's pins in short form
	// ("GP0–GP28, LED"); for ErrPinBusy, the role the pin has ("input",
	// "DHT22"); for another code, what was asked and what is allowed
	// ("PWM frequency 0 Hz (the board makes 1 Hz to 1000000 Hz)"), or "".
	Have string
	// Meant is, for ErrNoPin, the board's pin the program most likely
	// meant ("GP15" for "gp15" or "15"), or "" for no likely one.
	Meant string
}

// Error says what is wrong, for example
// `hw: board "pico2w" has no pin "GP99" (pins: GP0–GP28, LED)`,
// `hw: board "pico2w" has no pin "15" (did you mean GP15? pins: GP0–GP28, LED)` or
// `hw: pin "GP14" of board "pico2w" is in use as input`.
func (e *PinError) Error() string {
	switch e.Err {
	case ErrNoPin:
		meant := ""
		if e.Meant != "" {
			meant = "did you mean " + e.Meant + "? "
		}
		return `hw: board "` + e.Board + `" has no pin "` + e.Pin + `" (` + meant + `pins: ` + e.Have + `)`
	case ErrPinBusy:
		return `hw: pin "` + e.Pin + `" of board "` + e.Board + `" is in use as ` + e.Have
	}
	s := `hw: board "` + e.Board + `" pin "` + e.Pin + `": ` + e.Err.Error()
	if e.Have != "" {
		s += ": " + e.Have
	}
	return s
}

// Unwrap returns the error code.
func (e *PinError) Unwrap() error { return e.Err }

// DeviceError reports a device the board does not have. It wraps
// [ErrNoDevice].
type DeviceError struct {
	Board  string // the board's name
	Device string // what was asked for: "WLAN", "timer 15"
	// Have lists what the board has instead ("timers -1, 1–14"), or is
	// empty when it has nothing of the kind.
	Have string
}

// Error says what is missing, for example
// `hw: board "pyboard" has no timer 15 (timers: -1, 1–14)` or
// `hw: board "pyboard" has no WLAN`.
func (e *DeviceError) Error() string {
	s := `hw: board "` + e.Board + `" has no ` + e.Device
	if e.Have != "" {
		s += " (" + e.Have + ")"
	}
	return s
}

// Unwrap returns [ErrNoDevice].
func (e *DeviceError) Unwrap() error { return ErrNoDevice }
