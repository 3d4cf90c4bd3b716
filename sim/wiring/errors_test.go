package wiring_test

import (
	"errors"
	"testing"

	"github.com/coopgo/coop/sim/wiring"
)

// Every problem is one line that says where and what is allowed, and
// wraps the sentinel callers branch on.
func TestParseErrors(t *testing.T) {
	led := `{"type": "wokwi-led", "id": "led1", "attrs": {"color": "red"}}`
	ledOK := `["pico:GP15", "led1:A", "green", []], ["led1:C", "pico:GND.8", "black", []]`
	btn := `{"type": "wokwi-pushbutton", "id": "btn1", "attrs": {}}`
	dht := `{"type": "wokwi-dht22", "id": "dht1", "attrs": {}}`
	tests := []struct {
		name string
		json string
		want string
		is   error
	}{
		// JSON
		{"malformed", "{\n  \"version\": 1,\n  \"parts\": [x]\n}", `diagram.json:3:13: invalid character 'x' looking for beginning of value`, wiring.ErrSyntax},
		{"empty", "", `diagram.json:1:1: empty file: want a Wokwi diagram, a JSON object with parts and connections`, wiring.ErrSyntax},
		{"blank", "\n  \n", `diagram.json:1:1: empty file: want a Wokwi diagram, a JSON object with parts and connections`, wiring.ErrSyntax},
		{"trailing comma", "{\"parts\": [],\n}", `diagram.json:2:1: invalid character '}' looking for beginning of object key string (a comma after the last element? JSON allows none)`, wiring.ErrSyntax},
		{"trailing comma in a list", "{\"parts\": [\n  {\"type\": \"wokwi-led\", \"id\": \"led1\"},\n]}", `diagram.json:3:1: invalid character ']' looking for beginning of value (a comma after the last element? JSON allows none)`, wiring.ErrSyntax},
		{"missing comma", "{\"parts\": []\n  \"connections\": []}", `diagram.json:2:3: invalid character '"' after object key:value pair (a comma missing before it?)`, wiring.ErrSyntax},
		{"missing comma in a list", "{\"parts\": [{\"type\": \"wokwi-led\", \"id\": \"a\"}\n  {\"type\": \"wokwi-led\", \"id\": \"b\"}]}", `diagram.json:2:3: invalid character '{' after array element (a comma missing before it?)`, wiring.ErrSyntax},
		{"comment", "{\n  // my board\n  \"parts\": []}", `diagram.json:2:3: invalid character '/' looking for beginning of object key string (JSON has no comments)`, wiring.ErrSyntax},
		{"misspelt key", "{\"parts\": [],\n  \"conections\": []}", `diagram.json:2:17: unknown key "conections" (did you mean connections? keys: version, author, editor, parts, connections, dependencies)`, wiring.ErrSyntax},
		{"misspelt key of a part", "{\"parts\": [\n  {\"type\": \"wokwi-led\", \"id\": \"led1\", \"atrs\": {}}]}", `diagram.json:2:47: unknown key "atrs" (did you mean attrs? keys: type, id, top, left, rotate, flip, hide, attrs)`, wiring.ErrSyntax},
		{"not an object", "[1, 2]", `diagram.json:1:1: the diagram must be an object, not array`, wiring.ErrSyntax},
		{"type not a string", "{\"parts\": [\n  {\"type\": 42, \"id\": \"x\"}]}", `diagram.json:2:12: "parts.type" must be a string, not number`, wiring.ErrSyntax},
		{"attrs not an object", "{\"parts\": [{\"type\": \"wokwi-led\", \"id\": \"ab\\\"c\" , \"attrs\": []}]}", `diagram.json:1:59: "parts.attrs" must be an object, not array`, wiring.ErrSyntax},
		{"version", `{"version": 2, "parts": []}`, `diagram.json:1:13: version 2 is not supported (want 1)`, wiring.ErrSyntax},
		{"connection shape", diagram(led, `["pico:GP15"]`), `diagram.json:1:163: connection 1 is ["pico:GP15"]: want ["part:pin", "part:pin", "color", [route]]`, wiring.ErrSyntax},
		{"connection not strings", diagram(led, `[1, 2]`), `diagram.json:1:163: connection 1 is [1, 2]: want ["part:pin", "part:pin", "color", [route]]`, wiring.ErrSyntax},
		// parts
		{"no board", `{"parts": [` + led + `]}`, `diagram.json:1:11: no board part (board types: board-pi-pico-w, board-pi-pico2, board-pi-pico2-w, coop-metro-m4, coop-pyboard, wokwi-pi-pico)`, wiring.ErrBoard},
		{"two boards", `{"parts": [{"type": "wokwi-pi-pico", "id": "a"}, {"type": "coop-pyboard", "id": "b"}]}`, `diagram.json:1:59: two boards, "a" (wokwi-pi-pico) and "b" (coop-pyboard): a diagram has one`, wiring.ErrBoard},
		{"unknown type", diagram(`{"type": "wokwi-lcd1602", "id": "lcd1"}`, ""), `diagram.json:1:91: part "lcd1" has unknown type "wokwi-lcd1602" (known: board-pi-pico-w, board-pi-pico2, board-pi-pico2-w, coop-metro-m4, coop-pyboard, wokwi-pi-pico, wokwi-led, wokwi-pushbutton, wokwi-pushbutton-6mm, wokwi-dht22, wokwi-potentiometer, wokwi-slide-potentiometer, wokwi-servo, wokwi-resistor)`, wiring.ErrUnknownType},
		{"unknown board type", `{"parts": [{"type": "wokwi-arduino-uno", "id": "uno"}]}`, `diagram.json:1:21: part "uno" has unknown type "wokwi-arduino-uno" (known: board-pi-pico-w, board-pi-pico2, board-pi-pico2-w, coop-metro-m4, coop-pyboard, wokwi-pi-pico, wokwi-led, wokwi-pushbutton, wokwi-pushbutton-6mm, wokwi-dht22, wokwi-potentiometer, wokwi-slide-potentiometer, wokwi-servo, wokwi-resistor)`, wiring.ErrUnknownType},
		{"no id", diagram(`{"type": "wokwi-led"}`, ""), `diagram.json:1:82: part 2 ("wokwi-led") has no id`, wiring.ErrUnknownPart},
		{"duplicate id", diagram(led+","+led, ""), `diagram.json:1:173: two parts have the id "led1"`, wiring.ErrUnknownPart},
		{"colon in id", diagram(`{"type": "wokwi-led", "id": "a:b"}`, ""), `diagram.json:1:110: part id "a:b" has a colon: connections could not name its pins`, wiring.ErrUnknownPart},
		// attributes
		{"bounce", diagram(`{"type": "wokwi-pushbutton", "id": "btn1", "attrs": {"bounce": "yes"}}`, ""), `diagram.json:1:145: part "btn1" (wokwi-pushbutton): bounce "yes" must be one of "1", "0", "" ("1": the contacts bounce for 5ms (coopBounce sets the time); "0": a perfect contact)`, wiring.ErrAttr},
		{"coopBounce", diagram(`{"type": "wokwi-pushbutton", "id": "btn1", "attrs": {"coopBounce": "5"}}`, ""), `diagram.json:1:149: part "btn1" (wokwi-pushbutton): coopBounce "5" must be a duration such as "5ms"`, wiring.ErrAttr},
		{"bounce off and on", diagram(`{"type": "wokwi-pushbutton", "id": "btn1", "attrs": {"bounce": "0", "coopBounce": "2ms"}}`, ""), `diagram.json:1:134: part "btn1" (wokwi-pushbutton): bounce "0" turns bouncing off, yet coopBounce is 2ms`, wiring.ErrAttr},
		{"temperature", diagram(`{"type": "wokwi-dht22", "id": "dht1", "attrs": {"temperature": "120"}}`, ""), `diagram.json:1:145: part "dht1" (wokwi-dht22): temperature "120" must be a number from -40 to 80 °C`, wiring.ErrAttr},
		{"humidity", diagram(`{"type": "wokwi-dht22", "id": "dht1", "attrs": {"humidity": "wet"}}`, ""), `diagram.json:1:142: part "dht1" (wokwi-dht22): humidity "wet" must be a number from 0 to 100 %`, wiring.ErrAttr},
		{"fail rate", diagram(`{"type": "wokwi-dht22", "id": "dht1", "attrs": {"coopFailRate": "2"}}`, ""), `diagram.json:1:146: part "dht1" (wokwi-dht22): coopFailRate "2" must be a number from 0 to 1`, wiring.ErrAttr},
		{"attr object", diagram(`{"type": "wokwi-led", "id": "led1", "attrs": {"color": {"r": 1}}}`, ""), `diagram.json:1:137: part "led1" (wokwi-led): attribute "color" must be a string, not {"r": 1}`, wiring.ErrAttr},
		{"unknown coop attr", diagram(`{"type": "wokwi-led", "id": "led1", "attrs": {"coopColour": "red"}}`, ""), `diagram.json:1:142: part "led1" (wokwi-led) has no attribute "coopColour" (coop attributes: none)`, wiring.ErrAttr},
		{"wifi on a pyboard", `{"parts": [{"type": "coop-pyboard", "id": "pyb", "attrs": {"coopWifiSsid": "x"}}]}`, `diagram.json:1:59: board "pyb" (coop-pyboard) has no Wi-Fi: remove its coopWifi attributes`, wiring.ErrAttr},
		{"join time", `{"parts": [{"type": "board-pi-pico-w", "id": "pico", "attrs": {"coopWifiJoinTime": "-1s"}}]}`, `diagram.json:1:84: board "pico" (board-pi-pico-w): coopWifiJoinTime "-1s" must be a positive duration such as "2s"`, wiring.ErrAttr},
		{"password without network", `{"parts": [{"type": "board-pi-pico-w", "id": "pico", "attrs": {"coopWifiSsid": "", "coopWifiPassword": "x"}}]}`, `diagram.json:1:80: board "pico" (board-pi-pico-w): coopWifiSsid "" means no access point, yet coopWifiPassword or coopWifiJoinTime is set`, wiring.ErrAttr},
		// connections
		{"board has no pin", diagram(led, `["pico:GP15", "led1:A"], ["led1:C", "pico:GND.8"], ["pico:GP99", "led1:A", "green", []]`), `diagram.json:1:215: connection 3 ("pico:GP99" → "led1:A"): board "pico2w" has no pin "GP99" (pins: GP0–GP28, LED, GND.1–GND.8, AGND, 3V3, VSYS, VBUS)`, wiring.ErrNoPin},
		{"part has no pin", diagram(led, `["pico:GP15", "led1:K"]`), `diagram.json:1:177: connection 1 ("pico:GP15" → "led1:K"): part "led1" (wokwi-led) has no pin "K" (pins: A, C)`, wiring.ErrNoPin},
		{"not part:pin", diagram(led, `["pico", "led1:A"]`), `diagram.json:1:164: connection 1 ("pico" → "led1:A"): "pico" is not "part:pin"`, wiring.ErrNoPin},
		{"misspelt id", diagram(led, `["pico:GP15", "lde1:A"]`), `diagram.json:1:177: connection 1 ("pico:GP15" → "lde1:A"): no part "lde1" (did you mean led1? parts: pico, led1)`, wiring.ErrUnknownPart},
		{"unknown id", diagram(led, `["pico:GP15", "led9:A"]`), `diagram.json:1:177: connection 1 ("pico:GP15" → "led9:A"): no part "led9" (did you mean led1? parts: pico, led1)`, wiring.ErrUnknownPart},
		{"metro pin number", `{"parts": [{"type": "coop-metro-m4", "id": "m"}], "connections": [["m:14", "m:GND"]]}`, `diagram.json:1:68: connection 1 ("m:14" → "m:GND"): board "metro_m4" has no pin "14" (pins: D0–D13, A0–A5, LED, GND.1–GND.3, 3.3V, 5V, VIN)`, wiring.ErrNoPin},
		// nets
		{"two board pins", diagram(led, `["pico:GP15", "led1:A"], ["pico:GP14", "led1:A"], ["led1:C", "pico:GND.8"]`), `diagram.json: board pins GP15 and GP14 are wired together (connected: pico:GP15, led1:A, pico:GP14)`, wiring.ErrConflict},
		{"pin to GND", diagram(btn, `["pico:GP14", "btn1:1.l"], ["btn1:1.r", "pico:GND.1"]`), `diagram.json: board pin GP14 is shorted to GND.1 (connected: pico:GP14, btn1:1.l, btn1:1.r, pico:GND.1)`, wiring.ErrConflict},
		{"3V3 to GND", diagram("", `["pico:3V3", "pico:GND.1"]`), `diagram.json: 3V3 is shorted to GND.1 (connected: pico:3V3, pico:GND.1)`, wiring.ErrConflict},
		{"LED between two pins", diagram(led, `["pico:GP15", "led1:A"], ["led1:C", "pico:GP16"]`), `diagram.json:1:82: part "led1" (wokwi-led) has A on GP15 and C on GP16: wire A to a board pin and C to GND, or A to 3V3 and C to a board pin`, wiring.ErrConflict},
		{"LED backwards on 3V3", diagram(led, `["pico:GP15", "led1:A"], ["led1:C", "pico:3V3"]`), `diagram.json:1:82: part "led1" (wokwi-led) has A on GP15 and C on 3V3: wire A to a board pin and C to GND, or A to 3V3 and C to a board pin`, wiring.ErrConflict},
		{"button between two pins", diagram(btn, `["pico:GP14", "btn1:1.l"], ["btn1:2.l", "pico:GP13"]`), `diagram.json:1:82: part "btn1" (wokwi-pushbutton) joins GP14 and GP13: wire one side to a board pin and the other to GND or 3V3`, wiring.ErrConflict},
		{"resistor between two pins", diagram(`{"type": "wokwi-resistor", "id": "r1"}`, `["pico:GP14", "r1:1"], ["r1:2", "pico:GP13"]`), `diagram.json:1:82: part "r1" (wokwi-resistor) joins board pins GP14 and GP13: a resistor is a pull to GND or 3V3, or in series with a part`, wiring.ErrConflict},
		{"DHT22 shares its pin", diagram(dht+","+btn, `["dht1:SDA", "pico:GP16"], ["btn1:1.l", "pico:GP16"], ["btn1:2.l", "pico:GND.1"]`), `diagram.json:1:133: board pin GP16 has "dht1" (wokwi-dht22) and "btn1" (wokwi-pushbutton): a DHT22 needs its pin to itself`, wiring.ErrConflict},
		{"two DHT22s", diagram(dht+`, {"type": "wokwi-dht22", "id": "dht2"}`, `["dht1:SDA", "pico:GP16"], ["dht2:SDA", "pico:GP16"]`), `diagram.json:1:134: board pin GP16 has "dht1" (wokwi-dht22) and "dht2" (wokwi-dht22): a DHT22 needs its pin to itself`, wiring.ErrConflict},
		{"pulled both ways", diagram(`{"type": "wokwi-resistor", "id": "r1"}, {"type": "wokwi-resistor", "id": "r2"}`, `["pico:GP9", "r1:1"], ["r1:2", "pico:3V3"], ["pico:GP9", "r2:1"], ["r2:2", "pico:GND.1"]`), `diagram.json:1:122: board pin GP9 is pulled up by "r1" and down by "r2"`, wiring.ErrConflict},
		{"DHT22 pulled down", diagram(dht+`, {"type": "wokwi-resistor", "id": "r1"}`, `["pico:GP16", "dht1:SDA"], ["pico:GP16", "r1:1"], ["r1:2", "pico:GND.1"]`), `diagram.json:1:134: board pin GP16 is pulled up by "dht1" and down by "r1"`, wiring.ErrConflict},
		// unconnected
		{"LED without wires", diagram(led+`, {"type": "wokwi-led", "id": "led2"}`, ledOK), `diagram.json:1:146: part "led2" (wokwi-led) is not connected to a board pin`, wiring.ErrUnconnected},
		{"LED without GND", diagram(led, `["pico:GP15", "led1:A"]`), `diagram.json:1:82: part "led1" (wokwi-led) has pin C unconnected: wire it to GND (A is on GP15)`, wiring.ErrUnconnected},
		{"LED without 3V3", diagram(led, `["pico:GP15", "led1:C"]`), `diagram.json:1:82: part "led1" (wokwi-led) has pin A unconnected: wire it to 3V3 for an LED that lights when GP15 is low`, wiring.ErrUnconnected},
		{"button on one side", diagram(btn, `["pico:GP14", "btn1:2.r"]`), `diagram.json:1:82: part "btn1" (wokwi-pushbutton) has its other side unconnected: wire it to GND (read GP14 with a pull-up) or to 3V3 (with a pull-down)`, wiring.ErrUnconnected},
		{"button to GND only", diagram(btn, `["pico:GND.1", "btn1:2.r"]`), `diagram.json:1:82: part "btn1" (wokwi-pushbutton) is not connected to a board pin`, wiring.ErrUnconnected},
		// not JSON, misspelled
		{"YAML", "name: knob\nparts: []\n", `diagram.json:1:1: not JSON: a diagram is a JSON object, starting with '{', not "name: knob"`, wiring.ErrSyntax},
		{"misspelled type", diagram(`{"type": "wokwi-servoo", "id": "s1"}`, ""), `diagram.json:1:91: part "s1" has unknown type "wokwi-servoo" (did you mean wokwi-servo? known: board-pi-pico-w, board-pi-pico2, board-pi-pico2-w, coop-metro-m4, coop-pyboard, wokwi-pi-pico, wokwi-led, wokwi-pushbutton, wokwi-pushbutton-6mm, wokwi-dht22, wokwi-potentiometer, wokwi-slide-potentiometer, wokwi-servo, wokwi-resistor)`, wiring.ErrUnknownType},
		// analogue and PWM
		{"knob off the ADC pins", diagram(`{"type": "wokwi-potentiometer", "id": "pot1"}`, `["pot1:SIG", "pico:GP15"]`), `diagram.json:1:82: part "pot1" (wokwi-potentiometer) is on GP15, which has no analogue input (analogue inputs: GP26–GP28)`, wiring.ErrNoPin},
		{"servo on the radio's LED", diagram(`{"type": "wokwi-servo", "id": "s1"}`, `["s1:PWM", "pico:LED"]`), `diagram.json:1:82: part "s1" (wokwi-servo) is on LED, which has no PWM (PWM pins: GP0–GP28)`, wiring.ErrNoPin},
		{"knob too far", diagram(`{"type": "wokwi-potentiometer", "id": "pot1", "attrs": {"value": "1024"}}`, `["pot1:SIG", "pico:GP26"]`), `diagram.json:1:147: part "pot1" (wokwi-potentiometer): value "1024" must be a number from 0 to 1023`, wiring.ErrAttr},
		{"servo horn", diagram(`{"type": "wokwi-servo", "id": "s1", "attrs": {"horn": "star"}}`, `["s1:PWM", "pico:GP15"]`), `diagram.json:1:136: part "s1" (wokwi-servo): horn "star" must be one of "single", "double", "cross" (the horn's shape, for pictures)`, wiring.ErrAttr},
		{"DHT22 powered only", diagram(dht, `["pico:3V3", "dht1:VCC"], ["pico:GND.1", "dht1:GND"]`), `diagram.json:1:82: part "dht1" (wokwi-dht22) has pin SDA unconnected: wire it to a board pin`, wiring.ErrUnconnected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := wiring.Parse("diagram.json", []byte(tt.json))
			if err == nil {
				t.Fatalf("Parse = %v, nil; want error %s", d, tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("Parse error\n got %s\nwant %s", err, tt.want)
			}
			if !errors.Is(err, tt.is) {
				t.Errorf("Parse error %v is not %v", err, tt.is)
			}
			var we *wiring.Error
			if !errors.As(err, &we) {
				t.Errorf("Parse error is %T, not *wiring.Error", err)
			}
		})
	}
}
