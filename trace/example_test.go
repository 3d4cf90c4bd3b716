package trace_test

import (
	"fmt"
	"os"
	"time"

	"github.com/coopgo/coop/trace"
)

// A task blinks an LED: the VCD has one wire for the pin and three for the
// task, ready to open in GTKWave or PulseView.
func ExampleWriteVCD() {
	const ms = time.Millisecond
	var r trace.Recorder
	r.Task(0, "blink", "running")
	r.Pin(0, "LED", true)
	r.Task(0, "blink", "sleeping")
	r.Task(500*ms, "blink", "running")
	r.Pin(500*ms, "LED", false)
	r.Task(500*ms, "blink", "done")

	err := trace.WriteVCD(os.Stdout, r.Events(), trace.VCDOptions{Timescale: ms, End: time.Second})
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// $version github.com/coopgo/coop/trace $end
	// $timescale 1ms $end
	// $scope module pins $end
	// $var wire 1 ! LED $end
	// $upscope $end
	// $scope module tasks $end
	// $var wire 1 " blink_running $end
	// $var wire 1 # blink_ready $end
	// $var wire 1 $ blink_waiting $end
	// $upscope $end
	// $enddefinitions $end
	// #0
	// $dumpvars
	// 1!
	// 1"
	// 0#
	// 0$
	// $end
	// #1
	// 0"
	// 1$
	// #500
	// 0!
	// 1"
	// 0$
	// #501
	// 0"
	// #1000
}

// A live view follows the recorder; pins written with an unchanged level
// are not recorded, so listeners see real changes only.
func ExampleRecorder_Subscribe() {
	var r trace.Recorder
	cancel := r.Subscribe(func(e trace.Event) { fmt.Println(e) })
	r.Pin(0, "LED", true)
	r.Pin(100*time.Millisecond, "LED", true)
	r.Pin(200*time.Millisecond, "LED", false)
	r.Console(200*time.Millisecond, "off")
	cancel()
	r.Console(300*time.Millisecond, "not seen")
	// Output:
	// 0s pin LED high
	// 200ms pin LED low
	// 200ms console "off"
}
