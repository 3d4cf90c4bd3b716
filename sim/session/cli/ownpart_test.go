package cli

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/coopgo/coop/internal/parttest"
)

// A program's own part, given to Main, is wired by diagram.json, driven
// by scenario.yaml and shown by --pins; without it, the wiring names the
// type it does not know.
func TestMain_ownPart(t *testing.T) {
	programDir(t, false)
	files := map[string]string{
		WiringFile:   parttest.Wiring,
		ScenarioFile: "steps:\n  - at: 1s\n  - tilt: tilt1\n  - expect-serial: {text: \"tilted: true\", within: 50ms}\n  - at: 2.01s\n  - level: tilt1\n",
	}
	for name, data := range files {
		if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out, errOut bytes.Buffer
	code := Main(parttest.App, []string{"--virtual", "--timestamps", "--pins", "--for", "3s"}, Stdio{Out: &out, Err: &errOut}, parttest.TiltType())
	want := `[   0.000s] GP5 (tilt1) on
[   1.000s] GP5 (tilt1) off
[   1.000s] tilted: true
[   2.010s] GP5 (tilt1) on
[   2.020s] tilted: false
`
	if code != ExitOK || out.String() != want || errOut.Len() != 0 {
		t.Errorf("Main with my-tilt-switch = %d\nstdout:\n%s\nstderr:\n%s\nwant 0, stdout:\n%s", code, out.String(), errOut.String(), want)
	}
	out.Reset()
	errOut.Reset()
	code = Main(parttest.App, []string{"--virtual"}, Stdio{Out: &out, Err: &errOut})
	if wantErr := `coop: diagram.json:1:64: part "tilt1" has unknown type "my-tilt-switch" (known: `; code != ExitUsage || !strings.HasPrefix(errOut.String(), wantErr) {
		t.Errorf("Main without my-tilt-switch = %d\nstderr:\n%s\nwant 2, stderr starting %s", code, errOut.String(), wantErr)
	}
}
