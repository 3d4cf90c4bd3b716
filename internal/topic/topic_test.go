package topic_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/coopgo/coop/internal/topic"
)

var longest = strings.Repeat("a", topic.MaxLen)

func TestCheckName(t *testing.T) {
	tests := []struct {
		name string
		want error
	}{
		{"sport/tennis/player1", nil},
		{"coop/pico-1/temp", nil},
		{"a", nil},
		{"/", nil},
		{"/finance", nil},
		{"a//b", nil},
		{"a/", nil},
		{"$SYS/broker/uptime", nil},
		{"Accounts payable", nil},
		{"température/é", nil},
		{longest, nil},
		{"", topic.ErrEmptyName},
		{longest + "a", topic.ErrTooLong},
		{"a\x00b", topic.ErrNUL},
		{"a/\xff", topic.ErrNotUTF8},
		{"a/\xed\xa0\x80", topic.ErrNotUTF8}, // an encoded surrogate, U+D800
		{"coop/#", topic.ErrWildcard},
		{"#", topic.ErrWildcard},
		{"+", topic.ErrWildcard},
		{"coop/+/t", topic.ErrWildcard},
		{"a#b", topic.ErrWildcard},
		{"a+b", topic.ErrWildcard},
	}
	for _, tt := range tests {
		if got := topic.CheckName(tt.name); got != tt.want {
			t.Errorf("CheckName(%s) = %v, want %v", topic.Quote(tt.name), got, tt.want)
		}
	}
}

func TestCheckFilter(t *testing.T) {
	tests := []struct {
		filter string
		want   error
	}{
		{"sport/tennis/player1/#", nil},
		{"sport/tennis/player1", nil},
		{"sport/#", nil},
		{"#", nil},
		{"+", nil},
		{"/", nil},
		{"/#", nil},
		{"/+", nil},
		{"+/", nil},
		{"+/+", nil},
		{"+/tennis/#", nil},
		{"sport/+/player1", nil},
		{"+/+/#", nil},
		{"a//b", nil},
		{"$SYS/#", nil},
		{"Accounts payable/+", nil},
		{"température/+", nil},
		{longest, nil},
		{"", topic.ErrEmptyFilter},
		{longest + "a", topic.ErrTooLong},
		{strings.Repeat("+/", topic.MaxLen/2) + "#", nil},
		{strings.Repeat("+/", topic.MaxLen/2+1) + "#", topic.ErrTooLong},
		{"a/\x00", topic.ErrNUL},
		{"a/\xff/#", topic.ErrNotUTF8},
		{"sport/tennis#", topic.ErrHash},
		{"sport/tennis/#/ranking", topic.ErrHash},
		{"#/", topic.ErrHash},
		{"##", topic.ErrHash},
		{"a/#b", topic.ErrHash},
		{"#+", topic.ErrHash},
		{"sport+", topic.ErrPlus},
		{"+a", topic.ErrPlus},
		{"a/+b/c", topic.ErrPlus},
		{"a/b+/c", topic.ErrPlus},
		{"++", topic.ErrPlus},
		{"+#", topic.ErrPlus},
		{"a/+/b+", topic.ErrPlus},
	}
	for _, tt := range tests {
		if got := topic.CheckFilter(tt.filter); got != tt.want {
			t.Errorf("CheckFilter(%s) = %v, want %v", topic.Quote(tt.filter), got, tt.want)
		}
	}
}

