package prim_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/prim"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/sim/simtest"
)

// phase is one output of a simulated quadrature encoder: a contact to GND
// on one pin, read with a pull-up. It implements sim.Part.
type phase struct {
	name string
	w    *sim.Wire
}

func (p *phase) Name() string { return p.name }

func (p *phase) Connect(w *sim.Wire) error { p.w = w; return nil }

func (p *phase) set(high bool) {
	if high {
		p.w.Drive(sim.Z) // contact open: the pull-up wins
	} else {
		p.w.Drive(sim.Low)
	}
}

// quadrature is a mechanical rotary encoder: two phases whose levels
// (A, B) go 11 → 01 → 00 → 10 → 11 turning forward (A leading), one phase
// changing per transition. A detent is four transitions; at rest both
// contacts are open (11).
type quadrature struct {
	a, b phase
	pos  int
}

var gray = [4][2]bool{{true, true}, {false, true}, {false, false}, {true, false}}

func newQuadrature(t *testing.T, b *sim.Board, pinA, pinB string) *quadrature {
	q := &quadrature{a: phase{name: "encA"}, b: phase{name: "encB"}}
	if err := b.Attach(pinA, &q.a); err != nil {
		t.Fatal(err)
	}
	if err := b.Attach(pinB, &q.b); err != nil {
		t.Fatal(err)
	}
	return q
}

// step makes one transition forward (dir > 0) or backward.
func (q *quadrature) step(dir int) {
	if dir > 0 {
		q.pos++
	} else {
		q.pos--
	}
	l := gray[q.pos&3]
	q.a.set(l[0])
	q.b.set(l[1])
}

// turn schedules transitions every 10 ms from board time at: +1 forward,
// -1 backward.
func (q *quadrature) turn(b *sim.Board, at time.Duration, dirs ...int) {
	for i, d := range dirs {
		b.At(at+time.Duration(i)*10*ms, func() { q.step(d) })
	}
}

func repeat(dir, n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = dir
	}
	return s
}

