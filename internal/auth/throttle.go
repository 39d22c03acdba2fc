package auth

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// Failed credentials are throttled per client (issue 12, part 1): a token is
// 16 random bytes, so guessing one is hopeless, but a client that keeps
// presenting wrong or revoked tokens is either broken or probing, and
// answering it at full speed costs a store round trip each time. After
// MaxFailures failures within FailureWindow, a client's credentials are not
// checked at all until the window ends: it gets too_many_requests with the
// seconds to wait. A good credential does not reset the count, so a prober
// holding one valid token cannot interleave it to keep guessing.
const (
	MaxFailures   = 20
	FailureWindow = 5 * time.Minute
	// maxClients bounds the table. When it is full of clients still in
	// their window, a new client is not tracked (fail open): a flood of
	// addresses must not lock every other client out.
	maxClients = 65536
)

// ThrottleError is the refusal of a throttled client.
type ThrottleError struct {
	RetryAfter time.Duration
}

func (e *ThrottleError) Error() string {
	return fmt.Sprintf("too many failed credentials from this client: %d within %s; retry after %d s", MaxFailures, FailureWindow, int(e.RetryAfter.Seconds()+0.999))
}

// Problem is the error as a problem.Error, for the one error shape.
func (e *ThrottleError) Problem() *problem.Error {
	return &problem.Error{Code: problem.TooMany, Message: e.Error(), Err: e}
}

type failures struct {
	since time.Time // the window's start
	n     int
}

// throttle counts failed credentials per client.
type throttle struct {
	mu      sync.Mutex
	clients map[string]*failures
}

// blocked reports how long client must wait, or 0.
func (t *throttle) blocked(client string, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	f := t.clients[client]
	if f == nil || f.n < MaxFailures {
		return 0
	}
	if end := f.since.Add(FailureWindow); now.Before(end) {
		return end.Sub(now)
	}
	delete(t.clients, client)
	return 0
}

// failed counts a failure of client.
func (t *throttle) failed(client string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.clients == nil {
		t.clients = map[string]*failures{}
	}
	f := t.clients[client]
	if f != nil && !now.Before(f.since.Add(FailureWindow)) {
		f = nil // its window is over: a new one starts
	}
	if f == nil {
		if len(t.clients) >= maxClients {
			for c, g := range t.clients {
				if !now.Before(g.since.Add(FailureWindow)) {
					delete(t.clients, c)
				}
			}
			if len(t.clients) >= maxClients {
				return
			}
		}
		f = &failures{since: now}
		t.clients[client] = f
	}
	f.n++
}

// TokenFrom is Token for a request from client (its address): refused
// without checking while the client is throttled, and a failure counted
// when the token is not recognised.
func (a *Authenticator) TokenFrom(ctx context.Context, client, secret string) (Principal, error) {
	if wait := a.throttle.blocked(client, a.now()); wait > 0 {
		return Principal{}, (&ThrottleError{RetryAfter: wait}).Problem()
	}
	p, err := a.Token(ctx, secret)
	if problem.CodeOf(err) == problem.Unauthorized {
		a.throttle.failed(client, a.now())
	}
	return p, err
}

// SignInFrom is SignIn for a request from client, throttled as TokenFrom.
func (a *Authenticator) SignInFrom(ctx context.Context, client, secret string) (cookie string, p Principal, expires time.Time, err error) {
	if wait := a.throttle.blocked(client, a.now()); wait > 0 {
		return "", Principal{}, time.Time{}, (&ThrottleError{RetryAfter: wait}).Problem()
	}
	cookie, p, expires, err = a.SignIn(ctx, secret)
	if problem.CodeOf(err) == problem.Unauthorized {
		a.throttle.failed(client, a.now())
	}
	return cookie, p, expires, err
}
