package trace

import (
	"bytes"
	"encoding/xml"
	"io"
	"slices"
	"strings"
	"testing"
	"time"
)

// svgDoc is what the tests look at in a picture.
type svgDoc struct {
	labels []string            // row labels, in order
	waves  map[string]string   // pin → polyline points
	rects  map[string][]string // task → "class x width" of each band
	axis   []string            // tick labels
	texts  []string            // every text
}

// parseSVG checks that data is well-formed XML and collects what tests check.
func parseSVG(t *testing.T, data []byte) svgDoc {
	t.Helper()
	doc := svgDoc{waves: map[string]string{}, rects: map[string][]string{}}
	dec := xml.NewDecoder(bytes.NewReader(data))
	var stack []xml.StartElement
	row := ""
	attr := func(e xml.StartElement, name string) string {
		for _, a := range e.Attr {
			if a.Name.Local == name {
				return a.Value
			}
		}
		return ""
	}
	inside := func(class string) bool {
		for _, e := range stack {
			if strings.Contains(attr(e, "class"), class) {
				return true
			}
		}
		return false
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, data)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if len(stack) == 0 && (tok.Name.Local != "svg" || tok.Name.Space != "http://www.w3.org/2000/svg") {
				t.Fatalf("root element is %v, want svg in the SVG namespace", tok.Name)
			}
			stack = append(stack, tok)
			if tok.Name.Local == "g" && strings.HasPrefix(attr(tok, "class"), "row ") {
				row = attr(tok, "data-name")
			}
			switch {
			case tok.Name.Local == "polyline" && inside("pin"):
				doc.waves[row] = attr(tok, "points")
			case tok.Name.Local == "rect" && inside("task"):
				doc.rects[row] = append(doc.rects[row], attr(tok, "class")+" "+attr(tok, "x")+" "+attr(tok, "width"))
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 || stack[len(stack)-1].Name.Local != "text" {
				continue
			}
			text := string(tok)
			doc.texts = append(doc.texts, text)
			if strings.HasPrefix(attr(stack[len(stack)-1], "class"), "label") {
				doc.labels = append(doc.labels, text)
			}
			if inside("axis") {
				doc.axis = append(doc.axis, text)
			}
		}
	}
	return doc
}

func writeSVG(t *testing.T, events []Event, opts SVGOptions) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteSVG(&b, events, opts); err != nil {
		t.Fatalf("WriteSVG: %v", err)
	}
	return b.Bytes()
}

// With Width 1000 the plot runs from x=120 to x=980: 86 pixels a
// millisecond over 10ms. The first pin row is at y=28: high y=34, low y=50.
var simpleEvents = []Event{
	{At: 0, Kind: KindPin, Source: "A", Level: false},
	{At: 0, Kind: KindTask, Source: "t", Text: "running"},
	{At: 2 * ms, Kind: KindPin, Source: "A", Level: true},
	{At: 5 * ms, Kind: KindTask, Source: "t", Text: "sleeping"},
	{At: 6 * ms, Kind: KindPin, Source: "A", Level: false},
	{At: 8 * ms, Kind: KindTask, Source: "t", Text: "ready"},
	{At: 8 * ms, Kind: KindTask, Source: "t", Text: "running"}, // zero length: one pixel
	{At: 8 * ms, Kind: KindTask, Source: "t", Text: "failed"},
	{At: 10 * ms, Kind: KindPin, Source: "B", Level: true},
}

func TestWriteSVGCoordinates(t *testing.T) {
	tests := []struct {
		name  string
		opts  SVGOptions
		waveA string
		waveB string
		bands []string
		axis  []string
	}{
		{
			name:  "whole run",
			opts:  SVGOptions{},
			waveA: "120,50 292,50 292,34 636,34 636,50 980,50",
			waveB: "980,62 980,62", // second row: high y=62
			bands: []string{"sleeping 550 258", "running 120 430", "running 808 1", "failed 807 2"},
			axis:  []string{"0 ms", "2 ms", "4 ms", "6 ms", "8 ms", "10 ms"},
		},
		{
			name:  "window",
			opts:  SVGOptions{From: 4 * ms, To: 6 * ms, Width: 500},
			waveA: "120,34 480,34 480,50 480,50", // 180 pixels a millisecond
			waveB: "",
			bands: []string{"sleeping 300 180", "running 120 180"},
			axis:  []string{"4 ms", "5 ms", "6 ms"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := parseSVG(t, writeSVG(t, simpleEvents, tt.opts))
			if got := doc.waves["A"]; got != tt.waveA {
				t.Errorf("wave of A = %q, want %q", got, tt.waveA)
			}
			if got := doc.waves["B"]; got != tt.waveB {
				t.Errorf("wave of B = %q, want %q", got, tt.waveB)
			}
			if got := doc.rects["t"]; !slices.Equal(got, tt.bands) {
				t.Errorf("bands of t = %q, want %q", got, tt.bands)
			}
			if !slices.Equal(doc.axis, tt.axis) {
				t.Errorf("axis labels = %q, want %q", doc.axis, tt.axis)
			}
			if want := []string{"A", "B", "t"}; !slices.Equal(doc.labels, want) {
				t.Errorf("row labels = %q, want %q", doc.labels, want)
			}
		})
	}
}

