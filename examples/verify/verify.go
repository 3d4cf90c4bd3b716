// Package verify is the course's quick verification script, which a
// learner runs first to confirm the board is ready: it prints what runs
// the programs, in the shape of MicroPython's sys.implementation.
//
// It is the "Quick Verification Script" of seed 000 (Prerequisites):
//
//	import sys
//	print(sys.implementation)
//
// whose expected output is "(name='micropython', version=(1, 24, 0), ...)".
// coop prints its own, with its version from the build information of the
// running program and the board it runs on:
//
//	(name='coop', version=(0, 4, 0, ''), _machine='Raspberry Pi Pico 2 W with RP2350', _go='go1.26.8')
//
// The version is (major, minor, micro, pre-release), as MicroPython's is
// since 1.22: a pseudo-version's pre-release is its date and commit, and a
// build without a module version (a test, or `go run` outside version
// control) is (0, 0, 0, 'devel'). _machine is the board and its chip as
// MicroPython names them, or the board's kind on a board that does not say;
// _go is the Go toolchain that built the program. Run it with
// `coop run verify`.
package verify

import (
	"embed"
	"fmt"
	"io/fs"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

//go:embed diagram.json
var files embed.FS

// Files holds the program's default wiring, diagram.json: the bare board.
func Files() fs.FS { return files }

// Module is the path of coop's module, whose version Implementation reports.
const Module = "github.com/coopgo/coop"

// App prints the implementation, as print(sys.implementation) does.
func App(t *coop.Task, b hw.Board) error {
	info, _ := debug.ReadBuildInfo()
	b.Console().Println(Implementation(info, b))
	return nil
}

// Implementation returns the line App prints for a program built as info
// says (nil if it carries no build information) on board b.
func Implementation(info *debug.BuildInfo, b hw.Board) string {
	machine := b.Name()
	if m, ok := b.(interface{ Machine() string }); ok && m.Machine() != "" {
		machine = m.Machine()
	}
	return fmt.Sprintf("(name='coop', version=%v, _machine='%s', _go='%s')", ModuleVersion(info), machine, runtime.Version())
}

// Version is a version as sys.implementation.version gives it.
type Version struct {
	Major, Minor, Micro int
	Pre                 string // the pre-release, "" for a release
}

// String returns v as Python prints the tuple: "(0, 4, 0, ”)".
func (v Version) String() string {
	return fmt.Sprintf("(%d, %d, %d, '%s')", v.Major, v.Minor, v.Micro, v.Pre)
}

// Devel is the version of a build that has no module version.
var Devel = Version{Pre: "devel"}

// ModuleVersion returns the version of coop's module in info: the main
// module's when the program is coop's own (the coop command), the
// dependency's when a program imports coop. It returns [Devel] when info
// is nil or has no semantic version for the module ("(devel)").
func ModuleVersion(info *debug.BuildInfo) Version {
	if info == nil {
		return Devel
	}
	v := ""
	if info.Main.Path == Module {
		v = info.Main.Version
	}
	for _, d := range info.Deps {
		if d.Path == Module {
			if d.Replace != nil {
				d = d.Replace
			}
			v = d.Version
		}
	}
	parsed, ok := ParseVersion(v)
	if !ok {
		return Devel
	}
	return parsed
}

// ParseVersion reads a module version, "v1.24.0", "v0.4.0-rc.1" or a
// pseudo-version "v0.0.0-20261206111213-abcdef123456", with or without
// "+build" metadata (dropped). It reports false for anything else.
func ParseVersion(s string) (Version, bool) {
	s, _, _ = strings.Cut(s, "+")
	rest, ok := strings.CutPrefix(s, "v")
	if !ok {
		return Version{}, false
	}
	core, pre, _ := strings.Cut(rest, "-")
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return Version{}, false
	}
	var n [3]int
	for i, p := range parts {
		x, err := strconv.Atoi(p)
		if err != nil || x < 0 || (len(p) > 1 && p[0] == '0') {
			return Version{}, false
		}
		n[i] = x
	}
	return Version{Major: n[0], Minor: n[1], Micro: n[2], Pre: pre}, true
}
