package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples"
	"github.com/coopgo/coop/hw"
)

// workApp runs a worker that works 100 ms, then sleeps 400 ms; main waits
// for it.
func workApp(t *coop.Task, b hw.Board) error {
	w := t.Spawn("worker", func(t *coop.Task) error {
		for {
			t.Busy(100 * time.Millisecond)
			if err := t.Sleep(400 * time.Millisecond); err != nil {
				return err
			}
		}
	})
	return w.Wait(t)
}

// idleApp waits on an event that a callback sets at 2.5 s, then sleeps
// for a second: no task moves until 2.5 s.
func idleApp(t *coop.Task, b hw.Board) error {
	var ev coop.Event
	t.Loop().CallLater(2500*time.Millisecond, ev.Set)
	if err := ev.Wait(t); err != nil {
		return err
	}
	return t.Sleep(time.Second)
}

func TestRun_stats(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"work", "--virtual", "--for", "2s"}, `{"at_ns":1000000000,"id":1,"task":"main","state":"waiting","waiting_on":"task \"worker\"","steps":1,"steps_per_s":1,"busy_ns":0,"busy_share":0,"longest_step_ns":0,"lateness_ns":0,"max_lateness_ns":0}
{"at_ns":1000000000,"id":2,"task":"worker","state":"ready","steps":2,"steps_per_s":2,"busy_ns":200000000,"busy_share":0.2,"longest_step_ns":100000000,"lateness_ns":0,"max_lateness_ns":0}
{"at_ns":2000000000,"id":1,"task":"main","state":"waiting","waiting_on":"task \"worker\"","steps":1,"steps_per_s":0,"busy_ns":0,"busy_share":0,"longest_step_ns":0,"lateness_ns":0,"max_lateness_ns":0}
{"at_ns":2000000000,"id":2,"task":"worker","state":"ready","steps":4,"steps_per_s":2,"busy_ns":400000000,"busy_share":0.2,"longest_step_ns":100000000,"lateness_ns":0,"max_lateness_ns":0}
`},
		// The samples while every task waits (to 2 s) are written once a
		// task moves, the same as if they had been taken then. A sample
		// shows the tasks as the loop finds them when the sample's turn
		// comes: at 2.5 s main has run already. None is alive at 3.5 s.
		{[]string{"idle", "--virtual", "--stats-every", "500ms"}, `{"at_ns":500000000,"id":1,"task":"main","state":"waiting","waiting_on":"event","steps":1,"steps_per_s":2,"busy_ns":0,"busy_share":0,"longest_step_ns":0,"lateness_ns":0,"max_lateness_ns":0}
{"at_ns":1000000000,"id":1,"task":"main","state":"waiting","waiting_on":"event","steps":1,"steps_per_s":0,"busy_ns":0,"busy_share":0,"longest_step_ns":0,"lateness_ns":0,"max_lateness_ns":0}
{"at_ns":1500000000,"id":1,"task":"main","state":"waiting","waiting_on":"event","steps":1,"steps_per_s":0,"busy_ns":0,"busy_share":0,"longest_step_ns":0,"lateness_ns":0,"max_lateness_ns":0}
{"at_ns":2000000000,"id":1,"task":"main","state":"waiting","waiting_on":"event","steps":1,"steps_per_s":0,"busy_ns":0,"busy_share":0,"longest_step_ns":0,"lateness_ns":0,"max_lateness_ns":0}
{"at_ns":2500000000,"id":1,"task":"main","state":"sleeping","steps":2,"steps_per_s":2,"busy_ns":0,"busy_share":0,"longest_step_ns":0,"lateness_ns":0,"max_lateness_ns":0}
{"at_ns":3000000000,"id":1,"task":"main","state":"sleeping","steps":2,"steps_per_s":0,"busy_ns":0,"busy_share":0,"longest_step_ns":0,"lateness_ns":0,"max_lateness_ns":0}
`},
	}
	for _, tt := range tests {
		if got, ok := statsOf(t, liveTestPrograms(t), tt.args); ok && got != tt.want {
			t.Errorf("coop run %s --stats wrote:\n%s\nwant:\n%s", strings.Join(tt.args, " "), got, tt.want)
		}
	}
}

