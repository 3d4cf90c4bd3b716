package main

import (
	"bufio"
	"bytes"
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/coopgo/coop/examples"
	"github.com/coopgo/coop/sim/session/cli"
)

// templates holds the files of a new program, as text/templates.
//
//go:embed template/*.tmpl
var templates embed.FS

const newUsage = `Usage: coop new [flags] DIR

Writes a program in DIR, a new or empty directory, that runs on a
simulated board: main.go (blinks an LED, polls a button; its main is
device.Main), its wiring diagram.json, its scenario scenario.yaml, its
test main_test.go and its go.mod, then runs go mod tidy there. Then:

  cd DIR && go run . --virtual --for 5s --pins

With --from NAME the program is the example NAME instead (coop list lists
them): its source as package main, its wiring and scenario, a main.go, and
a main_test.go that checks every line and pin change of its first seconds
of board time, recorded as coop new writes it.

Flags:

`

// newHelp is the help of coop new.
func newHelp() string {
	var c newFlags
	fs := flag.NewFlagSet("new", flag.ContinueOnError)
	c.define(fs)
	return newUsage + cli.FlagHelp(fs)
}

// newFlags are the flags of coop new.
type newFlags struct {
	module  string // --module
	replace string // --replace
	from    string // --from
}

func (c *newFlags) define(fs *flag.FlagSet) {
	fs.StringVar(&c.module, "module", "", "the module `path` of the program (default: DIR's base name)")
	fs.StringVar(&c.from, "from", "", "start from the example `NAME` (coop list): its source as package main, its wiring and scenario, and a test of what it does now")
	fs.StringVar(&c.replace, "replace", "", "use coop from the checkout in `dir` (default: the checkout coop was built from, if it was)")
}

// modulePathRE is what the go command takes as a module path, checked
// before anything is written: elements of ASCII letters, digits and
// - . _ ~ + joined by /, none empty or starting or ending with a dot.
var modulePathRE = regexp.MustCompile(`^[A-Za-z0-9_~+-]([A-Za-z0-9._~+-]*[A-Za-z0-9_~+-])?(/[A-Za-z0-9_~+-]([A-Za-z0-9._~+-]*[A-Za-z0-9_~+-])?)*$`)

// modulePathRule says what modulePathRE allows, for messages.
const modulePathRule = "letters, digits and - . _ ~ + in elements joined by /, such as blinky or example.com/blinky"

// newCommand is `coop new`.
func newCommand(args []string, stdout, stderr io.Writer) int {
	var c newFlags
	fs := flag.NewFlagSet("new", flag.ContinueOnError)
	c.define(fs)
	dir, err := parseOne(fs, "new", "DIR", args)
	if errors.Is(err, flag.ErrHelp) {
		return writeHelp(stdout, stderr, newHelp())
	}
	if err != nil {
		fmt.Fprintf(stderr, "coop: %v\n", err)
		return exitUsage
	}
	if c.module == "" {
		c.module = filepath.Base(absPath(dir))
		if !modulePathRE.MatchString(c.module) {
			fmt.Fprintf(stderr, "coop: new: %s: the directory's name %q is not a module path (%s): give one with --module\n", dir, c.module, modulePathRule)
			return exitUsage
		}
	} else if !modulePathRE.MatchString(c.module) {
		fmt.Fprintf(stderr, "coop: new: --module %q: not a module path (%s)\n", c.module, modulePathRule)
		return exitUsage
	}
	bi, _ := debug.ReadBuildInfo()
	version, replace := coopVersion(bi, checkoutDir())
	if c.replace != "" {
		replace = absPath(c.replace)
		version = develVersion
	}
	if replace != "" {
		if err := checkCheckout(replace); err != nil {
			fmt.Fprintf(stderr, "coop: new: --replace %s: %v\n", replace, err)
			return exitUsage
		}
	} else if version == develVersion {
		fmt.Fprintf(stderr, "coop: new: %s\n", noCoop)
		return exitUsage
	}
	var from examples.Program
	if c.from != "" {
		if from, err = examples.Find(c.from); err != nil {
			fmt.Fprintf(stderr, "coop: new: --from: %v\n", err)
			return exitUsage
		}
	}
	if fi, err := os.Stat(dir); err == nil {
		what := "is not a directory"
		if fi.IsDir() {
			what = "is not empty"
			if entries, err := os.ReadDir(dir); err == nil && len(entries) == 0 {
				what = ""
			}
		}
		if what != "" {
			fmt.Fprintf(stderr, "coop: new: %s already exists and %s: give a new or empty directory\n", dir, what)
			return exitUsage
		}
	}
	data := struct{ Name, Module, Go, Version, Replace string }{
		Name: filepath.Base(absPath(dir)), Module: c.module, Go: goVersion(),
		Version: version, Replace: replace,
	}
	var written []string
	if c.from != "" {
		written, err = writeExample(dir, from, data)
	} else {
		written, err = writeProgram(dir, data)
	}
	if err != nil {
		fmt.Fprintf(stderr, "coop: new: %v\n", err)
		return exitFail
	}
	tidy := exec.Command("go", "mod", "tidy")
	tidy.Dir = dir
	var out bytes.Buffer
	tidy.Stdout, tidy.Stderr = &out, &out
	if err := tidy.Run(); err != nil {
		fmt.Fprintf(stderr, "coop: new: go mod tidy in %s: %v\n%s", dir, err, out.String())
		return exitFail
	}
	cd := "cd " + dir + " && "
	if absPath(dir) == absPath(".") {
		cd = ""
	}
	if _, err := fmt.Fprintf(stdout, "wrote %s: %s\nrun it:\n\n  %sgo run . --virtual --for 5s --pins\n", dir, strings.Join(written, ", "), cd); err != nil {
		fmt.Fprintf(stderr, "coop: new: %v\n", err)
		return exitFail
	}
	return exitOK
}

