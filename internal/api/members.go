package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/scope"
)

// getMembersEvaluate is the membership what-if: the zone of the agreement
// in force on as_of with the countries of add added and those of remove
// removed (each repeatable or comma-separated; alpha-2 codes or EU), per
// mineral in scope before and after, and the added countries' accession
// criteria (joining), as `mineralpact members evaluate --format json`. A bad country is a 400 at field add[i] or remove[i].
func (s *Server) getMembersEvaluate(w http.ResponseWriter, r *http.Request) {
	asOf, err := optionalAsOf(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	q := r.URL.Query()
	ch := scope.Change{Add: splitList(q["add"]), Remove: splitList(q["remove"])}
	d, rel, err := s.scopeRelations()
	if err != nil {
		writeError(w, r, err)
		return
	}
	out, err := d.Evaluate(s.deps.Agreement, s.deps.Registry, asOf, ch)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if err := d.Joining(out, s.deps.Agreement, s.deps.Registry, rel); err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// getMembersCandidates ranks the countries outside the zone, as
// `mineralpact members rank --format json`; top keeps the first N.
func (s *Server) getMembersCandidates(w http.ResponseWriter, r *http.Request) {
	asOf, err := optionalAsOf(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	top := 0
	if t := r.URL.Query().Get("top"); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil || n < 0 {
			writeError(w, r, &problem.Error{Code: problem.Invalid, Field: "top", BadValue: t, Message: "want a whole number, 0 for every candidate"})
			return
		}
		top = n
	}
	d, rel, err := s.scopeRelations()
	if err != nil {
		writeError(w, r, err)
		return
	}
	out, err := d.Rank(s.deps.Agreement, s.deps.Registry, rel, asOf)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if top > 0 && top < len(out.Candidates) {
		out.Candidates = out.Candidates[:top]
	}
	writeJSON(w, http.StatusOK, out)
}

// getMembersHeterogeneity is the regulatory heterogeneity of the parties'
// standards in force on as_of, as `mineralpact members heterogeneity
// --format json`; top is how many cells the arbitrage list keeps (default 15).
func (s *Server) getMembersHeterogeneity(w http.ResponseWriter, r *http.Request) {
	asOf, err := optionalAsOf(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	top := 15
	if t := r.URL.Query().Get("top"); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil || n < 0 {
			writeError(w, r, &problem.Error{Code: problem.Invalid, Field: "top", BadValue: t, Message: "want a whole number of arbitrage cells, 0 or more"})
			return
		}
		top = n
	}
	out, err := scope.HeterogeneityAsOf(s.deps.Agreement, asOf, top)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// splitList reads repeated and comma-separated query values.
func splitList(vs []string) []string {
	var out []string
	for _, v := range vs {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}
