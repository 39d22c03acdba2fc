package api

import (
	"net/http"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/scope"
	"github.com/mineralpact/mineralpact/internal/service"
)

// scopeRelations reads the snapshot (a millisecond, per request, as GET
// /v1/scope does) and the grouping data (once per registry).
func (s *Server) scopeRelations() (*scope.Data, *scope.Relations, error) {
	d, err := scope.Gather(s.deps.Registry)
	if err != nil {
		return nil, nil, err
	}
	rel, err := service.ScopeRelations(s.deps.Registry)
	if err != nil {
		return nil, nil, err
	}
	return d, rel, nil
}

// optionalAsOf reads an optional as_of: zero (the entry into force) when
// absent.
func optionalAsOf(r *http.Request) (date.Date, error) {
	if !r.URL.Query().Has("as_of") {
		return date.Date{}, nil
	}
	return dateParam(r, "as_of")
}

// getScopeGroups answers the proposed groups of the minerals of the 2025
// list with their reasons, as `mineralpact scope groups --format json`.
func (s *Server) getScopeGroups(w http.ResponseWriter, r *http.Request) {
	d, rel, err := s.scopeRelations()
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"groups": d.Groups(rel)})
}

// getScopeWarnings answers the scope warnings of the served agreement as in
// force on as_of (default the entry into force), as `mineralpact scope
// warnings --format json`.
func (s *Server) getScopeWarnings(w http.ResponseWriter, r *http.Request) {
	asOf, err := optionalAsOf(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	_, rel, err := s.scopeRelations()
	if err != nil {
		writeError(w, r, err)
		return
	}
	out, err := scope.AgreementWarnings(s.deps.Agreement, rel, asOf)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}
