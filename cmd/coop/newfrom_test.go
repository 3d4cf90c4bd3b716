package main

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/coopgo/coop/examples"
)

// coop new --from writes an example as a program of its own: it runs as
// coop run runs the example, and its test passes.
func TestNew_from(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program with the go command")
	}
	t.Setenv("GOFLAGS", "-mod=mod")
	dir := filepath.Join(t.TempDir(), "mydash")
	code, stdout, stderr := runArgs(t, "new", "--from", "dashboard", dir)
	want := "wrote " + dir + ": dashboard.go, diagram.json, go.mod, main.go, main_test.go, scenario.yaml\n"
	if code != exitOK || !strings.HasPrefix(stdout, want) || stderr != "" {
		t.Fatalf("coop new --from dashboard = %d\nstdout:\n%s\nstderr:\n%s\nwant 0, stdout from %q", code, stdout, stderr, want)
	}
	args := []string{"--virtual", "--timestamps", "--pins"}
	_, example, _ := runArgs(t, append([]string{"run", "dashboard"}, args...)...)
	code, stdout, stderr = goCmd(t, dir, append([]string{"run", "."}, args...)...)
	if code != exitOK || stdout != example || stderr != "" {
		t.Errorf("go run . %v = %d\nstdout:\n%s\nstderr:\n%s\nwant 0, what coop run dashboard prints:\n%s", args, code, stdout, stderr, example)
	}
	if code, stdout, stderr := goCmd(t, dir, "test", "-count=1", "."); code != 0 {
		t.Errorf("go test in %s = %d\n%s%s", dir, code, stdout, stderr)
	}
	test, err := os.ReadFile(filepath.Join(dir, "main_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"err := r.Run(App, 10*time.Second)", // the scenario ends at 9.02 s
		`"1.35s Button pressed",`,
		`"0s LED off",`,
		"if err := r.Scenario.Err(); err != nil || !r.Scenario.Done() {",
		`)

// TestApp runs App on the board of diagram.json, driven by scenario.yaml,
// on the virtual clock, and checks every line and pin change of its first
// 10s of board time, at its exact board time, as the example it comes
// from (dashboard) made them. When you change the program, see what it
// does with go run . --virtual --timestamps --pins, and change these lines.
func TestApp(t *testing.T) {
`,
	} {
		if !strings.Contains(string(test), line) {
			t.Errorf("main_test.go has no line %q:\n%s", line, test)
		}
	}
}

// Every example makes a program: its Go files in package main, beside a
// main.go and a test, none of them the example's own.
func TestNew_fromEveryExample(t *testing.T) {
	for _, p := range examples.All() {
		t.Run(p.Name, func(t *testing.T) {
			dir := t.TempDir()
			written, err := writeExample(dir, p, map[string]string{"Module": "m", "Go": "1.26", "Version": develVersion})
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{"diagram.json", "go.mod", "main.go", "main_test.go"} {
				if !slices.Contains(written, name) {
					t.Errorf("wrote %v, no %s", written, name)
				}
			}
			for _, name := range written {
				if filepath.Ext(name) != ".go" {
					continue
				}
				f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, name), nil, parser.PackageClauseOnly)
				if err != nil {
					t.Fatal(err)
				}
				if f.Name.Name != "main" {
					t.Errorf("%s is package %s, want main", name, f.Name.Name)
				}
			}
		})
	}
}

func TestAsMain(t *testing.T) {
	tests := []struct{ src, want string }{
		{"package blink\n\nfunc App() {}\n", "package main\n\nfunc App() {}\n"},
		{"// Package knobservo reads a knob.\npackage knobservo\n", "// This program reads a knob.\npackage main\n"},
		{"// Copyright.\n\n// Package x is x.\npackage x // x\n", "// Copyright.\n\n// This program is x.\npackage main // x\n"},
		{"// A package comment of its own.\npackage y\n", "// A package comment of its own.\npackage main\n"},
	}
	for _, tt := range tests {
		got, err := asMain("a.go", []byte(tt.src))
		if err != nil || string(got) != tt.want {
			t.Errorf("asMain(%q) = %q, %v; want %q", tt.src, got, err, tt.want)
		}
	}
	if _, err := asMain("a.go", []byte("func f() {}\n")); err == nil {
		t.Error("asMain of a file with no package clause succeeded, want an error")
	}
}
