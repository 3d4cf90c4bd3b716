package session

import (
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/coopgo/coop"
)

// Pacer drives a loop on the virtual clock against the wall clock: at a
// speed (board time per wall time: 1 for real time, 0.01 for slow motion),
// as fast as possible, or paused; in pause it steps the board by a board
// duration, or until something watching the board calls [Pacer.Break].
//
// The board stays deterministic whatever the pace: the loop runs on its
// virtual clock, and the pace only decides how much board time each slice
// of wall time gets. The same program and inputs at the same board times
// give the same run at 0.01× as at full speed.
//
// One goroutine calls [Pacer.Run], which runs the loop; any goroutine may
// call the other methods.
type Pacer struct {
	loop *coop.Loop
	wall func() time.Duration

	wake chan struct{} // a command or a change of pace is waiting

	mu       sync.Mutex
	cmds     []func()
	paused   bool
	speed    float64       // 0: as fast as possible
	stepping bool          // running a step from pause
	stepTo   time.Duration // board time a step ends at
	broken   bool          // Break was called during a step
	anchored bool          // the pace must start counting again
	state    PaceState
}

// PaceState is what a [Pacer] is doing, as [Pacer.State] reports it.
type PaceState struct {
	Paused   bool          // waiting for Resume or Step
	Stepping bool          // running a step, as fast as possible
	Speed    float64       // board time per wall time; 0: as fast as possible
	Now      time.Duration // board time when the loop last stopped
	// Ratio is the board time the loop gained per wall time over the
	// last slices: what the pace achieves, where Speed is what was asked.
	Ratio float64
	Ended bool // Run has returned
}

// Speed limits.
const (
	MinSpeed = 0.01 // a hundredth of real time
	MaxSpeed = 1000 // beyond this, ask for 0: as fast as possible
)

// pacing constants.
const (
	paceTick  = 10 * time.Millisecond  // wall time between slices at a speed
	paceSlice = 20 * time.Millisecond  // wall time a slice as fast as possible aims at
	paceDebt  = 250 * time.Millisecond // how far behind the pace may fall before it gives up catching up
)

// NewPacer returns a pacer at speed (0: as fast as possible), running
// unless paused; [Pacer.Bind] gives it its loop. It panics if the speed is
// out of range: a mistake of the caller.
func NewPacer(speed float64, paused bool) *Pacer {
	if err := checkSpeed(speed); err != nil {
		panic("session: NewPacer: " + err.Error())
	}
	start := time.Now()
	p := &Pacer{
		wall:   func() time.Duration { return time.Since(start) },
		wake:   make(chan struct{}, 1),
		paused: paused,
		speed:  speed,
	}
	p.state = PaceState{Speed: speed}
	return p
}

// Bind makes the pacer drive loop, which must run on the virtual clock.
// Call it once, before Run. It panics if the loop is on the real clock or
// the pacer has a loop already: mistakes of the caller.
func (p *Pacer) Bind(loop *coop.Loop) {
	if !loop.Virtual() {
		panic("session: Pacer.Bind needs a loop on the virtual clock (coop.WithVirtualClock)")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.loop != nil {
		panic("session: Pacer.Bind called twice; a pacer drives one loop")
	}
	p.loop = loop
}

// stopLoop stops the loop, if the pacer has one.
func (p *Pacer) stopLoop() {
	p.mu.Lock()
	l := p.loop
	p.mu.Unlock()
	if l != nil {
		l.Stop()
	}
}

// checkSpeed says what is wrong with a speed.
func checkSpeed(x float64) error {
	if x == 0 || (x >= MinSpeed && x <= MaxSpeed) {
		return nil
	}
	return fmt.Errorf("speed %g: give %g to %g, or 0 for as fast as possible", x, MinSpeed, float64(MaxSpeed))
}

func (p *Pacer) signal() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Do runs fn on the loop's goroutine between two slices, while the loop
// is not running, paused or not: fn may call the loop's and the board's
// methods. It reports false, and does not run fn, once Run has returned;
// a fn it took runs, at the latest as Run returns.
func (p *Pacer) Do(fn func()) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.state.Ended {
		return false
	}
	p.cmds = append(p.cmds, fn)
	p.signal()
	return true
}

