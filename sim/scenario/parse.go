package scenario

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/coopgo/coop/internal/suggest"
	"github.com/coopgo/coop/sim"
)

// Parse parses a scenario; filename is used only in messages. It checks
// the YAML, every step's kind and fields, durations and ranges, and that
// `at` steps come in order; parts are checked by [Scenario.Start]. The
// first problem is returned as an [*Error] with its line and column.
//
// The steps that act on parts are the inputs of [sim.PartTypes] and of
// parts, a program's own part types (see [sim.PartTypesWith]).
func Parse(filename string, data []byte, parts ...*sim.PartType) (*Scenario, error) {
	p := &parser{file: filename, types: sim.PartTypesWith(parts...)}
	var doc yaml.Node
	if err := decodeYAML(data, &doc); err != nil {
		return nil, p.syntax(err, data)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, &Error{File: filename, Msg: "empty file: want name:, version: 1 and steps:", Err: ErrSyntax}
	}
	root := deref(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		return nil, p.errf(root, ErrSyntax, "want a mapping with name:, version: 1 and steps:, got %s", kindOf(root))
	}
	s := &Scenario{file: filename, types: p.types}
	f, err := p.fields("", root, "name", "version", "author", "description", "steps")
	if err != nil {
		return nil, err
	}
	if n := f.vals["name"]; n != nil {
		if s.Name, err = p.text(n, "name"); err != nil {
			return nil, err
		}
	}
	if n := f.vals["author"]; n != nil {
		if s.Author, err = p.text(n, "author"); err != nil {
			return nil, err
		}
	}
	if n := f.vals["version"]; n != nil {
		if n.Kind != yaml.ScalarNode || n.Value != "1" {
			return nil, p.errf(n, ErrSyntax, "version %s is not supported (want 1)", kindOf(n))
		}
	}
	steps := f.vals["steps"]
	if steps == nil {
		return nil, p.errf(root, ErrSyntax, "no steps: (want a list of steps)")
	}
	if steps.Kind == yaml.ScalarNode && steps.Tag == "!!null" {
		return s, nil
	}
	if steps.Kind != yaml.SequenceNode {
		return nil, p.errf(steps, ErrSyntax, "steps must be a list, not %s", kindOf(steps))
	}
	for i, n := range steps.Content {
		st, err := p.step(i+1, deref(n))
		if err != nil {
			return nil, err
		}
		s.steps = append(s.steps, st)
	}
	if err := p.checkAt(s.steps); err != nil {
		return nil, err
	}
	return s, nil
}

// decodeYAML parses data into a node tree. The YAML library panics on a
// few pathological inputs; that is a syntax error too.
func decodeYAML(data []byte, doc *yaml.Node) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("yaml: %v", v)
		}
	}()
	return yaml.Unmarshal(data, doc)
}

type parser struct {
	file  string
	types []*sim.PartType // the part types whose inputs are steps
	// step is the step being parsed, for messages: "step 4 (expect-pin): ".
	prefix string
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parserProblems are the messages of the YAML library's parser (not its
// scanner), which reports their lines counted from 0.
var parserProblems = []string{
	"did not find expected ',' or ']'", "did not find expected ',' or '}'",
	"did not find expected '-' indicator", "did not find expected <document start>",
	"did not find expected <stream-start>", "did not find expected key",
	"did not find expected node content", "found duplicate %TAG directive",
	"found duplicate %YAML directive", "found incompatible YAML document",
	"found undefined tag handle",
}

// syntax turns a YAML library error into an *Error: the library gives the
// line of a syntax error (for the parser's, where the construct it was
// reading starts), not its column.
func (p *parser) syntax(err error, data []byte) *Error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		if slices.Contains(parserProblems, m[2]) {
			line++
		}
		if col := tabAt(data, line); col > 0 {
			return &Error{File: p.file, Line: line, Col: col, Msg: "a tab in the indentation: YAML indents with spaces only", Err: ErrSyntax}
		}
		return &Error{File: p.file, Line: line, Msg: m[2], Err: ErrSyntax}
	}
	return &Error{File: p.file, Msg: strings.TrimPrefix(msg, "yaml: "), Err: ErrSyntax}
}

