package rt

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// Technique is a way to schedule the railroad lights, one per section of
// the book's chapter.
type Technique uint8

// The techniques.
const (
	// TechRoundRobin is a super-loop: toggle blue, toggle yellow, delay
	// 150 ms ([SuperLoop]).
	TechRoundRobin Technique = iota + 1
	// TechTimers toggles each LED in the callback of its own hardware
	// timer, in interrupt context ([Foreground.Every]).
	TechTimers
	// TechEvent has each timer's interrupt only trigger a task that
	// toggles the LED ([EventTask]).
	TechEvent
	// TechThreads toggles each LED from its own preemptive thread
	// ([Threads]); it needs a loop on the real clock.
	TechThreads
	// TechAsync is the book's asyncio version: two tasks that toggle,
	// then await sleep_ms(150).
	TechAsync
	// TechPeriodic is cooperative scheduling on a system tick: two
	// [Periodic] tasks on a drift-free grid.
	TechPeriodic
)

var techNames = [...]string{"", "roundrobin", "timers", "event", "threads", "async", "periodic"}

// String returns the technique's name: "roundrobin", "timers", "event",
// "threads", "async" or "periodic".
func (tech Technique) String() string {
	if int(tech) < len(techNames) && tech > 0 {
		return techNames[tech]
	}
	return fmt.Sprintf("Technique(%d)", tech)
}

// Deterministic reports whether the technique gives the same timings on
// every run with the same inputs: every one but TechThreads, whose threads
// the Go runtime schedules as it sees fit.
func (tech Technique) Deterministic() bool { return tech != TechThreads }

// Techniques returns every technique, in the order of the constants.
func Techniques() []Technique {
	return []Technique{TechRoundRobin, TechTimers, TechEvent, TechThreads, TechAsync, TechPeriodic}
}

// ParseTechnique returns the technique called name, as String names it.
func ParseTechnique(name string) (Technique, error) {
	for _, tech := range Techniques() {
		if tech.String() == name {
			return tech, nil
		}
	}
	return 0, fmt.Errorf("rt: unknown technique %q (techniques: %s)", name, strings.Join(techNames[1:], ", "))
}

// RailroadConfig configures the railroad lights. The zero value, with a
// Rig, is the book's: on a pyboard the blue and yellow LEDs alternate
// every 150 ms, for 3 s, twice.
type RailroadConfig struct {
	// Rig makes a fresh loop and board for each run of RunRailroad: the
	// same each time (the same seed) for the determinism check. The
	// loop must be on the real clock for TechThreads. RunRailroad closes
	// the loop after the run. Railroad does not use it.
	Rig func() (*coop.Loop, hw.Board, error)
	// Runs is how many times RunRailroad runs the technique; zero means 2.
	Runs int
	// Blue and Yellow are the LEDs' pins; zero means "LED(4)" and
	// "LED(3)", the pyboard's blue and yellow LEDs.
	Blue, Yellow string
	// Period is the time between toggles; zero means 150 ms.
	Period time.Duration
	// Duration is how long each run lasts; zero means 3 s.
	Duration time.Duration
	// Work is the processor time each toggle's task takes besides the
	// toggle, to show what each technique does with busy tasks; zero
	// means none.
	Work time.Duration
	// Timers are the ids of the timers TechTimers and TechEvent use; zero
	// means the book's timers 1 and 2, or virtual timers (-1) on a board
	// without them.
	Timers [2]int
}

func (c RailroadConfig) withDefaults() RailroadConfig {
	if c.Runs <= 0 {
		c.Runs = 2
	}
	if c.Blue == "" {
		c.Blue = "LED(4)"
	}
	if c.Yellow == "" {
		c.Yellow = "LED(3)"
	}
	if c.Period <= 0 {
		c.Period = 150 * time.Millisecond
	}
	if c.Duration <= 0 {
		c.Duration = 3 * time.Second
	}
	return c
}

