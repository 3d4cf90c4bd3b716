// Package browsertest starts a headless Chromium for end-to-end tests of
// coop's web page, with github.com/chromedp/chromedp.
//
// Tests skip when no Chromium is installed (scripts/setup.sh installs
// Debian's chromium), unless the environment sets COOP_REQUIRE_BROWSER=1,
// as CI does: there a missing browser fails the test.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// RequireEnv is the environment variable that turns a missing browser
// from a skip into a failure.
const RequireEnv = "COOP_REQUIRE_BROWSER"

// ArtifactsEnv names the directory screenshots are written to; without
// it they go to coop-web-artifacts in the system's temporary directory.
const ArtifactsEnv = "COOP_ARTIFACTS"

// browsers are the names Chromium goes by, in the order they are tried.
var browsers = []string{"chromium", "chromium-browser", "google-chrome", "chrome", "headless_shell"}

// Find returns the path of a Chromium, or "" if there is none.
func Find() string {
	for _, name := range browsers {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Browser is a headless Chromium, started by [New] for a test and its
// subtests, each of which opens its own tab with [Browser.Tab].
type Browser struct {
	ctx context.Context // of the browser's first tab
}

// New starts a headless Chromium with a fresh profile for the test; it
// lives until timeout or the end of the test. It skips the test when
// there is no Chromium, unless COOP_REQUIRE_BROWSER=1. Starting Chromium
// takes a second or more: start one for a group of subtests.
func New(t testing.TB, timeout time.Duration) *Browser {
	t.Helper()
	path := Find()
	if path == "" {
		if os.Getenv(RequireEnv) == "1" {
			t.Fatalf("no Chromium found (tried %v) and %s=1: run scripts/setup.sh as root", browsers, RequireEnv)
		}
		t.Skipf("no Chromium found (tried %v): scripts/setup.sh installs it; %s=1 makes this a failure", browsers, RequireEnv)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox, // Chromium refuses to run as root with its sandbox
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 1050),
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx, chromedp.WithErrorf(t.Logf))
	t.Cleanup(bcancel)
	if _, err := chromedp.Run(bctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	return &Browser{ctx: bctx}
}

// Tab opens a new tab for the test (a subtest of the one that started
// the browser) and returns its context; the tab closes at the end of the
// test. A JavaScript error in the tab fails the test when it ends: an
// exception nothing caught, or a call of console.error.
func (b *Browser) Tab(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	t.Cleanup(cancel)
	if _, err := chromedp.Run(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	jsErrors, err := WatchErrors(ctx)
	if err != nil {
		t.Fatalf("watching the tab's errors: %v", err)
	}
	t.Cleanup(func() {
		for _, e := range jsErrors() {
			t.Errorf("JavaScript error in the page: %s", e)
		}
	})
	return ctx
}

// WatchErrors starts collecting the JavaScript errors of the tab of ctx:
// the exceptions nothing caught and the calls of console.error and
// console.assert that failed. The function it returns gives those seen
// so far, each with where it happened.
func WatchErrors(ctx context.Context) (func() []string, error) {
	var (
		mu   sync.Mutex
		errs []string
	)
	err := chromedp.Listen(ctx, func(ev any) {
		var m string
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			d := e.ExceptionDetails
			if d.Exception != nil && d.Exception.Description != "" {
				m = d.Text + " " + d.Exception.Description // the error and its stack
			} else {
				m = fmt.Sprintf("%s (%s:%d:%d)", d.Text, d.URL, d.LineNumber+1, d.ColumnNumber+1)
			}
		case *runtime.EventConsoleAPICalled:
			if e.Type != runtime.ConsoleAPICalledTypeError && e.Type != runtime.ConsoleAPICalledTypeAssert {
				return
			}
			m = "console." + string(e.Type) + ":"
			for _, a := range e.Args {
				if a.Description != "" {
					m += " " + a.Description
				} else {
					m += " " + strings.Trim(string(a.Value), `"`)
				}
			}
		default:
			return
		}
		mu.Lock()
		errs = append(errs, m)
		mu.Unlock()
	})
	if err != nil {
		return nil, err
	}
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(errs)
	}, nil
}

// Screenshot saves a screenshot of the whole page as name.png in the
// artifacts directory and returns its path.
func Screenshot(t testing.TB, ctx context.Context, name string) string {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return ""
	}
	dir := os.Getenv(ArtifactsEnv)
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "coop-web-artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return ""
	}
	// A subtest's name ("TestBrowser/Wifi") makes one file, not a folder.
	path := filepath.Join(dir, strings.ReplaceAll(name, "/", "_")+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return ""
	}
	t.Logf("screenshot: %s", path)
	return path
}