func TestWriteSVGRows(t *testing.T) {
	events := []Event{
		{At: 0, Kind: KindTask, Source: "main", Text: "running"},
		{At: 0, Kind: KindConsole, Text: "temperature <20> & rising"},
		{At: 1 * ms, Kind: KindPin, Source: "GP15", Level: true},
		{At: 1 * ms, Kind: KindPin, Source: "LED", Level: true},
		{At: 2 * ms, Kind: KindTask, Source: `worker "a"`, Text: "waiting"},
		{At: 2 * ms, Kind: KindInterrupt, Source: "GP14", Text: "falling"},
		{At: 3 * ms, Kind: KindMark, Text: "button pressed"},
		{At: 4 * ms, Kind: KindConsole, Text: "a line long enough to be cut short in the picture"},
		{At: 4 * ms, Kind: KindConsole, Text: "second"},
		{At: 4 * ms, Kind: KindConsole, Text: "third"},
		{At: 4 * ms, Kind: KindConsole, Text: "fourth: no lane left"},
		{At: 5 * ms, Kind: KindTask, Source: "main", Text: "a state unknown here"},
	}
	data := writeSVG(t, events, SVGOptions{})
	doc := parseSVG(t, data)
	want := []string{"GP15", "LED", "main", `worker "a"`, "interrupts", "marks", "console"}
	if !slices.Equal(doc.labels, want) {
		t.Errorf("row labels = %q, want %q", doc.labels, want)
	}
	for _, text := range []string{
		"temperature <20> & rising", "GP14: falling", "button pressed",
		"a line long enough to be cut sh…", "second", "third",
	} {
		if !slices.Contains(doc.texts, text) {
			t.Errorf("no text %q in the picture; texts: %q", text, doc.texts)
		}
	}
	if slices.Contains(doc.texts, "fourth: no lane left") {
		t.Errorf("a fourth label at one time is drawn over the others")
	}
	if !bytes.Contains(data, []byte("<title>4ms fourth: no lane left</title>")) {
		t.Errorf("the undrawn label has no tooltip")
	}
	if !bytes.Equal(data, writeSVG(t, events, SVGOptions{})) {
		t.Errorf("WriteSVG is not deterministic")
	}
}

func TestWriteSVGEdgeCases(t *testing.T) {
	// No events, a single instant, tiny widths, a huge span: all draw.
	for _, tc := range []struct {
		events []Event
		opts   SVGOptions
	}{
		{nil, SVGOptions{}},
		{[]Event{{At: 0, Kind: KindPin, Source: "A"}}, SVGOptions{Width: 1}},
		{[]Event{{At: 3 * time.Second, Kind: KindMark, Text: "x"}}, SVGOptions{From: 3 * time.Second}},
		{[]Event{{At: 1<<63 - 1, Kind: KindPin, Source: "A"}}, SVGOptions{}},
		{[]Event{{At: -5 * ms, Kind: KindPin, Source: "A"}}, SVGOptions{From: -10 * ms}},
	} {
		parseSVG(t, writeSVG(t, tc.events, tc.opts))
	}
	if err := WriteSVG(io.Discard, nil, SVGOptions{From: 2 * ms, To: 1 * ms}); err == nil {
		t.Errorf("WriteSVG(From 2ms, To 1ms) = nil, want an error")
	}
}

func TestNiceStep(t *testing.T) {
	tests := []struct {
		span  time.Duration
		plotW float64
		want  time.Duration
	}{
		{10 * ms, 860, 2 * ms},
		{10 * ms, 1000, 1 * ms},
		{10 * time.Second, 860, 2 * time.Second},
		{3 * time.Second, 860, 500 * ms},
		{1 * time.Microsecond, 860, 200},
		{5, 860, 1},
		{time.Hour, 860, 500 * time.Second},
	}
	for _, tt := range tests {
		if got := niceStep(tt.span, tt.plotW); got != tt.want {
			t.Errorf("niceStep(%v, %v) = %v, want %v", tt.span, tt.plotW, got, tt.want)
		}
	}
}
