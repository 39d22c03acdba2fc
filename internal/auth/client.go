package auth

import (
	"net"
	"net/http"
	"strings"
)

// Where a request comes from and whether it came over TLS, as the API and the
// portal both need them: the client is what failed credentials are counted
// against (throttle.go), TLS decides the session cookie's Secure flag. Behind
// a TLS-terminating reverse proxy (serve --behind-proxy) the connection is the
// proxy's: the client is then the address the proxy appended last to
// X-Forwarded-For, and TLS is the proxy's X-Forwarded-Proto. Without the flag
// those headers are ignored, since any client can send them.

// SetBehindProxy says whether requests arrive through a reverse proxy that
// sets X-Forwarded-For and X-Forwarded-Proto. Call it before serving.
func (a *Authenticator) SetBehindProxy(on bool) { a.behindProxy = on }

// ClientOf is the address r comes from, without its port.
func (a *Authenticator) ClientOf(r *http.Request) string {
	if a.behindProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			last := xff[len(xff)-1]
			if i := strings.LastIndexByte(last, ','); i >= 0 {
				last = last[i+1:]
			}
			if c := strings.TrimSpace(last); c != "" {
				return c
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// OverTLS reports whether r reached the server, or the proxy in front of it,
// over TLS.
func (a *Authenticator) OverTLS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	if a.behindProxy {
		protos := r.Header.Values("X-Forwarded-Proto")
		if len(protos) > 0 {
			last := protos[len(protos)-1]
			if i := strings.LastIndexByte(last, ','); i >= 0 {
				last = last[i+1:]
			}
			return strings.EqualFold(strings.TrimSpace(last), "https")
		}
	}
	return false
}
