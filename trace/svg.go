package trace

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// SVGOptions configures [WriteSVG]. The zero value draws every event on a
// picture 1000 pixels wide.
type SVGOptions struct {
	// From and To bound the time drawn. A zero To means the time of the
	// last event. Events before From still set the levels and states
	// drawn at From.
	From, To time.Duration

	// Width is the width of the picture in pixels. Zero means 1000;
	// smaller than 200 means 200.
	Width int
}

// Layout of the picture, in pixels.
const (
	svgLabelWidth = 120 // left column with row names
	svgRightPad   = 20
	svgTop        = 28 // legend
	svgPinRow     = 28
	svgTaskRow    = 20
	svgTickRow    = 44 // console, interrupts, marks: three lanes of labels
	svgAxis       = 30
	svgLane       = 12
	svgCharWidth  = 6.5 // estimated width of a character of a tick label
)

// Colours of task states, chosen to read apart for most colour-blind people
// too: the busy states are dark and warm, the idle ones light and cold.
var svgStateColour = map[string]string{
	StateRunning:   "#2e7d32",
	StateReady:     "#f9a825",
	StateSleeping:  "#90caf9",
	StateWaiting:   "#b0bec5",
	StateDone:      "#616161",
	StateCancelled: "#ef6c00",
	StateFailed:    "#c62828",
}

// WriteSVG draws events as an SVG timeline on w: a row per pin with its
// level as a square wave (high up, low down, nothing before its first
// level), a row per task with a coloured band per state (running, ready,
// sleeping, waiting; a short bar where it ended: grey done, orange
// cancelled, red failed), and rows of labelled ticks for interrupts, marks
// (also drawn as dashed lines across the picture) and console lines. Rows
// come in order of first appearance. The time axis at the bottom is
// labelled in s, ms, µs or ns, whichever suits its step. Every mark has a
// tooltip with its exact time and text.
//
// A task that runs for less than a pixel (every task, on a virtual clock)
// is still drawn as running: a one-pixel tick over the top half of its row,
// one per pixel column, so the state it waits in between stays visible on
// long timelines. Output is deterministic.
//
// WriteSVG returns an error if To is before From or if writing to w fails.
func WriteSVG(w io.Writer, events []Event, opts SVGOptions) error {
	events = sortedByTime(events)
	from, to := opts.From, opts.To
	if to == 0 && len(events) > 0 {
		to = events[len(events)-1].At
	}
	if opts.To != 0 && to < from {
		return fmt.Errorf("trace: SVG time range from %v to %v goes backwards", from, to)
	}
	if to <= from {
		to = from + time.Millisecond
	}
	width := opts.Width
	if width == 0 {
		width = 1000
	}
	width = max(width, 200)

	var pins, tasks []string
	seen := make(map[[2]string]bool)
	var interrupts, marks, console bool
	for _, e := range events {
		switch e.Kind {
		case KindPin, KindTask:
			key := [2]string{e.Kind.String(), e.Source}
			if !seen[key] {
				seen[key] = true
				if e.Kind == KindPin {
					pins = append(pins, e.Source)
				} else {
					tasks = append(tasks, e.Source)
				}
			}
		case KindInterrupt:
			interrupts = true
		case KindMark:
			marks = true
		case KindConsole:
			console = true
		}
	}

	d := &svgDrawing{
		from:  from,
		to:    to,
		x0:    svgLabelWidth,
		plotW: float64(width - svgLabelWidth - svgRightPad),
	}
	height := svgTop + len(pins)*svgPinRow + len(tasks)*svgTaskRow + svgAxis
	for _, b := range []bool{interrupts, marks, console} {
		if b {
			height += svgTickRow
		}
	}
	d.b = bufio.NewWriter(w)
	d.printf(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n", width, height, width, height)
	d.printf(`<rect width="%d" height="%d" fill="#ffffff"/>`+"\n", width, height)
	plotBottom := height - svgAxis
	d.axis(svgTop, plotBottom)
	if len(tasks) > 0 {
		d.legend()
	}

	y := svgTop
	for _, name := range pins {
		d.pinRow(name, y, events)
		y += svgPinRow
	}
	for _, name := range tasks {
		d.taskRow(name, y, events)
		y += svgTaskRow
	}
	if interrupts {
		d.tickRow("interrupts", y, events, KindInterrupt, 0)
		y += svgTickRow
	}
	if marks {
		d.tickRow("marks", y, events, KindMark, plotBottom)
		y += svgTickRow
	}
	if console {
		d.tickRow("console", y, events, KindConsole, 0)
	}
	d.printf("</svg>\n")
	return d.b.Flush()
}

type svgDrawing struct {
	b        *bufio.Writer
	from, to time.Duration
	x0       float64
	plotW    float64
}

func (d *svgDrawing) printf(format string, args ...any) {
	fmt.Fprintf(d.b, format, args...)
}

// x returns the horizontal position of time t, which must be in range.
func (d *svgDrawing) x(t time.Duration) float64 {
	return d.x0 + float64(t-d.from)*d.plotW/float64(d.to-d.from)
}

func (d *svgDrawing) inRange(t time.Duration) bool { return t >= d.from && t <= d.to }

// num formats a coordinate with at most two decimals.
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}

