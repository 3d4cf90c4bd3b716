package cli

import (
	"github.com/coopgo/coop/sim/session"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
)

func TestRenderTop(t *testing.T) {
	rows := []session.TaskStats{
		{TaskInfo: coop.TaskInfo{ID: 1, Name: "main", State: coop.StateWaiting, WaitingOn: `task "blink"`, Steps: 1,
			LongestStep: 31 * time.Microsecond}},
		{TaskInfo: coop.TaskInfo{ID: 2, Name: "blink", State: coop.StateSleeping, Steps: 9, LongestStep: 1500 * time.Microsecond,
			Lateness: 472 * time.Microsecond, MaxLateness: 12 * time.Millisecond, Misses: 3}, StepsPerS: 2, BusyShare: 0.0004},
		{TaskInfo: coop.TaskInfo{ID: 3, Name: "uptime", State: coop.StateReady, Steps: 4, Busy: 2 * time.Second,
			LongestStep: 2 * time.Second}, StepsPerS: 1, BusyShare: 0.25},
		{TaskInfo: coop.TaskInfo{ID: 4, Name: "a-task-with-a-long-name", State: coop.StateSleeping, Cancelled: true}},
	}
	f := topFrame{Program: "blink", Board: "pico2w", At: 2751 * time.Millisecond, Status: "  ● LED", Tasks: rows,
		Console: []string{"[   0.000s] LED ON", "[   0.500s] LED OFF", "[   1.000s] LED ON", "[   1.500s] LED OFF", "[   2.000s] LED ON"},
		Keys:    "keys: 1 btn1 · h+N hold · q quit"}
	head := "\x1b[1mcoop top · blink on pico2w · board time 2.751s · real time · 4 tasks · loop busy 25.0%\x1b[0m"
	columns := "\x1b[7mTASK                  STATE                  STEPS/S    BUSY  LONGEST     LATE  MAX LATE  MISSES\x1b[0m"
	table := []string{
		"uptime                ready                      1.0   25.0%    2.00s        0         0       0",
		"a-task-with-a-long-…  sleeping, cancelled        0.0    0.0%        0        0         0       0",
		"blink                 sleeping                   2.0    0.0%    1.5ms    472µs      12ms       3",
		"main                  waiting: task \"blink\"      0.0    0.0%     31µs        0         0       0",
	}
	keys := "\x1b[2mkeys: 1 btn1 · h+N hold · q quit\x1b[0m"
	console := "\x1b[2m── console\x1b[0m"
	tests := []struct {
		name          string
		width, height int
		virtual       bool
		want          []string
	}{
		{"tall", 100, 30, false, append(append([]string{head, "  ● LED", "", columns}, table...),
			console, f.Console[0], f.Console[1], f.Console[2], f.Console[3], f.Console[4], keys)},
		// Console lines give way to tasks, down to three.
		{"short", 100, 13, false, append(append([]string{head, "  ● LED", "", columns}, table...),
			console, f.Console[2], f.Console[3], f.Console[4], keys)},
		// Tasks give way to three console lines, and say how many are left out.
		{"shorter", 100, 11, false, []string{head, "  ● LED", "", columns, table[0], "… 3 more",
			console, f.Console[2], f.Console[3], f.Console[4], keys}},
	}
	for _, tt := range tests {
		got := renderTop(f, tt.width, tt.height)
		if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("renderTop(%s, %d×%d) =\n%s\nwant\n%s", tt.name, tt.width, tt.height,
				strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
		}
	}

	// The final table, with no limit of height: no console and no keys.
	f.Final, f.Virtual = true, true
	want := []string{
		"\x1b[1mcoop top · blink on pico2w · board time 2.751s · virtual time · 4 tasks · loop busy 25.0% · ended\x1b[0m",
		"  ● LED", "", columns}
	want = append(want, table...)
	if got := renderTop(f, 0, 0); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("renderTop(final) =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestShortDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0"}, {-time.Second, "0"}, {850, "850ns"}, {12345 * time.Nanosecond, "12µs"}, {1500 * time.Microsecond, "1.5ms"},
		{9960 * time.Microsecond, "10.0ms"}, {30 * time.Millisecond, "30ms"}, {2500 * time.Millisecond, "2.50s"},
		{90 * time.Second, "90.00s"},
	}
	for _, tt := range tests {
		if got := shortDuration(tt.d); got != tt.want {
			t.Errorf("shortDuration(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestCutToWidth(t *testing.T) {
	tests := []struct {
		line  string
		width int
		want  string
	}{
		{"coop top · ended", 0, "coop top · ended"},
		{"coop top · ended", 10, "coop top ·" + sgrReset},
		{sgrBold + "abcdef" + sgrReset, 3, sgrBold + "abc" + sgrReset},
		{sgrBold + "abc" + sgrReset, 3, sgrBold + "abc" + sgrReset},
		{"ab", 5, "ab"},
	}
	for _, tt := range tests {
		if got := cutToWidth(tt.line, tt.width); got != tt.want {
			t.Errorf("cutToWidth(%q, %d) = %q, want %q", tt.line, tt.width, got, tt.want)
		}
	}
}