// InputDelay is how long after the board time now an input from a
// person lands (see [Pacer.Input]): one nanosecond, an instant at which
// nothing else is due.
const InputDelay = time.Nanosecond

// Input runs fn on the loop at the board time InputDelay after now, the
// board time fn is given; in pause the board moves on to that instant to
// run it. The instant is off the grid of the program's timers, so fn runs
// alone there, after everything due before it: a scenario step `at` that
// instant, followed by the same action, replays it exactly. It reports
// false once Run has returned.
func (p *Pacer) Input(fn func(at time.Duration)) bool {
	return p.Do(func() {
		at := after(p.loop.Now(), InputDelay)
		landed := false
		p.loop.CallAt(at, func() { landed = true; fn(at) })
		p.mu.Lock()
		paused := p.paused && !p.stepping
		p.mu.Unlock()
		if paused {
			// Runs fn and what it makes ready, then stops: nothing else
			// is due before at. A Pause that came while the loop was not
			// running left its Stop behind, which ends the first RunFor
			// at once: run again until the input has landed.
			for !landed {
				if err := p.loop.RunFor(at - min(at, p.loop.Now())); err != nil {
					return
				}
			}
			p.publishNow()
		}
	})
}

// Pause stops the board after the loop's current round: board time stands
// still until Resume or Step. It also ends a step.
func (p *Pacer) Pause() {
	p.mu.Lock()
	p.paused, p.stepping = true, false
	p.mu.Unlock()
	p.stopLoop()
	p.signal()
}

// Resume lets the board run again at its speed.
func (p *Pacer) Resume() {
	p.mu.Lock()
	p.paused, p.stepping, p.anchored = false, false, false
	p.mu.Unlock()
	p.signal()
}

// SetSpeed sets the speed: board time per wall time, from [MinSpeed] to
// [MaxSpeed], or 0 for as fast as possible.
func (p *Pacer) SetSpeed(x float64) error {
	if err := checkSpeed(x); err != nil {
		return fmt.Errorf("session: %w", err)
	}
	p.mu.Lock()
	p.speed, p.anchored = x, false
	p.mu.Unlock()
	p.signal()
	return nil
}

// Step runs the board for d of board time, as fast as possible, then
// pauses it; what is due at the end still runs. [Pacer.Break] ends it
// earlier: a step to the next pin edge is a Step with a watcher that
// breaks at the edge. A Step while running pauses at the step's end.
func (p *Pacer) Step(d time.Duration) {
	if d < 0 {
		panic(fmt.Sprintf("session: Pacer.Step(%v): the duration must be >= 0", d))
	}
	p.Do(func() {
		p.mu.Lock()
		p.paused, p.stepping, p.broken = true, true, false
		p.stepTo = after(p.loop.Now(), d)
		p.mu.Unlock()
	})
}

// Break pauses the board right after the task step or callback that
// calls it ([coop.Loop.Break]), even when other tasks are ready at the
// same instant: the board time is then that of the event that called it,
// and what was still due then runs first when the board goes on, as it
// would have without the break. A step to the next task switch is a Step
// with an observer of tasks that breaks when a task starts a step; one to
// the next pin edge breaks at the edge. Call it on the loop (from an
// observer of the board or of tasks).
func (p *Pacer) Break() {
	p.mu.Lock()
	p.broken, p.paused, p.stepping = true, true, false
	l := p.loop
	p.mu.Unlock()
	if l != nil {
		l.Break()
	}
}

// State returns what the pacer is doing: paused once the loop has
// stopped, with the board time it stopped at.
func (p *Pacer) State() PaceState {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.state
	s.Speed = p.speed
	return s
}

// after returns now+d, without overflow.
func after(now, d time.Duration) time.Duration {
	if d > math.MaxInt64-now {
		return math.MaxInt64
	}
	return now + d
}