func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// clip shortens s to at most n characters, with an ellipsis.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func (d *svgDrawing) label(name, class string, y, h int) {
	d.printf(`<text class="label %s" x="6" y="%d" dominant-baseline="middle">%s<title>%s</title></text>`+"\n",
		class, y+h/2, esc(clip(name, 17)), esc(name))
}

// axis draws the time axis below the rows and a grid line at each tick.
func (d *svgDrawing) axis(top, bottom int) {
	span := d.to - d.from
	step := niceStep(span, d.plotW)
	unit, unitName := time.Nanosecond, "ns"
	for _, u := range []struct {
		d    time.Duration
		name string
	}{{time.Second, "s"}, {time.Millisecond, "ms"}, {time.Microsecond, "µs"}} {
		if step >= u.d {
			unit, unitName = u.d, u.name
			break
		}
	}
	d.printf(`<g class="axis" font-size="11" fill="#424242">` + "\n")
	d.printf(`<line x1="%s" y1="%d" x2="%s" y2="%d" stroke="#424242"/>`+"\n", num(d.x0), bottom, num(d.x0+d.plotW), bottom)
	first := (d.from + step - 1) / step * step
	if d.from < 0 {
		first = d.from / step * step
	}
	for t := first; t <= d.to; t += step {
		x := num(d.x(t))
		d.printf(`<line x1="%s" y1="%d" x2="%s" y2="%d" stroke="#e0e0e0"/>`+"\n", x, top, x, bottom)
		d.printf(`<line x1="%s" y1="%d" x2="%s" y2="%d" stroke="#424242"/>`+"\n", x, bottom, x, bottom+4)
		value := strconv.FormatFloat(float64(t)/float64(unit), 'f', -1, 64)
		d.printf(`<text x="%s" y="%d" text-anchor="middle">%s %s</text>`+"\n", x, bottom+16, value, unitName)
		if t > math.MaxInt64-step {
			break
		}
	}
	d.printf("</g>\n")
}

// niceStep returns the smallest step of 1, 2 or 5 times a power of ten
// nanoseconds that keeps tick labels at least 100 pixels apart.
func niceStep(span time.Duration, plotW float64) time.Duration {
	for p := time.Duration(1); ; p *= 10 {
		for _, m := range []time.Duration{1, 2, 5} {
			step := m * p
			if float64(step)*plotW/float64(span) >= 100 || step >= span {
				return step
			}
		}
		if p > math.MaxInt64/100 {
			return p
		}
	}
}

func (d *svgDrawing) legend() {
	x := d.x0
	d.printf(`<g class="legend" font-size="11">` + "\n")
	for _, s := range []string{StateRunning, StateReady, StateSleeping, StateWaiting} {
		d.printf(`<rect x="%s" y="9" width="12" height="10" fill="%s"/><text x="%s" y="18">%s</text>`+"\n",
			num(x), svgStateColour[s], num(x+16), s)
		x += 84
	}
	for _, s := range []string{StateDone, StateCancelled, StateFailed} {
		d.printf(`<rect x="%s" y="8" width="2" height="12" fill="%s"/><text x="%s" y="18">%s</text>`+"\n",
			num(x), svgStateColour[s], num(x+6), s)
		x += 76
	}
	d.printf("</g>\n")
}

func (d *svgDrawing) pinRow(name string, y int, events []Event) {
	high, low := float64(y+6), float64(y+svgPinRow-6)
	var pts []string
	point := func(t time.Duration, level bool) {
		y := low
		if level {
			y = high
		}
		pts = append(pts, num(d.x(t))+","+num(y))
	}
	known, cur := false, false // the level at the last point
	for _, e := range events {
		if e.Kind != KindPin || e.Source != name || e.At > d.to {
			continue
		}
		switch {
		case e.At <= d.from:
			// Sets the level the wave starts with.
		case !known:
			point(e.At, e.Level) // the pin's first level
		default:
			if len(pts) == 0 {
				point(d.from, cur)
			}
			point(e.At, cur)
			point(e.At, e.Level)
		}
		known, cur = true, e.Level
	}
	if known {
		if len(pts) == 0 {
			point(d.from, cur)
		}
		point(d.to, cur)
	}
	d.printf(`<g class="row pin" data-name="%s">`+"\n", esc(name))
	d.label(name, "pin", y, svgPinRow)
	d.printf(`<line x1="%s" y1="%d" x2="%s" y2="%d" stroke="#eeeeee"/>`+"\n", num(d.x0), y+svgPinRow, num(d.x0+d.plotW), y+svgPinRow)
	if len(pts) > 0 {
		d.printf(`<polyline class="wave" points="%s" fill="none" stroke="#1565c0" stroke-width="1.5"/>`+"\n", strings.Join(pts, " "))
	}
	d.printf("</g>\n")
}

