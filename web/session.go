package web

import (
	"errors"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/sim/session"
)

// NewForSession makes the server of session s, which must run under a
// pacer ([session.Config.Pacer]): the run of [New] read from the session,
// with its warnings, resets and end shown in the page. Call it before
// s.Run.
func NewForSession(s *session.Session, cfg Config) (*Server, error) {
	sc := s.Config()
	if sc.Pacer == nil {
		return nil, errors.New("web: the session has no pacer: give session.Config a Pacer")
	}
	srv, err := New(Run{
		Program: s.Name(),
		Seed:    sc.Seed,
		Board:   s.Board(),
		Pacer:   sc.Pacer,
		ObserveTasks: func(fn func(coop.TaskEvent)) (cancel func()) {
			return s.Observe(session.Observer{Task: func(ev coop.TaskEvent) {
				if ev.Task.Name() != session.ScenarioTask {
					fn(ev)
				}
			}})
		},
	}, cfg)
	if err != nil {
		return nil, err
	}
	s.Observe(session.Observer{
		Warning: srv.Warn,
		Reset:   srv.Reset,
		End:     func(time.Duration) { srv.ProgramEnded() },
	})
	return srv, nil
}