// tabAt returns the column of a tab in the indentation of line (1-based)
// of data, or 0 if there is none: YAML forbids tabs there, and its
// library's message does not say so.
func tabAt(data []byte, line int) int {
	lines := strings.Split(string(data), "\n")
	if line < 1 || line > len(lines) {
		return 0
	}
	l := lines[line-1]
	indent := l[:len(l)-len(strings.TrimLeft(l, " \t-"))]
	if i := strings.IndexByte(indent, '\t'); i >= 0 {
		return i + 1
	}
	return 0
}

func (p *parser) errf(n *yaml.Node, sentinel error, format string, a ...any) *Error {
	return &Error{File: p.file, Line: n.Line, Col: n.Column, Msg: p.prefix + fmt.Sprintf(format, a...), Err: sentinel}
}

// deref follows an alias to the node it names.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 16; i++ {
		n = n.Alias
	}
	return n
}

func kindOf(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		return quote(n.Value)
	}
	return "an alias"
}

// fields is a mapping of a step (or the file) whose keys are checked.
type fields struct {
	node *yaml.Node
	vals map[string]*yaml.Node
}

// fields checks that n is a mapping whose keys are among allowed, each once.
func (p *parser) fields(kind string, n *yaml.Node, allowed ...string) (*fields, error) {
	if n.Kind != yaml.MappingNode {
		return nil, p.errf(n, ErrValue, "want a mapping of %s, got %s", strings.Join(allowed, ", "), kindOf(n))
	}
	f := &fields{node: n, vals: map[string]*yaml.Node{}}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), deref(n.Content[i+1])
		if k.Kind != yaml.ScalarNode || !slices.Contains(allowed, k.Value) {
			hint := ""
			if k.Kind == yaml.ScalarNode {
				hint = suggest.Hint(k.Value, allowed)
			}
			if kind == "" { // the top level
				return nil, p.errf(k, ErrSyntax, "unknown key %s (%sallowed: %s)", kindOf(k), hint, strings.Join(allowed, ", "))
			}
			return nil, p.errf(k, ErrValue, "unknown field %s (%sallowed: %s)", kindOf(k), hint, strings.Join(allowed, ", "))
		}
		if _, dup := f.vals[k.Value]; dup {
			return nil, p.errf(k, ErrValue, "%s is given twice", k.Value)
		}
		f.vals[k.Value] = v
	}
	return f, nil
}

// need returns field name, or an error at the mapping if it is missing.
func (p *parser) need(f *fields, name string) (*yaml.Node, error) {
	if v := f.vals[name]; v != nil {
		return v, nil
	}
	return nil, p.errf(f.node, ErrValue, "%s: is missing", name)
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

// text returns a scalar as text.
func (p *parser) text(n *yaml.Node, name string) (string, error) {
	if n.Kind != yaml.ScalarNode || isNull(n) {
		return "", p.errf(n, ErrValue, "%s must be text, not %s", name, kindOf(n))
	}
	return n.Value, nil
}

// id returns a part id or SSID: non-empty text.
func (p *parser) id(n *yaml.Node, name string) (string, error) {
	s, err := p.text(n, name)
	if err == nil && s == "" {
		err = p.errf(n, ErrValue, "%s is empty", name)
	}
	return s, err
}

// duration returns a Go duration ("500ms", "2s"), checked against min: 0
// for at least zero, 1 for positive.
func (p *parser) duration(n *yaml.Node, name string, positive bool) (time.Duration, error) {
	if n.Kind != yaml.ScalarNode || isNull(n) {
		return 0, p.errf(n, ErrValue, "%s must be a duration such as 500ms or 2s, not %s", name, kindOf(n))
	}
	d, err := time.ParseDuration(n.Value)
	if err != nil {
		if _, nerr := strconv.ParseFloat(n.Value, 64); nerr == nil {
			return 0, p.errf(n, ErrValue, "%s %s has no unit: write it as %sms or %ss", name, n.Value, n.Value, n.Value)
		}
		return 0, p.errf(n, ErrValue, "%s %s is not a duration such as 500ms or 2s", name, quote(n.Value))
	}
	switch {
	case positive && d <= 0:
		return 0, p.errf(n, ErrValue, "%s %v must be longer than 0s", name, d)
	case d < 0:
		return 0, p.errf(n, ErrValue, "%s %v must not be negative", name, d)
	}
	return d, nil
}

// number returns a number in [lo, hi].
func (p *parser) number(n *yaml.Node, name string, lo, hi float64, unit string) (float64, error) {
	var v float64
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") || n.Decode(&v) != nil {
		return 0, p.errf(n, ErrValue, "%s must be a number, not %s", name, kindOf(n))
	}
	if math.IsNaN(v) || v < lo || v > hi {
		return 0, p.errf(n, ErrValue, "%s %s is out of range: %v to %v%s", name, n.Value, lo, hi, unit)
	}
	return v, nil
}