// Run runs the loop at the pacer's pace until done reports true (it is
// asked on the loop's goroutine between slices), and returns the loop's
// error if it fails. Between its return and the next Run, Do reports
// false. It panics without a loop (see Bind).
func (p *Pacer) Run(done func() bool) error {
	if p.loop == nil {
		panic("session: Pacer.Run before Bind; give the pacer its loop")
	}
	p.mu.Lock()
	p.state.Ended = false // Run may be called again, as a run goes on
	// The pace starts counting afresh: the anchor of the run before is
	// gone with it, and the wall time since (a pause, say) is no debt for
	// the board to race through.
	p.anchored = false
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		p.state.Ended, p.state.Paused, p.state.Stepping = true, false, false
		cmds := p.cmds
		p.cmds = nil
		p.mu.Unlock()
		// A command handed to Do after the last slice still runs, now,
		// while the loop stands: Do took it. Dropped, it was lost for
		// good: a Stop (a Ctrl-C) between two runs of a session, whose
		// program reset or returned before its scenario's end.
		for _, fn := range cmds {
			fn()
		}
	}()
	// A slice ends where the run does: the board stays at the instant the
	// program ended, not at the end of the slice it ended in.
	defer p.loop.Observe(func(ev coop.TaskEvent) {
		if ev.State.Final() && done() {
			p.loop.Stop()
		}
	})()
	var (
		anchorWall, anchorBoard time.Duration
		chunk                   = time.Millisecond // board time of a slice as fast as possible
		lastWall                = p.wall()
		lastBoard               = p.loop.Now()
	)
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		p.runCmds()
		if done() {
			p.publish(lastWall, lastBoard)
			return nil
		}
		p.mu.Lock()
		paused, stepping, speed, stepTo, anchored := p.paused, p.stepping, p.speed, p.stepTo, p.anchored
		p.anchored = true
		p.mu.Unlock()
		now := p.loop.Now()
		if paused && !stepping {
			p.publish(lastWall, lastBoard)
			p.setMode(true, false)
			<-p.wake
			continue
		}
		p.setMode(false, stepping)
		var target time.Duration
		if stepping || speed == 0 {
			target = after(now, chunk)
			if stepping {
				target = min(target, stepTo)
			}
		} else {
			w := p.wall()
			if !anchored || w-anchorWall > 0 && now-anchorBoard > time.Duration(float64(w-anchorWall+paceDebt)*speed) {
				anchorWall, anchorBoard = w, now // start counting, or give up a debt
			}
			target = anchorBoard + time.Duration(float64(w-anchorWall)*speed)
			if target <= now {
				// Ahead of the pace: wait for the wall clock.
				wait := time.Duration(float64(now-target)/speed) + time.Millisecond
				timer.Reset(min(wait, paceTick))
				select {
				case <-timer.C:
				case <-p.wake:
					if !timer.Stop() {
						<-timer.C
					}
				}
				continue
			}
		}
		start := p.wall()
		if err := p.loop.RunFor(target - now); err != nil {
			p.publish(lastWall, lastBoard)
			return err
		}
		if took := p.wall() - start; stepping || speed == 0 {
			switch {
			case took < paceSlice/2 && chunk < time.Hour:
				chunk *= 2
			case took > 2*paceSlice && chunk > time.Microsecond:
				chunk /= 2
			}
		}
		p.mu.Lock()
		if p.stepping && p.loop.Now() >= p.stepTo {
			p.stepping = false
		}
		p.mu.Unlock()
		if w := p.wall(); w-lastWall >= 200*time.Millisecond {
			p.publish(lastWall, lastBoard)
			lastWall, lastBoard = w, p.loop.Now()
		} else {
			p.publishNow()
		}
	}
}

// runCmds runs the commands handed to Do.
func (p *Pacer) runCmds() {
	for {
		p.mu.Lock()
		cmds := p.cmds
		p.cmds = nil
		p.mu.Unlock()
		if len(cmds) == 0 {
			return
		}
		for _, fn := range cmds {
			fn()
		}
	}
}

// publish records the board time and the ratio achieved since the wall
// time and board time given.
func (p *Pacer) publish(sinceWall, sinceBoard time.Duration) {
	w, now := p.wall(), p.loop.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.state.Now = now
	if dw := w - sinceWall; dw > 0 {
		p.state.Ratio = float64(now-sinceBoard) / float64(dw)
	}
}

// setMode records whether the loop is paused or stepping.
func (p *Pacer) setMode(paused, stepping bool) {
	p.mu.Lock()
	p.state.Paused, p.state.Stepping = paused, stepping
	p.mu.Unlock()
}

// publishNow records the board time only.
func (p *Pacer) publishNow() {
	now := p.loop.Now()
	p.mu.Lock()
	p.state.Now = now
	p.mu.Unlock()
}
