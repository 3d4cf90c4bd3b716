package wiring

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/coopgo/coop/internal/suggest"
	"github.com/coopgo/coop/sim"
)

// Diagram is a parsed diagram.json: a board, the parts around it and how
// they are wired. Parse checks everything that can be checked without a
// board (the board's pins included); Apply wires the parts to a board.
// A Diagram belongs to the loop of the board it is applied to, like the
// board.
type Diagram struct {
	file      string
	author    string
	boardID   string
	boardType string
	bt        boardType
	wifi      *sim.APConfig // the access point Apply adds, or nil
	probe     *probe

	types []*sim.PartType  // the part types it may use: coop's and the program's
	parts []*part          // in file order, without the board
	byID  map[string]*part // every part, the board too
	pinOf map[string]string
	warns []string

	board    *sim.Board // of the last Apply
	attached map[string]sim.Part

	data []byte    // the file, for the places of errors
	pos  positions // made at the first error
}

// part is a part of the diagram other than the board, with what its
// attributes and its wiring say.
type part struct {
	id, typ string
	attrs   map[string]json.RawMessage
	idx     int            // its index in the file's parts
	pt      *sim.PartType  // nil for the board
	vals    sim.AttrValues // its attributes, checked

	// From the wiring:
	pin  string     // the board pin the part acts on, "" for none
	hook sim.Hookup // what it does to that pin
}

// PartInfo describes a part of a diagram.
type PartInfo struct {
	ID   string // "led1"
	Type string // "wokwi-led"
	// Pin is the board pin the part acts on ("GP15"), or "" for a part
	// that is not a simulated part of its own (a resistor in series).
	Pin string
}

// lookupType returns the part type the file calls typ (by its type or an
// alias), or nil.
func (d *Diagram) lookupType(typ string) *sim.PartType {
	for _, t := range d.types {
		if t.Is(typ) {
			return t
		}
	}
	return nil
}

// Load reads and parses the diagram in the file at path; parts are a
// program's own part types, as for [Parse].
func Load(path string, parts ...*sim.PartType) (*Diagram, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(filepath.Base(path), data, parts...)
}

// Parse parses a diagram.json; filename is used only in messages. It checks
// the JSON, the part types, attributes and ids, that every connection is to
// a pin that exists, and how the nets work out, and returns the first
// problem as an [*Error]. The parts it knows are those of [sim.PartTypes]
// and parts, a program's own part types (see [sim.PartTypesWith]).
func Parse(filename string, data []byte, parts ...*sim.PartType) (*Diagram, error) {
	d := &Diagram{file: filename, byID: map[string]*part{}, pinOf: map[string]string{}, data: data, types: sim.PartTypesWith(parts...)}
	raw, err := d.decode(data)
	if err != nil {
		return nil, err
	}
	if err := d.readParts(raw.Parts); err != nil {
		return nil, err
	}
	d.probe, err = newProbe(d.bt)
	if err != nil {
		return nil, d.errorf(ErrBoard, "%v", err)
	}
	if err := d.wire(raw.Connections, d.probe); err != nil {
		return nil, err
	}
	return d, nil
}

// rawDiagram is the JSON of a diagram; cosmetic fields (top, left,
// rotate, route hints) are skipped.
type rawDiagram struct {
	Version     *int              `json:"version"`
	Author      string            `json:"author"`
	Editor      string            `json:"editor"`
	Parts       []rawPart         `json:"parts"`
	Connections []json.RawMessage `json:"connections"`
}

type rawPart struct {
	Type  string                     `json:"type"`
	ID    string                     `json:"id"`
	Attrs map[string]json.RawMessage `json:"attrs"`
}