// bit returns a pin or switch value: 0 or 1 (true or false).
func (p *parser) bit(n *yaml.Node, name string) (bool, error) {
	if n.Kind == yaml.ScalarNode {
		switch {
		case n.Tag == "!!bool":
			var b bool
			if n.Decode(&b) == nil {
				return b, nil
			}
		case n.Tag == "!!int" && n.Value == "0":
			return false, nil
		case n.Tag == "!!int" && n.Value == "1":
			return true, nil
		}
	}
	return false, p.errf(n, ErrValue, "%s must be 0 or 1, not %s", name, kindOf(n))
}

// step parses one step: a mapping with one key, the kind.
func (p *parser) step(index int, n *yaml.Node) (*step, error) {
	p.prefix = fmt.Sprintf("step %d: ", index)
	defer func() { p.prefix = "" }()
	if n.Kind != yaml.MappingNode || len(n.Content) != 2 {
		return nil, p.errf(n, ErrSyntax, "a step is one kind and its value, such as `- delay: 500ms`; got %s", describeStep(n))
	}
	k, v := deref(n.Content[0]), deref(n.Content[1])
	kind := k.Value
	parse := kindParser(p.types, kind)
	if k.Kind != yaml.ScalarNode || parse == nil {
		hint := ""
		if k.Kind == yaml.ScalarNode {
			hint = suggest.Hint(k.Value, kindNames(p.types))
		}
		return nil, p.errf(k, ErrUnknownStep, "unknown step %s (%ssteps: %s)", kindOf(k), hint, strings.Join(kindNames(p.types), ", "))
	}
	p.prefix = fmt.Sprintf("step %d (%s): ", index, kind)
	st := &step{Step: Step{Index: index, Line: k.Line, Col: k.Column, Kind: kind}}
	act, target, err := parse(p, v)
	if err != nil {
		return nil, err
	}
	st.act, st.Target = act, target
	return st, nil
}

func describeStep(n *yaml.Node) string {
	if n.Kind == yaml.MappingNode {
		keys := make([]string, 0, len(n.Content)/2)
		for i := 0; i < len(n.Content); i += 2 {
			keys = append(keys, n.Content[i].Value)
		}
		return "a mapping of " + list(keys)
	}
	return kindOf(n)
}

// checkAt rejects an `at` earlier than the time the steps before it reach
// at the earliest: it would always fail.
func (p *parser) checkAt(steps []*step) error {
	var earliest time.Duration
	for _, st := range steps {
		if a, ok := st.act.(*atStep); ok {
			if a.t < earliest {
				p.prefix = fmt.Sprintf("step %d (at): ", st.Index)
				return p.errf(&yaml.Node{Line: a.at.line, Column: a.at.col}, ErrValue,
					"at %v is earlier than %v, where the steps before it end at the earliest", a.t, earliest)
			}
			earliest = a.t
		}
		earliest += st.act.minDuration()
	}
	return nil
}
