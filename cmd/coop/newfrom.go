package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/format"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"text/template"
	"time"

	"github.com/coopgo/coop/examples"
	"github.com/coopgo/coop/sim/scenario"
	"github.com/coopgo/coop/sim/session"
	"github.com/coopgo/coop/sim/simtest"
)

// recordFor is how much board time the test coop new --from writes
// checks of a program that runs without a scenario.
const recordFor = 5 * time.Second

// writeExample writes example p as a program of its own in the new
// directory dir: its Go files as package main, its wiring and scenario, a
// main.go that runs App with device.Main, a test of what it does in its
// first seconds of board time, recorded now, and, from data, a go.mod.
func writeExample(dir string, p examples.Program, data any) ([]string, error) {
	files, err := p.Source()
	if err != nil {
		return nil, err
	}
	// A program may take its wiring and scenario from another's package.
	out := map[string][]byte{examples.WiringFile: p.Wiring}
	if p.Scenario != nil {
		out[examples.ScenarioFile] = p.Scenario
	}
	for name, src := range files {
		if filepath.Ext(name) == ".go" {
			if src, err = asMain(name, src); err != nil {
				return nil, fmt.Errorf("%s: %w", p.Name, err)
			}
		}
		out[name] = src
	}
	for _, name := range []string{"main.go", "main_test.go", "go.mod"} {
		if out[name] != nil {
			return nil, fmt.Errorf("%s: the example has a %s of its own", p.Name, name)
		}
	}
	out["main.go"] = []byte(exampleMain)
	// The test runs on the files written here.
	p.Wiring, p.Scenario = out[examples.WiringFile], out[examples.ScenarioFile]
	if out["main_test.go"], err = exampleTest(p); err != nil {
		return nil, err
	}
	mod, err := execTemplate("template/go.mod.tmpl", data)
	if err != nil {
		return nil, err
	}
	out["go.mod"] = mod
	return writeFiles(dir, out)
}

// asMain returns the Go file src with its package clause made package
// main, and its package comment ("Package knobservo reads a knob…") one
// of a program ("This program reads a knob…").
func asMain(name string, src []byte) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.PackageClauseOnly|parser.ParseComments)
	if err != nil {
		return nil, err
	}
	at := fset.Position(f.Name.Pos()).Offset
	out := append(append(append([]byte(nil), src[:at]...), "main"...), src[at+len(f.Name.Name):]...)
	if f.Doc != nil {
		doc := fset.Position(f.Doc.Pos()).Offset
		if was := "// Package " + f.Name.Name + " "; bytes.HasPrefix(out[doc:], []byte(was)) {
			out = append(out[:doc:doc], append([]byte("// This program "), out[doc+len(was):]...)...)
		}
	}
	return out, nil
}

// exampleMain is the main.go of a program written from an example.
const exampleMain = `package main

import "github.com/coopgo/coop/device"

// main runs App: with go run on the simulated board of diagram.json
// (go run . --help lists the flags), with TinyGo on a real board.
func main() { device.Main(App) }
`

