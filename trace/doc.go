// Package trace records what happens on a board, stamped with board time,
// and exports it as a Value Change Dump for waveform viewers or as an SVG
// timeline for people.
//
// # Recording
//
// A [Recorder] collects [Event] values: pin level changes, console lines,
// interrupts, task state changes and free marks. The simulator and the
// scheduler record into it (pass [Recorder.ObserveTask] to
// coop.WithTaskEvents); a web page follows it live with
// [Recorder.Subscribe]. Times are board time since start
// ([time.Duration]), never wall-clock time, so a run on a virtual clock
// gives the same trace every time.
//
// # VCD export
//
// [WriteVCD] writes a file that GTKWave, PulseView and sigrok-cli
// (`sigrok-cli -I vcd -i run.vcd -O bits`) open. Its layout:
//
//   - scope "pins": one 1-bit wire per pin, named after the pin; x until the
//     pin's first level.
//   - scope "tasks": three 1-bit wires per task, NAME_running, NAME_ready and
//     NAME_waiting. While the task is alive exactly one of them is high
//     (waiting covers "sleeping", "waiting" and any state this package does
//     not know); before the task starts and after it ends (done, cancelled
//     or failed) all three are low. A step shorter than the time unit
//     (every step, on a virtual clock) is drawn one unit long, so each
//     shows as a pulse on NAME_running.
//
// Tasks use single-bit wires rather than one vector of state codes because
// libsigrok 0.5 reads only 1-bit wires (a file with a vector yields no data
// at all) and ignores scopes; that is also why every name is unique across
// the whole file. A viewer then shows a task as three lanes that read at a
// glance, with no translation table to load.
//
// Names are made legal with [VCDName] ("LED 1" becomes "LED_1") and then
// unique with a "_2", "_3"… suffix. Signals come in order of first
// appearance in the events, pins before tasks, and take identifier codes
// from [VCDCode] in that order, so identical events give byte-identical
// files. Console lines, marks and interrupts go in as $comment sections
// only with [VCDOptions].Comments, since libsigrok 0.5 stops reading at a
// $comment among the value changes.
//
// [ReadVCD] reads such files back, as well as the files simulators and
// logic analyzers commonly write.
//
// # SVG timeline
//
// [WriteSVG] draws one row per pin (a square wave), one per task (bands
// coloured by state), rows of labelled ticks for interrupts, marks and
// console lines, and a time axis labelled in s, ms, µs or ns.
package trace
