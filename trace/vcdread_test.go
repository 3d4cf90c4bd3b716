package trace

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// A file in the style of Icarus Verilog, GTKWave and sigrok output.
const foreignVCD = `$date
	Sun Nov 22 14:17:56 2026
$end
$version
	Icarus Verilog
$end
$comment Acquisition with 2/8 channels $end
$timescale
	10 ns
$end
$attrbegin misc 07 a.b 1 $end
$scope module top $end
$var reg 8 # data [7:0] $end
$var wire 1 ! clk $end
$scope module uart $end
$var wire 1 $ tx $end
$var wire 1 ! clk_alias $end
$var real 64 % volts $end
$upscope $end
$upscope $end
$enddefinitions $end
$dumpvars
bxxxxxxxx #
x!
z$
r0 %
$end
#0
0!
#5
1!
B1010 #
$comment sample 5 $end
#10
0!
0!
1$
#10
r3.3 %
#12
$dumpoff
x!
x$
$end
#15
Z$
1!
0!
`

func TestReadVCDForeign(t *testing.T) {
	v, err := ReadVCD(strings.NewReader(foreignVCD))
	if err != nil {
		t.Fatalf("ReadVCD: %v", err)
	}
	if v.Date != "Sun Nov 22 14:17:56 2026" || v.Version != "Icarus Verilog" {
		t.Errorf("ReadVCD: Date %q, Version %q", v.Date, v.Version)
	}
	if v.Timescale != 10*time.Nanosecond || v.End != 150*time.Nanosecond {
		t.Errorf("ReadVCD: Timescale %v, End %v, want 10ns, 150ns", v.Timescale, v.End)
	}
	want := []struct {
		name, typ string
		width     int
		code      string
		changes   string
	}{
		{"top.data[7:0]", "reg", 8, "#", "[{0s bxxxxxxxx} {50ns b1010}]"},
		{"top.clk", "wire", 1, "!", "[{0s 0} {50ns 1} {100ns 0} {120ns x} {150ns 0}]"},
		{"top.uart.tx", "wire", 1, "$", "[{0s z} {100ns 1} {120ns x} {150ns z}]"},
		{"top.uart.clk_alias", "wire", 1, "!", "[{0s 0} {50ns 1} {100ns 0} {120ns x} {150ns 0}]"},
		{"top.uart.volts", "real", 64, "%", "[{0s r0} {100ns r3.3}]"},
	}
	if len(v.Signals) != len(want) {
		t.Fatalf("ReadVCD: %d signals, want %d", len(v.Signals), len(want))
	}
	for i, w := range want {
		s := v.Signals[i]
		if s.Name != w.name || s.Type != w.typ || s.Width != w.width || s.Code != w.code || fmt.Sprint(s.Changes) != w.changes {
			t.Errorf("signal %d = %s %s %d %s %v, want %s %s %d %s %s", i, s.Name, s.Type, s.Width, s.Code, s.Changes, w.name, w.typ, w.width, w.code, w.changes)
		}
	}
	if got := fmt.Sprint(v.Comments); got != "[{50ns sample 5}]" {
		t.Errorf("ReadVCD: Comments %s, want [{50ns sample 5}]", got)
	}
	if v.Signal("top.clk") != v.Signals[1] || v.Signal("clk") != nil {
		t.Errorf("Signal(name) does not look up full names")
	}
}

