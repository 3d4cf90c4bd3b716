package scenario

import (
	"time"

	"go.yaml.in/yaml/v3"
)

// broker: stop | start. The server at the other end of the board's
// network (sim.NetConfig.Server) stops as a crash would, or starts again.
type brokerStep struct {
	instant
	start bool
}

func parseBroker(p *parser, v *yaml.Node) (action, string, error) {
	what, err := p.id(v, "broker")
	if err != nil {
		return nil, "", err
	}
	if what != "stop" && what != "start" {
		return nil, "", p.errf(v, ErrValue, "broker: %s, want stop or start", quote(what))
	}
	return &brokerStep{start: what == "start"}, "broker", nil
}

func (s *brokerStep) bind(e *env) (run, error) {
	// The server is looked up when the step runs: a runner may give the
	// board its network after the scenario starts.
	return func(r *Runner) bool {
		want := "the broker stopped"
		if s.start {
			want = "the broker started"
		}
		srv := e.b.NetServer()
		if srv == nil {
			r.fail(want, "no broker the scenario can stop or start", e.b.Loop().Now())
			return false
		}
		var err error
		if s.start {
			err = srv.Restart()
		} else {
			err = srv.Stop()
		}
		if err != nil {
			r.fail(want, err.Error(), e.b.Loop().Now())
		}
		return err == nil
	}, nil
}

// drop-connections: all. Every open stream of the board is reset, as when
// a broker closes them without a word.
type dropStep struct{ instant }

func parseDrop(p *parser, v *yaml.Node) (action, string, error) {
	what, err := p.id(v, "drop-connections")
	if err == nil && what != "all" {
		err = p.errf(v, ErrValue, "drop-connections: %s, want all", quote(what))
	}
	return &dropStep{}, "network", err
}

func (s *dropStep) bind(e *env) (run, error) {
	return func(*Runner) bool { e.b.ResetConnections(); return true }, nil
}

// power-cut: now | {during-write: BYTES}. The board loses power now, or in
// the middle of its next flash write, after BYTES bytes of it.
type powerStep struct {
	instant
	now   bool
	bytes int
}

func parsePower(p *parser, v *yaml.Node) (action, string, error) {
	if v.Kind == yaml.ScalarNode {
		what, err := p.id(v, "power-cut")
		if err == nil && what != "now" {
			err = p.errf(v, ErrValue, "power-cut: %s, want now or {during-write: BYTES}", quote(what))
		}
		return &powerStep{now: true}, "power", err
	}
	f, err := p.fields("power-cut", v, "during-write")
	if err != nil {
		return nil, "", err
	}
	n, err := p.need(f, "during-write")
	if err != nil {
		return nil, "", err
	}
	b, err := p.number(n, "during-write", 0, 1<<30, " bytes")
	if err != nil {
		return nil, "", err
	}
	return &powerStep{bytes: int(b)}, "power", nil
}

func (s *powerStep) bind(e *env) (run, error) {
	return func(*Runner) bool {
		if s.now {
			e.b.CutPowerAt(e.b.Loop().Now())
		} else {
			e.b.CutPowerDuringWrite(s.bytes)
		}
		return true
	}, nil
}

// stall: 3s. Something holds the loop for 3 s of board time, as an
// interrupt handler stuck on a bus would: no task runs meanwhile, and a
// watchdog that is not fed resets the board at its deadline.
type stallStep struct {
	instant
	d time.Duration
}

func parseStall(p *parser, v *yaml.Node) (action, string, error) {
	d, err := p.duration(v, "stall", true)
	return &stallStep{d: d}, "loop", err
}

func (s *stallStep) bind(e *env) (run, error) {
	return func(*Runner) bool {
		l := e.b.Loop()
		l.CallSoon(func() { l.Busy(s.d) })
		return true
	}, nil
}
