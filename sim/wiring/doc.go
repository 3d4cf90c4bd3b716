// Package wiring reads Wokwi's diagram.json, the wiring format users of
// the Wokwi simulator already know, and wires the parts it describes to a
// simulated board of package sim.
//
//	d, err := wiring.Load("diagram.json")
//	…
//	b, err := sim.NewBoard(loop, d.Board(), sim.Config{})
//	…
//	err = d.Apply(b)        // parts attached, named by their diagram ids
//	state := sim.StateOf(d.Part("btn1")) // {"pressed": false}
//
// # The format
//
// A diagram is a JSON object: "version" (1), "author", "editor", "parts"
// and "connections". Each part has a "type", an "id" and string "attrs";
// its position ("top", "left", "rotate") is ignored. Each connection is
// ["part:pin", "part:pin", "color", [route hints]]; only the two ends
// matter. Connections join pins into nets: a net may hold one board pin
// (a GPIO such as "GP15", or a rail: GND, 3V3…) and any number of part pins.
//
//	{
//	  "version": 1, "author": "me", "editor": "wokwi",
//	  "parts": [
//	    { "type": "board-pi-pico-w", "id": "pico", "top": 0, "left": 0, "attrs": {} },
//	    { "type": "wokwi-led", "id": "led1", "attrs": { "color": "red" } },
//	    { "type": "wokwi-resistor", "id": "r1", "attrs": { "value": "220" } },
//	    { "type": "wokwi-pushbutton", "id": "btn1", "attrs": { "color": "green", "bounce": "1" } },
//	    { "type": "wokwi-dht22", "id": "dht1", "attrs": { "temperature": "24", "humidity": "40" } }
//	  ],
//	  "connections": [
//	    [ "pico:GP15", "r1:1", "green", [] ],
//	    [ "r1:2", "led1:A", "green", [] ],
//	    [ "led1:C", "pico:GND.8", "black", [] ],
//	    [ "btn1:1.l", "pico:GP14", "", [] ],
//	    [ "btn1:2.l", "pico:GND.1", "", [] ],
//	    [ "dht1:SDA", "pico:GP16", "", [] ],
//	    [ "dht1:VCC", "pico:3V3", "red", [] ],
//	    [ "dht1:GND", "pico:GND.2", "black", [] ]
//	  ]
//	}
//
// # Boards
//
// A diagram has exactly one board part. Its type picks the simulated board
// ([Diagram.Board]):
//
//	board-pi-pico-w, board-pi-pico2-w   "pico2w", with Wi-Fi
//	wokwi-pi-pico, board-pi-pico2       "pico2w", no access point unless set
//	coop-pyboard                        "pyboard"   (not in Wokwi: a coop name)
//	coop-metro-m4                       "metro_m4"  (not in Wokwi: a coop name)
//
// Board pins are the board's silk-screen names (GP0–GP28 and LED on a Pico;
// X1…, Y1…, LED(1)… and USR on a pyboard; D0–D13, A0–A5 and LED on a Metro
// M4, which also takes Arduino numbers: "13" is D13) and its rails:
// GND, GND.1…, AGND (ground); 3V3, 3.3V, VSYS, VBUS, 5V, VIN, V+ (supply).
// Pins the simulator does not model (RUN, 3V3_EN, ADC_VREF, AREF, IOREF,
// RESET, RST, BOOT0) may be wired; parts on them are ignored with a
// warning ([Diagram.Warnings]).
//
// On a Wi-Fi board, [Diagram.Apply] puts Wokwi's open network,
// [DefaultSSID] "Wokwi-GUEST", in range. Board attributes change it:
// "coopWifiSsid" (another name; "" for no network), "coopWifiPassword",
// "coopWifiJoinTime" (a Go duration, "2s" by default). A scenario takes it
// down and up by its SSID.
//
// # Parts
//
// The part types are those of [sim.PartTypes], each described by its
// [sim.PartType]: its pins, attributes, and how it must be wired. Today:
//
//	wokwi-led          pins A, C. An LED with A on a board pin and C to GND
//	                   lights when the pin is driven high; with A to 3V3 and
//	                   C on a pin, when it is driven low. attrs: color
//	                   ("red" by default).
//	wokwi-pushbutton   pins 1.l, 1.r (one contact), 2.l, 2.r (the other).
//	wokwi-pushbutton-6mm  One side on a board pin, the other to GND (read
//	                   with a pull-up) or 3V3 (read with a pull-down).
//	                   attrs: bounce "1" (the default: the contacts bounce
//	                   for sim.DefaultBounce) or "0" (a perfect contact);
//	                   coopBounce, a Go duration, sets how long they bounce.
//	wokwi-dht22        pins VCC, SDA, NC, GND; SDA on a board pin, which it
//	                   needs to itself; VCC and GND are not checked.
//	                   attrs: temperature (°C, −40 to 80, "24" by default),
//	                   humidity (% RH, 0 to 100, "40"); coopFailRate, the
//	                   fraction of reads, 0 to 1, whose checksum is bad.
//	wokwi-potentiometer  pins GND, SIG, VCC; SIG on an analogue input
//	wokwi-slide-potentiometer  (GP26–GP28, A0–A5, X1…). VCC to GND and GND
//	                   to 3V3 make a knob that reads the other way.
//	                   attrs: value, where it starts, 0 to 1023 ("0").
//	wokwi-servo        pins PWM, V+, GND; PWM on a pin that makes PWM.
//	                   attrs: horn, hornColor (for pictures).
//	wokwi-resistor     pins 1, 2. Between a board pin and a rail it is a pull
//	                   resistor; between a board pin and a part, or a part
//	                   and a rail, it is in series: the signal passes
//	                   through, and it makes no part of its own. Its value
//	                   is not modelled.
//
// Unknown attributes are ignored, as Wokwi's cosmetic ones are
// ("lightColor", "label"…), except those starting with "coop", which are
// ours: a typo there is an error.
//
// # Errors
//
// Parse reports the first problem as an [*Error] of one line that names the
// file, the line and column of the value it is about (the part, its type
// or attribute, the connection; a short between nets has none) and says
// what is allowed:
//
//	diagram.json:3:14: invalid character 'x' looking for beginning of value
//	diagram.json:1:1: not JSON: a diagram is a JSON object, starting with '{', not "name: knob"
//	diagram.json:7:13: part "u1" has unknown type "wokwi-lcd1602" (known: board-pi-pico-w, …)
//	diagram.json:7:13: part "s1" has unknown type "wokwi-servoo" (did you mean wokwi-servo? known: …)
//	diagram.json:12:20: connection 3 ("pico:GP99" → "led1:A"): board "pico2w" has no pin "GP99" (pins: GP0–GP28, LED, GND.1–GND.8, AGND, 3V3, VSYS, VBUS)
//	diagram.json: board pin GP14 is shorted to GND.1 (connected: pico:GP14, pico:GND.1)
//	diagram.json:8:5: part "led2" (wokwi-led) is not connected to a board pin
//	diagram.json:9:5: part "pot1" (wokwi-potentiometer) is on GP15, which has no analogue input (analogue inputs: GP26–GP28)
//
// The error wraps a sentinel (ErrSyntax, ErrUnknownType, ErrBoard,
// ErrUnknownPart, ErrNoPin, ErrConflict, ErrUnconnected, ErrAttr) for
// callers that branch with errors.Is. A part that needs a board pin and
// reaches none is an error, not a warning: a scenario pressing a button
// that is wired to nothing would otherwise pass or fail for no visible
// reason.
//
// # Finding parts
//
// Parts are attached with their diagram ids as names, so [Diagram.Part]
// and [sim.Board.Part] both find them; [Diagram.PartPin] tells which board
// pin a part's pin is wired to ("led1", "A" → "GP15"). Together they make a
// *Diagram the part finder of package sim/scenario.
package wiring