func (d *Diagram) decode(data []byte) (*rawDiagram, error) {
	t := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if len(t) == 0 {
		return nil, &Error{File: d.file, Line: 1, Col: 1, Msg: "empty file: want a Wokwi diagram, a JSON object with parts and connections", Err: ErrSyntax}
	}
	if t[0] != '{' && t[0] != '[' {
		line, col := position(data, len(data)-len(t))
		return nil, &Error{File: d.file, Line: line, Col: col,
			Msg: fmt.Sprintf("not JSON: a diagram is a JSON object, starting with '{', not %q", clip(firstLine(t), 20)), Err: ErrSyntax}
	}
	var raw rawDiagram
	if err := json.Unmarshal(data, &raw); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			off := int(syn.Offset) - 1 // the offending byte
			if syn.Offset == 0 || off >= len(data) {
				off = len(data)
			}
			line, col := position(data, off)
			return nil, &Error{File: d.file, Line: line, Col: col, Msg: syn.Error() + syntaxHint(syn.Error()), Err: ErrSyntax}
		case errors.As(err, &typ):
			line, col := position(data, valueStart(data, int(typ.Offset)))
			what := "the diagram"
			if typ.Field != "" {
				what = strconv.Quote(typ.Field)
			}
			return nil, &Error{File: d.file, Line: line, Col: col,
				Msg: fmt.Sprintf("%s must be %s, not %s", what, jsonKind(typ.Type), strings.Fields(typ.Value)[0]), Err: ErrSyntax}
		}
		return nil, d.errorf(ErrSyntax, "%v", err)
	}
	if raw.Version != nil && *raw.Version != 1 {
		return nil, d.at("version", d.errorf(ErrSyntax, "version %d is not supported (want 1)", *raw.Version))
	}
	if err := d.checkKeys(data); err != nil {
		return nil, err
	}
	d.author = raw.Author
	return &raw, nil
}

// checkKeys rejects a key of the diagram, or of one of its parts, that is
// none of Wokwi's but a likely typo of one ("conections"): ignored, it
// would leave the board unwired and the error elsewhere. Other keys are
// ignored, as Wokwi ignores them. data is valid JSON.
func (d *Diagram) checkKeys(data []byte) *Error {
	var top map[string]json.RawMessage
	if json.Unmarshal(data, &top) != nil {
		return nil
	}
	if err := d.misspeltKey("", top, "version", "author", "editor", "parts", "connections", "dependencies"); err != nil {
		return err
	}
	var parts []map[string]json.RawMessage
	if json.Unmarshal(top["parts"], &parts) != nil {
		return nil
	}
	for i, p := range parts {
		if err := d.misspeltKey("parts/"+strconv.Itoa(i), p, "type", "id", "top", "left", "rotate", "flip", "hide", "attrs"); err != nil {
			return err
		}
	}
	return nil
}

// misspeltKey returns the error of the first key of obj, the object at
// path, that is not one of known but a likely typo of one, or nil.
func (d *Diagram) misspeltKey(path string, obj map[string]json.RawMessage, known ...string) *Error {
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		if slices.Contains(known, k) {
			continue
		}
		if near := suggest.Nearest(k, known); near != "" {
			return d.at(join(path, k), d.errorf(ErrSyntax, "unknown key %q (did you mean %s? keys: %s)", k, near, strings.Join(known, ", ")))
		}
	}
	return nil
}

func firstLine(b []byte) string {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

// position returns the 1-based line and column (in bytes) of offset off.
func position(data []byte, off int) (line, col int) {
	off = min(max(off, 0), len(data))
	before := data[:off]
	line = bytes.Count(before, []byte{'\n'}) + 1
	col = off - bytes.LastIndexByte(before, '\n')
	return line, col
}

// valueStart finds where the JSON value that ends at off begins: encoding/json
// reports a scalar of the wrong type after reading it, an array or object
// at its opening bracket.
func valueStart(data []byte, off int) int {
	off = min(max(off, 0), len(data))
	i := off - 1
	if i < 0 {
		return 0
	}
	switch c := data[i]; {
	case c == '[' || c == '{':
		return i
	case c == '"':
		for j := i - 1; j >= 0; j-- {
			if data[j] != '"' {
				continue
			}
			k := j
			for k > 0 && data[k-1] == '\\' {
				k--
			}
			if (j-k)%2 == 0 {
				return j
			}
		}
		return i
	default:
		j := i
		for j > 0 && strings.IndexByte("+-.0123456789eEtrufalsn", data[j-1]) >= 0 {
			j--
		}
		return j
	}
}

func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Float64:
		return "a number"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Slice:
		return "an array"
	}
	return t.String()
}

