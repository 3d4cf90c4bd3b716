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
// A program normally reaches this package through device.Main, which
// does the above. Build with TinyGo: `tinygo flash -target=pico
// ./hw/machine/example/blink`. Every file but this one, config.go and
// board_console.go is fenced by `//go:build tinygo && (pico || pico2)`,
// so on the standard toolchain the package is empty and nothing of it
// reaches the simulator; on other TinyGo targets (cortex-m-qemu) NewBoard
// gives a board with a console only.
//
// # Boards
//
// The TinyGo target chooses the board: pico (RP2040, Board.Name "pico"),
// pico-w ("picow"), pico2 (RP2350, "pico2") and pico2-w ("pico2w"). pico
// and pico-w are built by the project's checks; pico2 and pico2-w are
// written for but not built, as TinyGo's RP2350 device files are generated
// from pico-sdk's RP2350.svd, which scripts/tinygo/svd lacks (see
// scripts/tinygo/SOURCES.txt).
//
// Pins are named as on the silk screen: "GP0"–"GP28" and "LED". On a Pico
// and Pico 2 the LED is GPIO 25, so "LED" and "GP25" are the same pin.
// On a Pico W and Pico 2 W the LED hangs off the CYW43439 Wi-Fi chip,
// driven here through github.com/soypat/cyw43439, so Output("LED") works
// on every board; GPIO 23–25 are wired to that chip, and asking for
// "GP23", "GP24" or "GP25" there gives a *hw.PinError wrapping
// hw.ErrNoPin.
//
// # The CYW43439
//
// On a W board, NewBoard starts a goroutine that owns the chip: it loads
// the chip's firmware (about a second after reset, during which LED
// changes wait), then sets the LED's level whenever a task changes it,
// joins networks and moves packets. Tasks never wait on the chip's bus:
// the LED's Set stores the level and wakes that goroutine; WLAN.Connect
// waits for the join through coop.Offload, so other tasks run meanwhile.
// A join holds the chip for up to ten seconds, and LED changes made
// during it show when it ends.
//
// Connect joins the network set at build time with -ldflags -X (WiFiSSID,
// WiFiPassword), else the one the program names; the credentials are
// never printed. Once joined, it takes an address over DHCP with
// github.com/soypat/lneto's stack and resolves the gateway. The status
// becomes hw.StatusLinkLost when the chip reports the link down.
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
// hw.DHT22Board: a DHT22 on any GPIO, read with the datasheet's timing
// (1.1 ms start pulse, then the 40 bits polled with interrupts off, a bit
// being a 1 when its high phase outlasts its 50 µs low phase), holding
// the loop for about 5 ms as hw.DHT22 says. tinygo.org/x/drivers' dht
// package is not used: its v0.37.0 needs github.com/soypat/lneto v0.4.0,
// which conflicts with the CYW43439 driver's network stack here, and it
// holds the loop for a 20 ms start pulse with time.Sleep.
//
// hw.WLANBoard on the W boards (above).
//
// hw.FlashBoard: a hw/flashfs file system in the last 256 KB of the
// chip's flash (Config.FlashSize; on a Pico 0x101C0000–0x10200000, on a
// Pico 2 0x103C0000–0x10400000), past the program, in 4 KB erase blocks
// written through machine.Flash. It is at the same place whatever the
// program's size, and loading another program leaves it alone; a program
// that grows into it gets an error from Flash. Each flash write stops
// both the XIP cache and interrupts for its page programs (about 0.7 ms
// each) and, when the log wraps, a 4 KB erase (45 ms typical, up to 400
// ms on the Pico's W25Q16JV); it runs on the loop, so it holds the loop
// that long. It needs TinyGo's default single-core scheduler: code on the
// other core would run from flash while XIP is off.
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