func TestReadVCDSubNanosecond(t *testing.T) {
	const file = "$timescale 100ps $end $var wire 1 ! a $end $enddefinitions $end #0 0! #15 1! #92233720368547758 0!"
	v, err := ReadVCD(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	want := "[{0s 0} {1ns 1} {2562h2m52.036854775s 0}]"
	if v.Timescale != 0 || fmt.Sprint(v.Signals[0].Changes) != want {
		t.Errorf("ReadVCD: Timescale %v, changes %v, want 0 and %s", v.Timescale, v.Signals[0].Changes, want)
	}
}

func TestReadVCDErrors(t *testing.T) {
	const head = "$timescale 1us $end\n$var wire 1 ! a $end\n$enddefinitions $end\n" // 3 lines
	tests := []struct {
		name string
		in   string
		line int
		msg  string
	}{
		{"empty", "", 1, "no $enddefinitions"},
		{"header only", "$timescale 1us $end\n\n", 3, "no $enddefinitions"},
		{"unterminated section", "$date\ntoday\n", 1, "$date without $end"},
		{"bad timescale number", "\n$timescale 3us $end", 2, `bad $timescale "3us": want 1, 10 or 100 and a unit s, ms, us, ns, ps or fs`},
		{"bad timescale unit", "$timescale 1 parsec $end", 1, `bad $timescale "1parsec": want 1, 10 or 100 and a unit s, ms, us, ns, ps or fs`},
		{"word in header", "$version x $end\nhello", 2, `unexpected "hello" in the header`},
		{"$end in header", "$end", 1, "$end without a section"},
		{"short $var", "$var wire 1 ! $end", 1, `$var wants a type, a width, a code and a name, got ["wire" "1" "!"]`},
		{"bad width", "$var wire x ! a $end", 1, `bad $var width "x"`},
		{"zero width", "$var wire 0 ! a $end", 1, `bad $var width "0"`},
		{"bad scope", "$scope module $end", 1, `$scope wants a type and a name, got ["module"]`},
		{"upscope", "$scope module a $end\n$upscope $end\n$upscope $end", 3, "$upscope outside any $scope"},
		{"unknown code", head + "#0\n1!\n1?\n", 6, `unknown identifier code "?"`},
		{"bad value", head + "2!", 4, `unexpected "2!"`},
		{"value without code", head + "#0 1", 4, `value "1" without an identifier code`},
		{"bad timestamp", head + "#1\n#abc", 5, `bad timestamp "#abc"`},
		{"empty timestamp", head + "#", 4, `bad timestamp "#"`},
		{"negative timestamp", head + "#-1", 4, `bad timestamp "#-1"`},
		{"huge timestamp", head + "#99999999999999999999", 4, `bad timestamp "#99999999999999999999"`},
		{"timestamp out of range", "$timescale 1s $end $enddefinitions $end\n#9223372037", 2, "timestamp #9223372037 out of range"},
		{"time goes back", head + "#5\n1!\n#3\n", 6, "time goes back from #5 to #3"},
		{"bad vector", head + "b012 !", 4, `bad vector value "b012"`},
		{"empty vector", head + "b !", 4, `bad vector value "b"`},
		{"vector without code", head + "\nb01", 5, `value "b01" without an identifier code`},
		{"bad real", head + "rabc !", 4, `bad real value "rabc"`},
		{"$end in body", head + "#0\n$end", 5, "$end without a section"},
		{"open $dumpvars", head + "$dumpvars\n0!\n", 4, "$dumpvars without $end"},
		{"nested $dumpvars", head + "$dumpvars\n$dumpall", 5, "$dumpall inside $dumpvars"},
		{"open $comment", head + "#1\n$comment oops", 5, "$comment without $end"},
		{"CRLF lines", "$timescale 1us $end\r\n$enddefinitions $end\r\n#0\r\n1!\r\n", 4, `unknown identifier code "!"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadVCD(strings.NewReader(tt.in))
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("ReadVCD(%q) = %v, want a *SyntaxError", tt.in, err)
			}
			if se.Line != tt.line || se.Msg != tt.msg {
				t.Errorf("ReadVCD(%q) = %q, want line %d: %s", tt.in, err, tt.line, tt.msg)
			}
			if want := fmt.Sprintf("vcd: line %d: %s", tt.line, tt.msg); err.Error() != want {
				t.Errorf("ReadVCD(%q).Error() = %q, want %q", tt.in, err, want)
			}
		})
	}
}

type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, errors.New("disk on fire")
	}
	r.n--
	return copy(p, "$date\n"), nil
}

func TestReadVCDReadError(t *testing.T) {
	_, err := ReadVCD(&failingReader{n: 2})
	if err == nil || err.Error() != "vcd: line 3: disk on fire" {
		t.Errorf("ReadVCD(failing reader) = %v, want vcd: line 3: disk on fire", err)
	}
}

func FuzzReadVCD(f *testing.F) {
	f.Add([]byte(foreignVCD))
	f.Add([]byte(blinkVCD))
	f.Add([]byte(commentsVCD))
	f.Add([]byte("$timescale 1fs $end $var wire 1 ! a $end $enddefinitions $end #18446744073709551615 1!"))
	f.Add([]byte("$var wire 1 ! a $end $enddefinitions $end b0 ! r1e400 ! #1 $dumpoff x! $end"))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := ReadVCD(bytes.NewReader(data))
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Line < 1 || !strings.HasPrefix(err.Error(), "vcd: line ") {
				t.Fatalf("ReadVCD error %v is not a *SyntaxError with a line", err)
			}
			return
		}
		for _, s := range v.Signals {
			if s.Width < 1 {
				t.Fatalf("signal %q has width %d", s.Name, s.Width)
			}
			for i, c := range s.Changes {
				if c.At < 0 || c.At > v.End || (i > 0 && (c.At <= s.Changes[i-1].At || c.Value == s.Changes[i-1].Value)) {
					t.Fatalf("signal %q: bad changes %v (End %v)", s.Name, s.Changes, v.End)
				}
			}
		}
	})
}
