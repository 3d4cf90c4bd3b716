package cli

import (
	"cmp"
	"fmt"
	"github.com/coopgo/coop/sim/session"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/internal/table"
)

// The dashboard of --top draws on the terminal's alternate screen, as top
// and less do, so that the shell's screen comes back as it was.
const (
	altScreenOn  = "\x1b[?1049h\x1b[?25l" // alternate screen, cursor hidden
	altScreenOff = "\x1b[?25h\x1b[?1049l"
	cursorHome   = "\x1b[H"
	eraseEOL     = "\x1b[K"
	eraseBelow   = "\x1b[J"
)

// topTail is how many console lines the dashboard keeps.
const topTail = 200

// topWindow is how many drawings back the dashboard's rates reach, about
// a second of wall time: over one drawing alone, a task that steps twice a
// second would flicker between 0 and 4 steps per second. Rates need at
// least topMinRate of board time.
const (
	topWindow  = 4
	topMinRate = 100 * time.Millisecond
)

// topFrame is what one drawing of the dashboard shows.
type topFrame struct {
	Program, Board string
	At             time.Duration // board time
	Virtual        bool
	// Final marks the table printed when the run is over: every task of
	// the run, with rates averaged over the whole run.
	Final   bool
	Status  string              // the board's parts, as the status line shows them
	Tasks   []session.TaskStats // in any order
	Console []string            // the last console lines and messages, oldest first
	Keys    string              // what the keys do, or ""
}

// renderTop draws f as lines for a terminal of width × height characters
// (height 0: no limit): a header, the board's parts, a table of the tasks
// sorted by busy share (as shown, to a tenth of a percent), then name, the
// last console lines that fit, and the keys.
//
// The table's columns: STATE says what a waiting task waits on; STEPS/S
// and BUSY are over the time since the last drawing (the whole run, when
// Final): steps per second and the share of board time the task's steps
// held the loop; LONGEST is its longest step; LATE and MAX LATE how late it
// last ran, and at worst, after its timer was due; MISSES the deadlines it
// missed (ticks its Tickers skipped, late jobs of an rt.Periodic
// contract: coop.TaskInfo.Misses). Lines wider than the terminal are cut by the terminal.
func renderTop(f topFrame, width, height int) []string {
	rows := slices.Clone(f.Tasks)
	permille := func(x float64) int { return int(x*1000 + 0.5) }
	slices.SortFunc(rows, func(a, b session.TaskStats) int {
		return cmp.Or(cmp.Compare(permille(b.BusyShare), permille(a.BusyShare)),
			cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	var busy float64
	for _, r := range rows {
		busy += r.BusyShare
	}
	clock := "real time"
	if f.Virtual {
		clock = "virtual time"
	}
	tasks := "tasks"
	if len(rows) == 1 {
		tasks = "task"
	}
	head := fmt.Sprintf("coop top · %s on %s · board time %s · %s · %d %s · loop busy %.1f%%",
		f.Program, f.Board, seconds(f.At), clock, len(rows), tasks, 100*busy)
	if f.Final {
		head += " · ended"
	}
	lines := []string{sgrBold + head + sgrReset}
	if f.Status != "" {
		lines = append(lines, f.Status)
	}
	lines = append(lines, "")
	table := taskTable(rows)
	lines = append(lines, sgrReverse+table[0]+sgrReset)
	table = table[1:]

	var foot []string
	if f.Keys != "" && !f.Final {
		foot = []string{sgrDim + f.Keys + sgrReset}
	}
	console := f.Console
	if f.Final {
		console = nil
	}
	if height <= 0 {
		height = len(lines) + len(table) + 1 + len(console) + len(foot)
	}
	avail := max(height-len(lines)-len(foot), 0)
	shown := len(table)
	if len(console) > 0 {
		shown = min(shown, max(avail-1-min(len(console), 3), 1)) // keep 3 console lines
	}
	shown = min(shown, avail)
	if shown < len(table) && shown > 0 {
		lines = append(lines, table[:shown-1]...)
		lines = append(lines, fmt.Sprintf("… %d more", len(table)-shown+1))
	} else {
		lines = append(lines, table[:shown]...)
	}
	if n := min(len(console), avail-shown-1); n > 0 {
		lines = append(lines, sgrDim+"── console"+sgrReset)
		lines = append(lines, console[len(console)-n:]...)
	}
	return append(lines, foot...)
}

// taskTable lays out rows under a heading, in columns wide enough that
// they do not jump as the numbers change.
func taskTable(rows []session.TaskStats) []string {
	t := table.New(
		table.Column{Title: "TASK", Max: 20},
		table.Column{Title: "STATE", Max: 24},
		table.Column{Title: "STEPS/S", Right: true, Min: 7},
		table.Column{Title: "BUSY", Right: true, Min: 6},
		table.Column{Title: "LONGEST", Right: true, Min: 7},
		table.Column{Title: "LATE", Right: true, Min: 7},
		table.Column{Title: "MAX LATE", Right: true, Min: 8},
		table.Column{Title: "MISSES", Right: true, Min: 6},
	)
	for _, r := range rows {
		t.Add(r.Name, stateText(r.TaskInfo),
			fmt.Sprintf("%.1f", r.StepsPerS), fmt.Sprintf("%.1f%%", 100*r.BusyShare),
			shortDuration(r.LongestStep), shortDuration(r.Lateness), shortDuration(r.MaxLateness), strconv.FormatInt(r.Misses, 10))
	}
	return t.Lines()
}

// stateText is a task's state as the dashboard shows it: "sleeping",
// "waiting: event", "done".
func stateText(ti coop.TaskInfo) string {
	s := ti.State.String()
	if ti.State == coop.StateWaiting && ti.WaitingOn != "" {
		s += ": " + ti.WaitingOn
	}
	if ti.Cancelled && !ti.State.Final() {
		s += ", cancelled"
	}
	return s
}

// shortDuration formats a duration in at most three significant digits
// and a unit: "0", "850ns", "12µs", "1.5ms", "30ms", "2.50s".
func shortDuration(d time.Duration) string {
	switch {
	case d <= 0:
		return "0"
	case d < time.Microsecond:
		return fmt.Sprintf("%dns", d)
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d/time.Microsecond)
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond))
	case d < time.Second:
		return fmt.Sprintf("%dms", d/time.Millisecond)
	}
	return fmt.Sprintf("%.2fs", d.Seconds())
}

