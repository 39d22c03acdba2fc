package web

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromiumPath is the system browser; nothing downloads one.
const chromiumPath = "/usr/bin/chromium"

// browserTimeout bounds a whole browser session, start included. It is there
// to end a hang, not to judge speed (the benches do): the design studio's
// session (a cold comparison of 5,000 declarations, five edits, a second
// server) takes 15-20 s on a quiet two-core machine, and ran past 30 s there
// while other builds and tests loaded it (load average 14).
const browserTimeout = 60 * time.Second

// console collects what pages write to the console as errors: console.error
// and console.assert calls, uncaught exceptions, and browser log entries of
// level error (a resource that failed to load, a blocked by CSP).
type console struct {
	mu     sync.Mutex
	errors []string
}

func (c *console) listen(ev any) {
	var msg string
	switch e := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if e.Type != runtime.ConsoleAPICalledTypeError && e.Type != runtime.ConsoleAPICalledTypeAssert {
			return
		}
		var args []string
		for _, a := range e.Args {
			args = append(args, cmpOr(string(a.Value), a.Description))
		}
		msg = fmt.Sprintf("console.%s(%s)", e.Type, strings.Join(args, ", "))
	case *runtime.EventExceptionThrown:
		d := e.ExceptionDetails
		msg = fmt.Sprintf("uncaught exception at %s:%d: %s", d.URL, d.LineNumber+1, d.Text)
		if d.Exception != nil {
			msg += " " + d.Exception.Description
		}
	case *log.EventEntryAdded:
		if e.Entry.Level != log.EntryLevelError {
			return
		}
		msg = fmt.Sprintf("browser log (%s): %s %s", e.Entry.Source, e.Entry.Text, e.Entry.URL)
	default:
		return
	}
	c.mu.Lock()
	c.errors = append(c.errors, msg)
	c.mu.Unlock()
}

// Errors returns the errors seen so far.
func (c *console) Errors() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.errors...)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// startBrowser starts headless Chromium with a fresh profile and returns the
// context of its one tab, and the console errors its pages raise. The browser
// stops when the test ends. Without /usr/bin/chromium the test is skipped.
func startBrowser(t *testing.T) (context.Context, *console) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("no browser at %s (apt-get install chromium fonts-dejavu-core; CI installs it): %v", chromiumPath, err)
	}
	parent, cancelParent := context.WithTimeout(context.Background(), browserTimeout)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(parent,
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(filepath.Join(t.TempDir(), "profile")),
		chromedp.WindowSize(1280, 900),
	)
	var c console
	ctx, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithListener(c.listen))
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
		cancelParent()
	})
	if err := chromedp.Do(ctx); err != nil { // start the browser and open the tab
		t.Fatalf("starting %s: %v", chromiumPath, err)
	}
	return ctx, &c
}

// startPortal serves the portal with the real registry and mini.yaml on a
// loopback port.
func startPortal(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(New(testDeps(t)))
	t.Cleanup(srv.Close)
	return srv
}

// saveScreenshot writes a full-page PNG of the current page to
// $MINERALPACT_SCREENSHOTS (or a temporary directory) and returns its path and
// width.
func saveScreenshot(t *testing.T, ctx context.Context, name string) (string, int) {
	t.Helper()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100 is PNG
	if err != nil {
		t.Fatalf("screenshot of %s: %v", name, err)
	}
	img, err := png.Decode(bytes.NewReader(buf))
	if err != nil {
		t.Fatalf("screenshot of %s is not a PNG: %v", name, err)
	}
	dir := os.Getenv("MINERALPACT_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%dx%d)", path, img.Bounds().Dx(), img.Bounds().Dy())
	return path, img.Bounds().Dx()
}

// within runs an action with a deadline of its own, so that a missing element
// fails the test in seconds rather than at the browser's timeout.
func within[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	actx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	v, err := chromedp.Run(actx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

func TestBrowser(t *testing.T) {
	srv := startPortal(t)
	ctx, cons := startBrowser(t)

	// Home: the title, the visible Illustrative badge, no console errors.
	resp := within(t, ctx, "open /", chromedp.NavigateResponse(srv.URL+"/"))
	if resp.Status != http.StatusOK {
		t.Fatalf("GET / status = %d, want 200", resp.Status)
	}
	within(t, ctx, "wait for the badge", chromedp.WaitVisible(chromedp.ID("illustrative-badge")))
	if title := within(t, ctx, "read the title", chromedp.Text(chromedp.ID("agreement-title"))); !strings.Contains(title, "Mini agreement for tests") {
		t.Errorf("agreement title = %q, want it to contain %q", title, "Mini agreement for tests")
	}
	if badge := within(t, ctx, "read the badge", chromedp.Text(chromedp.ID("illustrative-badge"))); !strings.EqualFold(badge, "Illustrative") {
		t.Errorf("badge = %q, want Illustrative", badge)
	}
	if _, width := saveScreenshot(t, ctx, "home"); width <= 800 {
		t.Errorf("home screenshot is %d px wide, want more than 800", width)
	}

	// Minerals: lithium with HS 283691.
	within(t, ctx, "open /minerals", chromedp.Navigate(srv.URL+"/minerals"))
	row := chromedp.CSS(`tr[data-mineral="lithium"]`)
	within(t, ctx, "wait for the lithium row", chromedp.WaitVisible(row))
	if text := within(t, ctx, "read the lithium row", chromedp.Text(row)); !strings.Contains(text, "Lithium") || !strings.Contains(text, "283691") {
		t.Errorf("lithium row = %q, want Lithium and HS 283691", text)
	}
	saveScreenshot(t, ctx, "minerals")

	if errs := cons.Errors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}
