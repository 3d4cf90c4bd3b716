package hw_test

import (
	"errors"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

func TestErrorMessages(t *testing.T) {
	tests := []struct {
		err  error
		want string
		is   error
	}{
		{&hw.PinError{Board: "pico2w", Pin: "GP99", Err: hw.ErrNoPin, Have: "GP0–GP28, LED"},
			`hw: board "pico2w" has no pin "GP99" (pins: GP0–GP28, LED)`, hw.ErrNoPin},
		{&hw.PinError{Board: "pico2w", Pin: "gp15", Err: hw.ErrNoPin, Have: "GP0–GP28, LED", Meant: "GP15"},
			`hw: board "pico2w" has no pin "gp15" (did you mean GP15? pins: GP0–GP28, LED)`, hw.ErrNoPin},
		{&hw.PinError{Board: "pico2w", Pin: "GP14", Err: hw.ErrPinBusy, Have: "input"},
			`hw: pin "GP14" of board "pico2w" is in use as input`, hw.ErrPinBusy},
		{&hw.DeviceError{Board: "pyboard", Device: "WLAN"}, `hw: board "pyboard" has no WLAN`, hw.ErrNoDevice},
		{&hw.DeviceError{Board: "pyboard", Device: "timer 15", Have: "timers: -1, 1–14"},
			`hw: board "pyboard" has no timer 15 (timers: -1, 1–14)`, hw.ErrNoDevice},
		{hw.ErrChecksum, "hw: checksum mismatch", hw.ErrChecksum},
		{hw.ErrTLS, "hw: TLS peer not verified", hw.ErrTLS},
		{hw.ErrorCode(200), "hw: error 200", hw.ErrorCode(200)},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
		if !errors.Is(tt.err, tt.is) {
			t.Errorf("errors.Is(%v, %v) = false, want true", tt.err, tt.is)
		}
	}
}

// bare is a board with pins only.
type bare struct{}

func (bare) Name() string                               { return "bare" }
func (bare) Output(string) (hw.Output, error)           { return nil, nil }
func (bare) Input(string, hw.Pull) (hw.InputPin, error) { return nil, nil }
func (bare) Console() hw.Console                        { return nil }

func TestOpenWithoutDevice(t *testing.T) {
	var b bare
	_, e1 := hw.OpenTimer(b, 4)
	_, e2 := hw.OpenCounter(b, "D3", hw.CounterConfig{})
	_, e3 := hw.OpenKeys(b, hw.KeysConfig{})
	_, e4 := hw.OpenDHT22(b, "GP16")
	_, e5 := hw.OpenWLAN(b)
	want := []string{
		`hw: board "bare" has no timer 4`,
		`hw: board "bare" has no counter`,
		`hw: board "bare" has no keypad`,
		`hw: board "bare" has no DHT22`,
		`hw: board "bare" has no WLAN`,
	}
	for i, err := range []error{e1, e2, e3, e4, e5} {
		if !errors.Is(err, hw.ErrNoDevice) || err.Error() != want[i] {
			t.Errorf("Open #%d = %v, want %q wrapping ErrNoDevice", i, err, want[i])
		}
	}
}

func TestKeyQueueOverflow(t *testing.T) {
	q := hw.NewKeyQueue(2)
	for i := range 3 {
		ok := q.Put(hw.KeyEvent{Key: i, Pressed: true})
		if want := i < 2; ok != want {
			t.Errorf("Put(key %d) = %v, want %v", i, ok, want)
		}
	}
	if !q.Overflowed() || q.Len() != 2 {
		t.Fatalf("after 3 Puts in 2: Overflowed() = %v, Len() = %d; want true, 2", q.Overflowed(), q.Len())
	}
	for want := range 2 {
		e, ok := q.Get()
		if !ok || e.Key != want {
			t.Errorf("Get() = %v, %v; want key %d", e, ok, want)
		}
	}
	if _, ok := q.Get(); ok {
		t.Error("Get() on empty queue = true")
	}
	q.Clear()
	if q.Overflowed() {
		t.Error("Overflowed() after Clear = true")
	}
	var zero hw.KeyQueue
	for i := range hw.DefaultMaxEvents + 1 {
		zero.Put(hw.KeyEvent{Key: i})
	}
	if zero.Len() != hw.DefaultMaxEvents || !zero.Overflowed() {
		t.Errorf("zero KeyQueue: Len() = %d, Overflowed() = %v", zero.Len(), zero.Overflowed())
	}
}

func TestKeyQueueWaitCancelled(t *testing.T) {
	err := coop.Run(func(t *coop.Task) error {
		q := hw.NewKeyQueue(1)
		w := t.Spawn("w", func(t *coop.Task) error { _, err := q.Wait(t); return err })
		t.Sleep(time.Second)
		w.Cancel()
		return w.Wait(t)
	}, coop.WithVirtualClock())
	if !errors.Is(err, coop.ErrCancelled) {
		t.Errorf("Wait on cancelled task = %v, want ErrCancelled", err)
	}
}

func TestStrings(t *testing.T) {
	tests := []struct{ got, want string }{
		{hw.PullUp.String(), "up"},
		{hw.Pull(9).String(), "Pull(9)"},
		{hw.EdgeBoth.String(), "both"},
		{hw.Edge(0).String(), "none"},
		{hw.StatusGotIP.String(), "got ip"},
		{hw.WLANStatus(-9).String(), "WLANStatus(-9)"},
		{hw.KeyEvent{Key: 1, At: 20 * time.Millisecond}.String(), "key 1 released at 20ms"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("String() = %q, want %q", tt.got, tt.want)
		}
	}
	if !hw.EdgeBoth.Has(hw.EdgeFalling) || hw.EdgeRising.Has(hw.EdgeFalling) || hw.EdgeBoth.Has(0) {
		t.Error("Edge.Has wrong")
	}
	if hw.Hz(5) != 200*time.Millisecond || hw.Hz(0) != 0 {
		t.Errorf("Hz(5) = %v, Hz(0) = %v", hw.Hz(5), hw.Hz(0))
	}
}
