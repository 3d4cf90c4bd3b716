package web

import (
	"sync"
	"testing"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/sim/session"
	"github.com/coopgo/coop/sim/wiring"
)

// rig is an example running under a pacer, shown by a started server.
type rig struct {
	srv   *Server
	loop  *coop.Loop
	board *sim.Board
	pacer *session.Pacer
	main  *coop.Task
	ran   chan error
}

// taskObservers hands the loop's task events to observers added at any
// time.
type taskObservers struct {
	mu  sync.Mutex
	fns []func(coop.TaskEvent)
}

func (o *taskObservers) event(ev coop.TaskEvent) {
	o.mu.Lock()
	fns := o.fns
	o.mu.Unlock()
	for _, fn := range fns {
		fn(ev)
	}
}

func (o *taskObservers) add(fn func(coop.TaskEvent)) func() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.fns = append(o.fns, fn)
	return func() {}
}

// startRig runs example name, paused or at speed, and serves it with cfg.
func startRig(t *testing.T, name string, speed float64, paused bool, cfg Config) *rig {
	t.Helper()
	prog, err := examples.Find(name)
	if err != nil {
		t.Fatal(err)
	}
	obs := &taskObservers{}
	r := &rig{ran: make(chan error, 1)}
	r.loop = coop.NewLoop(coop.WithVirtualClock(), coop.WithTaskEvents(obs.event),
		coop.WithWarningHandler(func(w coop.Warning) { r.srv.Warn(w) }), coop.WithBlockingThreshold(coop.DefaultBlockingThreshold))
	d, err := wiring.Parse(name+"/diagram.json", prog.Wiring)
	if err != nil {
		t.Fatal(err)
	}
	if r.board, err = sim.NewBoard(r.loop, d.Board(), sim.Config{}); err != nil {
		t.Fatal(err)
	}
	if err := d.Apply(r.board); err != nil {
		t.Fatal(err)
	}
	r.pacer = session.NewPacer(speed, paused)
	r.pacer.Bind(r.loop)
	r.srv, err = New(Run{Program: name, Board: r.board, Pacer: r.pacer, ObserveTasks: obs.add}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.srv.Start(); err != nil {
		t.Fatal(err)
	}
	b := r.board
	r.main = r.loop.Spawn("main", func(t *coop.Task) error { return prog.App(t, b) })
	go func() {
		err := r.pacer.Run(r.main.Done)
		r.srv.ProgramEnded()
		r.ran <- err
	}()
	t.Cleanup(func() {
		r.pacer.Do(func() { r.main.Cancel() })
		r.pacer.SetSpeed(0)
		r.pacer.Resume()
		if err := <-r.ran; err != nil {
			t.Errorf("Run: %v", err)
		}
		if err := r.srv.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		r.loop.Close()
	})
	return r
}