// topModel samples the run for the dashboard, on the loop.
type topModel struct {
	r    *runner
	keys string

	window []topSample                  // the samples of the last topWindow drawings, oldest first
	rates  map[uint64]session.TaskStats // the rates last computed, for a drawing with no time passed

	seen  map[uint64]bool
	tasks []*coop.Task // every task of the run, in spawn order
}

func newTopModel(r *runner, keys string) *topModel {
	return &topModel{r: r, keys: keys, seen: map[uint64]bool{}}
}

// event notes the tasks of the run, for the final table.
func (m *topModel) event(ev coop.TaskEvent) {
	if id := ev.Task.ID(); !m.seen[id] {
		m.seen[id] = true
		m.tasks = append(m.tasks, ev.Task)
	}
}

// topSample is the tasks at one drawing.
type topSample struct {
	at    time.Duration
	tasks map[uint64]coop.TaskInfo
}

// frame samples the tasks alive now, with rates over the last topWindow
// drawings.
func (m *topModel) frame() topFrame {
	l := m.r.s.Loop()
	now, infos := l.Now(), l.Tasks()
	from := topSample{}
	if len(m.window) > 0 {
		from = m.window[0]
	}
	var rows []session.TaskStats
	if dt := now - from.at; dt >= topMinRate {
		rows = session.TaskRates(from.tasks, infos, dt)
		if len(m.window) == topWindow {
			m.window = append(m.window[:0], m.window[1:]...)
		}
		m.window = append(m.window, topSample{now, session.ByID(infos)})
		m.rates = map[uint64]session.TaskStats{}
		for _, r := range rows {
			m.rates[r.ID] = r
		}
	} else { // too little board time passed: the rates are those of the last frame, if any
		rows = session.TaskRates(nil, infos, 0)
		for i, r := range rows {
			rows[i].StepsPerS, rows[i].BusyShare = m.rates[r.ID].StepsPerS, m.rates[r.ID].BusyShare
		}
	}
	return m.frameOf(now, rows)
}

