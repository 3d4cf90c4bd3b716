// Package topic holds MQTT's rules for topic names and topic filters
// (MQTT 3.1.1, sections 1.5.3 and 4.7), the one copy of them that coop's
// MQTT client, its embedded broker, its telemetry subscriber and
// prim.Broker share.
//
// A topic name is what a message is published to: "coop/pico-1/temp".
// A topic filter is what a subscriber asks for, a topic name that may use
// two wildcards, each a whole level: "+" for exactly one level and "#",
// last, for any number of levels. Levels are separated by "/" and may be
// empty ("a//b", "/a", "a/").
//
// The package uses only errors, strings, strconv and unicode/utf8, so
// that prim stays TinyGo-friendly. Its checks return one of the reasons
// below, whose text says what is wrong and what is allowed; each caller
// wraps it in its own sentinel with the offending string, shortened by
// [Quote].
package topic

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxLen is the longest topic name or filter MQTT can carry, in bytes of
// UTF-8: its strings have a 16-bit length.
const MaxLen = 65535

// The reasons [CheckName] and [CheckFilter] return.
var (
	ErrEmptyName   = errors.New("empty, want a topic name such as coop/pico-1/temp")
	ErrEmptyFilter = errors.New("empty, want a topic filter such as coop/#")
	ErrTooLong     = errors.New("longer than 65535 bytes, the most MQTT allows")
	ErrNUL         = errors.New("has a NUL character (U+0000), which MQTT does not allow")
	ErrNotUTF8     = errors.New("is not valid UTF-8, which MQTT requires")
	ErrWildcard    = errors.New("has a wildcard ('+' or '#'), which filters to subscribe with may have, not topic names to publish to, such as coop/pico-1/temp")
	ErrHash        = errors.New("'#' must be a whole level, the last one, such as coop/#")
	ErrPlus        = errors.New("'+' must be a whole level, such as coop/+/t")
)

// CheckName reports what is wrong with name as a topic name to publish
// to, nil if nothing: it is not empty, at most [MaxLen] bytes of valid
// UTF-8 without NUL, and has no wildcard. A name may start with "$"
// (brokers keep such names for themselves, and may refuse them).
func CheckName(name string) error {
	if err := check(name, ErrEmptyName); err != nil {
		return err
	}
	if strings.ContainsAny(name, "+#") {
		return ErrWildcard
	}
	return nil
}

// CheckFilter reports what is wrong with filter as a topic filter to
// subscribe with, nil if nothing: it is not empty, at most [MaxLen] bytes
// of valid UTF-8 without NUL, "+" is a whole level and "#" a whole level,
// the last one. "#", "+", "/", "+/+/#" and "a//b" are filters.
func CheckFilter(filter string) error {
	if err := check(filter, ErrEmptyFilter); err != nil {
		return err
	}
	// '/', '+' and '#' are ASCII: no byte of a multibyte UTF-8 sequence
	// is one of them, so a byte scan is exact.
	for i := 0; i < len(filter); i++ {
		switch filter[i] {
		case '#':
			if i != len(filter)-1 || (i > 0 && filter[i-1] != '/') {
				return ErrHash
			}
		case '+':
			if (i > 0 && filter[i-1] != '/') || (i+1 < len(filter) && filter[i+1] != '/') {
				return ErrPlus
			}
		}
	}
	return nil
}

// check holds what names and filters share.
func check(s string, empty error) error {
	switch {
	case s == "":
		return empty
	case len(s) > MaxLen:
		return ErrTooLong
	case strings.IndexByte(s, 0) >= 0:
		return ErrNUL
	case !utf8.ValidString(s):
		return ErrNotUTF8
	}
	return nil
}

// Match reports whether the topic name matches filter, by MQTT's rules:
//
//   - levels match exactly, case and spaces included;
//   - "+" matches exactly one level, an empty one too: "a/+/c" matches
//     "a/b/c" and "a//c", not "a/c" or "a/b/b/c"; "+" does not match
//     "/a", "+/+" does;
//   - "#", the last level, matches any number of levels, none included:
//     "a/#" matches "a", "a/" and "a/b/c"; "#" alone matches every name;
//   - a filter starting with a wildcard does not match a name starting
//     with "$" (the broker's own topics): "#" and "+/x" do not match
//     "$SYS/x", "$SYS/#" does.
//
// It does not check that filter and name are well formed: in a filter
// that fails [CheckFilter], a misplaced wildcard matches only itself.
func Match(filter, name string) bool {
	if strings.HasPrefix(name, "$") && (strings.HasPrefix(filter, "+") || strings.HasPrefix(filter, "#")) {
		return false
	}
	for {
		f, frest, fmore := strings.Cut(filter, "/")
		if f == "#" && !fmore {
			return true
		}
		n, nrest, nmore := strings.Cut(name, "/")
		if f != "+" && f != n {
			return false
		}
		switch {
		case !fmore:
			return !nmore
		case !nmore:
			return frest == "#" // "a/#" matches "a"
		}
		filter, name = frest, nrest
	}
}

// quoteMax is how many bytes of a name or filter Quote shows.
const quoteMax = 64

// Quote returns s quoted for an error message, as strconv.Quote does; an
// s longer than 64 bytes is cut there, at a character boundary, and its
// length said: "coop/aaaa…aa"… (70000 bytes).
func Quote(s string) string {
	if len(s) <= quoteMax {
		return strconv.Quote(s)
	}
	cut := quoteMax
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + "… (" + strconv.Itoa(len(s)) + " bytes)"
}
