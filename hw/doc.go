// Package hw is what coop programs see of a board: pins, timers, a console
// and a few devices, as small Go interfaces shaped like MicroPython's
// machine module and CircuitPython's digitalio, analogio, pwmio, keypad and
// countio.
//
// A program receives a [Board] and asks it for what it needs by name:
//
//	led, err := b.Output("LED")           // machine.Pin("LED", Pin.OUT)
//	btn, err := b.Input("GP14", hw.PullUp) // machine.Pin(14, Pin.IN, Pin.PULL_UP)
//	con := b.Console()
//	con.Println("LED ON")                  // print("LED ON")
//	knob, err := hw.OpenADC(b, "GP26")     // machine.ADC(26)
//	v := knob.ReadU16()                    // knob.read_u16()
//	servo, err := hw.OpenPWM(b, "GP15")    // machine.PWM(Pin(15))
//	err = servo.SetFreq(50)                // servo.freq(50)
//	servo.SetDutyU16(4915)                 // servo.duty_u16(4915): 1.5 ms
//
// Devices a board may or may not have are reached through helper functions
// that return an error wrapping [ErrNoDevice] when the board lacks them:
// [OpenTimer], [OpenCounter], [OpenKeys], [OpenDHT22], [OpenADC], [OpenPWM],
// [OpenWLAN], [OpenWatchdog], [OpenFlash], [OpenNetwork]. [Reset] and [LastReset] are machine.reset() and
// machine.reset_cause().
//
// # Roles, not kitchen sinks
//
// Each interface covers one role in one to three methods: [Output] is
// driven, [Input] is read, [Interrupter] calls a handler on edges,
// [EdgeWaiter] lets a task await an edge. A function that only reads a pin
// takes an [Input], and [InputFunc] turns any func into one, so tests and
// other backends implement only what they use. The shapes follow TinyGo's
// machine package (Set, Get, SetInterrupt), so a TinyGo backend maps onto
// them one to one.
//
// # Interrupt context
//
// Pin interrupt handlers and timer callbacks run in interrupt context,
// which both backends give as MicroPython's soft interrupts (Pin.irq with
// hard=False) do: as a loop callback between task steps, never inside a
// task step — the simulator directly, hw/machine by handing the edge from
// the real ISR to the loop. As in MicroPython's ISR rules, keep them short;
// hand work to a task with a [coop.ThreadSafeFlag], a [coop.Event] or a
// queue.
//
// # Errors
//
// Device failures are [ErrorCode] constants, comparable with errors.Is and
// free of allocation on a microcontroller: [ErrChecksum], [ErrNoResponse],
// [ErrTooSoon], [ErrWrongPassword], [ErrNoAP], [ErrJoinTimeout], [ErrRange],
// the network's [ErrLinkDown], [ErrConnRefused], [ErrTLS], [ErrConnReset],
// [ErrConnClosed], the flash's [ErrFlashFull], [ErrPowerLost]. Asking for
// a pin or device that is not there gives a [*PinError] or [*DeviceError]
// that lists what the board has, wrapping [ErrNoPin], [ErrPinBusy] or
// [ErrNoDevice].
//
// # Concurrency
//
// Everything here belongs to the loop: call it from tasks and loop
// callbacks. Blocking calls take the calling task (self) and return
// [coop.ErrCancelled] when it is cancelled.
package hw