// final is the table of every task of the run, alive or not, with rates
// averaged over the whole run.
func (m *topModel) final() topFrame {
	now := m.r.s.Loop().Now()
	infos := make([]coop.TaskInfo, len(m.tasks))
	for i, t := range m.tasks {
		infos[i] = t.Info()
	}
	f := m.frameOf(now, session.TaskRates(nil, infos, now))
	f.Final = true
	return f
}

func (m *topModel) frameOf(now time.Duration, rows []session.TaskStats) topFrame {
	r := m.r
	st := snapshot(r.s.Board(), r.wifi)
	status := strings.TrimPrefix(render(st), sgrDim+stamp(st.At)+sgrReset)
	return topFrame{Program: r.prog.Name, Board: r.s.Board().Name(), At: now, Virtual: r.cfg.virtual,
		Status: status, Tasks: rows, Keys: m.keys}
}

// topScreen is the dashboard on the screen: the screen calls it, under
// its lock, in place of the status line.
type topScreen struct {
	model *topModel
	size  func() (width, height int)
	tail  []string // the last console lines and messages
	held  []string // messages, printed on standard error once the dashboard is closed
	on    atomic.Bool
}

// console keeps a console line for the dashboard, with its board time.
func (t *topScreen) console(at time.Duration, line string) {
	t.keep(stamp(at) + " " + line)
}

// message keeps a message of coop ("coop: …") for the dashboard, and for
// standard error once it is closed.
func (t *topScreen) message(text string) {
	t.held = append(t.held, text)
	for line := range strings.SplitSeq(text, "\n") {
		t.keep(line)
	}
}

func (t *topScreen) keep(line string) {
	if len(t.tail) == topTail {
		t.tail = append(t.tail[:0], t.tail[1:]...)
	}
	t.tail = append(t.tail, line)
}

// draw draws the dashboard anew; call it on the loop.
func (t *topScreen) draw(out io.Writer) {
	w, h := t.size()
	if w <= 0 || h <= 0 {
		w, h = 80, 24
	}
	f := t.model.frame()
	f.Console = t.tail
	var b strings.Builder
	if !t.on.Swap(true) {
		b.WriteString(altScreenOn)
	}
	b.WriteString(cursorHome + noAutowrap)
	for i, line := range renderTop(f, w, h) {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(line + sgrReset + eraseEOL)
	}
	b.WriteString(eraseBelow + autowrap)
	io.WriteString(out, b.String())
}

// leave puts the shell's screen back. Any goroutine may call it.
func (t *topScreen) leave(out io.Writer) {
	if t.on.Swap(false) {
		io.WriteString(out, altScreenOff)
	}
}

// finalConsoleLines is how many of the last console lines the final table
// is followed by, so that a short program's output is not lost.
const finalConsoleLines = 10

// cutToWidth cuts line to width columns (no cut for width <= 0), leaving
// its SGR escape sequences whole and closing them if it cuts.
func cutToWidth(line string, width int) string {
	if width <= 0 {
		return line
	}
	cols := 0
	for i := 0; i < len(line); {
		if line[i] == 0x1b { // ESC [ … m takes no column
			if j := strings.IndexByte(line[i:], 'm'); j > 0 {
				i += j + 1
				continue
			}
		}
		if cols == width {
			return line[:i] + sgrReset
		}
		_, size := utf8.DecodeRuneInString(line[i:])
		i += size
		cols++
	}
	return line
}

// close leaves the dashboard for good, prints the final table of the run's
// tasks and the last console lines, cut to the terminal's width, and, on
// errw, the messages the dashboard showed.
func (t *topScreen) close(out, errw io.Writer) {
	t.leave(out)
	width, _ := t.size()
	lines := renderTop(t.model.final(), width, 0)
	if n := min(len(t.tail), finalConsoleLines); n > 0 {
		lines = append(lines, sgrDim+"── console, last lines"+sgrReset)
		lines = append(lines, t.tail[len(t.tail)-n:]...)
	}
	for _, line := range lines {
		io.WriteString(out, cutToWidth(line, width)+"\n")
	}
	for _, m := range t.held {
		io.WriteString(errw, m+"\n")
	}
	t.held = nil
}
