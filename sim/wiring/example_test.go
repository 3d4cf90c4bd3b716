package wiring_test

import (
	"fmt"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/sim/wiring"
)

// A Wokwi diagram wires an LED (through a resistor) and a button to a Pico
// W; the program lights the LED while the button is down.
func ExampleDiagram_Apply() {
	d, err := wiring.Parse("diagram.json", []byte(`{
	  "version": 1, "author": "coop", "editor": "wokwi",
	  "parts": [
	    { "type": "board-pi-pico-w", "id": "pico", "attrs": {} },
	    { "type": "wokwi-led", "id": "led1", "attrs": { "color": "red" } },
	    { "type": "wokwi-resistor", "id": "r1", "attrs": { "value": "220" } },
	    { "type": "wokwi-pushbutton", "id": "btn1", "attrs": { "bounce": "0" } }
	  ],
	  "connections": [
	    [ "pico:GP15", "r1:1", "green", [] ],
	    [ "r1:2", "led1:A", "green", [] ],
	    [ "led1:C", "pico:GND.8", "black", [] ],
	    [ "btn1:1.l", "pico:GP14", "", [] ],
	    [ "btn1:2.l", "pico:GND.1", "", [] ]
	  ]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	l := coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	b, _ := sim.NewBoard(l, d.Board(), sim.Config{})
	if err := d.Apply(b); err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range d.Parts() {
		fmt.Printf("%s (%s) on %q\n", p.ID, p.Type, p.Pin)
	}
	led := d.Part("led1").(*sim.LED)
	d.Part("btn1").(*sim.Button).ClickAt(time.Second, 300*time.Millisecond)
	l.Spawn("main", func(t *coop.Task) error {
		out, _ := b.Output("GP15")
		in, _ := b.Input("GP14", hw.PullUp)
		for {
			if err := in.WaitEdge(t, hw.EdgeBoth); err != nil {
				return err
			}
			out.Set(!in.Get())
			fmt.Println(t.Now(), "LED lit:", led.On())
		}
	})
	l.RunFor(2 * time.Second)
	fmt.Println("Wi-Fi:", d.AccessPoint().SSID)
	// Output:
	// led1 (wokwi-led) on "GP15"
	// r1 (wokwi-resistor) on ""
	// btn1 (wokwi-pushbutton) on "GP14"
	// 1s LED lit: true
	// 1.3s LED lit: false
	// Wi-Fi: Wokwi-GUEST
}
