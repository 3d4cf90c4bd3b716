// Package watchdog shows the watchdog that keeps a real-time system alive:
// a task feeds the board's watchdog timer while the program is healthy; a
// fault makes a task hold the loop, nothing feeds the watchdog, and the
// board resets and runs the program again from the start.
//
// The chapter "Managing Real-Time Tasks" of MicroPython Projects (seed 002)
// calls a missed hard deadline a fatal system fault; on a microcontroller
// the watchdog is what turns such a fault, a task stuck in a blocking call,
// into a reset instead of a hang. The program, in MicroPython:
//
//	import machine, pyb, uasyncio as asyncio
//
//	try:
//	    boots = int(open("boots").read()) + 1
//	except OSError:
//	    boots = 1
//	open("boots", "w").write(str(boots))
//	cause = {machine.PWRON_RESET: "power-on", machine.WDT_RESET: "watchdog"}[machine.reset_cause()]
//	print("boot %d, reset cause: %s" % (boots, cause))
//	pyb.LED(1).value(cause == "watchdog")  # red: we came back from a fault
//	wdt = machine.WDT(timeout=1000)
//	usr = pyb.Switch()
//
//	async def feeder():                     # feeds while the loop turns
//	    while True:
//	        wdt.feed()
//	        await asyncio.sleep_ms(250)
//
//	async def heartbeat():
//	    while True:
//	        pyb.LED(2).toggle()
//	        await asyncio.sleep_ms(500)
//
//	async def sensor():
//	    while True:
//	        if usr():                       # the fault: the bus hangs
//	            print("sensor: bus stuck")
//	            time.sleep_ms(2000)         # a blocking read, without timeout
//	        await asyncio.sleep_ms(100)
//
//	async def main():
//	    await asyncio.gather(feeder(), heartbeat(), sensor())
//
//	asyncio.run(main())
//
// The USR switch stands for the fault, and the default scenario presses it
// at 3.02 s. The sensor task sees it at its next poll, 3.1 s, and holds the
// loop for 2 s. The watchdog, last fed at 3 s, expires at 4 s; the
// simulator resets the board when the blocking step ends, at 5.1 s
// (real hardware would reset at 4 s, in the middle of the read), and coop
// run says so on standard error:
//
//	coop: watchdog reset at 5.1s: task "sensor" held the loop 2s (not fed for 2.1s, timeout 1s)
//
// The program's tasks are cancelled, the board comes back as at power-on
// (LEDs dark, the watchdog disarmed), and the program starts again: the
// boot counter, in a file in the board's flash, survived the reset, and
// the red LED says the board came back from a watchdog reset. Run it with
// `coop run watchdog --virtual --timestamps`.
package watchdog

import (
	"embed"
	"errors"
	"io/fs"
	"strconv"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// The program's timings and pins.
const (
	Timeout   = time.Second            // the watchdog's timeout
	FeedEvery = 250 * time.Millisecond // how often the feeder feeds it
	Heartbeat = 500 * time.Millisecond // the green LED's half period
	Poll      = 100 * time.Millisecond // how often the sensor task polls
	Stuck     = 2 * time.Second        // how long a stuck read holds the loop

	Fault = "USR"    // the switch that stands for the fault
	Red   = "LED(1)" // lit after a watchdog reset
	Green = "LED(2)" // the heartbeat
	// BootsFile is the file in flash that counts the boots.
	BootsFile = "boots"
)

//go:embed diagram.json scenario.yaml
var files embed.FS

// Files holds the program's default wiring, diagram.json (the bare
// pyboard), and its default scenario, scenario.yaml, which presses USR at
// 3.02 s and expects the second boot.
func Files() fs.FS { return files }

// App counts the boot in flash, starts the watchdog and runs the feeder,
// the heartbeat and the sensor task until it is cancelled (or the board
// resets).
func App(t *coop.Task, b hw.Board) error {
	con := b.Console()
	boots, err := countBoot(b)
	if err != nil {
		return err
	}
	cause := hw.LastReset(b)
	con.Printf("boot %d, reset cause: %v\n", boots, cause)
	red, err := b.Output(Red)
	if err != nil {
		return err
	}
	red.Set(cause == hw.WatchdogReset)
	green, err := b.Output(Green)
	if err != nil {
		return err
	}
	usr, err := b.Input(Fault, hw.PullUp)
	if err != nil {
		return err
	}
	wdt, err := hw.OpenWatchdog(b)
	if err != nil {
		return err
	}
	if err := wdt.Start(Timeout); err != nil {
		return err
	}

	every := func(name string, d time.Duration, fn func(t *coop.Task)) *coop.Task {
		return t.Spawn(name, func(t *coop.Task) error {
			for {
				fn(t)
				if err := t.Sleep(d); err != nil {
					return err
				}
			}
		})
	}
	feeder := every("feeder", FeedEvery, func(*coop.Task) { wdt.Feed() })
	heartbeat := every("heartbeat", Heartbeat, func(*coop.Task) { green.Toggle() })
	sensor := every("sensor", Poll, func(t *coop.Task) {
		if !usr.Get() { // pressed: the switch pulls the pin low
			con.Println("sensor: bus stuck")
			t.Busy(Stuck)
		}
	})
	return coop.Gather(t, feeder, heartbeat, sensor)
}

// countBoot adds one to the boot counter in flash and returns it.
func countBoot(b hw.Board) (int, error) {
	flash, err := hw.OpenFlash(b)
	if err != nil {
		return 0, err
	}
	boots := 1
	data, err := flash.ReadFile(BootsFile)
	switch {
	case err == nil:
		n, err := strconv.Atoi(string(data))
		if err != nil {
			return 0, err
		}
		boots = n + 1
	case !errors.Is(err, fs.ErrNotExist):
		return 0, err
	}
	return boots, flash.WriteFile(BootsFile, []byte(strconv.Itoa(boots)))
}
