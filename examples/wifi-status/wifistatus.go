// Package wifistatus keeps a Pico 2 W online and shows its link on the
// built-in LED: a task checks the Wi-Fi link every 2 s and joins the
// network again when it has dropped; the LED blinks while it joins, is on
// while it is connected and off once a join has failed, as a Pico W
// project's status LED does.
//
// It is the first of the further practice of seed 000 (§14 "Add a Wi-Fi
// status task that periodically checks connectivity"), in the course's
// style:
//
//	async def blink():
//	    while True:
//	        led.toggle()
//	        await asyncio.sleep(0.25)
//
//	async def wifi_status():
//	    online = False
//	    while True:
//	        if wlan.isconnected():
//	            print("Wi-Fi OK")
//	        else:
//	            if online:
//	                print("Wi-Fi down:", wlan.status())
//	            print("Connecting to", SSID + "...")
//	            blinker = asyncio.create_task(blink())
//	            wlan.connect(SSID, PASSWORD)
//	            while wlan.status() == network.STAT_CONNECTING:
//	                await asyncio.sleep(0.1)
//	            blinker.cancel()
//	            led.value(wlan.isconnected())
//	            if wlan.isconnected():
//	                print("Wi-Fi connected")
//	            else:
//	                print("Wi-Fi connect failed:", wlan.status())
//	        online = wlan.isconnected()
//	        await asyncio.sleep(2)
//
// hw.WLAN.Connect awaits the join itself, returning why it failed, so the
// Go task has no polling loop; while it waits the LED blinks, undisturbed.
// Like a Pico, the board does not rejoin by itself once the network is
// back: the next check does. The LED shows the link as the last check
// found it: on from 2 s to 6 s below, though the network went away at
// 4.5 s.
//
// # Files
//
// diagram.json is the Pico W alone, with Wokwi's open network Wokwi-GUEST
// in range (joining takes 2 s). scenario.yaml takes the network down from
// 4.5 s to 8.5 s:
//
//	[   0.000s] Connecting to Wokwi-GUEST...           LED blinks
//	[   2.000s] Wi-Fi connected                         LED on
//	[   4.000s] Wi-Fi OK
//	[   6.000s] Wi-Fi down: link lost
//	[   6.000s] Connecting to Wokwi-GUEST...           LED blinks
//	[   7.000s] Wi-Fi connect failed: hw: access point not found   LED off
//	[   9.000s] Connecting to Wokwi-GUEST...           LED blinks
//	[  11.000s] Wi-Fi connected                         LED on
//	[  13.000s] Wi-Fi OK
package wifistatus

import (
	"embed"
	"io/fs"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// The network the program joins: Wokwi's open one.
const (
	SSID     = "Wokwi-GUEST"
	Password = ""
)

// Timings.
const (
	Check = 2 * time.Second        // time between two checks of the link
	Blink = 250 * time.Millisecond // how often the LED toggles while joining
)

//go:embed diagram.json scenario.yaml
var files embed.FS

// Files holds the program's default wiring, diagram.json, and its default
// scenario, scenario.yaml.
func Files() fs.FS { return files }

// App checks the Wi-Fi, showing its state on the LED, until it is
// cancelled, then leaves the network and turns the LED off. It returns
// the Wi-Fi task's error.
func App(t *coop.Task, b hw.Board) error {
	wlan, err := hw.OpenWLAN(b)
	if err != nil {
		return err
	}
	led, err := b.Output("LED")
	if err != nil {
		return err
	}
	con := b.Console()

	// blink toggles the LED until it is cancelled: the join's sign. A
	// cancelled blink returns from its sleep without toggling again, so
	// the LED is the Wi-Fi task's to set from then on.
	blink := func(t *coop.Task) error {
		for {
			led.Toggle()
			if err := t.Sleep(Blink); err != nil {
				return err
			}
		}
	}
	wifi := t.Spawn("wifi_status", func(t *coop.Task) error {
		var blinker *coop.Task
		defer func() {
			if blinker != nil {
				blinker.Cancel()
			}
			led.Set(false)
			wlan.Disconnect()
		}()
		online := false // connected at the last check
		for {
			if s := wlan.Status(); s.Connected() {
				con.Println("Wi-Fi OK")
			} else {
				if online {
					con.Println("Wi-Fi down:", s)
				}
				con.Println("Connecting to " + SSID + "...")
				blinker = t.Spawn("blink", blink)
				err := wlan.Connect(t, SSID, Password)
				blinker.Cancel()
				blinker = nil
				led.Set(err == nil)
				if err != nil {
					if err := t.Check(); err != nil {
						return err // cancelled during the join
					}
					con.Println("Wi-Fi connect failed:", err)
				} else {
					con.Println("Wi-Fi connected")
				}
			}
			online = wlan.Status().Connected()
			if err := t.Sleep(Check); err != nil {
				return err
			}
		}
	})
	return wifi.Wait(t)
}
