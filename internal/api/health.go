package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// readyTimeout bounds how long /readyz waits for the store.
const readyTimeout = 2 * time.Second

// healthz reports that the process serves HTTP; it checks nothing else, so
// that a slow database never gets a live process restarted.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

type readiness struct {
	Status string `json:"status"`
}

// readyz reports whether the service can answer: the store must list the
// agreement versions within readyTimeout. A load balancer sends no traffic to
// a node that answers 503.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.deps.Store == nil {
		writeError(w, r, problem.Errorf(unavailable, "no store configured"))
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	if _, err := s.deps.Store.ListAgreements(ctx); err != nil {
		slog.Warn("api: store not ready", "err", err)
		writeError(w, r, problem.Errorf(unavailable, "store not ready"))
		return
	}
	writeJSON(w, http.StatusOK, readiness{Status: "ready"})
}
