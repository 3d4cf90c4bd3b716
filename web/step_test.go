package web

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// pausedAfter reads messages until one carries an event that match
// accepts (its JSON, `[at,"t",2,"running"]`), then until one shows the
// board paused after it, and returns that message with the event. A batch
// reads the clock before the records it carries, so the pause is read
// from a message after the one with the event: by then the step that
// made the event has ended.
func (w *wsClient) pausedAfter(what string, match func(ev string) bool) (message, []any) {
	w.t.Helper()
	var ev []any
	return w.until(what, func(m message) bool {
		if ev == nil {
			for _, e := range m.Events {
				if match(string(e)) {
					if err := json.Unmarshal(e, &ev); err != nil {
						w.t.Fatalf("event %s: %v", e, err)
					}
					return false
				}
			}
			return false
		}
		return m.Clock.Paused && !m.Clock.Stepping
	}), ev
}

// taskStep matches the start of a task's step.
func taskStep(ev string) bool {
	return strings.Contains(ev, `,"t",`) && strings.HasSuffix(ev, `,"running"]`)
}

// row returns the task table's row of the task called name.
func row(t *testing.T, m message, name string) taskStat {
	t.Helper()
	for _, ts := range m.Tasks {
		if ts.Name == name {
			return ts
		}
	}
	t.Fatalf("no task %s in the table %+v", name, m.Tasks)
	return taskStat{}
}

// A step to the next task switch runs exactly one task step, even when
// two tasks are ready at the same instant: in button-cancel the blink
// task and the button's poll both wake at 250ms; one step runs the blink
// task alone (the poll still ready, the board still at 250ms), the next
// the poll, the one after that the poll at 300ms.
func TestStepOneTaskStep(t *testing.T) {
	r := startRig(t, "button-cancel", 1, true, Config{})
	w := dial(t, r.srv)
	w.read()
	w.send(map[string]any{"t": "clock", "op": "step", "step": "for", "d": int64(240 * time.Millisecond)})
	m := w.until("240ms", func(m message) bool { return m.Clock.Paused && m.Clock.Now == 240*time.Millisecond })
	blink, poll := row(t, m, "blink_led"), row(t, m, "monitor_button")
	if blink.State != "sleeping" || blink.Steps != 1 || poll.State != "sleeping" || poll.Steps != 5 {
		t.Fatalf("at 240ms: blink_led %s after %d steps, monitor_button %s after %d; want both sleeping, after 1 and 5",
			blink.State, blink.Steps, poll.State, poll.Steps)
	}
	for i, want := range []struct {
		task                  string
		at                    time.Duration
		blink, poll           string
		blinkSteps, pollSteps uint64
	}{
		{"blink_led", 250 * time.Millisecond, "sleeping", "ready", 2, 5},
		{"monitor_button", 250 * time.Millisecond, "sleeping", "sleeping", 2, 6},
		{"monitor_button", 300 * time.Millisecond, "sleeping", "sleeping", 2, 7},
	} {
		w.send(map[string]any{"t": "clock", "op": "step", "step": "task"})
		m, ev := w.pausedAfter("a task's step", taskStep)
		blink, poll := row(t, m, "blink_led"), row(t, m, "monitor_button")
		stepped := ""
		for _, ts := range m.Tasks {
			if float64(ts.ID) == ev[2] {
				stepped = ts.Name
			}
		}
		if stepped != want.task || time.Duration(ev[0].(float64)) != want.at || m.Clock.Now != want.at {
			t.Errorf("step %d: %s stepped at %v, the board paused at %v; want %s at %v, paused there",
				i+1, stepped, time.Duration(ev[0].(float64)), m.Clock.Now, want.task, want.at)
		}
		if blink.State != want.blink || blink.Steps != want.blinkSteps || poll.State != want.poll || poll.Steps != want.pollSteps {
			t.Errorf("step %d: blink_led %s after %d steps, monitor_button %s after %d; want %s after %d, %s after %d",
				i+1, blink.State, blink.Steps, poll.State, poll.Steps, want.blink, want.blinkSteps, want.poll, want.pollSteps)
		}
	}
}