// exampleTestTemplate is the main_test.go of a program written from an
// example: what the example did when it was written, line for line.
var exampleTestTemplate = template.Must(template.New("main_test.go").Parse(`package main

import (
	"testing"
	"time"

	"github.com/coopgo/coop/sim/simtest"
)

{{if .Scenario -}}
// TestApp runs App on the board of diagram.json, driven by scenario.yaml,
// on the virtual clock, and checks every line and pin change of its first
// {{.For}} of board time, at its exact board time, as the example it comes
// from ({{.Name}}) made them. When you change the program, see what it
// does with go run . --virtual --timestamps --pins, and change these lines.
{{- else -}}
// TestApp runs App on the board of diagram.json, on the virtual clock, and
// checks every line and pin change of its first {{.For}} of board time, at
// its exact board time, as the example it comes from ({{.Name}}) made
// them. When you change the program, see what it does with go run .
// --virtual --timestamps --pins, and change these lines.
{{- end}}
{{- if .ScenarioFails}}
//
// Its scenario does not pass on the simulator alone, with no broker to
// connect to (with one: go run . --broker URL):
//
//	{{.ScenarioFails}}
{{- end}}
func TestApp(t *testing.T) {
	r := simtest.Open(t, ".")
	err := r.Run(App, {{.ForGo}})
{{- if .Err}}
	if want := {{printf "%q" .Err}}; err == nil || err.Error() != want {
		t.Errorf("App returned %v, want %q", err, want)
	}
{{- else}}
	if err != nil {
		t.Fatal(err)
	}
{{- end}}
	simtest.Equal(t, "console", r.Timed(), []string{
{{- range .Console}}
		{{printf "%q" .}},
{{- end}}
	})
	simtest.Equal(t, "pins", r.Pins(), []string{
{{- range .Pins}}
		{{printf "%q" .}},
{{- end}}
	})
{{- if .CheckScenario}}
	if err := r.Scenario.Err(); err != nil || !r.Scenario.Done() {
		t.Errorf("scenario: done %v, error %v; want done, no error", r.Scenario.Done(), err)
	}
{{- end}}
}
`))

// exampleTest records what p does on the simulator and writes the test
// that checks it: for the length of its scenario, rounded up to a whole
// second, or for recordFor without one.
func exampleTest(p examples.Program) ([]byte, error) {
	cfg := simtest.Config{Wiring: session.File{Name: examples.WiringFile, Data: p.Wiring}}
	d := recordFor
	checkScenario, scenarioFails := false, ""
	if p.Scenario != nil {
		cfg.Scenario = session.File{Name: examples.ScenarioFile, Data: p.Scenario}
		end, err := scenarioEnd(p)
		var step *scenario.StepError
		switch {
		case errors.As(err, &step):
			// It needs what the simulator alone does not give it (a
			// broker): the test checks what it does without.
			scenarioFails = step.Error()
		case err != nil:
			return nil, err
		default:
			checkScenario = true
			d = end.Truncate(time.Second)
			if d < end || d == 0 {
				d += time.Second
			}
		}
	}
	rec, err := simtest.Record(cfg, p.App, d)
	if err != nil {
		return nil, err
	}
	// A program that returns before its scenario is done ends the test's
	// run there, as it ends Rig.Run.
	checkScenario = checkScenario && rec.ScenarioDone && rec.ScenarioErr == nil
	data := struct {
		Name, For, ForGo, Err, ScenarioFails string
		Scenario, CheckScenario              bool
		Console, Pins                        []string
	}{Name: p.Name, For: d.String(), ForGo: goDuration(d), ScenarioFails: scenarioFails,
		Scenario: p.Scenario != nil, CheckScenario: checkScenario, Console: rec.Timed, Pins: rec.Pins}
	if rec.Err != nil {
		data.Err = rec.Err.Error()
	}
	var b bytes.Buffer
	if err := exampleTestTemplate.Execute(&b, data); err != nil {
		return nil, err
	}
	return format.Source(b.Bytes())
}

// scenarioEnd returns the board time at which p's run with its scenario
// ends, as coop run --virtual runs it.
func scenarioEnd(p examples.Program) (time.Duration, error) {
	s, err := session.New(p.App, session.Config{
		Name:     p.Name,
		Wiring:   session.File{Name: examples.WiringFile, Data: p.Wiring},
		Scenario: session.File{Name: examples.ScenarioFile, Data: p.Scenario},
		Virtual:  true,
	})
	if err != nil {
		return 0, err
	}
	if err := s.Run(context.Background()); err != nil {
		return 0, fmt.Errorf("%s: its run with its scenario: %w", p.Name, err)
	}
	return s.End(), nil
}

// goDuration writes d, a whole number of seconds, as Go: "5 * time.Second".
func goDuration(d time.Duration) string {
	return strconv.FormatInt(int64(d/time.Second), 10) + " * time.Second"
}

// execTemplate executes the embedded template named name with data.
func execTemplate(name string, data any) ([]byte, error) {
	t, err := template.ParseFS(templates, name)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
