// Package blockingsleep makes the first mistake of every asyncio
// tutorial: a blocking sleep inside a task. The read_sensor task waits for
// its sensor with time.sleep(1) instead of await asyncio.sleep(1), so for
// that second no other task runs: the blinker's LED, due off at 0.5 s,
// goes off at 1 s, and from then on it is a second late every other
// second.
//
// It is the first of the "Common mistakes" of seed 000 (§10: using
// time.sleep() inside async code; §4: "The blocking sleep prevents other
// tasks from running"), with §3's blinker as the victim:
//
//	async def read_sensor():
//	    while True:
//	        print("Reading sensor...")
//	        time.sleep(1)            # the mistake: blocks every task
//	        print("Sensor read")
//	        await asyncio.sleep(1)
//
//	async def blink():
//	    while True:
//	        led.on();  print("LED ON");  await asyncio.sleep(0.5)
//	        led.off(); print("LED OFF"); await asyncio.sleep(0.5)
//
// # The blocking call
//
// The blocking sleep is Task.Busy(d): it holds the loop for d without
// yielding. On the simulator's virtual clock it moves board time on by d;
// on the real clock it is time.Sleep(d). On real hardware the mistake is a
// plain time.Sleep (MicroPython's time.sleep) or any long computation: the
// goroutine stops, and with it the whole loop.
//
// # The diagnosis
//
// The loop has a blocking detector (coop.WithBlockingThreshold) that names
// the task and how long it held the loop, as a coop.Warning to the loop's
// warning handler. That handler belongs to whoever makes the loop: a
// program cannot install one, and `coop run` prints warnings on standard
// error and, in virtual time, leaves the detector off. So the program
// diagnoses itself with what a task can read: after each sleep the
// blinker reads its own lateness (Task.Info().Lateness), and when it ran
// more than coop.DefaultBlockingThreshold late it names the task whose
// longest step held the loop longest (Loop.Tasks). The test turns the
// loop's detector on as well and checks its warning.
//
// At 2 s, 4 s… read_sensor and blink fall due together; read_sensor's
// sleep was scheduled first (at 1 s, blink's at 1.5 s), so it runs first
// and blocks, every run. Run it with
// `coop run mistake-blocking-sleep --virtual --timestamps --for 5s`.
package blockingsleep

import (
	"embed"
	"io/fs"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// The program's times.
const (
	Half  = 500 * time.Millisecond // the blinker's half period
	Block = time.Second            // read_sensor's blocking sleep
)

//go:embed diagram.json
var files embed.FS

// Files holds the program's default wiring, diagram.json: the bare board,
// whose built-in LED the program blinks.
func Files() fs.FS { return files }

// App runs the blinker and the blocking sensor task until it is cancelled;
// the blinker turns the LED off as it stops.
func App(t *coop.Task, b hw.Board) error {
	led, err := b.Output("LED")
	if err != nil {
		return err
	}
	con := b.Console()

	// sleep is the blinker's await, followed by its check on itself.
	sleep := func(t *coop.Task, d time.Duration) error {
		if err := t.Sleep(d); err != nil {
			return err
		}
		if late := t.Info().Lateness; late > coop.DefaultBlockingThreshold {
			name, held := blocker(t.Loop())
			con.Printf("%s ran %v late: task %q held the loop for %v\n",
				t.Name(), late.Round(time.Millisecond), name, held.Round(time.Millisecond))
		}
		return nil
	}
	blink := t.Spawn("blink", func(t *coop.Task) error {
		defer led.Set(false)
		for {
			led.Set(true)
			con.Println("LED ON")
			if err := sleep(t, Half); err != nil {
				return err
			}
			led.Set(false)
			con.Println("LED OFF")
			if err := sleep(t, Half); err != nil {
				return err
			}
		}
	})
	sensor := t.Spawn("read_sensor", func(t *coop.Task) error {
		for {
			con.Println("Reading sensor...")
			t.Busy(Block) // the mistake: time.sleep(1) in a task
			con.Println("Sensor read")
			if err := t.Sleep(Block); err != nil {
				return err
			}
		}
	})
	return coop.Gather(t, blink, sensor)
}

// blocker returns the live task whose longest step held the loop longest,
// and for how long.
func blocker(l *coop.Loop) (name string, held time.Duration) {
	for _, ti := range l.Tasks() {
		if ti.LongestStep > held {
			name, held = ti.Name, ti.LongestStep
		}
	}
	return name, held
}