// The sampler keeps no timer while every task waits: a deadlock is seen
// when it happens, as without --stats.
func TestRun_statsDeadlock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stats.jsonl")
	var stdout, stderr bytes.Buffer
	code := runCommand(liveTestPrograms(t), []string{"stuck", "--virtual", "--stats", path}, &stdout, &stderr)
	want := `coop: stuck: coop: deadlock at 0s: every task waits and nothing can wake them: "main" waits on event` + "\n"
	if code != ExitFail || stderr.String() != want {
		t.Errorf("coop run stuck --stats = %d, stderr:\n%s\nwant 1, stderr:\n%s", code, &stderr, want)
	}
}

// A --virtual run that never ends is bad input: no stats file is left.
func TestRun_statsLimit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stats.jsonl")
	code, _, stderr := runArgs(t, "run", "blink", "--virtual", "--stats", path)
	if code != ExitUsage {
		t.Errorf("coop run blink --virtual --stats = %d, stderr:\n%s\nwant 2", code, stderr)
	}
	if _, err := os.Stat(path); err == nil {
		t.Error("the stats file of a run that never ends was left")
	}
}

// A program that returns on a sample's instant gets that sample, whether
// a task was still moving then or not: its return, first of that instant,
// used to end the run before the sample's turn came when one was moving,
// and the file ended a sample short. The sample shows the tasks as the
// run left them: the worker's step due at 2 s has not run.
func TestRun_statsSampleAtTheEnd(t *testing.T) {
	blink, err := examples.Find("blink")
	if err != nil {
		t.Fatal(err)
	}
	prog := func(name string, worker func(t *coop.Task) error) examples.Program {
		return examples.Program{Name: name, Board: "pico2w", Wiring: blink.Wiring, App: func(t *coop.Task, b hw.Board) error {
			t.Spawn("worker", worker)
			return t.Sleep(2 * time.Second)
		}}
	}
	progs := []examples.Program{
		prog("moving", func(t *coop.Task) error {
			for {
				if err := t.Sleep(100 * time.Millisecond); err != nil {
					return err
				}
			}
		}),
		prog("still", func(t *coop.Task) error {
			var ev coop.Event
			return ev.Wait(t)
		}),
	}
	tests := []struct{ name, want string }{
		{"moving", `{"at_ns":1000000000,"id":1,"task":"main","state":"sleeping","steps":1,"steps_per_s":1,"busy_ns":0,"busy_share":0,"longest_step_ns":0,"lateness_ns":0,"max_lateness_ns":0}
{"at_ns":1000000000,"id":2,"task":"worker","state":"ready","steps":10,"steps_per_s":10,"busy_ns":0,"busy_share":0,"longest_step_ns":0,"lateness_ns":0,"max_lateness_ns":0}
{"at_ns":2000000000,"id":2,"task":"worker","state":"ready","steps":20,"steps_per_s":10,"busy_ns":0,"busy_share":0,"longest_step_ns":0,"lateness_ns":0,"max_lateness_ns":0}
`},
		{"still", `{"at_ns":1000000000,"id":1,"task":"main","state":"sleeping","steps":1,"steps_per_s":1,"busy_ns":0,"busy_share":0,"longest_step_ns":0,"lateness_ns":0,"max_lateness_ns":0}
{"at_ns":1000000000,"id":2,"task":"worker","state":"waiting","waiting_on":"event","steps":1,"steps_per_s":1,"busy_ns":0,"busy_share":0,"longest_step_ns":0,"lateness_ns":0,"max_lateness_ns":0}
{"at_ns":2000000000,"id":2,"task":"worker","state":"waiting","waiting_on":"event","steps":1,"steps_per_s":0,"busy_ns":0,"busy_share":0,"longest_step_ns":0,"lateness_ns":0,"max_lateness_ns":0}
`},
	}
	for _, tt := range tests {
		if got, ok := statsOf(t, progs, []string{tt.name, "--virtual"}); ok && got != tt.want {
			t.Errorf("coop run %s --virtual --stats wrote:\n%s\nwant:\n%s", tt.name, got, tt.want)
		}
	}
}

// statsOf runs `coop run ARGS --stats FILE` on progs and returns what the
// run wrote to FILE; ok is false, and the test marked failed, if the run
// did not exit 0.
func statsOf(t *testing.T, progs []examples.Program, args []string) (stats string, ok bool) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "stats.jsonl")
	var stdout, stderr bytes.Buffer
	args = append(args[:len(args):len(args)], "--stats", path)
	if code := runCommand(progs, args, &stdout, &stderr); code != ExitOK {
		t.Errorf("coop run %s = %d, stderr:\n%s", strings.Join(args, " "), code, &stderr)
		return "", false
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(got), true
}
