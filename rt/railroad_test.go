package rt_test

import (
	"errors"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/rt"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/trace"
)

// pyboardRig makes a simulated pyboard, seed 1, on a loop on the virtual
// clock (or the real one). If rec is not nil, the board's pins are
// recorded into a new recorder put in *rec.
func pyboardRig(virtual bool, rec **trace.Recorder) func() (*coop.Loop, hw.Board, error) {
	return func() (*coop.Loop, hw.Board, error) {
		var opts []coop.Option
		if virtual {
			opts = append(opts, coop.WithVirtualClock())
		}
		l := coop.NewLoop(opts...)
		b, err := sim.NewBoard(l, "pyboard", sim.Config{Seed: 1})
		if err != nil {
			return nil, nil, err
		}
		if rec != nil {
			*rec = &trace.Recorder{}
			b.Observe(*rec)
		}
		return l, b, nil
	}
}

func TestRailroad(t *testing.T) {
	type want struct {
		toggles              int
		phaseP50, phaseMax   time.Duration
		skewMax, jitterMax   time.Duration
		latencyMax           time.Duration
		busy                 time.Duration
		firstBlue, lastBlue  time.Duration
		firstYellow, lastYel time.Duration
	}
	tests := []struct {
		tech rt.Technique
		work time.Duration
		want want
	}{
		// The book's railroad: every technique on the 150 ms grid.
		{rt.TechRoundRobin, 0, want{toggles: 40, firstBlue: 0, lastBlue: 2850 * ms, lastYel: 2850 * ms}},
		{rt.TechTimers, 0, want{toggles: 38, firstBlue: 150 * ms, lastBlue: 2850 * ms, firstYellow: 150 * ms, lastYel: 2850 * ms}},
		{rt.TechEvent, 0, want{toggles: 38, firstBlue: 150 * ms, lastBlue: 2850 * ms, firstYellow: 150 * ms, lastYel: 2850 * ms}},
		{rt.TechAsync, 0, want{toggles: 40, firstBlue: 0, lastBlue: 2850 * ms, lastYel: 2850 * ms}},
		{rt.TechPeriodic, 0, want{toggles: 38, firstBlue: 150 * ms, lastBlue: 2850 * ms, firstYellow: 150 * ms, lastYel: 2850 * ms}},

		// 5 ms of work per toggle. The super-loop's pass grows to 160 ms
		// and drifts; the sleeping tasks drift by 5 ms a period; timers,
		// event and periodic tasks keep the grid, but yellow waits for
		// blue's work (for timers: blue's interrupt holds yellow's).
		{rt.TechRoundRobin, 5 * ms, want{toggles: 38, phaseP50: 90 * ms, phaseMax: 185 * ms, skewMax: 5 * ms, jitterMax: 10 * ms,
			busy: 190 * ms, lastBlue: 2880 * ms, firstYellow: 5 * ms, lastYel: 2885 * ms}},
		{rt.TechTimers, 5 * ms, want{toggles: 38, phaseMax: 5 * ms, skewMax: 5 * ms, latencyMax: 5 * ms, busy: 190 * ms,
			firstBlue: 150 * ms, lastBlue: 2850 * ms, firstYellow: 155 * ms, lastYel: 2855 * ms}},
		{rt.TechEvent, 5 * ms, want{toggles: 38, phaseMax: 5 * ms, skewMax: 5 * ms, latencyMax: 5 * ms, busy: 190 * ms,
			firstBlue: 150 * ms, lastBlue: 2850 * ms, firstYellow: 155 * ms, lastYel: 2855 * ms}},
		{rt.TechAsync, 5 * ms, want{toggles: 40, phaseP50: 50 * ms, phaseMax: 100 * ms, skewMax: 5 * ms, jitterMax: 5 * ms,
			busy: 200 * ms, lastBlue: 2945 * ms, firstYellow: 5 * ms, lastYel: 2950 * ms}},
		{rt.TechPeriodic, 5 * ms, want{toggles: 38, phaseMax: 5 * ms, skewMax: 5 * ms, busy: 190 * ms,
			firstBlue: 150 * ms, lastBlue: 2850 * ms, firstYellow: 155 * ms, lastYel: 2855 * ms}},
	}
	for _, tt := range tests {
		t.Run(tt.tech.String()+"/work "+tt.work.String(), func(t *testing.T) {
			var rec *trace.Recorder
			rep, err := rt.RunRailroad(tt.tech, rt.RailroadConfig{Rig: pyboardRig(true, &rec), Work: tt.work})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Runs) != 2 || !rep.Deterministic || rep.Runs[0].Hash != rep.Runs[1].Hash {
				t.Errorf("runs %d, Deterministic %v, want 2 identical runs", len(rep.Runs), rep.Deterministic)
			}
			run := rep.Runs[0]
			w := tt.want
			got := want{
				toggles: len(run.Toggles), phaseP50: run.Phase.P50, phaseMax: run.Phase.Max,
				skewMax: run.Skew.Max, jitterMax: run.Jitter.Max, latencyMax: run.Latency.Max, busy: run.Busy,
			}
			var blue, yellow []time.Duration
			for _, tg := range run.Toggles {
				if tg.LED == "blue" {
					blue = append(blue, tg.At)
				} else {
					yellow = append(yellow, tg.At)
				}
			}
			got.firstBlue, got.lastBlue = blue[0], blue[len(blue)-1]
			got.firstYellow, got.lastYel = yellow[0], yellow[len(yellow)-1]
			if got != w {
				t.Errorf("got  %+v\nwant %+v", got, w)
			}
			if want := float64(w.busy) / float64(3*time.Second); run.CPU != want {
				t.Errorf("CPU = %v, want %v", run.CPU, want)
			}
			// The board saw what the railroad recorded: blue is LED(4).
			var levels []time.Duration
			for _, e := range rec.Events() {
				if e.Kind == trace.KindPin && e.Source == "LED(4)" && e.At < 3*time.Second {
					levels = append(levels, e.At)
				}
			}
			if len(levels) < 2 || !slices.Equal(levels[2:], blue) {
				t.Errorf("LED(4) changed at %v, want the initial levels then %v", levels, blue)
			}
		})
	}
}

