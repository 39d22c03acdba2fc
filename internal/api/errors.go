package api

import (
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/internal/auth"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// methodNotAllowed is the code of a request for a known path with a method the
// path does not serve. It is the API's own: a matter of routing, not of the
// domain, so package problem has no such code.
const methodNotAllowed problem.Code = "method_not_allowed"

// unavailable is the code of a service that cannot answer yet (its store is
// down); like methodNotAllowed it belongs to the API, not to the domain.
const unavailable problem.Code = "unavailable"

// unsupportedMedia is the code of a body sent with a Content-Type the route
// does not read; like methodNotAllowed it belongs to HTTP, not to the domain.
const unsupportedMedia problem.Code = "unsupported_media_type"

// statusOf is the one table from error codes to HTTP statuses.
var statusOf = map[problem.Code]int{
	problem.Invalid:      http.StatusBadRequest,
	methodNotAllowed:     http.StatusMethodNotAllowed,
	unavailable:          http.StatusServiceUnavailable,
	problem.NotFound:     http.StatusNotFound,
	problem.Conflict:     http.StatusConflict,
	problem.Unauthorized: http.StatusUnauthorized,
	problem.Forbidden:    http.StatusForbidden,
	unsupportedMedia:     http.StatusUnsupportedMediaType,
	problem.Internal:     http.StatusInternalServerError,
	problem.TooMany:      http.StatusTooManyRequests,
}

// errorBody is the one error shape of the API:
// {"error": {"code": "invalid", "message": "...", "field": "as_of"}}.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    problem.Code `json:"code"`
	Message string       `json:"message"`
	Field   string       `json:"field,omitempty"`
}

// writeError renders err in the one error shape, with the status its code maps
// to. Internal errors (any error that is not a problem) are logged and shown as
// "internal error", so that no detail of the server leaks to a client.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	d := detailOf(err)
	status, ok := statusOf[d.Code]
	if !ok || d.Code == problem.Internal {
		slog.Error("api: internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		d = errorDetail{Code: problem.Internal, Message: "internal error"}
		status = http.StatusInternalServerError
	}
	var te *auth.ThrottleError
	if errors.As(err, &te) {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(te.RetryAfter.Seconds()))))
	}
	writeJSON(w, status, errorBody{d})
}

func detailOf(err error) errorDetail {
	var pe *problem.Error
	var list problem.List
	switch {
	case errors.As(err, &pe):
		msg := pe.Message
		if msg == "" && pe.Err != nil {
			msg = pe.Err.Error()
		}
		return errorDetail{Code: pe.Code, Message: msg, Field: pe.Field}
	case errors.As(err, &list) && len(list) > 0:
		return errorDetail{Code: list[0].Code, Message: list.Error(), Field: list[0].Field}
	}
	return errorDetail{Code: problem.Internal}
}

// probeMethods are the methods tried to tell an unknown path (404) from a known
// path asked with the wrong method (405).
var probeMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// fallback answers every request no route matched: 405 when some route serves
// the path with another method, else 404, both in the one error shape. It
// replaces the standard mux's plain-text answers.
func (s *Server) fallback(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range probeMethods {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "" && pattern != fallbackPattern {
			allow = append(allow, m)
			if m == http.MethodGet {
				allow = append(allow, http.MethodHead)
			}
		}
	}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeError(w, r, problem.Errorf(methodNotAllowed, "method %s is not allowed on %s; allowed: %s", r.Method, r.URL.Path, strings.Join(allow, ", ")))
		return
	}
	writeError(w, r, problem.Errorf(problem.NotFound, "no route for %s %s; the routes are listed at /openapi.json", r.Method, r.URL.Path))
}
