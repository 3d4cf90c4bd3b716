// Package prim holds the input and timing primitives embedded programs
// reach for once they have tasks: a debounced [Switch], a [Pushbutton] that
// tells presses from long presses and double clicks, a retriggerable
// [Delay], a quadrature [Encoder], a topic [Broker] and a [Message] that an
// interrupt handler can set. They follow Peter Hinch's micropython-async
// primitives (Switch, Pushbutton, Delay_ms, Encoder, Broker, Message),
// Go-styled.
//
// # Where code runs
//
// Everything here belongs to a [coop.Loop]. Constructors, methods and the
// callbacks in the config structs run on the loop: in a task or a loop
// callback, between task steps, never concurrently. A callback must not
// block; to do something that awaits, spawn a task from it
// ([coop.Loop.Spawn]). Package hw's pin and timer handlers run on the loop
// too, so they use every primitive directly. The exception is [Message]:
// any goroutine may set it; other goroutines hand work to the rest with
// [coop.Loop.CallSoon]. Both take a lock, so a hardware interrupt service
// routine of its own (outside package hw) sets a [coop.ThreadSafeFlag]
// instead.
//
// Each primitive gives its events two ways, which can be used together:
// callbacks in its config struct, run on the loop as the event happens, and
// a Next method a task awaits. Behind the Next of a [Switch] or
// [Pushbutton] is a bounded queue that, when full, drops the newest event
// and counts it (Dropped), as CircuitPython's keypad does; a [Broker] queue
// subscription chooses what it drops ([Overflow]) and counts it too.
// Nothing is lost silently. Stop ends a source: Next returns what was
// queued, then [ErrStopped].
//
// Every type is configured one way: a config struct whose zero fields mean
// the defaults ([SwitchConfig], [PushbuttonConfig], [DelayConfig],
// [EncoderConfig]). [Broker] and [Message] need no configuration: their
// zero values are ready to use.
//
// # Debouncing
//
// [Switch] and [Pushbutton] poll an [hw.Input] every debounce period
// (DefaultDebounce, 50 ms) on a fixed grid from the moment they are made.
// A poll that reads a new level acts on it at once; the next read comes a
// whole period later, when the contacts have stopped bouncing. One press of
// a bouncing button is thus one event, stamped with the board time of the
// poll that saw it, at most one period after the contacts closed. Contacts
// that bounce for longer than the period need a longer one; a press shorter
// than the period may fall between two polls and go unseen.
//
// Both are active low by default, like the seeds' wiring: a button from the
// pin to GND, read with a pull-up, reads low when pressed. Set ActiveHigh for
// a button to 3V3 with a pull-down.
//
// # Pushbutton events and suppression
//
// A [Pushbutton] reports [ButtonPress] and [ButtonRelease] for debounced
// edges, [ButtonLong] when a press has lasted LongPress (1 s), and
// [ButtonDouble] when a second press comes within DoubleClick (400 ms) of
// the first press. With Suppress set, a release that is part of a long press
// or of a double click is not reported, and the release of a single click is
// held back until the double-click window has closed, so that ButtonRelease
// then means "a single short click". See [PushbuttonConfig] for the exact
// rules and [Pushbutton] for the sequences they give.
//
// # Timing
//
// A [Delay] is a retriggerable monostable (Delay_ms): Trigger starts it or
// pushes its expiry back, and when it is left alone long enough it expires,
// calling OnExpire and waking tasks in [Delay.Wait]. Fed regularly it is a
// software watchdog.
//
// # Encoder
//
// An [Encoder] decodes the two phases of a quadrature encoder from edge
// interrupts, with an optional divisor (transitions per detent) and limits.
//
// # Broker and Message
//
// A [Broker] passes payloads by topic, MQTT style: "/" separates levels,
// "+" matches one level and "#" the rest. Subscribers are callbacks or
// bounded queues whose overflow is counted per subscription and per broker.
// A [Message] is an event with a payload, settable from any goroutine or
// interrupt handler; every waiting task gets the payload, or one task takes
// it.
//
// # Differences from micropython-async
//
// Where coop's primitives behave otherwise than Hinch's, on purpose:
//
//   - A [Pushbutton] recognises long presses and double clicks whatever
//     callbacks are set, since its events also go to Next. Hinch's times a
//     long press only with a long_func and a double click only with a
//     double_func, so with suppress and no double_func a click's release is
//     reported at once: here that takes DoubleClick < 0 (and LongPress < 0
//     for no long presses). The double-click window is open for less than
//     DoubleClick: a second press exactly DoubleClick after the first starts
//     afresh. A press still down when LongPress has passed is long, even if
//     its release is seen at that same instant (ButtonLong comes first,
//     given a debounce period shorter than LongPress).
//   - A button's or switch's starting state is the level read when it is
//     made, pressed or not, without an event; Hinch's Pushbutton with
//     sense=None takes that level as released.
//   - [Delay.Wait] waits for the next expiry. Hinch's Delay_ms.wait waits on
//     an event that stays set after an expiry until clear (or stop), so a
//     wait after an expiry returns at once.
//   - An [Encoder] reports a change as soon as the loop runs, not after a
//     delay with the motion stopped; it has no modulo, and its limits need
//     both Min and Max. Halfway between two multiples of Divisor rounds
//     away from zero (Python's round rounds halves to even).
//   - A [Broker]'s patterns are MQTT topic filters, not exact strings and
//     regular expressions, and subscribers are served in the order they
//     subscribed (Hinch's keeps them in a set). DropNewest is Hinch's Queue
//     agent, DropOldest his RingbufQueue agent.
//   - A cleared [Message] keeps its last payload ([Message.Value] returns it
//     with false); Hinch's clear drops it.
package prim