func TestEncoder(t *testing.T) {
	tests := []struct {
		name    string
		cfg     prim.EncoderConfig
		dirs    []int
		changes []string // "value delta at"
		value   int
	}{
		{
			name: "forward then back",
			dirs: append(repeat(+1, 4), repeat(-1, 2)...),
			changes: []string{
				"1 +1 at 1s", "2 +1 at 1.01s", "3 +1 at 1.02s", "4 +1 at 1.03s",
				"3 -1 at 1.04s", "2 -1 at 1.05s",
			},
			value: 2,
		},
		{
			// 8 forward, 3 back: count 5. With 4 transitions per detent
			// the value moves halfway between detents: at counts 2, 6 and
			// (back) 5.
			name:    "divisor",
			cfg:     prim.EncoderConfig{Divisor: 4},
			dirs:    append(repeat(+1, 8), repeat(-1, 3)...),
			changes: []string{"1 +1 at 1.01s", "2 +1 at 1.05s", "1 -1 at 1.1s"},
			value:   1,
		},
		{
			name:    "backward through zero",
			cfg:     prim.EncoderConfig{Divisor: 4},
			dirs:    repeat(-1, 8),
			changes: []string{"-1 -1 at 1.01s", "-2 -1 at 1.05s"},
			value:   -2,
		},
		{
			// Turning past the maximum does not wind up: the first step
			// back leaves it.
			name:    "limits",
			cfg:     prim.EncoderConfig{Min: -1, Max: 2},
			dirs:    append(repeat(+1, 6), repeat(-1, 5)...),
			changes: []string{"1 +1 at 1s", "2 +1 at 1.01s", "1 -1 at 1.06s", "0 -1 at 1.07s", "-1 -1 at 1.08s"},
			value:   -1,
		},
		{
			// A contact that bounces (back and forth) nets nothing.
			name:    "jitter",
			cfg:     prim.EncoderConfig{Divisor: 4},
			dirs:    []int{+1, -1, +1, -1, +1, +1, +1, +1},
			changes: []string{"1 +1 at 1.05s"},
			value:   1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := simtest.New(t, "pico2w", sim.Config{})
			q := newQuadrature(t, r.Board, "GP2", "GP3")
			q.turn(r.Board, time.Second, tt.dirs...)
			var changes []string
			var seen []int // by a task in Next
			cfg := tt.cfg
			cfg.OnChange = func(v, d int) {
				changes = append(changes, fmt.Sprintf("%d %+d at %v", v, d, r.Loop.Now()))
			}
			var enc *prim.Encoder
			err := r.Run(func(t *coop.Task, b hw.Board) error {
				a, err := b.Input("GP2", hw.PullUp)
				if err != nil {
					return err
				}
				bb, err := b.Input("GP3", hw.PullUp)
				if err != nil {
					return err
				}
				if enc, err = prim.NewEncoder(t.Loop(), a, bb, cfg); err != nil {
					return err
				}
				for {
					v, err := enc.Next(t)
					if err != nil {
						return err
					}
					seen = append(seen, v)
				}
			}, 3*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(changes, tt.changes) {
				t.Errorf("OnChange calls = %q, want %q", changes, tt.changes)
			}
			if enc.Value() != tt.value {
				t.Errorf("Value() = %d, want %d", enc.Value(), tt.value)
			}
			count := 0
			for _, d := range tt.dirs {
				count += d
			}
			if enc.Count() != int64(count) {
				t.Errorf("Count() = %d, want %d", enc.Count(), count)
			}
			// Transitions 10 ms apart: the task sees every change.
			var want []int
			for _, c := range tt.changes {
				var v, d int
				fmt.Sscanf(c, "%d %d", &v, &d)
				want = append(want, v)
			}
			if !slices.Equal(seen, want) {
				t.Errorf("Next returned %v, want %v", seen, want)
			}
			if enc.Skipped() != 0 {
				t.Errorf("Skipped() = %d, want 0", enc.Skipped())
			}
		})
	}
}

// Changes faster than the task reads are not queued: Next gives the
// latest value. Set moves the value without a callback; Stop ends Next.
func TestEncoderNextSetStop(t *testing.T) {
	r := simtest.New(t, "pico2w", sim.Config{})
	q := newQuadrature(t, r.Board, "GP2", "GP3")
	q.turn(r.Board, 100*ms, repeat(+1, 5)...)
	a, _ := r.Board.Input("GP2", hw.PullUp)
	b, _ := r.Board.Input("GP3", hw.PullUp)
	calls := 0
	enc, err := prim.NewEncoder(r.Loop, a, b, prim.EncoderConfig{OnChange: func(int, int) { calls++ }})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	err = r.Run(func(t *coop.Task, _ hw.Board) error {
		t.Sleep(time.Second)
		v, err := enc.Next(t)
		got = append(got, fmt.Sprint(v, err, t.Now()))
		enc.Set(10)
		q.turn(r.Board, 1100*ms, +1, +1)
		v, err = enc.Next(t)
		got = append(got, fmt.Sprint(v, err, t.Now()))
		v, err = enc.Next(t)
		got = append(got, fmt.Sprint(v, err, t.Now()))
		t.Loop().CallAt(2*time.Second, func() { enc.Stop() })
		v, err = enc.Next(t)
		got = append(got, fmt.Sprint(v, errors.Is(err, prim.ErrStopped), t.Now()))
		return nil
	}, 3*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"5 <nil> 1s", "11 <nil> 1.1s", "12 <nil> 1.11s", "12 true 2s"}
	if !slices.Equal(got, want) {
		t.Errorf("Next returned %q, want %q", got, want)
	}
	if calls != 7 {
		t.Errorf("OnChange called %d times, want 7 (Set calls none)", calls)
	}
	if enc.Stop() {
		t.Error("second Stop() = true")
	}
	q.turn(r.Board, r.Loop.Now(), +1)
	r.Loop.RunFor(100 * ms)
	if enc.Count() != 7 || enc.Value() != 12 {
		t.Errorf("after Stop: Count() = %d, Value() = %d, want 7 and 12 unchanged", enc.Count(), enc.Value())
	}
}

