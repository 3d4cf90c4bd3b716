package web

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// Past the limit, a lane keeps its latest changes, the older ones summed
// up as a gap: a page that joins a long run sees the pin's edges and the
// console's lines of now, not those of the start of the history.
func TestCoalesceKeepsTheLatest(t *testing.T) {
	var recs []rec
	for i := range 6 {
		at := time.Duration(i) * time.Millisecond
		recs = append(recs,
			rec{At: at, Kind: kPin, Src: "GP15", Level: i%2 == 1},
			rec{At: at, Kind: kConsole, Text: "line " + string(rune('0'+i))})
	}
	recs = append(recs, rec{At: 7 * time.Millisecond, Kind: kReset, Text: "reset"})
	events, gaps := coalesce(recs, 2)
	got := strings.Join(raw(events), "\n")
	want := strings.Join([]string{
		`[4000000,"p","GP15",0]`,
		`[4000000,"c","line 4"]`,
		`[5000000,"p","GP15",1]`,
		`[5000000,"c","line 5"]`,
		`[7000000,"r","reset"]`,
	}, "\n")
	if got != want {
		t.Errorf("events:\n%s\nwant:\n%s", got, want)
	}
	if got, want := strings.Join(raw(gaps), "\n"), `[0,3000000,"p","GP15",4,1]`+"\n"+`[0,3000000,"c","",4,"line 3"]`; got != want {
		t.Errorf("gaps:\n%s\nwant:\n%s", got, want)
	}
}

func raw(msgs []json.RawMessage) []string {
	var s []string
	for _, m := range msgs {
		s = append(s, string(m))
	}
	return s
}
