package examples

import (
	blinkstatus "github.com/coopgo/coop/examples/blink-status"
	blinkstatusfast "github.com/coopgo/coop/examples/blink-status-fast"
	buttoncancel "github.com/coopgo/coop/examples/button-cancel"
	buttontoggle "github.com/coopgo/coop/examples/button-toggle"
	"github.com/coopgo/coop/examples/dashboard"
	"github.com/coopgo/coop/examples/debounce"
	"github.com/coopgo/coop/examples/iot"
	knobservo "github.com/coopgo/coop/examples/knob-servo"
	mqttsensor "github.com/coopgo/coop/examples/mqtt-sensor"
	"github.com/coopgo/coop/examples/sensor"
	taskmanager "github.com/coopgo/coop/examples/task-manager"
	wifistatus "github.com/coopgo/coop/examples/wifi-status"
)

// exercises returns the hands-on exercises, the mini challenge and the
// further practice of the uasyncio course on the Pico 2 W (seed 000,
// sections 7 to 14).
//
// An exercise's "Task" (change the intervals, make the button toggle) is
// an example of its own, in a package next to the exercise's that reuses
// its code: coop run takes no per-program options.
func exercises() []Program {
	const seed = "000_d824fd38bca75ebc.txt"
	return []Program{
		withFiles(Program{
			Name:    "blink-status",
			Board:   "pico2w",
			Seed:    seed,
			Section: "§7 Exercise 1: concurrent LED blinker and status reporter",
			Summary: "LED ON / LED OFF every 0.5 s and a status tick every second, from two tasks",
			App:     blinkstatus.App,
		}, blinkstatus.Files()),
		withFiles(Program{
			Name:    "blink-status-fast",
			Board:   "pico2w",
			Seed:    seed,
			Section: "§7 Exercise 1, its task: 200 ms blink, 2 s status",
			Summary: "blink-status with the LED toggling every 200 ms and a status tick every 2 s",
			App:     blinkstatusfast.App,
		}, blinkstatusfast.Files()),
		withFiles(Program{
			Name:    "button-cancel",
			Board:   "pico2w",
			Seed:    seed,
			Section: "§8 Exercise 2: button-controlled task cancellation",
			Summary: "LED blinks until the button on GP14 is pressed, which cancels the blink task",
			App:     buttoncancel.App,
		}, buttoncancel.Files()),
		withFiles(Program{
			Name:    "button-toggle",
			Board:   "pico2w",
			Seed:    seed,
			Section: "§8 Exercise 2, its task: first press starts, second press stops",
			Summary: "first press on GP14 starts the blink task, second press cancels it",
			App:     buttontoggle.App,
		}, buttontoggle.Files()),
		withFiles(Program{
			Name:    "sensor",
			Board:   "pico2w",
			Seed:    seed,
			Section: "§9 Exercise 3: multiple cooperative tasks with a sensor",
			Summary: "DHT22 on GP16 read every 2 s, read errors printed and survived; heartbeat LED",
			App:     sensor.App,
		}, sensor.Files()),
		withFiles(Program{
			Name:    "dashboard",
			Board:   "pico2w",
			Seed:    seed,
			Section: "§11 Mini challenge: task dashboard",
			Summary: "LED blinks every 200 ms, uptime every second, button presses reported, all at once",
			App:     dashboard.App,
		}, dashboard.Files()),
		withFiles(Program{
			Name:    "wifi-status",
			Board:   "pico2w",
			Seed:    seed,
			Section: "§14 Further practice: a Wi-Fi status task",
			Summary: "checks the Wi-Fi every 2 s and rejoins after an outage; the LED blinks while joining, on while connected",
			App:     wifistatus.App,
		}, wifistatus.Files()),
		withFiles(Program{
			Name:    "mqtt-sensor",
			Board:   "pico2w",
			Seed:    seed,
			Section: "§14 Further practice: a task that sends sensor data to an MQTT broker",
			Summary: "DHT22 readings every 2 s to MQTT at QoS 1 through a flash outbox: none lost to outages, resets or power cuts",
			App:     mqttsensor.App,
		}, mqttsensor.Files()),
		withFiles(Program{
			Name:    "iot",
			Board:   "pico2w",
			Seed:    seed,
			Section: "§14 Further practice: LED, sensor and network tasks in one IoT application",
			Summary: "heartbeat LED, DHT22 every 2 s published through the flash outbox, a button that pauses publishing, a status line",
			App:     iot.App,
		}, iot.Files()),
		withFiles(Program{
			Name:    "debounce",
			Board:   "pico2w",
			Seed:    seed,
			Section: "§14 Further practice: debouncing the button task",
			Summary: "the task dashboard with a button that bounces for 15 ms, debounced: one report per press",
			App:     debounce.App,
		}, debounce.Files()),
		withFiles(Program{
			Name:    "knob-servo",
			Board:   "pico2w",
			Seed:    seed,
			Section: "§14 Further practice: a sensor task driving an actuator task",
			Summary: "a knob on GP26 (ADC) read every 100 ms turns a servo on GP15 (50 Hz PWM) through a queue",
			App:     knobservo.App,
		}, knobservo.Files()),
		withFiles(Program{
			Name:    "task-manager",
			Board:   "pico2w",
			Seed:    seed,
			Section: "§14 Further practice: a task manager driven by a button",
			Summary: "each press on GP14 starts a worker task (LED on GP15 blinks) or cancels it",
			App:     taskmanager.App,
		}, taskmanager.Files()),
	}
}
