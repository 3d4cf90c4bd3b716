package scenario

import "go.yaml.in/yaml/v3"

// broker: stop | start. The server at the other end of the board's
// network (sim.NetConfig.Server) stops as a crash would, or starts again.
type brokerStep struct {
	instant
	start bool
	at    pos
}

func parseBroker(p *parser, v *yaml.Node) (action, string, error) {
	what, err := p.id(v, "broker")
	if err != nil {
		return nil, "", err
	}
	if what != "stop" && what != "start" {
		return nil, "", p.errf(v, ErrValue, "broker: %s, want stop or start", quote(what))
	}
	return &brokerStep{start: what == "start", at: posOf(v)}, "broker", nil
}

func (s *brokerStep) bind(e *env) (run, error) {
	srv := e.b.NetServer()
	if srv == nil {
		return nil, e.errf(s.at, ErrUnknownPart, "the board's network leads to no broker the scenario can stop")
	}
	return func(r *Runner) bool {
		var err error
		if s.start {
			err = srv.Restart()
		} else {
			err = srv.Stop()
		}
		if err != nil {
			want := "the broker stopped"
			if s.start {
				want = "the broker started"
			}
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
