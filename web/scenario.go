package web

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// writeScenario writes the inputs made in the page as a scenario file
// that `coop run NAME --scenario FILE --virtual` replays exactly: each
// input is an `at` step to the board time it landed at, then the step that
// does it; a last `at` step runs the replay to end, the board time the page
// had reached. program names the program and seed its seed, for the
// description.
func writeScenario(w io.Writer, program string, seed uint64, inputs []input, end time.Duration) error {
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
		switch in.Name {
		case "pressed":
			if in.Value == 1 {
				fmt.Fprintf(&b, "  - press: %s\n", in.Part)
			} else {
				fmt.Fprintf(&b, "  - release: %s\n", in.Part)
			}
		case "temperature", "humidity":
			fmt.Fprintf(&b, "  - set-control: {part-id: %s, control: %s, value: %s}\n",
				in.Part, in.Name, strconv.FormatFloat(in.Value, 'f', -1, 64))
		case "fault":
			mode := "none"
			if in.Value == 1 {
				mode = "checksum"
			}
			fmt.Fprintf(&b, "  - sensor-fail: {part-id: %s, mode: %s}\n", in.Part, mode)
		default:
			return fmt.Errorf("web: input %q of %s has no scenario step", in.Name, in.Part)
		}
	}
	switch {
	case end > 0 && end > last:
		fmt.Fprintf(&b, "  - at: %v\n", end)
	case len(inputs) == 0:
		b.WriteString("  - delay: 1ns\n") // a scenario has at least one step
	}
	_, err := io.WriteString(w, b.String())
	return err
}
