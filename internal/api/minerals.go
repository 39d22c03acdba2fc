package api

import (
	"net/http"
	"strconv"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// mineralSummary is a mineral of the registry and, when the agreement covers
// it, the stages it covers.
type mineralSummary struct {
	ID      string       `json:"id"`
	Name    string       `json:"name"`
	Symbol  string       `json:"symbol,omitempty"`
	Group   string       `json:"group,omitempty"`
	On2022  bool         `json:"on_2022_list"`
	On2025  bool         `json:"on_2025_list"`
	InScope bool         `json:"in_scope"`
	Stages  []stageScope `json:"stages,omitempty"`
}

// stageScope is one stage of a mineral in scope.
type stageScope struct {
	Stage       string                `json:"stage"`
	Unit        string                `json:"unit"`
	PriceMethod agreement.PriceMethod `json:"price_method"`
	HS          []hsCode              `json:"hs"`
}

// hsCode is a tariff code of a stage in scope, described by the registry.
// Content is absent for a national line the registry's map does not hold.
type hsCode struct {
	Code          string      `json:"code"`
	Description   string      `json:"description"`
	Content       dec.Decimal `json:"content,omitzero"`
	ContentSource string      `json:"content_source,omitempty"`
}

type mineralsResponse struct {
	AsOf     date.Date        `json:"as_of"`
	Minerals []mineralSummary `json:"minerals"`
}

// listMinerals answers every mineral of the registry with its scope under the
// agreement in force on as_of (default: the entry into force).
func (s *Server) listMinerals(w http.ResponseWriter, r *http.Request) {
	onlyInScope, err := boolParam(r, "in_scope")
	if err != nil {
		writeError(w, r, err)
		return
	}
	in, err := s.inForce(r, false)
	if err != nil {
		writeError(w, r, err)
		return
	}
	out := mineralsResponse{AsOf: in.AsOf, Minerals: []mineralSummary{}}
	for _, m := range s.deps.Registry.Minerals() {
		sum := s.summarize(m, in.Agreement)
		if onlyInScope != nil && sum.InScope != *onlyInScope {
			continue
		}
		out.Minerals = append(out.Minerals, sum)
	}
	writeJSON(w, http.StatusOK, out)
}

// summarize joins a registry mineral with its scope in a.
func (s *Server) summarize(m registry.Mineral, a *agreement.Agreement) mineralSummary {
	sum := mineralSummary{ID: m.ID, Name: m.Name, Symbol: m.Symbol, Group: m.Group, On2022: m.On2022, On2025: m.On2025}
	am, ok := a.Mineral(m.ID)
	if !ok {
		return sum
	}
	sum.InScope = true
	for _, st := range am.Stages {
		sc := stageScope{Stage: string(st.Stage), Unit: st.Unit, PriceMethod: st.Price.Method, HS: []hsCode{}}
		for _, code := range st.HS {
			sc.HS = append(sc.HS, s.describeHS(code, m))
		}
		sum.Stages = append(sum.Stages, sc)
	}
	return sum
}

// describeHS describes a code of mineral m from the registry's map, or, for a
// national line beyond the map, from the HS nomenclature of its subheading.
func (s *Server) describeHS(code string, m registry.Mineral) hsCode {
	out := hsCode{Code: code}
	if lines, err := s.deps.Registry.HS(code); err == nil {
		for _, l := range lines {
			if l.Mineral == m.ID || (m.Group != "" && l.Mineral == m.Group) {
				out.Description, out.Content, out.ContentSource = l.Description, l.Content, l.ContentSource
				return out
			}
		}
	}
	if len(code) >= 6 {
		out.Description, _ = s.deps.Registry.HSDescription(code[:6])
	}
	return out
}

// mineralDetail is one mineral: the registry's entry, its scope, and the
// world production of its USGS Mineral Commodity Summaries 2026 chapter.
type mineralDetail struct {
	AsOf date.Date `json:"as_of"`
	mineralSummary
	MCS         *mcsSummary  `json:"mcs_2026,omitempty"`
	MCSCoverage *mcsCoverage `json:"mcs_2026_coverage,omitempty"`
}

func (s *Server) getMineral(w http.ResponseWriter, r *http.Request) {
	m, err := s.deps.Registry.Mineral(r.PathValue("id"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	in, err := s.inForce(r, false)
	if err != nil {
		writeError(w, r, err)
		return
	}
	out := mineralDetail{AsOf: in.AsOf, mineralSummary: s.summarize(m, in.Agreement), MCSCoverage: coverageOf(s.deps.Registry, m.ID)}
	if c, err := s.deps.Registry.MCS(m.ID); err == nil {
		out.MCS = summarizeMCS(c)
	} else if problem.CodeOf(err) != problem.NotFound {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// boolParam reads an optional true/false query parameter; nil means absent.
func boolParam(r *http.Request, name string) (*bool, error) {
	raw := r.URL.Query().Get(name)
	if raw == "" {
		return nil, nil
	}
	b, err := strconv.ParseBool(raw)
	if err != nil {
		return nil, &problem.Error{Code: problem.Invalid, Field: name, Message: strconv.Quote(raw) + " is not true or false"}
	}
	return &b, nil
}