// readParts checks the parts: ids, types, attributes, one board.
func (d *Diagram) readParts(raws []rawPart) error {
	types := boardTypes()
	for i, rp := range raws {
		p := &part{idx: i, id: rp.ID, typ: rp.Type, attrs: rp.Attrs}
		if rp.ID == "" {
			return d.at(partPath(p), d.errorf(ErrUnknownPart, "part %d (%s) has no id", i+1, orNone(rp.Type)))
		}
		if strings.ContainsRune(rp.ID, ':') {
			return d.at(partPath(p, "id"), d.errorf(ErrUnknownPart, "part id %q has a colon: connections could not name its pins", rp.ID))
		}
		if _, dup := d.byID[rp.ID]; dup {
			return d.at(partPath(p, "id"), d.errorf(ErrUnknownPart, "two parts have the id %q", rp.ID))
		}
		d.byID[rp.ID] = p
		if bt, ok := types[rp.Type]; ok {
			if d.boardID != "" {
				return d.at(partPath(p, "type"), d.errorf(ErrBoard, "two boards, %q (%s) and %q (%s): a diagram has one", d.boardID, d.boardType, rp.ID, rp.Type))
			}
			d.boardID, d.boardType, d.bt = rp.ID, rp.Type, bt
			continue
		}
		if p.pt = d.lookupType(rp.Type); p.pt == nil {
			known := knownTypes(d.types)
			return d.at(partPath(p, "type"), d.errorf(ErrUnknownType, "part %q has unknown type %s (%sknown: %s)", rp.ID, orNone(rp.Type),
				suggest.Hint(rp.Type, known), strings.Join(known, ", ")))
		}
		d.parts = append(d.parts, p)
	}
	if d.boardID == "" {
		var boards []string
		for _, t := range KnownTypes() {
			if _, ok := types[t]; ok {
				boards = append(boards, t)
			}
		}
		return d.at("parts", d.errorf(ErrBoard, "no board part (board types: %s)", strings.Join(boards, ", ")))
	}
	if err := d.readBoardAttrs(); err != nil {
		return err
	}
	for _, p := range d.parts {
		if err := d.readAttrs(p); err != nil {
			return err
		}
	}
	return nil
}

func orNone(typ string) string {
	if typ == "" {
		return "no type"
	}
	return strconv.Quote(typ)
}

// attr returns attribute name of p as text: Wokwi writes attributes as
// strings; numbers and booleans are taken as their JSON text.
func (d *Diagram) attr(p *part, name string) (string, bool, error) {
	raw, ok := p.attrs[name]
	if !ok {
		return "", false, nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, true, nil
	}
	t := string(bytes.TrimSpace(raw))
	var f float64
	if json.Unmarshal(raw, &f) == nil || t == "true" || t == "false" {
		return t, true, nil
	}
	return "", false, d.at(partPath(p, "attrs", name), d.errorf(ErrAttr, "part %q (%s): attribute %q must be a string, not %s", p.id, p.typ, name, t))
}

// checkCoopAttrs rejects coop extension attributes a type does not have:
// they are ours, so a typo should not pass in silence.
func (d *Diagram) checkCoopAttrs(p *part, known ...string) error {
	for name := range p.attrs {
		if strings.HasPrefix(name, "coop") && !slices.Contains(known, name) {
			allowed := "none"
			if len(known) > 0 {
				allowed = strings.Join(known, ", ")
			}
			return d.at(partPath(p, "attrs", name), d.errorf(ErrAttr, "part %q (%s) has no attribute %q (coop attributes: %s)", p.id, p.typ, name, allowed))
		}
	}
	return nil
}

// readBoardAttrs reads the Wi-Fi configuration of the board.
func (d *Diagram) readBoardAttrs() error {
	b := d.byID[d.boardID]
	b.typ = d.boardType
	if err := d.checkCoopAttrs(b, "coopWifiSsid", "coopWifiPassword", "coopWifiJoinTime"); err != nil {
		return err
	}
	ssid, hasSSID, err := d.attr(b, "coopWifiSsid")
	if err != nil {
		return err
	}
	pass, hasPass, err := d.attr(b, "coopWifiPassword")
	if err != nil {
		return err
	}
	join, hasJoin, err := d.attr(b, "coopWifiJoinTime")
	if err != nil {
		return err
	}
	if d.bt.kind != "pico2w" && (hasSSID || hasPass || hasJoin) {
		return d.at(partPath(b, "attrs"), d.errorf(ErrAttr, "board %q (%s) has no Wi-Fi: remove its coopWifi attributes", d.boardID, d.boardType))
	}
	if !hasSSID && !d.bt.wifi {
		if hasPass || hasJoin {
			return d.at(partPath(b, "attrs"), d.errorf(ErrAttr, "board %q (%s): coopWifiPassword and coopWifiJoinTime need coopWifiSsid", d.boardID, d.boardType))
		}
		return nil
	}
	if !hasSSID {
		ssid = DefaultSSID
	}
	if ssid == "" {
		if hasPass || hasJoin {
			return d.at(partPath(b, "attrs", "coopWifiSsid"), d.errorf(ErrAttr, "board %q (%s): coopWifiSsid \"\" means no access point, yet coopWifiPassword or coopWifiJoinTime is set", d.boardID, d.boardType))
		}
		return nil
	}
	cfg := &sim.APConfig{SSID: ssid, Password: pass}
	if hasJoin {
		jt, err := time.ParseDuration(join)
		if err != nil || jt <= 0 {
			return d.at(partPath(b, "attrs", "coopWifiJoinTime"), d.errorf(ErrAttr, "board %q (%s): coopWifiJoinTime %q must be a positive duration such as \"2s\"", d.boardID, d.boardType, join))
		}
		cfg.JoinTime = jt
	}
	d.wifi = cfg
	return nil
}