// Edges handled late, after the task step that caused them (as
// interrupts are on a board: handlers run once the step yields), still
// count one transition each, in the order they came, though both phases
// have changed by the time the handlers run.
func TestEncoderEdgesHandledLate(t *testing.T) {
	tests := []struct {
		name  string
		steps []int // made in one task step
		count int64
		value int
	}{
		{"two forward", []int{+1, +1}, 2, 2},
		{"a whole cycle forward", repeat(+1, 4), 4, 4},
		{"three backward", repeat(-1, 3), -3, -3},
		{"back and forth", []int{+1, +1, -1}, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := simtest.New(t, "pico2w", sim.Config{})
			q := newQuadrature(t, r.Board, "GP2", "GP3")
			a, _ := r.Board.Input("GP2", hw.PullUp)
			b, _ := r.Board.Input("GP3", hw.PullUp)
			var changes []string
			enc, err := prim.NewEncoder(r.Loop, a, b, prim.EncoderConfig{OnChange: func(v, d int) {
				changes = append(changes, fmt.Sprintf("%d %+d at %v", v, d, r.Loop.Now()))
			}})
			if err != nil {
				t.Fatal(err)
			}
			err = r.Run(func(t *coop.Task, _ hw.Board) error {
				if err := t.Sleep(100 * ms); err != nil {
					return err
				}
				for _, d := range tt.steps {
					q.step(d)
				}
				return t.Sleep(10 * ms)
			}, time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if enc.Count() != tt.count || enc.Value() != tt.value || enc.Skipped() != 0 {
				t.Errorf("Count() = %d, Value() = %d, Skipped() = %d; want %d, %d, 0",
					enc.Count(), enc.Value(), enc.Skipped(), tt.count, tt.value)
			}
			// The handlers all run before the loop refreshes the value:
			// one change, with the whole delta.
			if want := []string{fmt.Sprintf("%d %+d at 100ms", tt.value, tt.value)}; !slices.Equal(changes, want) {
				t.Errorf("OnChange calls = %q, want %q", changes, want)
			}
		})
	}
}

// edgePin is an input pin whose edges a test gives by hand, as a board
// reports them: the level is whatever the test says, the edge too.
type edgePin struct {
	level   bool
	handler func(hw.Edge)
}

func (p *edgePin) Get() bool { return p.level }
func (p *edgePin) SetInterrupt(_ hw.Edge, h func(hw.Edge)) error {
	p.handler = h
	return nil
}
func (p *edgePin) WaitEdge(*coop.Task, hw.Edge) error { return errors.New("edgePin: no WaitEdge") }

// An edge that leaves its phase at the level it had (a pulse shorter than
// the interrupt latency, reported twice at the level read) counts nothing
// and is counted in Skipped; the edges after it count again.
func TestEncoderSkipped(t *testing.T) {
	l := coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	a, b := &edgePin{level: true}, &edgePin{level: true}
	enc, err := prim.NewEncoder(l, a, b, prim.EncoderConfig{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []struct {
		p    *edgePin
		edge hw.Edge
	}{
		{a, hw.EdgeFalling}, // 11 → 01: +1
		{a, hw.EdgeFalling}, // again: skipped
		{b, hw.EdgeFalling}, // 01 → 00: +1
		{b, hw.EdgeRising},  // 00 → 01: -1
		{b, hw.EdgeRising},  // again: skipped
	} {
		e.p.handler(e.edge)
	}
	l.RunFor(ms)
	if enc.Skipped() != 2 || enc.Count() != 1 || enc.Value() != 1 {
		t.Errorf("Skipped() = %d, Count() = %d, Value() = %d, want 2, 1, 1", enc.Skipped(), enc.Count(), enc.Value())
	}
}
