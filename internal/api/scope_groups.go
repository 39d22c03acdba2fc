package api

import (
	"net/http"
	"sync"

	"github.com/mineralpact/mineralpact/data"
	ownershipdata "github.com/mineralpact/mineralpact/data/ownership"
	scopedata "github.com/mineralpact/mineralpact/data/scope"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/scope"
)

// relationsCache keeps the grouping data per registry: they are read from
// embedded files that do not change while the process runs, and reading
// them (the ICMM file above all) costs several milliseconds a request.
var relationsCache sync.Map // *registry.Registry → *scope.Relations

// scopeRelations reads the snapshot (a millisecond, per request, as GET
// /v1/scope does) and the grouping data (once per registry).
func (s *Server) scopeRelations() (*scope.Data, *scope.Relations, error) {
	d, err := scope.Gather(s.deps.Registry)
	if err != nil {
		return nil, nil, err
	}
	if rel, ok := relationsCache.Load(s.deps.Registry); ok {
		return d, rel.(*scope.Relations), nil
	}
	rel, err := scope.LoadRelations(s.deps.Registry, scope.Sources{Data: data.FS, Scope: scopedata.FS, Ownership: ownershipdata.FS, OwnershipFiles: ownershipdata.Files})
	if err != nil {
		return nil, nil, err
	}
	relationsCache.Store(s.deps.Registry, rel)
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
