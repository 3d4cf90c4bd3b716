package rt

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/coopgo/coop"
)

// Contract is the timing a periodic task promises: released every Period,
// each job done within Deadline of its release, using at most Budget of
// the processor. A missed contract is soft (counted and reported, the task
// goes on) or, with Hard, a fault (reported to OnMiss, then the task stops
// with a [*MissError]): the book's soft and hard real-time.
type Contract struct {
	// Period is the time between releases, on a drift-free grid
	// ([coop.Ticker]): job n is released at start + n·Period.
	Period time.Duration
	// Deadline is how long after its release a job must be done; zero
	// means Period.
	Deadline time.Duration
	// Budget is how much processor time a job may take: the time its
	// steps hold the loop, awaits excluded. Zero means no budget.
	Budget time.Duration
	// Hard makes a miss a fault: after OnMiss the task returns a
	// *MissError, and with nobody awaiting it the loop's error handler
	// reports it.
	Hard bool
	// OnMiss, if not nil, is told of every job that missed, inside the
	// task, before the next release.
	OnMiss func(Miss)
}

// MissKind says how a job missed its contract. Kinds combine: a job can be
// late and over its budget.
type MissKind uint8

// The ways to miss.
const (
	MissDeadline MissKind = 1 << iota // done after its deadline
	MissBudget                        // took more processor time than its budget
	MissSkipped                       // releases before it were skipped: the task was a period or more late
)

// Has reports whether k includes every kind of x.
func (k MissKind) Has(x MissKind) bool { return k&x == x }

// String returns the kinds joined by "+", as "deadline+budget".
func (k MissKind) String() string {
	var parts []string
	for _, n := range []struct {
		k    MissKind
		name string
	}{{MissDeadline, "deadline"}, {MissBudget, "budget"}, {MissSkipped, "skipped"}} {
		if k.Has(n.k) {
			parts = append(parts, n.name)
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, "+")
}

// Miss describes a job that broke its task's contract.
type Miss struct {
	Task     string
	Kind     MissKind
	Hard     bool
	Release  time.Duration // when the job was due to start
	Start    time.Duration // when it started
	Finish   time.Duration // when it was done
	Exec     time.Duration // the processor time it took
	Deadline time.Duration // the contract's relative deadline
	Budget   time.Duration // the contract's budget, 0 for none
	Skipped  int64         // releases skipped just before it
}

// String describes the miss in one line.
func (m Miss) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "task %q, job released at %v:", m.Task, m.Release)
	if m.Kind.Has(MissDeadline) {
		fmt.Fprintf(&b, " done at %v, %v past its %v deadline;", m.Finish, m.Finish-m.Release-m.Deadline, m.Deadline)
	}
	if m.Kind.Has(MissBudget) {
		fmt.Fprintf(&b, " ran %v, over its %v budget;", m.Exec, m.Budget)
	}
	if m.Kind.Has(MissSkipped) {
		fmt.Fprintf(&b, " %d releases skipped before it;", m.Skipped)
	}
	return strings.TrimSuffix(b.String(), ";")
}

// ErrHardMiss is wrapped by the error of a hard periodic task that missed
// its contract.
var ErrHardMiss = errors.New("rt: hard real-time contract missed")

// MissError is the result of a hard periodic task that missed its
// contract. It wraps ErrHardMiss.
type MissError struct{ Miss Miss }

// Error describes the miss.
func (e *MissError) Error() string { return "rt: hard contract missed: " + e.Miss.String() }

// Unwrap returns ErrHardMiss.
func (e *MissError) Unwrap() error { return ErrHardMiss }

// PeriodicTask is a task that runs a job every period under a [Contract]
// and measures how well it keeps it.
type PeriodicTask struct {
	task *coop.Task
	name string
	c    Contract

	releases, skipped int64
	deadlineMisses    int64
	budgetOverruns    int64
	jitter, exec      sampler
	response          sampler
	lastMiss          Miss
}

// ContractStats is a snapshot of a PeriodicTask, for dashboards.
type ContractStats struct {
	Name                     string
	Period, Deadline, Budget time.Duration
	Hard                     bool
	Releases                 int64 // jobs run
	Skipped                  int64 // releases skipped because the task was late
	// Jitter is the release jitter: from a job's release to its start.
	Jitter Dist
	// Exec is the processor time of each job; Response is from release to
	// done.
	Exec, Response Dist
	DeadlineMisses int64
	BudgetOverruns int64
	LastMiss       Miss // zero if none
}

