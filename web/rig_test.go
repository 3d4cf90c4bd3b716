package web

import (
	"context"
	"testing"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/sim/session"
)

// rig is an example running in a session under a pacer, shown by a
// started server.
type rig struct {
	srv   *Server
	s     *session.Session
	loop  *coop.Loop
	board *sim.Board
	pacer *session.Pacer
	ran   chan error
}

// startRig runs example name without its scenario, paused or at speed,
// and serves it with cfg.
func startRig(t *testing.T, name string, speed float64, paused bool, cfg Config) *rig {
	t.Helper()
	prog, err := examples.Find(name)
	if err != nil {
		t.Fatal(err)
	}
	return startProgram(t, name, prog.App, prog.Wiring, nil, speed, paused, cfg)
}

// startProgram is startRig for a program of one's own: app, wired by
// wiring, which may use the program's own part types.
func startProgram(t *testing.T, name string, app session.App, wiring []byte, parts []*sim.PartType, speed float64, paused bool, cfg Config) *rig {
	t.Helper()
	r := &rig{ran: make(chan error, 1), pacer: session.NewPacer(speed, paused)}
	var err error
	r.s, err = session.New(app, session.Config{
		Name:     name,
		Wiring:   session.File{Name: name + "/diagram.json", Data: wiring},
		Blocking: coop.DefaultBlockingThreshold,
		Pacer:    r.pacer,
		Parts:    parts,
	})
	if err != nil {
		t.Fatal(err)
	}
	r.loop, r.board = r.s.Loop(), r.s.Board()
	if r.srv, err = NewForSession(r.s, cfg); err != nil {
		t.Fatal(err)
	}
	if err := r.srv.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { r.ran <- r.s.Run(context.Background()) }()
	t.Cleanup(func() {
		r.s.Stop()
		if err := <-r.ran; err != nil {
			t.Errorf("Run: %v", err)
		}
		if err := r.srv.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return r
}
