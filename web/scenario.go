package web

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/coopgo/coop/sim"
)

// writeScenario writes the inputs made in the page as a scenario file
// that `coop run NAME --scenario FILE --virtual` replays exactly: each
// input is an `at` step to the board time it landed at, then the step that
// does it, as the part's type names it; a last `at` step runs the replay
// through shown, the board time the page had shown everything up to, and
// ends it at [replayEnd]. program names the program and seed its seed, for
// the description.
func writeScenario(w io.Writer, program string, seed uint64, inputs []input, shown time.Duration) error {
	var b strings.Builder
	fmt.Fprintf(&b, "name: %s\n", strconv.Quote(program+", as driven in the web view"))
	b.WriteString("version: 1\n")
	b.WriteString("author: coop web\n")
	fmt.Fprintf(&b, "description: >\n  Replay with: coop run %s --scenario FILE --virtual", program)
	if seed != 0 {
		fmt.Fprintf(&b, " --seed %d", seed)
	}
	b.WriteString("\n")
	b.WriteString("steps:\n")
	last := time.Duration(-1)
	for _, in := range inputs {
		if in.At != last {
			fmt.Fprintf(&b, "  - at: %v\n", in.At)
			last = in.At
		}
		names := slices.Sorted(func(yield func(string) bool) {
			for k := range in.Args {
				if !yield(k) {
					return
				}
			}
		})
		switch {
		case in.Input == "set-control":
			for _, c := range names {
				fmt.Fprintf(&b, "  - set-control: {part-id: %s, control: %s, value: %s}\n", in.Part, c, yamlValue(in.Args[c]))
			}
		case len(names) == 0: // press: btn1, wifi-down: Wokwi-GUEST
			fmt.Fprintf(&b, "  - %s: %s\n", in.Input, yamlValue(in.Part))
		default:
			fmt.Fprintf(&b, "  - %s: {part-id: %s", in.Input, in.Part)
			for _, k := range names {
				fmt.Fprintf(&b, ", %s: %s", k, yamlValue(in.Args[k]))
			}
			b.WriteString("}\n")
		}
	}
	fmt.Fprintf(&b, "  - at: %v\n", replayEnd(shown))
	_, err := io.WriteString(w, b.String())
	return err
}

// replayEnd is the board time the replay of a scenario recorded up to
// board time shown ends at: the first microsecond after it, past every
// input (none lands after shown). The replay runs through the instant
// shown, of which the page may have shown a part only, and the end of the
// run, which cancels the program, comes after it: the program's cleanup
// at that very instant (a LED turned off) would hide the instant's last
// edges, and at the next nanosecond still would in a trace kept in
// microseconds (the page's VCD, coop run --trace). A microsecond past the
// page, the replay seldom meets anything the page has not shown.
func replayEnd(shown time.Duration) time.Duration {
	return shown.Truncate(time.Microsecond) + time.Microsecond
}

// yamlValue writes an argument's value as a scenario file does: numbers
// in full, bools as 0 and 1, durations as Go writes them, texts quoted
// when YAML would read them otherwise.
func yamlValue(v any) string {
	switch x := v.(type) {
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		if x {
			return "1"
		}
		return "0"
	case time.Duration:
		return x.String()
	case string:
		if x != "" && strings.IndexFunc(x, func(r rune) bool {
			return !(r == '-' || r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
		}) < 0 {
			return x
		}
		return strconv.Quote(x)
	}
	return strconv.Quote(fmt.Sprint(v))
}

// recorded returns the input as the page records it: its arguments as
// [sim.Do] took them.
func recorded(in input, args sim.Args) input {
	in.Args = map[string]any(args)
	return in
}
