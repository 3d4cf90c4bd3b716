package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/sim/session"
)

// statsRecord is one line of --stats: one task at one sample. Durations
// are in nanoseconds of the loop's clock (see coop.TaskInfo), rates over
// the interval since the sample before.
type statsRecord struct {
	At          int64   `json:"at_ns"` // board time of the sample
	ID          uint64  `json:"id"`
	Task        string  `json:"task"`
	State       string  `json:"state"`
	WaitingOn   string  `json:"waiting_on,omitempty"`
	Steps       uint64  `json:"steps"`
	StepsPerS   float64 `json:"steps_per_s"`
	Busy        int64   `json:"busy_ns"`
	BusyShare   float64 `json:"busy_share"`
	LongestStep int64   `json:"longest_step_ns"`
	Lateness    int64   `json:"lateness_ns"`
	MaxLateness int64   `json:"max_lateness_ns"`
	Misses      int64   `json:"misses,omitempty"`
	Cancelled   bool    `json:"cancelled,omitempty"`
}

// statsSampler writes --stats: every task alive, every period of board
// time, on a grid (period, 2·period, …), in spawn order.
//
// While every task waits on something other than time (an event, a queue,
// a button), no task changes, and a timer of the sampler's own would keep
// a virtual loop from seeing a deadlock. So the sampler sleeps then: it
// keeps the tasks' snapshot, and when a task moves again it writes the
// samples it skipped from that snapshot, which are exactly what they would
// have been. It learns of moves from the loop's task events.
type statsSampler struct {
	loop   *coop.Loop
	path   string
	f      *os.File
	w      *bufio.Writer
	err    error // the first write error
	period time.Duration

	next   time.Duration // board time of the next sample
	prev   map[uint64]coop.TaskInfo
	prevAt time.Duration
	timer  *coop.Handle

	states map[uint64]coop.TaskState // of the tasks alive, from events
	active int                       // tasks ready, running or sleeping
	quiet  []coop.TaskInfo           // while asleep: the tasks as they stay
	asleep bool
	done   bool
}

func newStatsSampler(l *coop.Loop, path string, f *os.File, period time.Duration) *statsSampler {
	return &statsSampler{loop: l, path: path, f: f, w: bufio.NewWriter(f), period: period,
		next: period, states: map[uint64]coop.TaskState{}}
}

// start schedules the first sample. Call it on the loop, or before it runs.
func (s *statsSampler) start() {
	s.timer = s.loop.CallAt(s.next, s.tick)
	if s.active == 0 {
		s.sleep()
	}
}

// tick takes the sample due and schedules the next one.
func (s *statsSampler) tick() {
	if s.done || s.asleep {
		return
	}
	s.write(s.next, s.loop.Tasks())
	now := s.loop.Now()
	for s.next += s.period; s.next < now; s.next += s.period {
		// A step held the loop past the next sample: skip it.
	}
	s.timer.Reset(s.next)
}

// event follows the tasks' states, to sleep while none moves.
func (s *statsSampler) event(ev coop.TaskEvent) {
	id := ev.Task.ID()
	was, known := s.states[id]
	if known && moving(was) {
		s.active--
	}
	if ev.State.Final() {
		delete(s.states, id)
	} else {
		s.states[id] = ev.State
		if moving(ev.State) {
			s.active++
		}
	}
	switch {
	case s.done || s.timer == nil:
	case s.active == 0 && !s.asleep:
		s.sleep()
	case s.active > 0 && s.asleep:
		s.asleep = false
		for ; s.next < ev.At; s.next += s.period {
			s.write(s.next, s.quiet)
		}
		s.quiet = nil
		s.timer.Reset(s.next)
	}
}

func (s *statsSampler) sleep() {
	s.asleep = true
	s.quiet = s.loop.Tasks()
	s.timer.Cancel()
}

// moving reports whether a task in state st may change without anything
// happening elsewhere: it is ready, running or sleeping.
func moving(st coop.TaskState) bool {
	return st == coop.StateReady || st == coop.StateRunning || st == coop.StateSleeping
}

// write writes the sample of board time at.
func (s *statsSampler) write(at time.Duration, infos []coop.TaskInfo) {
	for _, row := range session.TaskRates(s.prev, infos, at-s.prevAt) {
		rec := statsRecord{
			At: int64(at), ID: row.ID, Task: row.Name, State: row.State.String(), WaitingOn: row.WaitingOn,
			Steps: row.Steps, StepsPerS: row.StepsPerS, Busy: int64(row.Busy), BusyShare: row.BusyShare,
			LongestStep: int64(row.LongestStep), Lateness: int64(row.Lateness), MaxLateness: int64(row.MaxLateness),
			Misses:    row.Misses,
			Cancelled: row.Cancelled,
		}
		line, err := json.Marshal(rec)
		if err == nil {
			line = append(line, '\n')
			_, err = s.w.Write(line)
		}
		if err != nil && s.err == nil {
			s.err = err
		}
	}
	s.prev, s.prevAt = session.ByID(infos), at
}

// finish ends sampling at board time end: the samples skipped while asleep
// are written, up to end included, and the file is closed; discard removes
// it instead (a run that was bad input). It returns the first write error.
//
// A sample due at end itself is written whether the sampler slept or not:
// the program that returns at end may have ended the run before the
// sample's turn came in that instant, and the file would then end a
// sample short of the run where a sleeping sampler's, or a run of --for,
// does not. It shows the tasks as the run left them.
func (s *statsSampler) finish(end time.Duration, discard bool) error {
	if s.done {
		return nil
	}
	s.done = true
	if s.timer != nil {
		s.timer.Cancel()
	}
	tasks := s.quiet
	if !s.asleep {
		tasks = s.loop.Tasks()
	}
	for ; s.next <= end; s.next += s.period {
		s.write(s.next, tasks)
	}
	err := s.w.Flush()
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	if discard {
		os.Remove(s.path)
		return nil
	}
	if s.err != nil {
		err = s.err
	}
	if err != nil {
		return fmt.Errorf("--stats %s: %v", s.path, err)
	}
	return nil
}
