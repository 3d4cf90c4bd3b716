package wiring

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// positions maps places of a diagram's JSON to where their values start,
// for messages: "parts/2/type", "parts/2/attrs/color", "connections/4".
// Keys of objects and indexes of arrays are joined with "/".
type positions map[string]int

// indexJSON records where every value of data starts. data has been
// decoded already, so it is valid JSON; a duplicate key keeps its last
// place, as encoding/json keeps its last value.
func indexJSON(data []byte) positions {
	pos := positions{}
	dec := json.NewDecoder(bytes.NewReader(data))
	start := func() int {
		off := int(dec.InputOffset())
		for off < len(data) && bytes.IndexByte([]byte(" \t\r\n:,"), data[off]) >= 0 {
			off++
		}
		return off
	}
	var walk func(path string, depth int) bool
	walk = func(path string, depth int) bool {
		at := start()
		tok, err := dec.Token()
		if err != nil || depth > 64 {
			return false
		}
		pos[path] = at
		switch tok {
		case json.Delim('{'):
			for dec.More() {
				k, err := dec.Token()
				key, ok := k.(string)
				if err != nil || !ok || !walk(join(path, key), depth+1) {
					return false
				}
			}
			_, err = dec.Token()
		case json.Delim('['):
			for i := 0; dec.More(); i++ {
				if !walk(join(path, strconv.Itoa(i)), depth+1) {
					return false
				}
			}
			_, err = dec.Token()
		}
		return err == nil
	}
	walk("", 0)
	return pos
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "/" + key
}

// at returns err placed at the value at path (the nearest place above it
// that is known), if err is an *Error without a place.
func (d *Diagram) at(path string, err *Error) *Error {
	if err == nil || err.Line > 0 || d.data == nil {
		return err
	}
	if d.pos == nil {
		d.pos = indexJSON(d.data)
	}
	for {
		if off, ok := d.pos[path]; ok {
			err.Line, err.Col = position(d.data, off)
			return err
		}
		i := len(path) - 1
		for i >= 0 && path[i] != '/' {
			i--
		}
		if i < 0 {
			return err
		}
		path = path[:i]
	}
}

// partPath is the place of part p in the file, or of its field.
func partPath(p *part, field ...string) string {
	path := "parts/" + strconv.Itoa(p.idx)
	for _, f := range field {
		path += "/" + f
	}
	return path
}
