// Package scenario drives the world around a simulated board in board time
// from a YAML file: press this button at 3 s, let the temperature climb,
// take the Wi-Fi down, and check that the program answers in time. The
// format is Wokwi's automation scenario, extended with coop's steps.
//
//	name: Button lights the LED
//	version: 1
//	steps:
//	  - wait-serial: "Ready"              # Wokwi: wait for a console line
//	  - at: 3s                            # board time 3 s
//	  - press: btn1
//	  - expect-pin: {part-id: led1, pin: A, value: 1, within: 50ms}
//	  - expect-serial: {text: "LED ON", within: 1s}
//	  - delay: 1s                         # Wokwi: wait 1 s
//	  - release: btn1
//	  - expect-pin:                       # Wokwi's block style
//	      part-id: led1
//	      pin: A
//	      value: 0
//	      within: 10ms
//
// Run it with a board and the diagram that wired it:
//
//	s, err := scenario.Load("scenario.yaml")
//	…
//	r, err := s.Start(board, diagram) // checks part ids and starts, before the program
//	…                                  // run the loop; then r.Done(), r.Err()
//
// # The file
//
// The top level has name, version (1), author, description and steps, a
// list. Each step is a mapping with one key, its kind. Steps run one after
// the other; a step that waits (delay, at, a serial or pin expectation
// with a deadline, click, hold) holds up the ones after it, the others take
// no board time. A run that lasts as long as its scenario (coop run
// without --for) ends with the last step: after a last `press: btn1` the
// program has no time to answer, so end a scenario with an expectation
// or a delay. Durations are Go durations: "500ms", "2s", "1m30s"; a
// duration that must be positive and is not is an error, and so is a
// number without a unit. Values of pins are 0 or 1.
//
// # Wokwi's steps
//
//	delay: 500ms
//	    Wait 500 ms.
//	wait-serial: "Ready"
//	wait-serial: {text: "Ready", timeout: 5s}
//	    Wait for a console line containing the text, for ever as in Wokwi,
//	    or at most timeout (then the run fails).
//	set-control: {part-id: btn1, control: pressed, value: 1}
//	    Press (1) or release (0) a button. Also control: temperature
//	    (−40 to 80 °C) and control: humidity (0 to 100 %) of a DHT22,
//	    control: position (0 to 1) of a potentiometer: the Controls of
//	    the parts' [sim.PartType].
//	expect-pin: {part-id: led1, pin: A, value: 1}
//	    Check the level of the board pin that pin A of led1 is wired to,
//	    now. coop additions: within: 100ms waits up to that long for the
//	    level; without pin: the pin the part is on is checked (for the
//	    parts soldered on the board, such as the Pico's "LED").
//
// # coop's steps
//
// Besides at, expect-serial and the Wi-Fi steps, every input a part's
// [sim.PartType] lists is a step of its name: `press: btn1` for an input
// without required arguments, or `turn: {part-id: pot1, to: 0.75, over: 2s}`
// with the input's arguments as fields. Today:
//
//	at: 3s
//	    Wait until board time 3 s. An `at` that the run reaches late fails
//	    (on the real clock, later than [RealTimeSlack]); the file is
//	    rejected if the steps before it always take longer.
//	press: btn1
//	release: btn1
//	click: btn1
//	    Press, release, or press and release 100 ms later ([DefaultClick]);
//	    click takes those 100 ms.
//	hold: {part-id: btn1, for: 2s}
//	    Press, and release 2 s later; the step takes 2 s.
//	temperature: {part-id: dht1, from: 20, to: 30, over: 60s}
//	humidity: {part-id: dht1, from: 40, to: 80, over: 10m}
//	    The value a DHT22 measures follows a straight line from from (the
//	    value now if left out) to to over 60 s of board time (at once
//	    without over), then stays.
//	    The step takes no time: the curve runs while later steps do.
//	sensor-fail: {part-id: dht1, mode: checksum}
//	    Break a DHT22: every read fails its checksum (checksum), or the
//	    sensor does not answer (no-response); none repairs it.
//	turn: {part-id: pot1, from: 0, to: 0.75, over: 2s}
//	    Turn a potentiometer (0 is the GND end, 1 the VCC end) from from
//	    (where it is if left out) to to over 2 s, or at once without
//	    over. The step takes no time.
//	wifi-down: Wokwi-GUEST
//	wifi-up: Wokwi-GUEST
//	    Take an access point off the air (a station joined to it loses its
//	    link) and put it back. The outage is traced as the value signal
//	    "Wokwi-GUEST.down".
//	broker: stop
//	broker: start
//	    Stop the broker the board's network leads to as a crash would
//	    (kill -9), and start it again with what its store kept.
//	drop-connections: all
//	    Reset every open stream of the board, as a broker that closes
//	    them without a word.
//	power-cut: now
//	power-cut: {during-write: 7}
//	    Cut the board's power now, or in the middle of its next flash
//	    write, after 7 bytes of it; the program starts again as at
//	    power-on.
//	stall: 3s
//	    Hold the loop for 3 s, as an interrupt handler stuck on a bus: no
//	    task runs, and an unfed watchdog resets the board at its deadline.
//	expect-serial: {text: "LED ON", within: 1s}
//	    A console line containing the text must come within 1 s.
//
// # Parts
//
// Steps name parts by their diagram ids; a [PartFinder] (a
// *wiring.Diagram) finds them. [Scenario.Start] checks every id, control
// and access point against the board before anything runs, and reports
// the first problem at its line and column.
//
// # Expectations
//
// Serial steps match a line containing the text (a substring, as Wokwi
// does), among the lines printed from the board time the step starts (so
// a reply printed at the very instant of a press is seen by the
// expect-serial that follows the press), each line matched once. A line
// printed while an earlier step took time (a click, a hold, a delay) is
// not seen: to check the reply to a click, press, expect, then release. A
// deadline (within, timeout) counts from the step's start and includes its
// last instant. The first expectation that fails ends the run with a
// [*StepError], which names a matching line that came too early:
//
//	scenario.yaml:12: step 4 (expect-pin led1.A): at 3.1s expected 1, got 0
//	scenario.yaml:14: step 5 (expect-serial "LED ON"): at 4s expected "LED ON" within 1s, got 2 other lines, the last "LED OFF"
//	scenario.yaml:6: step 3 (expect-serial "LED ON"): at 1.2s expected "LED ON" within 100ms, got 1 other line, "LED OFF" ("LED ON" came at 1s, while step 2 (click btn1) ran, before this step began at 1.1s: a serial step sees the lines from its start on)
//
// Everything happens in board time, in loop callbacks: on a virtual-clock
// loop a run is exact and the same every time. Steps due at the same
// instant as the program's own timers run in the order they were
// scheduled, so check a pin the program changes at that very instant with
// within.
package scenario
