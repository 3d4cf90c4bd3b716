package browsertest

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// WatchErrors sees an exception nothing caught and a console.error, and
// not a console.log.
func TestWatchErrors(t *testing.T) {
	b := New(t, time.Minute)
	ctx, cancel := chromedp.NewContext(b.ctx)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	errs, err := WatchErrors(ctx)
	if err != nil {
		t.Fatal(err)
	}
	page := `data:text/html,<script>console.log("fine"); console.error("bad", 42); ` +
		`setTimeout(() => { throw new Error("boom") }, 0)</script>`
	if _, err := chromedp.Run(ctx, chromedp.Navigate(page)); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(errs()) < 2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond) // the events come on chromedp's goroutine: poll for them
	}
	got := errs()
	if len(got) != 2 || got[0] != "console.error: bad 42" || !strings.HasPrefix(got[1], "Uncaught Error: boom\n") {
		t.Errorf("errors seen: %q, want console.error: bad 42 and Uncaught Error: boom", got)
	}
}
