package hw

// ADC is an analogue input on one pin: MicroPython's machine.ADC,
// CircuitPython's analogio.AnalogIn.
type ADC interface {
	// ReadU16 returns the voltage on the pin as 0 (GND) to 65535 (the
	// reference, 3.3 V), MicroPython's read_u16 and CircuitPython's
	// value. A 12-bit converter's reading is scaled to 16 bits as
	// MicroPython does: the top 4 bits repeated in the low 4, so 4095
	// reads 65535.
	ReadU16() uint16
	// Close frees the pin.
	Close() error
}

// ADCBoard is a [Board] with analogue inputs.
type ADCBoard interface {
	// ADC returns the analogue input on pin, taking the pin. The error
	// wraps ErrNoPin, ErrPinBusy, or ErrNoDevice for a pin that has no
	// converter.
	ADC(pin string) (ADC, error)
}

// OpenADC returns the analogue input on pin of b, or a *DeviceError
// wrapping [ErrNoDevice] if b has none.
func OpenADC(b Board, pin string) (ADC, error) {
	if ab, ok := b.(ADCBoard); ok {
		return ab.ADC(pin)
	}
	return nil, &DeviceError{Board: b.Name(), Device: "ADC"}
}

// PWM is a pulse-width modulated output on one pin: MicroPython's
// machine.PWM, CircuitPython's pwmio.PWMOut. A new PWM is off (duty 0)
// until its frequency and duty are set.
type PWM interface {
	// SetFreq sets the frequency in hertz (MicroPython's freq(hz)); the
	// duty keeps its fraction. The error wraps ErrRange for a frequency
	// the board cannot make.
	SetFreq(hz int) error
	// Freq returns the frequency in hertz.
	Freq() int
	// SetDutyU16 sets the fraction of each period the pin is high, 0 to
	// 65535 (MicroPython's duty_u16, CircuitPython's duty_cycle).
	SetDutyU16(duty uint16)
	// DutyU16 returns the duty set last.
	DutyU16() uint16
	// Close stops the output (MicroPython's deinit) and frees the pin.
	Close() error
}

// PWMBoard is a [Board] with PWM outputs.
type PWMBoard interface {
	// PWM returns the PWM output on pin, taking the pin. The error wraps
	// ErrNoPin, ErrPinBusy, or ErrNoDevice for a pin that cannot make PWM.
	PWM(pin string) (PWM, error)
}

// OpenPWM returns the PWM output on pin of b, or a *DeviceError wrapping
// [ErrNoDevice] if b has none.
func OpenPWM(b Board, pin string) (PWM, error) {
	if pb, ok := b.(PWMBoard); ok {
		return pb.PWM(pin)
	}
	return nil, &DeviceError{Board: b.Name(), Device: "PWM"}
}