// String summarises the stats in one line.
func (s ContractStats) String() string {
	budget := ""
	if s.Budget > 0 {
		budget = fmt.Sprintf(" budget %v,", s.Budget)
	}
	return fmt.Sprintf("%s: period %v, deadline %v,%s %d jobs, jitter %v, exec max %v, response max %v, "+
		"%d deadline misses, %d budget overruns, %d skipped",
		s.Name, s.Period, s.Deadline, budget, s.Releases, s.Jitter, s.Exec.Max, s.Response.Max,
		s.DeadlineMisses, s.BudgetOverruns, s.Skipped)
}

// Periodic spawns, as a child of parent, a task called name that runs fn
// once per c.Period under contract c. The first job is released one period
// after the call. It panics if c.Period is not positive.
//
// The task ends when fn fails (its error is the task's result), when it is
// cancelled, or, for a hard contract, at the first miss.
//
// Overruns skip, they do not catch up: when a job ends after the next
// release, the next job starts at once, late by the overrun (its release
// jitter). When it ends a whole period or more after the next release, the
// releases that have passed but the latest are skipped: the job for the
// latest starts at once, and it is a MissSkipped miss, with the releases
// skipped counted in ContractStats.Skipped (and in the task's
// [coop.TaskInfo].Misses). A job done exactly at its deadline has not
// missed it.
//
// A job's processor time is the time its steps hold the loop: on the
// virtual clock the board time it spends in [coop.Task.Busy]. When fn
// awaits, the task yields once more after fn returns, so that the step it
// ends in is counted too.
func Periodic(parent *coop.Task, name string, c Contract, fn func(t *coop.Task) error) *PeriodicTask {
	if c.Period <= 0 {
		panic(fmt.Sprintf("rt: Periodic(%q) with period %v: the period must be > 0", name, c.Period))
	}
	if c.Deadline <= 0 {
		c.Deadline = c.Period
	}
	p := &PeriodicTask{name: name, c: c}
	p.task = parent.Spawn(name, p.run(fn))
	return p
}

func (p *PeriodicTask) run(fn func(t *coop.Task) error) func(t *coop.Task) error {
	return func(t *coop.Task) error {
		tk := coop.NewTicker(t, p.c.Period)
		for {
			if err := tk.Next(t); err != nil {
				return err
			}
			release := tk.Deadline()
			start := t.Now()
			skipped := tk.Missed() - p.skipped
			p.skipped = tk.Missed()
			before := t.Info()
			err := fn(t)
			finish := t.Now()
			exec := finish - start
			if after := t.Info(); after.Steps != before.Steps && err == nil {
				// fn awaited: end this step so that its time is counted.
				if err := t.Sleep(0); err != nil {
					return err
				}
				exec = t.Info().Busy - before.Busy
			}
			if miss := p.account(release, start, finish, exec, skipped); miss != nil {
				if p.c.OnMiss != nil {
					p.c.OnMiss(*miss)
				}
				if p.c.Hard {
					return &MissError{Miss: *miss}
				}
			}
			if err != nil {
				return err
			}
		}
	}
}

// account records a job and returns its miss, if it missed.
func (p *PeriodicTask) account(release, start, finish, exec time.Duration, skipped int64) *Miss {
	p.releases++
	p.jitter.add(start - release)
	p.exec.add(exec)
	p.response.add(finish - release)
	var kind MissKind
	if finish-release > p.c.Deadline {
		kind |= MissDeadline
		p.deadlineMisses++
	}
	if p.c.Budget > 0 && exec > p.c.Budget {
		kind |= MissBudget
		p.budgetOverruns++
	}
	if skipped > 0 {
		kind |= MissSkipped
	}
	if kind == 0 {
		return nil
	}
	if kind&(MissDeadline|MissBudget) != 0 {
		p.task.AddMisses(1) // skipped releases are counted by the ticker
	}
	p.lastMiss = Miss{Task: p.name, Kind: kind, Hard: p.c.Hard, Release: release, Start: start,
		Finish: finish, Exec: exec, Deadline: p.c.Deadline, Budget: p.c.Budget, Skipped: skipped}
	return &p.lastMiss
}

// Task returns the task, to cancel or wait for it.
func (p *PeriodicTask) Task() *coop.Task { return p.task }

// Stats returns a snapshot of the task's timing. Call it on the loop.
func (p *PeriodicTask) Stats() ContractStats {
	return ContractStats{
		Name: p.name, Period: p.c.Period, Deadline: p.c.Deadline, Budget: p.c.Budget, Hard: p.c.Hard,
		Releases: p.releases, Skipped: p.skipped, Jitter: p.jitter.dist(), Exec: p.exec.dist(),
		Response: p.response.dist(), DeadlineMisses: p.deadlineMisses, BudgetOverruns: p.budgetOverruns,
		LastMiss: p.lastMiss,
	}
}
