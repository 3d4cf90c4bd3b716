// Package knobservo reads a knob and turns a servo to match: an analogue
// sensor task and an actuator task, joined by a queue, as in the course's
// further practice "combine LED, sensor, and network tasks" (seed 000,
// §14). In MicroPython:
//
//	async def read_knob(q):
//	    knob = ADC(Pin(26))
//	    last = None
//	    while True:
//	        angle = round(knob.read_u16() * 180 / 65535)
//	        if angle != last:
//	            await q.put(angle)
//	            last = angle
//	        await asyncio.sleep_ms(100)
//
//	async def drive_servo(q):
//	    servo = PWM(Pin(15), freq=50)
//	    while True:
//	        angle = await q.get()
//	        servo.duty_u16(round((500 + angle * 2000 / 180) * 65535 / 20000))
//	        print("servo", angle)
//
// The servo takes Wokwi's convention: a 0.5 ms pulse is 0°, 2.5 ms is
// 180°, every 20 ms (50 Hz).
//
// # Files
//
// diagram.json wires a potentiometer between 3V3 and GND with its wiper on
// GP26 (ADC0), set to mid-travel, and a servo's signal on GP15. The
// scenario turns the knob up over half a second at 1 s and back to a
// quarter at 2 s:
//
//	[   0.000s] servo 90
//	[   1.100s] servo 108
//	…
//	[   1.500s] servo 180
//	[   2.000s] servo 45
package knobservo

import (
	"embed"
	"io/fs"
	"math"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// The program's pins and timings.
const (
	KnobPin  = "GP26"                 // ADC0
	ServoPin = "GP15"                 // any GP pin makes PWM
	Every    = 100 * time.Millisecond // how often the knob is read
	Freq     = 50                     // servo frames per second
)

//go:embed diagram.json scenario.yaml
var files embed.FS

// Files holds the program's default wiring, diagram.json, and its default
// scenario, scenario.yaml.
func Files() fs.FS { return files }

// Angle converts a reading of the knob, 0 to 65535, to degrees, 0 to 180.
func Angle(reading uint16) int { return int(math.Round(float64(reading) * 180 / 65535)) }

// Duty returns the duty_u16 of a 50 Hz PWM whose pulses turn a servo to
// angle degrees: 0.5 ms for 0°, 2.5 ms for 180°.
func Duty(angle int) uint16 {
	pulse := 500 + float64(angle)*2000/180 // µs
	return uint16(math.Round(pulse * 65535 / (1e6 / Freq)))
}

// App reads the knob every 100 ms and, when its angle changes, hands the
// angle to the servo task, which sets the pulse width and prints it. It
// runs until it is cancelled, and returns the first error of its tasks.
func App(t *coop.Task, b hw.Board) error {
	knob, err := hw.OpenADC(b, KnobPin)
	if err != nil {
		return err
	}
	defer knob.Close()
	servo, err := hw.OpenPWM(b, ServoPin)
	if err != nil {
		return err
	}
	defer servo.Close()
	if err := servo.SetFreq(Freq); err != nil {
		return err
	}
	con := b.Console()
	angles := coop.NewQueue[int](4)

	read := t.Spawn("read_knob", func(t *coop.Task) error {
		last := -1
		for {
			if a := Angle(knob.ReadU16()); a != last {
				if err := angles.Put(t, a); err != nil {
					return err
				}
				last = a
			}
			if err := t.Sleep(Every); err != nil {
				return err
			}
		}
	})
	drive := t.Spawn("drive_servo", func(t *coop.Task) error {
		for {
			a, err := angles.Get(t)
			if err != nil {
				return err
			}
			servo.SetDutyU16(Duty(a))
			con.Println("servo", a)
		}
	})
	return coop.Gather(t, read, drive)
}
