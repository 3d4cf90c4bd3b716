package verify_test

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/coopgo/coop/examples/internal/exampletest"
	"github.com/coopgo/coop/examples/verify"
	"github.com/coopgo/coop/sim"
)

// A test binary has no module version: the script prints the devel
// version, the simulated Pico 2 W's machine and the Go version, at 0 s.
func TestApp(t *testing.T) {
	r := exampletest.New(t, "verify", sim.Config{})
	if err := r.Run(verify.App, time.Minute); err != nil {
		t.Fatalf("Run(App, 1m) = %v, want nil", err)
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"0s (name='coop', version=(0, 0, 0, 'devel'), _machine='Raspberry Pi Pico 2 W with RP2350', _go='" + runtime.Version() + "')",
	})
	// The program only prints: it drives no pin.
	exampletest.Equal(t, "pins", r.Pins(), nil)
}

// The version comes from the coop module in the build information: the
// main module for the coop command, a dependency for a user's program.
func TestImplementation(t *testing.T) {
	r := exampletest.New(t, "verify", sim.Config{})
	for _, tt := range []struct {
		info *debug.BuildInfo
		want string
	}{
		{nil, "(0, 0, 0, 'devel')"},
		{&debug.BuildInfo{Main: debug.Module{Path: verify.Module, Version: "v0.4.0"}}, "(0, 4, 0, '')"},
		{&debug.BuildInfo{Main: debug.Module{Path: verify.Module, Version: "(devel)"}}, "(0, 0, 0, 'devel')"},
		{&debug.BuildInfo{Main: debug.Module{Path: verify.Module, Version: "v0.0.0-20261206111213-abcdef123456+dirty"}},
			"(0, 0, 0, '20261206111213-abcdef123456')"},
		{&debug.BuildInfo{Main: debug.Module{Path: "example.com/blinky", Version: "v9.9.9"},
			Deps: []*debug.Module{{Path: verify.Module, Version: "v1.2.3-rc.1"}}}, "(1, 2, 3, 'rc.1')"},
		{&debug.BuildInfo{Main: debug.Module{Path: "example.com/blinky", Version: "v9.9.9"},
			Deps: []*debug.Module{{Path: verify.Module, Version: "v1.2.3", Replace: &debug.Module{Path: "../coop"}}}}, "(0, 0, 0, 'devel')"},
	} {
		want := "(name='coop', version=" + tt.want + ", _machine='Raspberry Pi Pico 2 W with RP2350', _go='" + runtime.Version() + "')"
		if got := verify.Implementation(tt.info, r.Board); got != want {
			t.Errorf("Implementation(%v) = %q, want %q", tt.info, got, want)
		}
	}
}

func TestParseVersion(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want verify.Version
		ok   bool
	}{
		{"v1.24.0", verify.Version{Major: 1, Minor: 24}, true},
		{"v0.4.1-rc.1+meta", verify.Version{Minor: 4, Micro: 1, Pre: "rc.1"}, true},
		{"(devel)", verify.Version{}, false},
		{"", verify.Version{}, false},
		{"v1.2", verify.Version{}, false},
		{"v1.02.3", verify.Version{}, false},
		{"v1.x.3", verify.Version{}, false},
	} {
		if got, ok := verify.ParseVersion(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("ParseVersion(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
