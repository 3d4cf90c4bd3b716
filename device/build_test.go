package device_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// The program whose builds are listed: a user's program, main calling
// device.Main(App).
const program = "./testdata/blinky"

// Packages that exist for the simulator and the host only: the TinyGo
// build of a program must not pull any of them (prefixes of import
// paths).
var hostOnly = []string{
	"github.com/coopgo/coop/sim",         // the simulator, its wiring, scenarios, session
	"github.com/coopgo/coop/web",         // the live board page
	"github.com/coopgo/coop/fleet",       // simulated fleets
	"github.com/coopgo/coop/cmd",         // the coop command
	"github.com/coopgo/coop/trace",       // traces of simulated runs
	"github.com/mochi-mqtt/",             // the MQTT broker
	"go.yaml.in/yaml",                    // scenario files
	"gopkg.in/yaml",                      //
	"github.com/coder/websocket",         // the web view's socket
	"charm.land/",                        // the terminal UI
	"github.com/coopgo/coop/mqtt/broker", // broker helpers
}

// Packages that exist for TinyGo only: the host build must not pull any
// of them.
var tinygoOnly = []string{
	"github.com/coopgo/coop/hw/machine",
	"github.com/soypat/",
	"github.com/tinygo-org/",
	"tinygo.org/",
	"machine",
	"device/",
	"runtime/interrupt",
}

// The build tags TinyGo 0.42 sets for -target=pico-w (tinygo info), so that the standard
// toolchain can list (not build) what a Pico W build would compile.
const picoWTags = "cortexm,baremetal,linux,arm,rp2040,rp,pico,pico-w,cyw43439,tinygo,purego,osusergo,math_big_pure_go,gc.conservative,scheduler.tasks,serial.usb,tinygo.unicore"

func deps(t *testing.T, name string, args ...string) []string {
	t.Helper()
	cmd := exec.Command(name, args...)
	out, err := cmd.Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, msg)
	}
	return strings.Fields(string(out))
}

// matching returns the packages of pkgs that are, or are under, one of
// prefixes.
func matching(pkgs, prefixes []string) []string {
	var bad []string
	for _, p := range pkgs {
		for _, pre := range prefixes {
			if p == strings.TrimSuffix(pre, "/") || strings.HasPrefix(p, strings.TrimSuffix(pre, "/")+"/") {
				bad = append(bad, p)
				break
			}
		}
	}
	return bad
}

// The host build of a device.Main program runs the simulator and pulls
// nothing TinyGo-only.
func TestHostBuildDeps(t *testing.T) {
	pkgs := deps(t, "go", "list", "-deps", program)
	if !slices.Contains(pkgs, "github.com/coopgo/coop/device") {
		t.Fatalf("go list -deps %s does not list package device: %v", program, pkgs)
	}
	if bad := matching(pkgs, tinygoOnly); len(bad) > 0 {
		t.Errorf("the host build pulls TinyGo-only packages: %v", bad)
	}
}

// The TinyGo build of the same program, as the standard toolchain lists
// it with TinyGo's tags for a Pico W, runs on hw/machine and pulls
// nothing of the simulator, the web view, the broker or YAML.
func TestTinyGoBuildDeps(t *testing.T) {
	// -e: the standard library has no "machine"; the list is still whole.
	pkgs := deps(t, "go", "list", "-e", "-deps", "-tags", picoWTags, program)
	checkTinyGo(t, pkgs)
}

// The same list from TinyGo itself, where it is installed
// (scripts/tinygo-check.sh runs this test with TinyGo on PATH).
func TestTinyGoListDeps(t *testing.T) {
	if _, err := exec.LookPath("tinygo"); err != nil {
		t.Skip("tinygo not on PATH; scripts/tinygo-check.sh runs this test with it")
	}
	for _, target := range []string{"pico", "pico-w"} {
		t.Run(target, func(t *testing.T) {
			checkTinyGo(t, deps(t, "tinygo", "list", "-deps", "-target="+target, program))
		})
	}
}

func checkTinyGo(t *testing.T, pkgs []string) {
	t.Helper()
	if !slices.Contains(pkgs, "github.com/coopgo/coop/hw/machine") {
		t.Fatalf("the TinyGo build does not list hw/machine: %v", pkgs)
	}
	if bad := matching(pkgs, hostOnly); len(bad) > 0 {
		t.Errorf("the TinyGo build pulls host-only packages: %v", bad)
	}
}
