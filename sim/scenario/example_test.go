package scenario_test

import (
	"fmt"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/sim/scenario"
	"github.com/coopgo/coop/sim/wiring"
)

// A scenario presses the button of a Wokwi diagram at 3 s and checks that
// the program lights the LED and says so; testdata/button.yaml is the file
// of the package documentation.
func ExampleScenario_Start() {
	d, err := wiring.Load("testdata/diagram.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := scenario.Load("testdata/button.yaml")
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
	b.Observe(sim.ObserverFuncs{OnConsole: func(at time.Duration, line string) { fmt.Println(at, line) }})
	r, err := s.Start(b, d) // before the program: the scenario sees it all
	if err != nil {
		fmt.Println(err)
		return
	}
	l.Spawn("main", func(t *coop.Task) error { return buttonApp(t, b) })
	l.Spawn("scenario", func(t *coop.Task) error {
		err := r.Wait(t)
		fmt.Printf("%v %q: %d steps passed, err %v\n", t.Now(), s.Name, r.StepsDone(), err)
		l.Stop()
		return err
	})
	l.RunForever()
	// Output:
	// 0s Ready
	// 3s LED ON
	// 4s LED OFF
	// 4s "Button lights the LED": 8 steps passed, err <nil>
}
