package api

import (
	"net/http"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/dec"
)

// hsLine is one line of the registry's HS map that a declared code falls
// under, and whether the agreement covers its mineral at its stage.
type hsLine struct {
	Code          string      `json:"code"`
	Mineral       string      `json:"mineral"`
	Stage         string      `json:"stage"`
	Content       dec.Decimal `json:"content"`
	ContentSource string      `json:"content_source"`
	Description   string      `json:"description"`
	InScope       bool        `json:"in_scope"`
}

type hsResponse struct {
	Code  string   `json:"code"`
	Lines []hsLine `json:"lines"`
}

// classifyHS answers the map's lines for a declared tariff code of 6 to 10
// digits, by longest prefix, each with its scope under the agreement in force
// on as_of (default: the entry into force).
func (s *Server) classifyHS(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	lines, err := s.deps.Registry.Classify(code)
	if err != nil {
		writeError(w, r, err)
		return
	}
	in, err := s.inForce(r, false)
	if err != nil {
		writeError(w, r, err)
		return
	}
	out := hsResponse{Code: code, Lines: make([]hsLine, 0, len(lines))}
	for _, l := range lines {
		out.Lines = append(out.Lines, hsLine{
			Code: l.Code, Mineral: l.Mineral, Stage: string(l.Stage),
			Content: l.Content, ContentSource: l.ContentSource, Description: l.Description,
			InScope: s.covers(in.Agreement, l.Mineral, string(l.Stage)),
		})
	}
	writeJSON(w, http.StatusOK, out)
}

// covers reports whether a covers mineral (or, for a group id, any of its
// members) at stage.
func (s *Server) covers(a *agreement.Agreement, mineral, stage string) bool {
	ids, _, err := s.deps.Registry.MineralOrGroup(mineral)
	if err != nil {
		return false
	}
	for _, id := range ids {
		if m, ok := a.Mineral(id); ok {
			for _, st := range m.Stages {
				if string(st.Stage) == stage {
					return true
				}
			}
		}
	}
	return false
}
