package blinktwoblocking_test

import (
	"fmt"
	"testing"
	"time"

	blinktwoblocking "github.com/coopgo/coop/examples/blink-two-blocking"
	"github.com/coopgo/coop/examples/internal/exampletest"
	"github.com/coopgo/coop/sim"
)

// D2 blinks only after D1 is done: 0–5 s, then 5–9 s. Nothing is printed.
func TestApp(t *testing.T) {
	r := exampletest.New(t, "blink-two-blocking", sim.Config{})
	if err := r.Run(blinktwoblocking.App, 10*time.Second); err != nil {
		t.Fatalf("Run(blinktwoblocking.App, 10s) = %v, want nil", err)
	}
	exampletest.Equal(t, "console", r.Timed(), nil)
	exampletest.Equal(t, "D1", r.Levels("D1"), []string{
		"0s 0",
		"0s 1", "250ms 0", "500ms 1", "750ms 0", "1s 1", "1.25s 0", "1.5s 1", "1.75s 0", "2s 1", "2.25s 0",
		"2.5s 1", "2.75s 0", "3s 1", "3.25s 0", "3.5s 1", "3.75s 0", "4s 1", "4.25s 0", "4.5s 1", "4.75s 0",
	})
	want := []string{"5s 0"} // D2 becomes an output only when the second blink starts
	for i := range 40 {
		want = append(want, fmt.Sprintf("%v %d", 5*time.Second+time.Duration(i)*100*time.Millisecond, 1-i%2))
	}
	exampletest.Equal(t, "D2", r.Levels("D2"), want)
}
