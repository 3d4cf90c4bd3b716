package web_test

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/sim/session"
	"github.com/coopgo/coop/web"
)

// A server for a board whose program has not started yet, paused: the
// page's address, and the scenario of what was done in it so far
// (nothing).
func Example() {
	loop := coop.NewLoop(coop.WithVirtualClock())
	defer loop.Close()
	board, err := sim.NewBoard(loop, "pico2w", sim.Config{})
	if err != nil {
		log.Fatal(err)
	}
	pacer := session.NewPacer(1, true)
	pacer.Bind(loop)
	srv, err := web.New(web.Run{Program: "blink", Board: board, Pacer: pacer}, web.Config{})
	if err != nil {
		log.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	fmt.Println(strings.HasPrefix(srv.URL(), "http://127.0.0.1:"))

	resp, err := http.Get(srv.URL() + "scenario.yaml")
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	yaml, _ := io.ReadAll(resp.Body)
	fmt.Print(string(yaml))
	// Output:
	// true
	// name: "blink, as driven in the web view"
	// version: 1
	// author: coop web
	// description: >
	//   Replay with: coop run blink --scenario FILE --virtual
	// steps:
	//   - at: 1µs
}