// The cases of MQTT 3.1.1 section 4.7, then edges.
func TestMatch(t *testing.T) {
	tests := []struct {
		filter, name string
		want         bool
	}{
		// 4.7.1.2: the multi-level wildcard.
		{"sport/tennis/player1/#", "sport/tennis/player1", true},
		{"sport/tennis/player1/#", "sport/tennis/player1/ranking", true},
		{"sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true},
		{"sport/tennis/player1/#", "sport/tennis/player2", false},
		{"sport/tennis/player1/#", "sport/tennis", false},
		{"sport/#", "sport", true},
		{"sport/#", "sport/", true},
		{"sport/#", "sports", false},
		{"#", "sport", true},
		{"#", "/", true},
		{"#", "a/b/c", true},
		{"/#", "/a", true},
		{"/#", "a", false},
		// 4.7.1.3: the single-level wildcard.
		{"sport/tennis/+", "sport/tennis/player1", true},
		{"sport/tennis/+", "sport/tennis/player2", true},
		{"sport/tennis/+", "sport/tennis/player1/ranking", false},
		{"sport/+", "sport", false},
		{"sport/+", "sport/", true},
		{"+/+", "/finance", true},
		{"/+", "/finance", true},
		{"+", "/finance", false},
		{"+", "finance", true},
		{"a/+/c", "a//c", true},
		{"a/+/c", "a/c", false},
		{"a/+/c", "a/b/b/c", false},
		{"+/+", "a", false},
		{"a/+/#", "a", false},
		{"a/+/#", "a/b", true},
		{"a/+/#", "a/b/c/d", true},
		{"+/#", "a", true},
		// 4.7.2: names starting with '$'.
		{"#", "$SYS/monitor/Clients", false},
		{"+/monitor/Clients", "$SYS/monitor/Clients", false},
		{"$SYS/#", "$SYS/monitor/Clients", true},
		{"$SYS/monitor/+", "$SYS/monitor/Clients", true},
		{"$SYS/+", "$SYS/uptime", true},
		{"+", "$SYS", false},
		{"#", "$", false},
		{"$SYS", "$SYS", true},
		{"a/#", "a/$x", true},
		{"a/+", "a/$x", true},
		// 4.7.3: case and spaces are significant; "/" makes a level.
		{"ACCOUNTS", "Accounts", false},
		{"Accounts payable", "Accounts payable", true},
		{"a/b", "a/b/", false},
		{"a/b/", "a/b/", true},
		{"a/b", "a/b/c", false},
		{"a/b", "a", false},
		{"a//b", "a//b", true},
		{"température/+", "température/salon", true},
		// A misplaced wildcard matches only itself.
		{"a/#/b", "a/#/b", true},
		{"a/#/b", "a/x/b", false},
		{"a+", "a+", true},
		{"a+", "ab", false},
		{"#/a", "x/a", false},
	}
	for _, tt := range tests {
		if got := topic.Match(tt.filter, tt.name); got != tt.want {
			t.Errorf("Match(%q, %q) = %v, want %v", tt.filter, tt.name, got, tt.want)
		}
	}
}

// Matching runs at each publication of prim.Broker, on microcontrollers
// too: it allocates nothing.
func TestMatchAllocs(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() {
		topic.Match("sport/+/player1/#", "sport/tennis/player1/score/wimbledon")
		topic.CheckFilter("sport/+/player1/#")
		topic.CheckName("sport/tennis/player1")
	}); n != 0 {
		t.Errorf("Match, CheckFilter and CheckName allocate %v times, want 0", n)
	}
}

func TestQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `""`},
		{"coop/#", `"coop/#"`},
		{"a\x00b", `"a\x00b"`},
		{strings.Repeat("a", 64), strconv.Quote(strings.Repeat("a", 64))},
		{strings.Repeat("a", 70000), strconv.Quote(strings.Repeat("a", 64)) + "… (70000 bytes)"},
		// "é" is two bytes: the cut does not split it.
		{strings.Repeat("a", 63) + strings.Repeat("é", 10), strconv.Quote(strings.Repeat("a", 63)) + "… (83 bytes)"},
	}
	for _, tt := range tests {
		if got := topic.Quote(tt.in); got != tt.want {
			t.Errorf("Quote(%.20q…) = %.80s, want %.80s", tt.in, got, tt.want)
		}
	}
}

// Every reason says what is allowed too: an example, or MQTT's rule.
func TestReasons(t *testing.T) {
	for _, err := range []error{topic.ErrEmptyName, topic.ErrEmptyFilter, topic.ErrTooLong, topic.ErrNUL,
		topic.ErrNotUTF8, topic.ErrWildcard, topic.ErrHash, topic.ErrPlus} {
		if s := err.Error(); !strings.Contains(s, "such as") && !strings.Contains(s, "MQTT") {
			t.Errorf("reason %q names neither an example nor MQTT's rule", s)
		}
		if errors.Unwrap(err) != nil {
			t.Errorf("reason %q wraps %v, want a plain reason", err, errors.Unwrap(err))
		}
	}
}
