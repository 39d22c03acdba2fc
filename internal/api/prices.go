package api

import (
	"bytes"
	"errors"
	"net/http"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/registry"
	"github.com/mineralpact/mineralpact/internal/service"
)

// floorSummary is a floor without its derivation: what a price list shows.
// The derivation is at .../explain.
type floorSummary struct {
	Mineral      string                `json:"mineral"`
	Stage        string                `json:"stage"`
	ValidFrom    date.Date             `json:"valid_from"`
	ValidTo      date.Date             `json:"valid_to,omitzero"`
	CutOff       date.Date             `json:"data_cut_off"`
	Price        dec.Decimal           `json:"price"`
	Currency     string                `json:"currency"`
	Unit         string                `json:"unit"`
	Method       agreement.PriceMethod `json:"method"`
	Band         *refprice.Band        `json:"band,omitempty"`
	InputsHash   string                `json:"inputs_hash"`
	Basis        refprice.Basis        `json:"basis"`
	Illustrative bool                  `json:"illustrative"`
	Provenance   []refprice.Provenance `json:"provenance,omitempty"`
	MarginalCost string                `json:"marginal_cost_source,omitempty"`
	Backcast     bool                  `json:"backcast,omitempty"`
	Agreement    string                `json:"agreement"`
	Publication  *refprice.Publication `json:"publication,omitempty"`
}

func summarizeFloor(f *refprice.Floor) floorSummary {
	return floorSummary{Mineral: f.Mineral, Stage: f.Stage, ValidFrom: f.ValidFrom, ValidTo: f.ValidTo, CutOff: f.CutOff,
		Price: f.Price, Currency: f.Currency, Unit: f.Unit, Method: f.Method, Band: f.Band, InputsHash: f.InputsHash,
		Basis: refprice.Basis{Article: f.Basis.Article, Title: f.Basis.Title}, Illustrative: f.Illustrative, Provenance: f.Provenance, MarginalCost: f.MarginalCost, Backcast: f.Backcast, Agreement: f.Agreement, Publication: f.Publication}
}

// pricesResponse is every floor published and in force on a date; a floor in
// scope with no publication is listed in Problems, in the one error shape's
// detail; a pair of floors out of stage order (refprice.StageOrder) is listed
// in Warnings, which are not errors.
type pricesResponse struct {
	AsOf     date.Date                    `json:"as_of"`
	Hash     string                       `json:"hash"`
	Floors   []floorSummary               `json:"floors"`
	Problems []errorDetail                `json:"problems"`
	Warnings []refprice.StageOrderWarning `json:"warnings"`
}

type explainResponse struct {
	*refprice.Floor
	Text string `json:"text"` // refprice.Explain's rendering, for people
}

type historyResponse struct {
	Mineral  string         `json:"mineral"`
	Stage    string         `json:"stage"`
	From     date.Date      `json:"from"`
	To       date.Date      `json:"to"`
	Floors   []floorSummary `json:"floors"`
	Problems []errorDetail  `json:"problems"`
}

// floors returns the published floors, or an unavailable problem when the
// server was started without them.
func (s *Server) floors() (service.Floors, error) {
	if s.deps.Floors == nil {
		return nil, problem.Errorf(unavailable, "no published reference prices configured")
	}
	return s.deps.Floors, nil
}

// dateParam reads a required date query parameter; the server never reads its
// clock, so there is no default.
func dateParam(r *http.Request, name string) (date.Date, error) {
	d, err := agreement.ParseAsOf(r.URL.Query().Get(name))
	var pe *problem.Error
	if err != nil && errors.As(err, &pe) {
		c := *pe
		c.Field = name
		if c.Message == "an as-of date is required (YYYY-MM-DD)" {
			c.Message = name + " is required (YYYY-MM-DD): the server never reads its clock"
		}
		return d, &c
	}
	return d, err
}

func (s *Server) listPrices(w http.ResponseWriter, r *http.Request) {
	src, err := s.floors()
	if err != nil {
		writeError(w, r, err)
		return
	}
	d, err := dateParam(r, "as_of")
	if err != nil {
		writeError(w, r, err)
		return
	}
	in, err := s.deps.Agreement.AsOf(d)
	if err != nil {
		writeError(w, r, err)
		return
	}
	published, err := src.Floors(r.Context(), d)
	if err != nil {
		writeError(w, r, err)
		return
	}
	byKey := make(map[[2]string]*refprice.Floor, len(published))
	for _, f := range published {
		byKey[[2]string{f.Mineral, f.Stage}] = f
	}
	// In the agreement's order, every floor in scope: published, or a problem.
	out := pricesResponse{AsOf: d, Hash: s.hash, Floors: []floorSummary{}, Problems: []errorDetail{}}
	for _, m := range in.Agreement.Minerals {
		for _, st := range m.Stages {
			if f, ok := byKey[[2]string{m.ID, string(st.Stage)}]; ok {
				out.Floors = append(out.Floors, summarizeFloor(f))
				continue
			}
			_, err := src.Floor(m.ID, string(st.Stage), d)
			out.Problems = append(out.Problems, detailOf(err))
		}
	}
	out.Warnings = refprice.StageOrder(s.deps.Registry, d, published)
	if out.Warnings == nil {
		out.Warnings = []refprice.StageOrderWarning{}
	}
	writeJSON(w, http.StatusOK, out)
}

// floor returns the published floor the path names on the as_of date.
func (s *Server) floor(r *http.Request) (*refprice.Floor, error) {
	src, err := s.floors()
	if err != nil {
		return nil, err
	}
	d, err := dateParam(r, "as_of")
	if err != nil {
		return nil, err
	}
	m, st := r.PathValue("mineral"), r.PathValue("stage")
	if err := s.inScope(m, st); err != nil {
		return nil, err
	}
	return src.Floor(m, st, d)
}

// inScope reports a mineral and stage the agreement sets no floor for as not
// found, rather than as a floor not yet published.
func (s *Server) inScope(mineral, stage string) error {
	_, err := s.deps.Agreement.Scope(mineral, registry.Stage(stage))
	return err
}

func (s *Server) getPrice(w http.ResponseWriter, r *http.Request) {
	f, err := s.floor(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, summarizeFloor(f))
}

func (s *Server) explainPrice(w http.ResponseWriter, r *http.Request) {
	f, err := s.floor(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var b bytes.Buffer
	if err := refprice.Explain(&b, f); err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, explainResponse{Floor: f, Text: b.String()})
}

// priceHistory answers every publication overlapping [from, to],
// corrections and what they supersede included.
func (s *Server) priceHistory(w http.ResponseWriter, r *http.Request) {
	src, err := s.floors()
	if err != nil {
		writeError(w, r, err)
		return
	}
	from, err := dateParam(r, "from")
	if err != nil {
		writeError(w, r, err)
		return
	}
	to, err := dateParam(r, "to")
	if err != nil {
		writeError(w, r, err)
		return
	}
	m, st := r.PathValue("mineral"), r.PathValue("stage")
	if err := s.inScope(m, st); err != nil {
		writeError(w, r, err)
		return
	}
	floors, err := src.History(r.Context(), m, st, from, to)
	if err != nil {
		writeError(w, r, err)
		return
	}
	out := historyResponse{Mineral: m, Stage: st, From: from, To: to, Floors: make([]floorSummary, 0, len(floors)), Problems: []errorDetail{}}
	for _, f := range floors {
		out.Floors = append(out.Floors, summarizeFloor(f))
	}
	writeJSON(w, http.StatusOK, out)
}
