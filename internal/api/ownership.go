package api

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/ownership"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/service"
)

// Ownership and investment screening (issue 14) over the shipped ownership
// data (data/ownership): GET /v1/ownership/facilities lists the facilities
// by non-party effective interest, GET /v1/ownership/facilities/{id}
// screens one with its triggers and paths (both public: the data are public
// sources, the agreement public), POST /v1/ownership/transactions:evaluate
// screens a proposed acquisition (analysts and the secretariat).
// docs/ownership.md.

// maxOwnershipRequest bounds a transaction's body.
const maxOwnershipRequest = 1 << 16

// ownershipRegister is the shipped ownership register, read once.
func (s *Server) ownershipRegister() (*ownership.Register, error) {
	return service.OwnershipRegister(s.deps.Registry)
}

// screenOn returns the screen of the shipped register on d.
func (s *Server) screenOn(d date.Date) (*ownership.Screen, *agreement.InForce, error) {
	return service.OwnershipScreen(s.deps.Agreement, s.deps.Registry, d)
}

// facilitySummary is one row of the facilities list: the decision without
// its paths.
type facilitySummary struct {
	Facility   string                   `json:"facility"`
	Name       string                   `json:"name,omitempty"`
	Country    string                   `json:"country"`
	Party      string                   `json:"party,omitempty"`
	Mineral    string                   `json:"mineral,omitempty"`
	Stage      string                   `json:"stage,omitempty"`
	NonParty   ownership.Bounds         `json:"non_party_interest"`
	Controller string                   `json:"controller,omitempty"`
	CtlClass   ownership.Class          `json:"controller_class,omitempty"`
	Rule       string                   `json:"rule,omitempty"`
	Decision   agreement.ScreeningLevel `json:"decision"`
}

type facilityList struct {
	AsOf         date.Date         `json:"as_of"`
	Illustrative bool              `json:"illustrative"`
	Facilities   []facilitySummary `json:"facilities"`
}

func (s *Server) listOwnershipFacilities(w http.ResponseWriter, r *http.Request) {
	d, err := dateParam(r, "as_of")
	if err != nil {
		writeError(w, r, err)
		return
	}
	q := r.URL.Query()
	minNP := 0.0
	if v := q.Get("min_non_party"); v != "" {
		if minNP, err = strconv.ParseFloat(v, 64); err != nil || minNP < 0 || minNP > 1 {
			writeError(w, r, &problem.Error{Code: problem.Invalid, Field: "min_non_party", Message: fmt.Sprintf("min_non_party %q: want a fraction from 0 to 1", v)})
			return
		}
	}
	limit := 100
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 5000 {
			writeError(w, r, &problem.Error{Code: problem.Invalid, Field: "limit", Message: fmt.Sprintf("limit %q: want 1 to 5000", v)})
			return
		}
	}
	sc, in, err := s.screenOn(d)
	if err != nil {
		writeError(w, r, err)
		return
	}
	out := facilityList{AsOf: d, Illustrative: in.Agreement.Illustrative, Facilities: []facilitySummary{}}
	for _, f := range sc.Reg.Facilities() {
		np := sc.NonParty(f)
		n := &sc.Reg.Nodes[f]
		if np.Max <= 0 && minNP == 0 && sc.Ctl.Controller[f] < 0 {
			continue // nothing recorded about its holders
		}
		if np.Max < minNP || q.Get("mineral") != "" && n.Commodity != q.Get("mineral") || q.Get("country") != "" && n.Jurisdiction != q.Get("country") {
			continue
		}
		dec := sc.Facility(f)
		if q.Get("party") != "" && dec.Party != q.Get("party") {
			continue
		}
		out.Facilities = append(out.Facilities, facilitySummary{Facility: dec.Facility, Name: dec.Name, Country: dec.Country, Party: dec.Party,
			Mineral: dec.Mineral, Stage: dec.Stage, NonParty: dec.NonParty, Controller: dec.Controller, CtlClass: dec.CtlClass, Rule: dec.Rule, Decision: dec.Decision})
	}
	slices.SortStableFunc(out.Facilities, func(a, b facilitySummary) int {
		switch {
		case a.NonParty.Max > b.NonParty.Max:
			return -1
		case a.NonParty.Max < b.NonParty.Max:
			return 1
		}
		return b.Decision.Rank() - a.Decision.Rank()
	})
	if len(out.Facilities) > limit {
		out.Facilities = out.Facilities[:limit]
	}
	writeJSON(w, http.StatusOK, out)
}

type facilityScreening struct {
	AsOf         date.Date `json:"as_of"`
	Illustrative bool      `json:"illustrative"`
	ownership.Decision
}

func (s *Server) getOwnershipFacility(w http.ResponseWriter, r *http.Request) {
	d, err := dateParam(r, "as_of")
	if err != nil {
		writeError(w, r, err)
		return
	}
	sc, in, err := s.screenOn(d)
	if err != nil {
		writeError(w, r, err)
		return
	}
	id := r.PathValue("id")
	f, ok := sc.Reg.Find(id)
	if !ok {
		writeError(w, r, &problem.Error{Code: problem.NotFound, Field: "id", Message: fmt.Sprintf("no facility or entity %q in the shipped ownership data", id)})
		return
	}
	writeJSON(w, http.StatusOK, facilityScreening{AsOf: d, Illustrative: in.Agreement.Illustrative, Decision: sc.Facility(f)})
}

// transactionRequest is a proposed acquisition: share is a percentage (as
// in BODS and the CSV), on a date.
type transactionRequest struct {
	Buyer  string  `json:"buyer"`
	Target string  `json:"target"`
	Share  float64 `json:"share"`
	On     string  `json:"on"`
}

func (s *Server) evaluateOwnershipTransaction(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r, maxOwnershipRequest)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var in transactionRequest
	if err := decodeStrict(body, &in); err != nil {
		writeError(w, r, err)
		return
	}
	on, err := agreement.ParseAsOf(in.On)
	if err != nil {
		writeError(w, r, &problem.Error{Code: problem.Invalid, Field: "on", Message: "on: want the date of the acquisition (YYYY-MM-DD)"})
		return
	}
	if !(in.Share > 0 && in.Share <= 100) {
		writeError(w, r, &problem.Error{Code: problem.Invalid, Field: "share", Message: fmt.Sprintf("share: want a percentage above 0 and at most 100, got %v", in.Share)})
		return
	}
	reg, err := s.ownershipRegister()
	if err != nil {
		writeError(w, r, err)
		return
	}
	inf, err := s.deps.Agreement.AsOf(on)
	if err != nil {
		writeError(w, r, err)
		return
	}
	z, err := inf.Zone(s.deps.Registry)
	if err != nil {
		writeError(w, r, err)
		return
	}
	res, err := ownership.Evaluate(reg, ownership.Transaction{Buyer: in.Buyer, Target: in.Target, Share: in.Share / 100, On: on}, inf, z, ownership.GroupMembers(s.deps.Registry.Minerals()))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}
