package suggest

import "testing"

func TestNearest(t *testing.T) {
	names := []string{"press", "release", "click", "hold", "turn", "temperature", "wokwi-servo", "to", "over"}
	for _, tt := range []struct{ s, want string }{
		{"tunr", "turn"},  // a swap
		{"pres", "press"}, // a letter missing
		{"temprature", "temperature"},
		{"wokwi-servoo", "wokwi-servo"},
		{"too", "to"},
		{"ovr", "over"},
		{"xyz", ""}, // nothing like it
		{"t", "to"}, // one letter of two
		{"hodl", "hold"},
		{"push", ""}, // two edits from "hold", half its letters
	} {
		if got := Nearest(tt.s, names); got != tt.want {
			t.Errorf("Nearest(%q) = %q, want %q", tt.s, got, tt.want)
		}
	}
}

func TestHint(t *testing.T) {
	names := []string{"pico2w", "pyboard", "metro-m4"}
	for _, tt := range []struct{ s, want string }{
		{"pico", "did you mean pico2w? "},
		{"xyz", ""},
	} {
		if got := Hint(tt.s, names); got != tt.want {
			t.Errorf("Hint(%q) = %q, want %q", tt.s, got, tt.want)
		}
	}
}
