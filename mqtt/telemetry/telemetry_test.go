package telemetry_test

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop/mqtt"
	"github.com/coopgo/coop/mqtt/telemetry"
)

func TestParse(t *testing.T) {
	want := mqtt.Reading{Device: "pico-1", Seq: 42, At: 84 * time.Second, Data: []byte(`{"temp":21.5}`)}
	got, err := telemetry.Parse(want.AppendPayload(nil))
	if err != nil || got.Device != want.Device || got.Seq != want.Seq || got.At != want.At || string(got.Data) != string(want.Data) {
		t.Errorf("Parse(AppendPayload(%+v)) = %+v, %v", want, got, err)
	}
	for _, bad := range []string{``, `{}`, `{"device":"d"}`, `{"seq":1}`, `[1]`, `{"device":"d","seq":0}`, `{"device":"","seq":1}`, `{"device":"d","seq":-1}`} {
		if _, err := telemetry.Parse([]byte(bad)); err == nil {
			t.Errorf("Parse(%q) = nil error", bad)
		}
	}
}

func TestTally(t *testing.T) {
	var tl telemetry.Tally
	for _, seq := range []uint64{1, 2, 2, 4, 3, 5} {
		tl.Add(mqtt.Reading{Device: "d", Seq: seq, At: time.Duration(seq) * time.Second})
	}
	tl.Add(mqtt.Reading{Device: "e", Seq: 2})
	if _, _, err := tl.AddPayload([]byte("not json")); err == nil || tl.Bad() != 1 {
		t.Errorf("bad payload: %v, Bad() = %d", err, tl.Bad())
	}
	got := fmt.Sprint(tl.Devices()[0].Line(), "|", tl.Devices()[1].Line())
	want := "d  received 6  last #5 at 5s  missing 0  duplicates 1  out of order 1|e  received 1  last #2 at 0s  missing 1  duplicates 0"
	if got != want {
		t.Errorf("lines\n%s\nwant\n%s", got, want)
	}
	if !tl.Has("d", 5) || tl.Has("e", 2) || !tl.Has("x", 0) {
		t.Error("Has")
	}
}

// A tally counts missing readings from #1, or with FromFirst from the
// lowest number received, naming those before it as not counted.
func TestTallyFromFirst(t *testing.T) {
	for _, tt := range []struct {
		seqs      []uint64
		fromFirst bool
		want      string
	}{
		{[]uint64{3, 4, 6}, false, "d  received 3  last #6 at 6s  missing 3  duplicates 0"},
		{[]uint64{3, 4, 6}, true, "d  received 3  last #6 at 6s  missing 1  duplicates 0  not counted #1–#2, before the first received"},
		{[]uint64{2, 3}, true, "d  received 2  last #3 at 3s  missing 0  duplicates 0  not counted #1, before the first received"},
		// A resend of an earlier number lowers the first.
		{[]uint64{4, 5, 2}, true, "d  received 3  last #5 at 5s  missing 1  duplicates 0  out of order 1  not counted #1, before the first received"},
		{[]uint64{1, 3}, true, "d  received 2  last #3 at 3s  missing 1  duplicates 0"},
	} {
		tl := telemetry.Tally{FromFirst: tt.fromFirst}
		for _, seq := range tt.seqs {
			tl.Add(mqtt.Reading{Device: "d", Seq: seq, At: time.Duration(seq) * time.Second})
		}
		if got := tl.Devices()[0].Line(); got != tt.want {
			t.Errorf("FromFirst %v, readings %v:\n%s\nwant\n%s", tt.fromFirst, tt.seqs, got, tt.want)
		}
	}
}

// A reading as a device publishes it, and as a consumer counts it.
func ExampleTally() {
	var tl telemetry.Tally
	for _, seq := range []uint64{1, 2, 2, 3} { // #2 came twice: a QoS 1 resend
		r := mqtt.Reading{Device: "pico-1", Seq: seq, At: time.Duration(seq) * 2 * time.Second, Data: []byte(`{"temp":21}`)}
		payload := r.AppendPayload(nil)
		if seq == 1 {
			fmt.Println(string(payload))
		}
		tl.AddPayload(payload)
	}
	for _, d := range tl.Devices() {
		fmt.Println(d.Line())
	}
	// Output:
	// {"device":"pico-1","seq":1,"ms":2000,"data":{"temp":21}}
	// pico-1  received 4  last #3 at 6s  missing 0  duplicates 1
}

