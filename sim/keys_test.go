package sim

import (
	"slices"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

func TestCounter(t *testing.T) {
	tests := []struct {
		name   string
		bounce time.Duration
		edge   hw.Edge
		want   int
	}{
		{"clean, falling", 0, 0, 3},
		{"clean, both", 0, hw.EdgeBoth, 6},
		{"bouncing, falling", DefaultBounce, hw.EdgeFalling, 16},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, "metro_m4", 5)
			btn := NewButton(ButtonConfig{Name: "b", Bounce: tt.bounce})
			r.b.Attach("D3", btn)
			for i := range 3 {
				btn.ClickAt(time.Duration(i+1)*time.Second, ms(100))
			}
			c, err := hw.OpenCounter(r.b, "D3", hw.CounterConfig{Edge: tt.edge, Pull: hw.PullUp})
			if err != nil {
				t.Fatal(err)
			}
			r.l.RunFor(5 * time.Second)
			if got := c.Count(); got != tt.want {
				t.Errorf("Count() = %d, want %d", got, tt.want)
			}
			c.Reset()
			if c.Count() != 0 {
				t.Error("Count() after Reset != 0")
			}
			c.Close()
			if _, err := r.b.Output("D3"); err != nil {
				t.Errorf("Output(D3) after Counter.Close = %v", err)
			}
		})
	}
}

// A counter on a floating pin counts phantom edges, the same ones for the
// same seed.
func TestCounterFloatingCountsNoise(t *testing.T) {
	r := newRig(t, "metro_m4", 5)
	c, _ := r.b.Counter("D3", hw.CounterConfig{})
	r.l.RunFor(time.Second)
	n1 := c.Count()
	r2 := newRig(t, "metro_m4", 5)
	c2, _ := r2.b.Counter("D3", hw.CounterConfig{})
	r2.l.RunFor(time.Second)
	if n1 == 0 || n1 != c2.Count() {
		t.Errorf("floating counter counts %d then %d, want the same nonzero count", n1, c2.Count())
	}
}

func TestKeys(t *testing.T) {
	r := newRig(t, "metro_m4", 1)
	slower := NewButton(ButtonConfig{Name: "slower", Bounce: DefaultBounce})
	faster := NewButton(ButtonConfig{Name: "faster", Bounce: DefaultBounce})
	r.b.Attach("D3", slower)
	r.b.Attach("D4", faster)
	slower.ClickAt(ms(1005), ms(200))
	faster.PressAt(ms(2000))
	var got []hw.KeyEvent
	err := r.run(func(t *coop.Task) error {
		k, err := hw.OpenKeys(r.b, hw.KeysConfig{Pins: []string{"D3", "D4"}, Pull: true})
		if err != nil {
			return err
		}
		defer k.Close()
		for range 3 {
			e, err := k.Events().Wait(t)
			if err != nil {
				return err
			}
			got = append(got, e)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Scans every 20 ms from 0: the first scan after the bounce settles
	// reports the change (a scan mid-bounce may see it early).
	want := []hw.KeyEvent{
		{Key: 0, Pressed: true, At: ms(1020)},
		{Key: 0, Pressed: false, At: ms(1220)},
		{Key: 1, Pressed: true, At: ms(2000)},
	}
	if !slices.Equal(got, want) {
		t.Errorf("events = %v, want %v", got, want)
	}
}

func TestKeysDebounceAndOverflow(t *testing.T) {
	r := newRig(t, "metro_m4", 0)
	btn := NewButton(ButtonConfig{Name: "b", To: High})
	r.b.Attach("D5", btn)
	// A 30 ms glitch: seen by 1-scan debounce, not by 3 scans.
	btn.ClickAt(ms(105), ms(30))
	for i := range 10 {
		btn.ClickAt(time.Second+time.Duration(i)*ms(200), ms(100))
	}
	k1, _ := r.b.Keys(hw.KeysConfig{Pins: []string{"D5"}, ValueWhenPressed: true, Pull: true, MaxEvents: 4})
	r2 := newRig(t, "metro_m4", 0)
	btn2 := NewButton(ButtonConfig{Name: "b", To: High})
	r2.b.Attach("D5", btn2)
	btn2.ClickAt(ms(105), ms(30))
	btn2.ClickAt(time.Second, ms(100))
	k3, _ := r2.b.Keys(hw.KeysConfig{Pins: []string{"D5"}, ValueWhenPressed: true, Pull: true, DebounceScans: 3})
	r.l.RunFor(4 * time.Second)
	r2.l.RunFor(4 * time.Second)

	q := k1.Events()
	if !q.Overflowed() || q.Len() != 4 {
		t.Errorf("1-scan keys: Overflowed() = %v, Len() = %d; want true, 4", q.Overflowed(), q.Len())
	}
	var got []hw.KeyEvent
	for e, ok := q.Get(); ok; e, ok = q.Get() {
		got = append(got, e)
	}
	want := []hw.KeyEvent{{Key: 0, Pressed: true, At: ms(120)}, {Key: 0, Pressed: false, At: ms(140)}, {Key: 0, Pressed: true, At: ms(1000)}, {Key: 0, Pressed: false, At: ms(1100)}}
	if !slices.Equal(got, want) {
		t.Errorf("1-scan events = %v, want %v", got, want)
	}
	got = got[:0]
	for e, ok := k3.Events().Get(); ok; e, ok = k3.Events().Get() {
		got = append(got, e)
	}
	want = []hw.KeyEvent{{Key: 0, Pressed: true, At: ms(1040)}, {Key: 0, Pressed: false, At: ms(1140)}}
	if !slices.Equal(got, want) {
		t.Errorf("3-scan events = %v, want %v", got, want)
	}
}