// writeProgram writes the files of a new program in the new directory dir.
func writeProgram(dir string, data any) (written []string, err error) {
	entries, err := fs.ReadDir(templates, "template")
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for _, e := range entries {
		b, err := execTemplate("template/"+e.Name(), data)
		if err != nil {
			return nil, err
		}
		files[strings.TrimSuffix(e.Name(), ".tmpl")] = b
	}
	return writeFiles(dir, files)
}

// writeFiles writes files, by name, in the new directory dir, and returns
// their names in order.
func writeFiles(dir string, files map[string][]byte) (written []string, err error) {
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return nil, err
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if err := os.WriteFile(filepath.Join(dir, name), files[name], 0o666); err != nil {
			return nil, err
		}
		written = append(written, name)
	}
	return written, nil
}

// develVersion is the version a program requires of a coop it uses from a
// checkout, through a replace directive.
const develVersion = "v0.0.0-00010101000000-000000000000"

// coopVersion returns the version of coop a new program requires, and the
// checkout to use through a replace directive, if any, for a coop built as
// bi says from the checkout in checkout ("" if none): a coop installed at
// a release (go install …@v1.2.3) or from the module proxy (go install
// …@latest, whose sum bi records) requires that version; one built from a
// checkout uses the checkout. With neither, version is develVersion and
// replace "": a version no proxy has (see noCoop).
func coopVersion(bi *debug.BuildInfo, checkout string) (version, replace string) {
	if bi != nil && (release.MatchString(bi.Main.Version) || bi.Main.Sum != "") {
		return bi.Main.Version, ""
	}
	return develVersion, checkout
}

// noCoop says why coop new cannot write a go.mod that finds coop.
const noCoop = "this coop is not a release and was not built from a checkout it can find (it moved, or was built with -trimpath): give coop's checkout with --replace DIR"

// release matches a release version of a module, as go install
// module@v1.2.3 records it.
var release = regexp.MustCompile(`^v[0-9]+\.[0-9]+\.[0-9]+$`)

// checkoutDir returns the directory of the checkout this coop was built
// from, as its source paths name it, or "" if it was built without them
// (-trimpath) or the checkout is gone.
func checkoutDir() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return ""
	}
	root, ok := strings.CutSuffix(file, filepath.ToSlash(filepath.Join("cmd", "coop", "new.go")))
	if !ok || !filepath.IsAbs(root) || checkCheckout(root) != nil {
		return ""
	}
	return filepath.Clean(root)
}

// checkCheckout checks that dir holds coop's module.
func checkCheckout(dir string) error {
	f, err := os.Open(filepath.Join(dir, "go.mod"))
	if err != nil {
		return errors.New("not a checkout of coop: no go.mod")
	}
	defer f.Close()
	// Its first line names the module; a line longer than that is not.
	first, _ := bufio.NewReader(io.LimitReader(f, 256)).ReadString('\n')
	if strings.TrimSpace(first) != "module github.com/coopgo/coop" {
		return errors.New("not a checkout of coop: its go.mod is another module's")
	}
	return nil
}

// goVersion is the go line of a new program's go.mod: the language
// version coop itself needs.
func goVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		v := strings.TrimPrefix(bi.GoVersion, "go")
		if major, minor, ok := cutVersion(v); ok {
			return major + "." + minor
		}
	}
	return "1.26"
}

func cutVersion(v string) (major, minor string, ok bool) {
	major, rest, ok := strings.Cut(v, ".")
	if !ok {
		return "", "", false
	}
	minor, _, _ = strings.Cut(rest, ".")
	return major, minor, minor != ""
}