func TestCheckFilter(t *testing.T) {
	for _, ok := range []string{"coop/#", "#", "+", "coop/+/dht22", "coop/pico-1/dht22", "+/+/#", "/"} {
		if err := telemetry.CheckFilter(ok); err != nil {
			t.Errorf("CheckFilter(%q) = %v", ok, err)
		}
	}
	for _, bad := range []struct{ filter, want string }{
		{"", "bad topic filter: empty, want a topic filter such as coop/#"},
		{"coop/#/t", "bad topic filter: '#' must be a whole level, the last one, such as coop/#"},
		{"coop#", "bad topic filter: '#' must be a whole level, the last one, such as coop/#"},
		{"coop/#/", "bad topic filter: '#' must be a whole level, the last one, such as coop/#"},
		{"coop/pico+", "bad topic filter: '+' must be a whole level, such as coop/+/t"},
		{"co+op/t", "bad topic filter: '+' must be a whole level, such as coop/+/t"},
		{"a\x00b", "bad topic filter: has a NUL character (U+0000), which MQTT does not allow"},
		{"coop/\xff/#", "bad topic filter: is not valid UTF-8, which MQTT requires"},
		{"coop/" + strings.Repeat("a", 65531), "bad topic filter: longer than 65535 bytes, the most MQTT allows"},
	} {
		if err := telemetry.CheckFilter(bad.filter); !errors.Is(err, telemetry.ErrBadFilter) || err.Error() != bad.want {
			t.Errorf("CheckFilter(%.20q) = %v, want %s", bad.filter, err, bad.want)
		}
	}
}

// A number received again with the same reading is a duplicate (a QoS 1
// resend); with another reading, taken at another board time or with
// other data, it is a conflict: two devices publish under one name. The
// conflicting reading is not counted as a duplicate, nor as a new one.
func TestTallyConflicts(t *testing.T) {
	var tl telemetry.Tally
	reading := func(seq uint64, at time.Duration, data string) mqtt.Reading {
		return mqtt.Reading{Device: "pico-1", Seq: seq, At: at, Data: []byte(data)}
	}
	for _, tt := range []struct {
		r    mqtt.Reading
		want telemetry.Arrival
	}{
		{reading(1, 2*time.Second, `{"temp":21}`), telemetry.First},
		{reading(1, 5*time.Second, `{"temp":30}`), telemetry.Conflict}, // another pico-1's #1
		{reading(2, 4*time.Second, `{"temp":21}`), telemetry.First},
		{reading(2, 4*time.Second, `{"temp":21}`), telemetry.Duplicate},
		{reading(2, 4*time.Second, `{"temp":22}`), telemetry.Conflict},
		{reading(1, 2*time.Second, `{"temp":21}`), telemetry.Duplicate},
	} {
		if got := tl.Count(tt.r); got != tt.want {
			t.Errorf("Count(#%d at %v %s) = %v, want %v", tt.r.Seq, tt.r.At, tt.r.Data, got, tt.want)
		}
	}
	want := "pico-1  received 6  last #2 at 4s  missing 0  duplicates 2  conflicting 2 (other readings under numbers already received: two devices named pico-1?)"
	if got := tl.Devices()[0].Line(); got != want {
		t.Errorf("line\n%s\nwant\n%s", got, want)
	}
	if fmt.Sprint(telemetry.First, telemetry.Duplicate, telemetry.Conflict) != "first duplicate conflict" {
		t.Errorf("Arrival names %v %v %v", telemetry.First, telemetry.Duplicate, telemetry.Conflict)
	}
}

// A reading numbered beyond what an int holds (a stray payload) makes its
// device's missing count as large as an int goes, not negative: summed
// with the others, a negative count would hide readings missing there.
func TestTallyHugeNumbers(t *testing.T) {
	tl := telemetry.Tally{}
	tl.Add(mqtt.Reading{Device: "x", Seq: math.MaxUint64})
	tl.Add(mqtt.Reading{Device: "y", Seq: 1 << 63})
	tl.Add(mqtt.Reading{Device: "y", Seq: 1})
	d := tl.Devices()
	if d[0].Missing != math.MaxInt || d[1].Missing != math.MaxInt-1 {
		t.Errorf("missing %d and %d, want %d and %d", d[0].Missing, d[1].Missing, math.MaxInt, math.MaxInt-1)
	}
	tl = telemetry.Tally{FromFirst: true}
	tl.Add(mqtt.Reading{Device: "x", Seq: math.MaxUint64})
	tl.Add(mqtt.Reading{Device: "x", Seq: math.MaxUint64 - 2})
	if d := tl.Devices()[0]; d.Missing != 1 || d.Uncounted != math.MaxInt {
		t.Errorf("from the first: %s", d.Line())
	}
}
