// Package wifistatus keeps a Pico 2 W online: a task checks the Wi-Fi
// link every 2 s and joins the network again when it has dropped, while a
// heartbeat task blinks the built-in LED, undisturbed by the joins.
//
// It is the first of the further practice of seed 000 (§14 "Add a Wi-Fi
// status task that periodically checks connectivity"), in the course's
// style:
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
//	            wlan.connect(SSID, PASSWORD)
//	            while wlan.status() == network.STAT_CONNECTING:
//	                await asyncio.sleep(0.1)
//	            if wlan.isconnected():
//	                print("Wi-Fi connected")
//	            else:
//	                print("Wi-Fi connect failed:", wlan.status())
//	        online = wlan.isconnected()
//	        await asyncio.sleep(2)
//
// hw.WLAN.Connect awaits the join itself, returning why it failed, so the
// Go task has no polling loop; while it waits the heartbeat goes on. Like
// a Pico, the board does not rejoin by itself once the network is back:
// the next check does.
//
// # Files
//
// diagram.json is the Pico W alone, with Wokwi's open network Wokwi-GUEST
// in range (joining takes 2 s). scenario.yaml takes the network down from
// 4.5 s to 8.5 s:
//
//	[   0.000s] Connecting to Wokwi-GUEST...
//	[   2.000s] Wi-Fi connected
//	[   4.000s] Wi-Fi OK
//	[   6.000s] Wi-Fi down: link lost
//	[   6.000s] Connecting to Wokwi-GUEST...
//	[   7.000s] Wi-Fi connect failed: hw: access point not found
//	[   9.000s] Connecting to Wokwi-GUEST...
//	[  11.000s] Wi-Fi connected
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
	Beat  = 500 * time.Millisecond // how often the heartbeat toggles the LED
)

//go:embed diagram.json scenario.yaml
var files embed.FS

// Files holds the program's default wiring, diagram.json, and its default
// scenario, scenario.yaml.
func Files() fs.FS { return files }

// App checks the Wi-Fi and beats the heartbeat until it is cancelled, then
// leaves the network and turns the LED off. It returns the first error of
// its tasks.
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

	wifi := t.Spawn("wifi_status", func(t *coop.Task) error {
		defer wlan.Disconnect()
		online := false // connected at the last check
		for {
			if s := wlan.Status(); s.Connected() {
				con.Println("Wi-Fi OK")
			} else {
				if online {
					con.Println("Wi-Fi down:", s)
				}
				con.Println("Connecting to " + SSID + "...")
				if err := wlan.Connect(t, SSID, Password); err != nil {
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
	heartbeat := t.Spawn("heartbeat", func(t *coop.Task) error {
		defer led.Set(false)
		for {
			led.Toggle()
			if err := t.Sleep(Beat); err != nil {
				return err
			}
		}
	})
	return coop.Gather(t, wifi, heartbeat)
}