// DefaultSSID is the open network a Wi-Fi board of a diagram has in range
// unless its coopWifiSsid attribute says otherwise: Wokwi's.
const DefaultSSID = "Wokwi-GUEST"

// readAttrs reads the attributes of a part, as its type lists them.
func (d *Diagram) readAttrs(p *part) error {
	var ours []string
	raw := map[string]string{}
	for _, a := range p.pt.Attrs {
		if strings.HasPrefix(a.Name, "coop") {
			ours = append(ours, a.Name)
		}
		v, ok, err := d.attr(p, a.Name)
		if err != nil {
			return err
		}
		if ok {
			if _, err := a.Check(v); err != nil {
				return d.at(partPath(p, "attrs", a.Name), d.errorf(ErrAttr, "part %q (%s): %v", p.id, p.typ, err))
			}
			raw[a.Name] = v
		}
	}
	if err := d.checkCoopAttrs(p, ours...); err != nil {
		return err
	}
	vals, err := p.pt.CheckAttrs(raw)
	if err != nil {
		return d.errorf(ErrAttr, "part %q (%s): %v", p.id, p.typ, err)
	}
	if _, err := p.pt.New(p.id, vals, sim.Hookup{}); err != nil {
		return d.at(partPath(p, "attrs"), d.errorf(ErrAttr, "part %q (%s): %v", p.id, p.typ, err))
	}
	p.vals = vals
	return nil
}

// Board returns the kind of simulated board the diagram is for: "pico2w",
// "pyboard" or "metro_m4".
func (d *Diagram) Board() string { return d.bt.kind }

// BoardID returns the diagram id of the board part, such as "pico".
func (d *Diagram) BoardID() string { return d.boardID }

// BoardType returns the type of the board part, such as "board-pi-pico-w".
func (d *Diagram) BoardType() string { return d.boardType }

// Author returns the diagram's author field.
func (d *Diagram) Author() string { return d.author }

// AccessPoint returns the access point Apply puts in range of the board
// (Wokwi-GUEST, open, on a Wi-Fi board unless the board's attributes say
// otherwise), or nil if there is none.
func (d *Diagram) AccessPoint() *sim.APConfig {
	if d.wifi == nil {
		return nil
	}
	c := *d.wifi
	return &c
}

// Parts describes the diagram's parts other than the board, in file order.
func (d *Diagram) Parts() []PartInfo {
	infos := make([]PartInfo, len(d.parts))
	for i, p := range d.parts {
		infos[i] = PartInfo{ID: p.id, Type: p.typ, Pin: p.pin}
	}
	return infos
}

// Warnings returns what Parse let pass but a reader should know: parts
// that are ignored (a resistor wired to nothing or between two rails,
// a part on a pin the simulator does not model, such as RUN).
func (d *Diagram) Warnings() []string { return append([]string(nil), d.warns...) }

func (d *Diagram) warnf(format string, a ...any) {
	d.warns = append(d.warns, d.file+": "+fmt.Sprintf(format, a...))
}

// syntaxHint says what a JSON syntax error most likely is in a diagram
// edited by hand, as " (…)" to follow the error; "" if nothing is likely.
func syntaxHint(msg string) string {
	switch {
	case strings.HasSuffix(msg, " after object key:value pair"), strings.HasSuffix(msg, " after array element"):
		return " (a comma missing before it?)"
	case msg == "invalid character '}' looking for beginning of object key string",
		msg == "invalid character ']' looking for beginning of value":
		return " (a comma after the last element? JSON allows none)"
	case strings.HasPrefix(msg, "invalid character '/' looking for beginning"):
		return " (JSON has no comments)"
	}
	return ""
}