func TestRailroadOnBoardWithoutHardwareTimers(t *testing.T) {
	rig := func() (*coop.Loop, hw.Board, error) {
		l := coop.NewLoop(coop.WithVirtualClock())
		b, err := sim.NewBoard(l, "pico2w", sim.Config{})
		return l, b, err
	}
	for _, tech := range []rt.Technique{rt.TechTimers, rt.TechEvent} {
		rep, err := rt.RunRailroad(tech, rt.RailroadConfig{Rig: rig, Blue: "LED", Yellow: "GP15", Runs: 1})
		if err != nil {
			t.Fatalf("%v: %v", tech, err)
		}
		if run := rep.Runs[0]; len(run.Toggles) != 38 || run.Phase.Max != 0 {
			t.Errorf("%v: %d toggles, phase max %v; want 38 on the grid", tech, len(run.Toggles), run.Phase.Max)
		}
	}
}

func TestRailroadErrors(t *testing.T) {
	if _, err := rt.RunRailroad(rt.TechAsync, rt.RailroadConfig{}); err == nil {
		t.Errorf("RunRailroad without a Rig: no error")
	}
	if _, err := rt.RunRailroad(rt.TechThreads, rt.RailroadConfig{Rig: pyboardRig(true, nil)}); !errors.Is(err, rt.ErrRealClock) {
		t.Errorf("threads on the virtual clock: %v, want ErrRealClock", err)
	}
	if _, err := rt.RunRailroad(rt.TechAsync, rt.RailroadConfig{Rig: pyboardRig(true, nil), Blue: "LED(9)"}); !errors.Is(err, hw.ErrNoPin) {
		t.Errorf("unknown LED: %v, want ErrNoPin", err)
	}
	if _, err := rt.RunRailroad(rt.TechTimers, rt.RailroadConfig{Rig: pyboardRig(true, nil), Timers: [2]int{1, 15}}); !errors.Is(err, hw.ErrNoDevice) {
		t.Errorf("timer 15: %v, want ErrNoDevice", err)
	}
	if _, err := rt.RunRailroad(rt.Technique(99), rt.RailroadConfig{Rig: pyboardRig(true, nil)}); err == nil {
		t.Errorf("unknown technique: no error")
	}
}

// TestRailroadThreads only checks that the threads run and stop cleanly:
// their timing is the Go runtime's, different on every run.
func TestRailroadThreads(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 1.2 s of real time")
	}
	before := runtime.NumGoroutine()
	rep, err := rt.RunRailroad(rt.TechThreads, rt.RailroadConfig{Rig: pyboardRig(false, nil), Duration: 600 * ms})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Runs) != 2 || len(rep.Runs[0].Toggles) == 0 || len(rep.Runs[1].Toggles) == 0 {
		t.Errorf("runs %+v, want 2 runs that toggled the LEDs", rep.Runs)
	}
	if rt.TechThreads.Deterministic() {
		t.Errorf("TechThreads.Deterministic() = true")
	}
	if !settled(before) {
		t.Errorf("%d goroutines left, want %d", runtime.NumGoroutine(), before)
	}
	t.Logf("\n%v", rep)
}

func TestTechniques(t *testing.T) {
	for _, tech := range rt.Techniques() {
		got, err := rt.ParseTechnique(tech.String())
		if err != nil || got != tech {
			t.Errorf("ParseTechnique(%q) = %v, %v", tech.String(), got, err)
		}
		if tech.Deterministic() != (tech != rt.TechThreads) {
			t.Errorf("%v.Deterministic() = %v", tech, tech.Deterministic())
		}
	}
	if _, err := rt.ParseTechnique("rtos"); err == nil {
		t.Errorf(`ParseTechnique("rtos"): no error`)
	}
	if got := rt.Technique(0).String(); got != "Technique(0)" {
		t.Errorf("Technique(0).String() = %q", got)
	}
}