// Railroad runs the railroad lights with tech on board b, from inside task
// t, for cfg.Duration, and returns what it measured. The board must have
// cfg.Blue and cfg.Yellow; TechTimers and TechEvent also need timers,
// TechThreads a loop on the real clock.
func Railroad(t *coop.Task, b hw.Board, tech Technique, cfg RailroadConfig) (Run, error) {
	cfg = cfg.withDefaults()
	rec := &pinRecorder{loop: t.Loop(), t0: t.Now()}
	blue, err := rec.output(b, cfg.Blue, "blue")
	if err != nil {
		return Run{}, err
	}
	yellow, err := rec.output(b, cfg.Yellow, "yellow")
	if err != nil {
		return Run{}, err
	}
	// The blue LED starts on, the yellow one off.
	blue.Set(true)
	yellow.Set(false)
	rec.started = true

	var tr tracks
	switch tech {
	case TechRoundRobin:
		err = roundRobin(t, &tr, cfg, blue, yellow)
	case TechTimers:
		err = timerDriven(t, b, &tr, cfg, blue, yellow)
	case TechEvent:
		err = eventDriven(t, b, &tr, cfg, blue, yellow)
	case TechThreads:
		err = threaded(t, &tr, cfg, blue, yellow)
	case TechAsync:
		err = async(t, &tr, cfg, blue, yellow)
	case TechPeriodic:
		err = periodic(t, &tr, cfg, blue, yellow)
	default:
		err = fmt.Errorf("rt: unknown technique %v", tech)
	}
	if err != nil {
		return Run{}, err
	}
	err = t.Sleep(cfg.Duration)
	err = errors.Join(err, t.Shield(tr.stop))
	run := rec.analyse(cfg)
	if tr.latency != nil {
		run.Latency = tr.latency()
	}
	run.Busy = tr.busy()
	run.CPU = float64(run.Busy) / float64(cfg.Duration)
	return run, err
}

// tracks is how Railroad stops a technique and reads its costs.
type tracks struct {
	stop    func() error
	busy    func() time.Duration
	latency func() Dist
}

// stopTasks returns a stop function that cancels tasks and waits for them.
func stopTasks(self *coop.Task, tasks ...*coop.Task) func() error {
	return func() error {
		for _, x := range tasks {
			x.Cancel()
		}
		err := coop.Gather(self, tasks...)
		if errors.Is(err, coop.ErrCancelled) {
			return nil // their cancellation, as asked
		}
		return err
	}
}

// tasksBusy returns the processor time of tasks.
func tasksBusy(tasks ...*coop.Task) func() time.Duration {
	return func() time.Duration {
		var d time.Duration
		for _, x := range tasks {
			d += x.Info().Busy
		}
		return d
	}
}

// toggler returns a task step: toggle led, then work.
func toggler(led hw.Output, work time.Duration) func(t *coop.Task) error {
	return func(t *coop.Task) error {
		led.Toggle()
		t.Busy(work)
		return nil
	}
}

func roundRobin(t *coop.Task, tr *tracks, cfg RailroadConfig, blue, yellow hw.Output) error {
	sl := &SuperLoop{
		Funcs: []func(t *coop.Task) error{toggler(blue, cfg.Work), toggler(yellow, cfg.Work)},
		Delay: cfg.Period,
	}
	x := t.Spawn("superloop", sl.Run)
	tr.stop, tr.busy = stopTasks(t, x), tasksBusy(x)
	return nil
}

func async(t *coop.Task, tr *tracks, cfg RailroadConfig, blue, yellow hw.Output) error {
	blink := func(led hw.Output) func(t *coop.Task) error {
		return func(t *coop.Task) error {
			for {
				led.Toggle()
				t.Busy(cfg.Work)
				if err := t.Sleep(cfg.Period); err != nil {
					return err
				}
			}
		}
	}
	t1 := t.Spawn("task1", blink(blue))
	t2 := t.Spawn("task2", blink(yellow))
	tr.stop, tr.busy = stopTasks(t, t1, t2), tasksBusy(t1, t2)
	return nil
}

func periodic(t *coop.Task, tr *tracks, cfg RailroadConfig, blue, yellow hw.Output) error {
	c := Contract{Period: cfg.Period}
	p1 := Periodic(t, "task1", c, toggler(blue, cfg.Work))
	p2 := Periodic(t, "task2", c, toggler(yellow, cfg.Work))
	tr.stop, tr.busy = stopTasks(t, p1.Task(), p2.Task()), tasksBusy(p1.Task(), p2.Task())
	return nil
}

// openTimers opens the railroad's two timers.
func openTimers(b hw.Board, ids [2]int) ([2]hw.Timer, error) {
	var tms [2]hw.Timer
	if ids == [2]int{} {
		ids = [2]int{1, 2}
		if _, err := hw.OpenTimer(b, 1); errors.Is(err, hw.ErrNoDevice) {
			ids = [2]int{-1, -1}
		}
	}
	for i, id := range ids {
		tm, err := hw.OpenTimer(b, id)
		if err != nil {
			return tms, err
		}
		tms[i] = tm
	}
	return tms, nil
}

