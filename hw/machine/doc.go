// Package machine runs coop programs on a real Raspberry Pi Pico: it
// implements hw.Board on TinyGo's machine package, so the App a program
// gives the simulator runs unchanged on the board.
//
//	err := coop.Run(func(t *coop.Task) error {
//		b, err := machine.NewBoard(t.Loop(), machine.Config{})
//		if err != nil {
//			return err
//		}
//		return blink.App(t, b)
//	})
//
// Build with TinyGo: `tinygo flash -target=pico ./hw/machine/example/blink`.
// Every file but this one is fenced by `//go:build tinygo && (pico ||
// pico2)`, so on the standard toolchain, and for other TinyGo targets, the
// package is empty and nothing of it reaches the simulator.
//
// # Boards
//
// The TinyGo targets pico (RP2040, Board.Name "pico"), pico-w ("picow"),
// pico2 (RP2350, "pico2") and pico2-w ("pico2w"). pico and pico-w are
// built by the project's checks; pico2 and pico2-w are written for but not
// built, as the TinyGo set up here lacks the RP2350's device files.
//
// Pins are named as on the silk screen: "GP0"–"GP28" and "LED". On a Pico
// and Pico 2 the LED is GPIO 25, so "LED" and "GP25" are the same pin.
// On a Pico W and Pico 2 W the LED hangs off the CYW43439 Wi-Fi chip,
// which this package does not drive, and GPIO 23–25 are wired to that
// chip: asking for "LED", "GP23", "GP24" or "GP25" gives a *hw.PinError
// wrapping hw.ErrNoPin that says so.
//
// # Interrupts
//
// Edge interrupts are taken by TinyGo's GPIO interrupt handler, which runs
// a short routine of this package in the ISR: it counts edges for a
// hw.Counter and writes the pin and edge into a fixed ring of 64 events.
// It allocates nothing, takes no lock and, to wake the loop, makes a
// non-blocking send on a buffered channel, the hand-off TinyGo supports in
// interrupts. A goroutine started with the first interrupt takes the
// signal and schedules, with coop's Loop.CallSoon, one loop callback that
// drains the ring.
//
// Handlers given to SetInterrupt therefore run on the loop, between task
// steps, as MicroPython's soft interrupts do (Pin.irq with hard=False, the
// rp2 port's default) and exactly as the simulator runs them: they may set
// a coop.Event, put into a queue or change a pin, like every program
// written against the simulator does. They do not run in the ISR because
// what they do is not fit for one: setting an Event or putting into a
// queue changes the loop's state, which only the loop may touch, and
// Loop.CallSoon takes a sync.Mutex and may grow a slice, which in an ISR
// can hang (TinyGo's cooperative mutex cannot block there) or abort the
// program ("fatal error: heap alloc in interrupt"). coop's
// ThreadSafeFlag.Set is the one call that is fit for an ISR: it takes no
// lock and allocates nothing (an atomic store and a non-blocking channel
// send, like this package's own routine). The cost is latency: a handler
// runs once the step running at the edge yields. WaitEdge wakes its task
// the same way.
//
// When both edges are watched, the ISR tells rising from falling by the
// level it reads, so a pulse shorter than the interrupt latency (a few
// microseconds) may be reported as the wrong edge. When more than 64 edges
// arrive before the loop drains the ring, the newest are dropped and
// counted by Board.DroppedEdges; counters never lose an edge.
//
// # Devices
//
// Implemented: hw.CounterBoard (edges counted in the ISR, the count seen
// by tasks updated between steps), hw.KeysBoard (scanned by a loop
// callback), hw.TimerBoard (id -1 only: virtual timers on the loop, as
// machine.Timer(-1) on the rp2 port), hw.WatchdogBoard (the RP2's
// watchdog, at most 8.388 s) and, on the RP2040, hw.ResetBoard (reset
// through the watchdog; the cause read from its REASON register).
//
// Not implemented, so that hw.OpenDHT22, hw.OpenWLAN and hw.OpenFlash
// return an error wrapping hw.ErrNoDevice: DHT22 (TinyGo's driver lives in
// tinygo.org/x/drivers, which this module does not depend on), WLAN (the
// CYW43439 needs its own driver) and Flash (it needs a file system on
// machine.Flash).
//
// # Console
//
// The console writes to machine.Serial, the USB serial port on a Pico,
// turning "\n" into "\r\n" as terminals expect. Config.Console replaces it.
//
// # Clock
//
// A board runs on the loop's real clock; NewBoard refuses a loop on the
// virtual clock.
package machine
