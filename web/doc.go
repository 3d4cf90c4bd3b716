// Package web serves a live page of a run: the board drawn with its parts,
// the console, a task table and a timing diagram of every pin and task on
// one board timeline, with the clock under the page's control. It is one
// more front-end on a run, like the terminal's status line: `coop run NAME
// --web` and a user's `go run . --web` serve it.
//
// # The run
//
// A [Run] is a program on a simulated board whose loop runs on the virtual
// clock, driven by a [session.Pacer]: the page pauses it, sets its speed
// from 0.01× to as fast as possible, steps it to the next task switch, the
// next pin edge or by a board duration, and runs it until a task reaches a
// state or a pin changes. The run stays deterministic: a person's input
// lands alone at the nanosecond after the board time it was made at
// ([session.Pacer.Input]), so the scenario the page downloads replays the
// run exactly with `coop run NAME --scenario FILE --virtual`.
//
// # The stream
//
// [New] observes the board and the tasks from before the program starts.
// The server keeps a bounded history ([Config.History] records, about 70
// bytes each plus console text: [DefaultHistory] takes some 16 MB however
// long the run) and sends each page a hello with the run as it is, then a batch of
// what changed every 50 ms of wall time. A batch carries at most 64
// changes of one pin or task; more (a pin toggling at 1 kHz while the board
// races) are summed up as a busy span, so the page is never flooded. A
// reload or a second tab gets the same hello. Looking back reads the state
// at a past instant from the history; the downloads (VCD and SVG of package
// trace, the scenario) cover it too. The page's clock and the downloads
// take one reading of where the run is: the latest board time the page has
// shown, which the VCD and the SVG end at, and the scenario a microsecond
// later, so that its replay runs through every event the page showed.
//
// # Security
//
// The server listens on 127.0.0.1 unless told otherwise, and there refuses
// a request whose Host is not a loopback name (a page of another site that
// had its name point at 127.0.0.1). On any other address it needs a token,
// given or generated, that the printed URL carries; a request without it
// gets 403 Forbidden, and so does a websocket upgrade. The websocket
// refuses an Origin other than the page's own.
//
// # The page
//
// The page is plain HTML, CSS and JavaScript embedded in the binary: no
// CDN, no build step. It draws each part from its description (kind, pins,
// shown state, controls), so a part that describes itself shows up without
// a change to the page. A board with Wi-Fi shows each access point in range
// with a control that takes it off the air and back (the scenario's
// wifi-down and wifi-up steps), the outage as its value signal "SSID.down"
// on the timeline, and what the board's station last did.
package web
