package api

import (
	"net/http"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/scope"
	"github.com/mineralpact/mineralpact/internal/service"
)

// getScope answers the criticality of the minerals of the 2025 list for the
// world, the United States and the zone of the agreement in force on as_of
// (default its entry into force, and the answer says so), on one basis or
// every basis, for one mineral or all: scope.Scorecard, as `mineralpact scope
// score --format json` writes it. The snapshot is gathered from the registry
// on each request (under a millisecond; docs/scope.md).
func (s *Server) getScope(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var basis scope.Basis
	if b := q.Get("basis"); b != "" {
		var err error
		if basis, err = scope.ParseBasis(b); err != nil {
			writeError(w, r, err)
			return
		}
	}
	var asOf date.Date // zero: the entry into force
	if q.Has("as_of") {
		d, err := dateParam(r, "as_of")
		if err != nil {
			writeError(w, r, err)
			return
		}
		asOf = d
	}
	data, err := scope.Gather(s.deps.Registry)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if data.Importance, err = service.ScopeImportance(s.deps.Registry); err != nil {
		writeError(w, r, err)
		return
	}
	card, err := data.Card(s.deps.Agreement, s.deps.Registry, asOf, basis, q.Get("mineral"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, card)
}
