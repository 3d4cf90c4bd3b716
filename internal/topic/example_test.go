package topic_test

import (
	"fmt"

	"github.com/coopgo/coop/internal/topic"
)

func ExampleMatch() {
	for _, name := range []string{"coop/pico-1/temp", "coop/pico-1", "coop", "$SYS/uptime"} {
		fmt.Println(name, topic.Match("coop/+/temp", name), topic.Match("coop/#", name), topic.Match("#", name))
	}
	// Output:
	// coop/pico-1/temp true true true
	// coop/pico-1 false true true
	// coop false true true
	// $SYS/uptime false false false
}

func ExampleCheckFilter() {
	for _, f := range []string{"coop/#", "coop/#/temp", "coop/pico+", ""} {
		fmt.Printf("%q: %v\n", f, topic.CheckFilter(f))
	}
	// Output:
	// "coop/#": <nil>
	// "coop/#/temp": '#' must be a whole level, the last one, such as coop/#
	// "coop/pico+": '+' must be a whole level, such as coop/+/t
	// "": empty, want a topic filter such as coop/#
}
