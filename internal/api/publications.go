package api

import (
	"errors"
	"net/http"

	"github.com/mineralpact/mineralpact/internal/auth"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/service"
)

// maxPublicationRequest bounds the body of POST /v1/publications.
const maxPublicationRequest = 1 << 10

// publicationRequest is the body of POST /v1/publications: one of as_of (the
// floors in force on a date, a correction where the inputs of a published
// revision changed) and through (the schedule up to a date, never a
// correction), as `prices publish --as-of|--through`.
type publicationRequest struct {
	AsOf    string `json:"as_of"`
	Through string `json:"through"`
}

// publicationResponse is what a publication did.
type publicationResponse struct {
	AgreementHash string                 `json:"agreement_hash"`
	AsOf          string                 `json:"as_of,omitempty"`
	Through       string                 `json:"through,omitempty"`
	Counts        map[string]int         `json:"counts"` // by outcome: created, unchanged, corrected
	Floors        []service.PublishedRow `json:"floors"`
	// NotPublished are the floors that could not be computed; the others
	// are published all the same.
	NotPublished []errorDetail `json:"not_published"`
}

// postPublication publishes floors of the served agreement (the
// secretariat): what `prices publish` does from the command line, by the
// same service, audited as the request's principal. The floors are
// computed by the live engine; from then on assessments read the
// publication (on every node within the floor source's refresh).
func (s *Server) postPublication(w http.ResponseWriter, r *http.Request) {
	if s.deps.Store == nil || s.deps.Prices == nil {
		writeError(w, r, problem.Errorf(unavailable, "no store configured: nothing can be published"))
		return
	}
	b, err := readBody(w, r, maxPublicationRequest)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var req publicationRequest
	if err := decodeStrict(b, &req); err != nil {
		writeError(w, r, err)
		return
	}
	if (req.AsOf == "") == (req.Through == "") {
		writeError(w, r, &problem.Error{Code: problem.Invalid, Field: "as_of", Message: "name one of as_of (the floors of a date) and through (the schedule up to a date), YYYY-MM-DD"})
		return
	}
	field, given := "as_of", req.AsOf
	if req.Through != "" {
		field, given = "through", req.Through
	}
	d, err := date.Parse(given)
	if err != nil {
		writeError(w, r, &problem.Error{Code: problem.Invalid, Field: field, BadValue: given, Message: field + " must be a date, YYYY-MM-DD: " + err.Error()})
		return
	}
	actor, at := auth.From(r.Context()).Actor(), s.auth.Now().UTC()
	var res []service.PublishResult
	var failed []error
	if req.Through != "" {
		res, failed, err = service.PublishSchedule(r.Context(), s.deps.Store, s.hash, s.deps.Agreement, s.deps.Prices, d, at, actor)
	} else {
		floors, cerr := s.deps.Prices.Compute(d)
		var list problem.List
		if cerr != nil && !errors.As(cerr, &list) {
			writeError(w, r, cerr) // nothing computed: the date is outside the agreement
			return
		}
		for _, p := range list {
			failed = append(failed, p)
		}
		todo := make([]*refprice.Floor, len(floors))
		for i := range floors {
			todo[i] = &floors[i]
		}
		res, err = service.Publish(r.Context(), s.deps.Store, s.hash, todo, at, actor, map[string]any{"as_of": d.String(), "failed": len(failed)})
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	out := publicationResponse{AgreementHash: s.hash, AsOf: req.AsOf, Through: req.Through,
		Counts: map[string]int{service.Published: 0, service.Unchanged: 0, service.Corrected: 0},
		Floors: make([]service.PublishedRow, 0, len(res)), NotPublished: make([]errorDetail, 0, len(failed))}
	for _, p := range res {
		out.Floors = append(out.Floors, p.Row())
		out.Counts[p.Outcome]++
	}
	for _, f := range failed {
		out.NotPublished = append(out.NotPublished, detailOf(f))
	}
	writeJSON(w, http.StatusOK, out)
}