func timerDriven(t *coop.Task, b hw.Board, tr *tracks, cfg RailroadConfig, blue, yellow hw.Output) error {
	tms, err := openTimers(b, cfg.Timers)
	if err != nil {
		return err
	}
	fg := NewForeground(t.Loop(), ForegroundConfig{})
	isr := func(led hw.Output) func(c *ISR) error {
		return func(c *ISR) error {
			led.Toggle()
			c.Work(cfg.Work)
			return nil
		}
	}
	tc := hw.TimerConfig{Period: cfg.Period}
	if _, err := fg.Every("task1", tms[0], tc, isr(blue)); err != nil {
		return err
	}
	if _, err := fg.Every("task2", tms[1], tc, isr(yellow)); err != nil {
		fg.Stop()
		return err
	}
	tr.stop = func() error {
		fg.Stop()
		if ft, ok := fg.Fault(); ok {
			return ft
		}
		return nil
	}
	tr.busy = func() (d time.Duration) {
		for _, ts := range fg.Stats().Timers {
			d += ts.Work.Sum
		}
		return d
	}
	tr.latency = func() Dist {
		var s sampler
		for _, tt := range fg.timers {
			s.merge(&tt.latency)
		}
		return s.dist()
	}
	return nil
}

func eventDriven(t *coop.Task, b hw.Board, tr *tracks, cfg RailroadConfig, blue, yellow hw.Output) error {
	tms, err := openTimers(b, cfg.Timers)
	if err != nil {
		return err
	}
	e1 := NewEventTask(t, "task1", toggler(blue, cfg.Work))
	e2 := NewEventTask(t, "task2", toggler(yellow, cfg.Work))
	tc := hw.TimerConfig{Period: cfg.Period}
	stop := stopTasks(t, e1.Task(), e2.Task())
	tr.stop = func() error {
		tms[0].Stop()
		tms[1].Stop()
		return stop()
	}
	tr.busy = tasksBusy(e1.Task(), e2.Task())
	tr.latency = func() Dist {
		var s sampler
		s.merge(&e1.latency)
		s.merge(&e2.latency)
		return s.dist()
	}
	if err := tms[0].Start(tc, e1.Trigger); err != nil {
		tr.stop()
		return err
	}
	if err := tms[1].Start(tc, e2.Trigger); err != nil {
		tr.stop()
		return err
	}
	return nil
}

func threaded(t *coop.Task, tr *tracks, cfg RailroadConfig, blue, yellow hw.Output) error {
	th, err := NewThreads(t.Loop())
	if err != nil {
		return err
	}
	thread := func(led hw.Output) func(th *Thread) error {
		return func(th *Thread) error {
			for {
				th.Post(led.Toggle)
				th.Work(cfg.Work)
				if err := th.Sleep(cfg.Period); err != nil {
					return err
				}
			}
		}
	}
	th.Go("task1", thread(blue))
	th.Go("task2", thread(yellow))
	tr.stop = func() error { return th.Stop(t) }
	tr.busy = th.Busy
	return nil
}

// RunRailroad runs the railroad with tech cfg.Runs times, each on a fresh
// loop and board from cfg.Rig, and reports how each run kept the lights'
// timing and whether the runs were identical.
func RunRailroad(tech Technique, cfg RailroadConfig) (Report, error) {
	cfg = cfg.withDefaults()
	if cfg.Rig == nil {
		return Report{}, errors.New("rt: RunRailroad needs a Rig to make its loop and board")
	}
	rep := Report{Technique: tech, Period: cfg.Period, Duration: cfg.Duration, Work: cfg.Work}
	for i := range cfg.Runs {
		run, err := runOnce(tech, cfg)
		if err != nil {
			return rep, fmt.Errorf("rt: railroad %v, run %d: %w", tech, i+1, err)
		}
		rep.Runs = append(rep.Runs, run)
	}
	rep.Deterministic = true
	for _, run := range rep.Runs[1:] {
		if run.Hash != rep.Runs[0].Hash {
			rep.Deterministic = false
		}
	}
	return rep, nil
}

func runOnce(tech Technique, cfg RailroadConfig) (Run, error) {
	l, b, err := cfg.Rig()
	if err != nil {
		return Run{}, err
	}
	var run Run
	main := l.Spawn("railroad", func(t *coop.Task) error {
		var err error
		run, err = Railroad(t, b, tech, cfg)
		return err
	})
	err = l.RunUntilComplete(main)
	return run, errors.Join(err, l.Close())
}

// CompareRailroad runs RunRailroad for each technique; it stops at the
// first that fails.
func CompareRailroad(cfg RailroadConfig, techs ...Technique) (Comparison, error) {
	var c Comparison
	for _, tech := range techs {
		rep, err := RunRailroad(tech, cfg)
		if err != nil {
			return c, err
		}
		c = append(c, rep)
	}
	return c, nil
}
