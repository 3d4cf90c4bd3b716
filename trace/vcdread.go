package trace

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"strconv"
	"strings"
	"time"
)

// VCD is a Value Change Dump file read by [ReadVCD].
type VCD struct {
	Version string // the $version text, or ""
	Date    string // the $date text, or ""

	// Timescale is the length of one time unit of the file. It is zero
	// when the unit is shorter than a nanosecond (ps, fs); the times of
	// changes are then still right, truncated to the nanosecond.
	Timescale time.Duration

	Signals  []*Signal     // in order of declaration
	Comments []Comment     // $comment sections after $enddefinitions
	End      time.Duration // the last timestamp of the file
}

// Signal is one variable of a [VCD] file and its value changes.
type Signal struct {
	// Name is the variable's reference prefixed by its scopes, joined by
	// dots ("pins.GP15"); a bit range declared after the reference is
	// appended as written ("top.data[7:0]").
	Name  string
	Type  string // the declared type: "wire", "reg", …
	Width int    // in bits
	Code  string // the identifier code

	// Changes are in time order, one per instant, each with a value
	// different from the one before: a value written twice at one time
	// keeps the last one, and a value equal to the current one is dropped.
	Changes []Change
}

// Change is a signal taking a value at a time.
type Change struct {
	At time.Duration
	// Value is "0", "1", "x" or "z" for a scalar value; "b" and the bits
	// for a vector ("b01x1"); "r" and the number for a real ("r2.5").
	// Letters are lower case.
	Value string
}

// Comment is a $comment section in the value changes of a [VCD], at the time
// of the timestamp before it.
type Comment struct {
	At   time.Duration
	Text string // the words of the comment, separated by single spaces
}

