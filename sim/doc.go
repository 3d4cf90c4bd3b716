// Package sim simulates the boards of coop's seeds and the world around
// them, deterministically, in board time: a program written against
// package hw runs on a simulated Raspberry Pi Pico 2 W, pyboard or Adafruit
// Metro M4 and is watched and tested without hardware.
//
// # Boards
//
// [NewBoard] makes a board of a kind ("pico2w", "pyboard", "metro_m4") on a
// [coop.Loop]. The board implements [hw.Board] and the device interfaces of
// package hw its kind has: timers, counters, keypad scanning, DHT22 and, on
// the Pico 2 W, Wi-Fi.
//
// # Parts and the world
//
// Parts are wired to pins with [Board.Attach]: an [LED], a [Button] to GND
// or 3V3 whose contacts bounce, a [DHT22] sensor, a [Potentiometer] on an
// analogue input, a [Servo] on a PWM pin, a pull [Resistor]. Wi-Fi
// networks are put in range with [Board.AddAccessPoint]. The world is
// scripted in board time, on the loop: press a button at 3 s
// ([Button.PressAt]), change the temperature ([DHT22.SetTemperatureFunc]),
// drop the Wi-Fi from 30 s to 40 s ([AccessPoint.OutageAt]), or anything
// else with [Board.At]. Parts made by others implement [Part] and act
// through their [Wire].
//
// # Parts describe themselves
//
// Each part is one file: the part, and its [PartType], which says what
// it is (its Wokwi type, pins, attributes, how it must be wired), what it
// shows ([Described.State]: an LED's "on", a servo's "angle" in degrees)
// and what a scenario or a person can do to it ([PartType.Inputs]: press,
// turn…, applied with [Do]). [PartTypes] lists them: the wiring reader,
// the scenario runner, the status line and a web page work from these
// descriptions alone, and the types marshal to JSON for a page to draw.
//
// # Analogue and PWM
//
// A board's ADC pins ([Board.ADC]: GP26–GP28 of a Pico 2 W, A0–A5 of a
// Metro M4, X1–X8… of a pyboard) read the voltage a part puts on the net;
// its PWM pins ([Board.PWM]) make pulses a servo follows. [Board.Capable]
// and [Board.CapablePins] say which pins can.
//
// The physics is small but honest: a net driven by nobody and pulled by
// nothing floats and reads noise, so a forgotten pull-up shows as phantom
// presses; a DHT22 needs 2 s between reads, holds the loop for its frame
// (4.3 to 6.1 ms) and fails its checksum at a set rate; an access point
// takes time to join, refuses wrong passwords and goes down.
//
// # Observing
//
// Every pin change, console line and interrupt (pin handlers, timer ticks,
// Wi-Fi events) is told to the board's observers ([Board.Observe]) with
// board time; *trace.Recorder is one. A [ValueObserver] is also told of
// value signals: a PWM pin's duty ("GP15.duty") and the traced state of
// parts ("servo1.angle").
//
// # Determinism
//
// Everything random is drawn from [Config.Seed], one stream per part and
// pin ([Board.Rand]), and all time is the loop's. On a loop with
// [coop.WithVirtualClock], the same seed, program and stimuli give
// byte-identical console output and traces on every run. On the real
// clock the same code runs in real time.
//
// # Resets
//
// A [Firmware] runs a program as a board runs main.py: when the board
// resets (its watchdog, [Board.Watchdog], was not fed in time, or the
// program called [Board.Reset]), the program's tasks are cancelled, the
// board comes back as at power-on and the program starts again, while
// board time goes on; files in the board's flash ([Board.Flash]) stay.
// Each [Reset] names its cause and, for the watchdog, the task that held
// the loop.
//
// # Interrupt context
//
// Pin interrupt handlers and timer callbacks run as loop callbacks between
// task steps, never inside one: at once when the edge comes from the world
// (a loop callback), after the current step when the program itself causes
// it. A task that holds the loop (Busy, a DHT22 read) delays them, as a
// long critical section delays soft interrupts on a board.
package sim
