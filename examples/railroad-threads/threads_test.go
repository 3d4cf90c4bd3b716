package railroadthreads_test

import (
	"errors"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples/internal/exampletest"
	railroadthreads "github.com/coopgo/coop/examples/railroad-threads"
	"github.com/coopgo/coop/rt"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/trace"
)

// On the real clock the threads toggle the LEDs until the program is
// stopped; then they are stopped and waited for, and no toggle lands
// after. Their timings differ from run to run, so only that is checked.
func TestApp(t *testing.T) {
	l := coop.NewLoop()
	defer l.Close()
	b, err := sim.NewBoard(l, "pyboard", sim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	rec := &trace.Recorder{}
	b.Observe(rec)
	changes := func(pin string) int {
		n := 0
		for _, e := range rec.Events() {
			if e.Kind == trace.KindPin && e.Source == pin {
				n++
			}
		}
		return n
	}
	main := l.Spawn("main", func(t *coop.Task) error { return railroadthreads.App(t, b) })
	if err := l.RunFor(700 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if main.Done() {
		t.Fatalf("App returned %v before it was stopped", main.Err())
	}
	l.CallSoon(func() { main.Cancel() })
	if err := l.RunUntilComplete(main); !errors.Is(err, coop.ErrCancelled) {
		t.Errorf("App stopped returned %v, want ErrCancelled (and no thread error)", err)
	}
	blue, yellow := changes("LED(4)"), changes("LED(3)")
	// Blue: taken, on, then toggles at about 0, 150, 300, 450, 600 ms.
	if blue < 5 || yellow < 4 {
		t.Errorf("in 700ms blue changed %d times and yellow %d, want about 7 and 6", blue, yellow)
	}
	if err := l.RunFor(300 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if b2, y2 := changes("LED(4)"), changes("LED(3)"); b2 != blue || y2 != yellow {
		t.Errorf("the LEDs changed after the program stopped: blue %d → %d, yellow %d → %d", blue, b2, yellow, y2)
	}
}

// Threads run in real time: on a virtual clock the program says so at
// once.
func TestApp_virtual(t *testing.T) {
	r := exampletest.New(t, "railroad-threads", sim.Config{})
	if err := r.Run(railroadthreads.App, time.Second); !errors.Is(err, rt.ErrRealClock) {
		t.Errorf("Run(App) on the virtual clock = %v, want rt.ErrRealClock", err)
	}
	if got := r.Timed(); len(got) != 0 {
		t.Errorf("console %q, want nothing", got)
	}
}