func (d *svgDrawing) taskRow(name string, y int, events []Event) {
	type band struct {
		from, to time.Duration
		state    string
	}
	var bands []band
	var ends []band
	state, since := "", d.from
	flush := func(until time.Duration) {
		if state != "" {
			bands = append(bands, band{max(since, d.from), until, state})
		}
	}
	for _, e := range events {
		if e.Kind != KindTask || e.Source != name || e.At > d.to {
			continue
		}
		if e.At >= d.from {
			flush(e.At)
		}
		switch e.Text {
		case StateDone, StateCancelled, StateFailed:
			state = ""
			if e.At >= d.from {
				ends = append(ends, band{e.At, e.At, e.Text})
			}
		default:
			state = e.Text
		}
		since = e.At
	}
	flush(d.to)

	d.printf(`<g class="row task" data-name="%s">`+"\n", esc(name))
	d.label(name, "task", y, svgTaskRow)
	top, h := y+3, svgTaskRow-6
	draw := func(b band, minW float64) {
		x1, x2 := d.x(b.from), d.x(b.to)
		w := max(x2-x1, minW)
		if w <= 0 {
			return
		}
		colour, ok := svgStateColour[b.state]
		if !ok {
			colour = svgStateColour[StateWaiting]
		}
		d.printf(`<rect class="%s" x="%s" y="%d" width="%s" height="%d" fill="%s"><title>%s %s from %v to %v</title></rect>`+"\n",
			esc(b.state), num(x1), top, num(w), h, colour, esc(name), esc(b.state), b.from, b.to)
	}
	// The other states first, a band of one state drawn once across the
	// steps that split it: on a long timeline a step is far less than a
	// pixel.
	var merged []band
	for _, b := range bands {
		if b.to == b.from {
			continue // a zero-length state (ready, running) between two of another
		}
		if n := len(merged); n > 0 && merged[n-1].state == b.state && merged[n-1].to == b.from {
			merged[n-1].to = b.to
			continue
		}
		merged = append(merged, b)
	}
	for _, b := range merged {
		if b.state != StateRunning {
			draw(b, 0)
		}
	}
	// Running on top, at least a pixel wide, so that short steps show. A
	// step shorter than a pixel is a tick over the row's top half, one per
	// pixel column, so that what the task does between steps stays in view.
	lastTick := math.Inf(-1)
	for _, b := range bands {
		if b.state != StateRunning {
			continue
		}
		if x1, x2 := d.x(b.from), d.x(b.to); x2-x1 >= 1 {
			draw(b, 1)
		} else if col := math.Floor(x1); col > lastTick {
			lastTick = col
			d.printf(`<rect class="running" x="%s" y="%d" width="1" height="%d" fill="%s"><title>%s running at %v</title></rect>`+"\n",
				num(x1), top, h/2, svgStateColour[StateRunning], esc(name), b.from)
		}
	}
	for _, b := range ends {
		d.printf(`<rect class="%s" x="%s" y="%d" width="2" height="%d" fill="%s"><title>%s %s at %v</title></rect>`+"\n",
			b.state, num(d.x(b.from)-1), y+1, svgTaskRow-2, svgStateColour[b.state], esc(name), b.state, b.from)
	}
	d.printf("</g>\n")
}

// tickRow draws the events of kind as ticks with labels in three lanes
// (an unlabelled tick at most once per pixel column); a label that would
// overlap the one before it in every lane is left to the
// tooltip. If lineTo is not zero, ticks also run as dashed lines from the
// top of the picture down to lineTo.
func (d *svgDrawing) tickRow(name string, y int, events []Event, kind Kind, lineTo int) {
	d.printf(`<g class="row %s" data-name="%s">`+"\n", name, name)
	d.label(name, name, y, svgTickRow)
	var laneEnd [3]float64
	lastCol := math.Inf(-1)
	for _, e := range events {
		if e.Kind != kind || !d.inRange(e.At) {
			continue
		}
		text := e.Text
		if kind == KindInterrupt {
			text = e.Source + ": " + e.Text
		}
		x := d.x(e.At)
		shown := clip(text, 32)
		lane := slices.IndexFunc(laneEnd[:], func(end float64) bool { return x >= end })
		col := math.Floor(x)
		d.printf(`<g class="tick"><title>%v %s</title>`, e.At, esc(text))
		if lane < 0 && col == lastCol && lineTo == 0 {
			d.printf("</g>\n") // no room for its label, and its pixel has a tick already
			continue
		}
		lastCol = col
		if lineTo != 0 {
			d.printf(`<line x1="%s" y1="%d" x2="%s" y2="%d" stroke="#9e9e9e" stroke-dasharray="3,3"/>`, num(x), svgTop, num(x), lineTo)
		}
		d.printf(`<line x1="%s" y1="%d" x2="%s" y2="%d" stroke="#424242"/>`, num(x), y+4, num(x), y+svgTickRow-4)
		if lane >= 0 {
			laneEnd[lane] = x + 3 + svgCharWidth*float64(utf8.RuneCountInString(shown)) + 6
			d.printf(`<text x="%s" y="%d" font-size="10">%s</text>`, num(x+3), y+4+svgLane*(lane+1)-2, esc(shown))
		}
		d.printf("</g>\n")
	}
	d.printf("</g>\n")
}