// Signal returns the signal called name, or nil if there is none.
func (v *VCD) Signal(name string) *Signal {
	for _, s := range v.Signals {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// SyntaxError is the error [ReadVCD] returns for a file it cannot read.
type SyntaxError struct {
	Line int // line of the offending token, from 1
	Msg  string
}

// Error returns "vcd: line N: " followed by the message.
func (e *SyntaxError) Error() string {
	return "vcd: line " + strconv.Itoa(e.Line) + ": " + e.Msg
}

// ReadVCD reads a Value Change Dump: what [WriteVCD] writes, and what
// simulators, GTKWave and sigrok commonly write. It understands $date,
// $version, $timescale, nested $scope/$upscope, $var of any type and width
// (several $var may share one identifier code), $comment, the $dumpvars,
// $dumpall, $dumpon and $dumpoff blocks, #time stamps, scalar values 0, 1,
// x and z, vector (bNNN) and real (rNNN) values. Other header sections,
// such as GTKWave's $attrbegin, are skipped. A file without $timescale
// counts in nanoseconds.
//
// Errors in the file are reported as a [*SyntaxError] with the line number:
// an unknown identifier code, a malformed value, time going backwards, a
// section without $end, a file without $enddefinitions, and so on.
func ReadVCD(r io.Reader) (*VCD, error) {
	p := &vcdParser{
		s:         &vcdScanner{r: bufio.NewReader(r), line: 1},
		v:         &VCD{Timescale: time.Nanosecond},
		tickFS:    1e6,
		codes:     make(map[string][]*Signal),
		firstTime: true,
	}
	if err := p.header(); err != nil {
		return nil, err
	}
	if err := p.body(); err != nil {
		return nil, err
	}
	return p.v, nil
}

type vcdParser struct {
	s         *vcdScanner
	v         *VCD
	tickFS    uint64 // femtoseconds per time unit
	scopes    []string
	codes     map[string][]*Signal
	now       time.Duration
	lastTime  uint64
	firstTime bool
}

func (p *vcdParser) errorf(line int, format string, args ...any) error {
	return &SyntaxError{Line: line, Msg: fmt.Sprintf(format, args...)}
}

// section reads the words up to $end of the section opened on line.
func (p *vcdParser) section(keyword string, line int) ([]string, error) {
	var words []string
	for {
		tok, _, err := p.s.next()
		if err == io.EOF {
			return nil, p.errorf(line, "%s without $end", keyword)
		}
		if err != nil {
			return nil, err
		}
		if tok == "$end" {
			return words, nil
		}
		words = append(words, tok)
	}
}

func (p *vcdParser) header() error {
	for {
		tok, line, err := p.s.next()
		if err == io.EOF {
			return p.errorf(p.s.line, "no $enddefinitions")
		}
		if err != nil {
			return err
		}
		if !strings.HasPrefix(tok, "$") {
			return p.errorf(line, "unexpected %q in the header", tok)
		}
		if tok == "$end" {
			return p.errorf(line, "$end without a section")
		}
		words, err := p.section(tok, line)
		if err != nil {
			return err
		}
		switch tok {
		case "$version":
			p.v.Version = strings.Join(words, " ")
		case "$date":
			p.v.Date = strings.Join(words, " ")
		case "$timescale":
			if err := p.timescale(strings.Join(words, ""), line); err != nil {
				return err
			}
		case "$scope":
			if len(words) != 2 {
				return p.errorf(line, "$scope wants a type and a name, got %q", words)
			}
			p.scopes = append(p.scopes, words[1])
		case "$upscope":
			if len(p.scopes) == 0 {
				return p.errorf(line, "$upscope outside any $scope")
			}
			p.scopes = p.scopes[:len(p.scopes)-1]
		case "$var":
			if err := p.variable(words, line); err != nil {
				return err
			}
		case "$enddefinitions":
			return nil
		}
		// Other sections ($comment, $attrbegin, $timezero…) are skipped.
	}
}

var vcdUnitsFS = map[string]uint64{
	"s": 1e15, "ms": 1e12, "us": 1e9, "ns": 1e6, "ps": 1e3, "fs": 1,
}

func (p *vcdParser) timescale(text string, line int) error {
	n := strings.IndexFunc(text, func(r rune) bool { return r < '0' || r > '9' })
	if n < 0 {
		n = len(text)
	}
	num, unit := text[:n], text[n:]
	fs, ok := vcdUnitsFS[unit]
	if !ok || (num != "1" && num != "10" && num != "100") {
		return p.errorf(line, "bad $timescale %q: want 1, 10 or 100 and a unit s, ms, us, ns, ps or fs", text)
	}
	k, _ := strconv.ParseUint(num, 10, 64)
	p.tickFS = k * fs
	p.v.Timescale = time.Duration(p.tickFS / 1e6)
	return nil
}

func (p *vcdParser) variable(words []string, line int) error {
	if len(words) < 4 {
		return p.errorf(line, "$var wants a type, a width, a code and a name, got %q", words)
	}
	width, err := strconv.Atoi(words[1])
	if err != nil || width < 1 {
		return p.errorf(line, "bad $var width %q", words[1])
	}
	name := strings.Join(words[3:], "")
	if len(p.scopes) > 0 {
		name = strings.Join(p.scopes, ".") + "." + name
	}
	s := &Signal{Name: name, Type: words[0], Width: width, Code: words[2]}
	p.v.Signals = append(p.v.Signals, s)
	p.codes[s.Code] = append(p.codes[s.Code], s)
	return nil
}

func (p *vcdParser) body() error {
	dump := "" // the open $dumpvars-like block, if any
	dumpLine := 0
	for {
		tok, line, err := p.s.next()
		if err == io.EOF {
			if dump != "" {
				return p.errorf(dumpLine, "%s without $end", dump)
			}
			return nil
		}
		if err != nil {
			return err
		}
		switch c := tok[0]; {
		case c == '#':
			if err := p.timestamp(tok[1:], line); err != nil {
				return err
			}
		case tok == "$end":
			if dump == "" {
				return p.errorf(line, "$end without a section")
			}
			dump = ""
		case tok == "$dumpvars" || tok == "$dumpall" || tok == "$dumpon" || tok == "$dumpoff":
			if dump != "" {
				return p.errorf(line, "%s inside %s", tok, dump)
			}
			dump, dumpLine = tok, line
		case c == '$':
			words, err := p.section(tok, line)
			if err != nil {
				return err
			}
			if tok == "$comment" {
				p.v.Comments = append(p.v.Comments, Comment{At: p.now, Text: strings.Join(words, " ")})
			}
		case strings.IndexByte("01xzXZ", c) >= 0:
			if len(tok) == 1 {
				return p.errorf(line, "value %q without an identifier code", tok)
			}
			if err := p.change(strings.ToLower(tok[:1]), tok[1:], line); err != nil {
				return err
			}
		case c == 'b' || c == 'B' || c == 'r' || c == 'R':
			value := tok[1:]
			if c == 'b' || c == 'B' {
				if value == "" || strings.Trim(value, "01xzXZ") != "" {
					return p.errorf(line, "bad vector value %q", tok)
				}
				value = "b" + strings.ToLower(value)
			} else {
				if _, err := strconv.ParseFloat(value, 64); err != nil {
					return p.errorf(line, "bad real value %q", tok)
				}
				value = "r" + value
			}
			code, codeLine, err := p.s.next()
			if err == io.EOF {
				return p.errorf(line, "value %q without an identifier code", tok)
			}
			if err != nil {
				return err
			}
			if err := p.change(value, code, codeLine); err != nil {
				return err
			}
		default:
			return p.errorf(line, "unexpected %q", tok)
		}
	}
}

func (p *vcdParser) timestamp(digits string, line int) error {
	t, err := strconv.ParseUint(digits, 10, 64)
	if err != nil {
		return p.errorf(line, "bad timestamp %q", "#"+digits)
	}
	if !p.firstTime && t < p.lastTime {
		return p.errorf(line, "time goes back from #%d to #%d", p.lastTime, t)
	}
	hi, lo := bits.Mul64(t, p.tickFS)
	if hi >= 1e6 {
		return p.errorf(line, "timestamp #%d out of range", t)
	}
	ns, _ := bits.Div64(hi, lo, 1e6)
	if ns > math.MaxInt64 {
		return p.errorf(line, "timestamp #%d out of range", t)
	}
	p.firstTime, p.lastTime = false, t
	p.now = time.Duration(ns)
	p.v.End = p.now
	return nil
}

func (p *vcdParser) change(value, code string, line int) error {
	sigs, ok := p.codes[code]
	if !ok {
		return p.errorf(line, "unknown identifier code %q", code)
	}
	for _, s := range sigs {
		n := len(s.Changes)
		if n > 0 && s.Changes[n-1].At == p.now {
			s.Changes = s.Changes[:n-1] // last value at an instant wins
			n--
		}
		if n > 0 && s.Changes[n-1].Value == value {
			continue
		}
		s.Changes = append(s.Changes, Change{At: p.now, Value: value})
	}
	return nil
}

// vcdScanner splits a VCD file into whitespace-separated words.
type vcdScanner struct {
	r    *bufio.Reader
	line int
	buf  []byte
}

// maxToken bounds a word, so that a file without whitespace cannot make
// ReadVCD hold all of it in one token.
const maxToken = 1 << 20

// next returns the next word and its line, or io.EOF.
func (s *vcdScanner) next() (string, int, error) {
	s.buf = s.buf[:0]
	for {
		c, err := s.r.ReadByte()
		if err != nil {
			return "", s.line, s.readErr(err)
		}
		if c == '\n' {
			s.line++
		}
		if !isSpace(c) {
			s.buf = append(s.buf, c)
			break
		}
	}
	line := s.line
	for {
		c, err := s.r.ReadByte()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", line, s.readErr(err)
		}
		if isSpace(c) {
			if c == '\n' {
				s.line++
			}
			break
		}
		if len(s.buf) >= maxToken {
			return "", line, &SyntaxError{Line: line, Msg: "word longer than 1 MiB"}
		}
		s.buf = append(s.buf, c)
	}
	return string(s.buf), line, nil
}

func (s *vcdScanner) readErr(err error) error {
	if errors.Is(err, io.EOF) {
		return io.EOF
	}
	return fmt.Errorf("vcd: line %d: %w", s.line, err)
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}
