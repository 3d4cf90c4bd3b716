package sim

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// Every registered type is complete: a unique wiring type, a kind and a
// title, pins, a hookup and a constructor, and the parts it makes say
// they are of it and show exactly the fields it lists.
func TestPartTypes(t *testing.T) {
	seen := map[string]bool{}
	for _, pt := range PartTypes() {
		for _, name := range append([]string{pt.Type}, pt.Aliases...) {
			if seen[name] {
				t.Errorf("type %s registered twice", name)
			}
			seen[name] = true
		}
		if pt.Kind == "" || pt.Title == "" || len(pt.Pins) == 0 || pt.Hookup == nil || pt.New == nil {
			t.Errorf("%s: incomplete: %+v", pt.Type, pt)
			continue
		}
		vals, err := pt.CheckAttrs(nil)
		if err != nil {
			t.Errorf("%s: defaults: %v", pt.Type, err)
			continue
		}
		p, err := pt.New("x", vals, Hookup{})
		if err != nil {
			t.Errorf("%s: New: %v", pt.Type, err)
			continue
		}
		d, ok := p.(Described)
		if !ok || d.Type().Type != pt.Type {
			t.Errorf("%s: New makes a %T, which does not describe itself as one", pt.Type, p)
			continue
		}
		st := d.State()
		if len(st) != len(pt.State) {
			t.Errorf("%s: State() = %v, want the fields %v", pt.Type, st, pt.State)
		}
		for _, f := range pt.State {
			if _, ok := st[f.Name]; !ok {
				t.Errorf("%s: State() has no %s", pt.Type, f.Name)
			}
		}
		if _, ok := p.(Actor); ok != (len(pt.Inputs)+len(pt.Controls) > 0) {
			t.Errorf("%s: Actor %v, yet %d inputs and %d controls", pt.Type, ok, len(pt.Inputs), len(pt.Controls))
		}
		if _, err := json.Marshal(pt); err != nil {
			t.Errorf("%s: JSON: %v", pt.Type, err)
		}
	}
}

// Do checks the input and its required arguments before the part acts.
func TestDo(t *testing.T) {
	r := newRig(t, "pico2w", 0)
	btn := NewButton(ButtonConfig{Name: "btn1"})
	led := NewLED(LEDConfig{Name: "led1", Color: "red"})
	for pin, p := range map[string]Part{"GP14": btn, "GP15": led} {
		if err := r.b.Attach(pin, p); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		p     Part
		input string
		args  Args
		want  string
	}{
		{led, "press", nil, `sim: part "led1" is an LED, which takes no inputs`},
		{btn, "turn", nil, `sim: part "btn1" is a button, which takes no turn (inputs: press, release, click, hold, set-control)`},
		{btn, "set-control", Args{"position": 1.0}, `sim: part "btn1" is a button, which has no control "position" (controls: pressed)`},
		{btn, "hold", nil, `sim: hold of part "btn1" needs for`},
	} {
		err := Do(tt.p, tt.input, tt.args)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Do(%s, %s) = %v, want %s", tt.p.Name(), tt.input, err, tt.want)
		}
		if tt.input != "hold" && !errors.Is(err, ErrNoInput) {
			t.Errorf("Do(%s, %s) = %v, not ErrNoInput", tt.p.Name(), tt.input, err)
		}
	}
	if err := Do(btn, "hold", Args{"for": time.Second}); err != nil {
		t.Fatal(err)
	}
	js, _ := json.Marshal(View(btn))
	if string(js) != `{"name":"btn1","type":"wokwi-pushbutton","pin":"GP14","state":{"pressed":true}}` {
		t.Errorf("View(btn1) = %s", js)
	}
	if err := r.l.RunFor(time.Second); err != nil {
		t.Fatal(err)
	}
	if btn.Pressed() {
		t.Error("hold for 1s: still pressed at 1s")
	}
}

// A program's own part types come after coop's; a type that cannot work
// is a mistake in the program's source, and panics saying what to do.
func TestPartTypesWith(t *testing.T) {
	own := func(typ string, aliases ...string) *PartType {
		return &PartType{Type: typ, Aliases: aliases, Title: "a tilt switch",
			Hookup: func(func(string) Net) (Hookup, error) { return Hookup{}, nil },
			New:    func(string, AttrValues, Hookup) (Part, error) { return nil, nil }}
	}
	names := func(types []*PartType) string {
		var s []string
		for _, t := range types {
			s = append(s, t.Type)
		}
		return strings.Join(s, " ")
	}
	coops := names(PartTypes())
	if got := names(PartTypesWith()); got != coops {
		t.Errorf("PartTypesWith() = %s, want %s", got, coops)
	}
	if got, want := names(PartTypesWith(own("my-tilt"), own("my-lamp"))), coops+" my-tilt my-lamp"; got != want {
		t.Errorf("PartTypesWith(my-tilt, my-lamp) = %s, want %s", got, want)
	}
	noNew := own("my-tilt")
	noNew.New = nil
	for _, tt := range []struct {
		types []*PartType
		want  string
	}{
		{[]*PartType{own("my-tilt"), nil}, "sim: part type 2 of the program's own is nil"},
		{[]*PartType{own("")}, `sim: part type 1 of the program's own ("a tilt switch") has no Type: give it the name a diagram.json calls it`},
		{[]*PartType{noNew}, `sim: part type "my-tilt" needs Hookup and New: the wiring calls Hookup to find its board pin and New to make the part`},
		{[]*PartType{own("wokwi-led")}, `sim: part type "wokwi-led" is given twice, or is one of coop's own: give the program's part another type`},
		{[]*PartType{own("my-button", "wokwi-pushbutton-6mm")}, `sim: part type "wokwi-pushbutton-6mm" is given twice, or is one of coop's own: give the program's part another type`},
		{[]*PartType{own("my-tilt"), own("my-tilt")}, `sim: part type "my-tilt" is given twice, or is one of coop's own: give the program's part another type`},
	} {
		func() {
			defer func() {
				if r := recover(); r != tt.want {
					t.Errorf("PartTypesWith(%s) panicked with %v, want %q", names(tt.types[:1]), r, tt.want)
				}
			}()
			PartTypesWith(tt.types...)
		}()
	}
}
