package auth

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// TestThrottle: a client's MaxFailures-th failure within FailureWindow
// blocks it until the window ends, without checking what it sends; other
// clients go on; once the window is over the count starts again.
func TestThrottle(t *testing.T) {
	now := time.Date(2026, 12, 6, 14, 0, 0, 0, time.UTC)
	a := New(nil, func() time.Time { return now }) // no store: every token is refused
	secret, _, _ := NewSecret()
	ctx := context.Background()
	for i := 1; i <= MaxFailures; i++ {
		if _, err := a.TokenFrom(ctx, "192.0.2.7", secret); problem.CodeOf(err) != problem.Unauthorized {
			t.Fatalf("failure %d: %v; want unauthorized", i, err)
		}
		now = now.Add(time.Second)
	}
	_, err := a.TokenFrom(ctx, "192.0.2.7", secret)
	var te *ThrottleError
	if problem.CodeOf(err) != problem.TooMany || !errors.As(err, &te) || te.RetryAfter != FailureWindow-MaxFailures*time.Second {
		t.Fatalf("after %d failures: %v; want too_many_requests, retry after %s", MaxFailures, err, FailureWindow-MaxFailures*time.Second)
	}
	if _, _, _, err := a.SignInFrom(ctx, "192.0.2.7", secret); problem.CodeOf(err) != problem.TooMany {
		t.Errorf("a sign-in from the throttled client: %v; want too_many_requests", err)
	}
	if _, err := a.TokenFrom(ctx, "192.0.2.8", secret); problem.CodeOf(err) != problem.Unauthorized {
		t.Errorf("another client: %v; want its token checked (unauthorized)", err)
	}
	now = now.Add(FailureWindow) // the window is over
	if _, err := a.TokenFrom(ctx, "192.0.2.7", secret); problem.CodeOf(err) != problem.Unauthorized {
		t.Errorf("after the window: %v; want the token checked again", err)
	}
}

// TestClientOf: the client and TLS are the connection's, unless serve
// was told a proxy sets them (the headers are otherwise anyone's to send).
func TestClientOf(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "10.0.0.5:41234"
	r.Header.Add("X-Forwarded-For", "203.0.113.9, 198.51.100.4")
	r.Header.Set("X-Forwarded-Proto", "https")
	a := New(nil, time.Now)
	if c, tls := a.ClientOf(r), a.OverTLS(r); c != "10.0.0.5" || tls {
		t.Errorf("not behind a proxy: client %q, TLS %v; want the connection's 10.0.0.5, no TLS", c, tls)
	}
	a.SetBehindProxy(true)
	if c, tls := a.ClientOf(r), a.OverTLS(r); c != "198.51.100.4" || !tls {
		t.Errorf("behind a proxy: client %q, TLS %v; want the address the proxy appended, 198.51.100.4, and TLS", c, tls)
	}
}
