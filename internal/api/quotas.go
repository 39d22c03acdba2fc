package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// quotaPeriod is one period of a tariff-rate quota.
type quotaPeriod struct {
	Start  date.Date `json:"start"`
	End    date.Date `json:"end"` // last day, inclusive
	Length string    `json:"length"`
}

// quotaBody is a tariff-rate quota in one period, with the ledger's figures.
type quotaBody struct {
	ID          string           `json:"id"`
	Party       string           `json:"party"`
	Instrument  string           `json:"instrument"`
	Mineral     string           `json:"mineral"`
	Stage       string           `json:"stage"`
	HS          []string         `json:"hs,omitempty"`
	Origins     []string         `json:"origins,omitempty"`
	Allocation  string           `json:"allocation"`
	InQuotaRate string           `json:"in_quota_rate"`
	Basis       string           `json:"basis"`
	Period      quotaPeriod      `json:"period"`
	Unit        string           `json:"unit"`
	VolumeBasis string           `json:"volume_basis"`
	Volume      dec.Decimal      `json:"volume"`
	Allocated   dec.Decimal      `json:"allocated"`
	Remaining   dec.Decimal      `json:"remaining"`
	CriticalAt  dec.Decimal      `json:"critical_at"`
	Status      duty.QuotaStatus `json:"status"`
}

type quotasResponse struct {
	On     date.Date   `json:"on"`
	Quotas []quotaBody `json:"quotas"`
}

// quotaOf joins a quota's terms and the ledger's usage of the period. The
// volume is the ledger's once the period has been allocated from (it is fixed
// at first use), else the agreement's.
func (s *Server) quotaOf(ctx context.Context, t duty.QuotaTerms) (quotaBody, error) {
	u, err := s.deps.Ledger.Usage(ctx, t.Quota, t.PeriodStart)
	if err != nil {
		return quotaBody{}, err
	}
	volume := t.Volume
	if !u.Volume.IsZero() || !u.Used.IsZero() {
		volume = u.Volume
	}
	used := u.Used
	if used.IsZero() {
		used = dec.FromInt(0)
	}
	alloc := "first_come"
	if t.ProRata {
		alloc = "pro_rata_same_day"
	}
	return quotaBody{ID: t.Quota, Party: t.Party, Instrument: t.Instrument, Mineral: t.Mineral, Stage: t.Stage, HS: t.HS, Origins: t.Origins,
		Allocation: alloc, InQuotaRate: t.InQuotaRate, Basis: t.Basis,
		Period: quotaPeriod{Start: t.PeriodStart, End: t.PeriodEnd, Length: t.Length}, Unit: t.Unit, VolumeBasis: t.VolumeBasis,
		Volume: volume, Allocated: used, Remaining: dec.Max(volume.Sub(used), dec.FromInt(0)), CriticalAt: t.CriticalAt,
		Status: duty.PeriodStatus(volume, used, t.CriticalAt)}, nil
}

// quotaTerms lists the quotas in force on d; a date before the entry into
// force is a problem about the parameter named field.
func (s *Server) quotaTerms(a *duty.Assessor, d date.Date, field string) ([]duty.QuotaTerms, error) {
	ts, err := a.Quotas(d)
	if err != nil {
		var fe *duty.FieldError
		if errors.As(err, &fe) {
			return nil, &problem.Error{Code: problem.Invalid, Field: field, Message: field + ": " + fe.Err.Message}
		}
		return nil, err
	}
	return ts, nil
}

// listQuotas answers GET /v1/quotas?on=DATE: every tariff-rate quota in force
// on the date, in the period that contains it.
func (s *Server) listQuotas(w http.ResponseWriter, r *http.Request) {
	a, _, err := s.duty()
	if err != nil {
		writeError(w, r, err)
		return
	}
	on, err := dateParam(r, "on")
	if err != nil {
		writeError(w, r, err)
		return
	}
	ts, err := s.quotaTerms(a, on, "on")
	if err != nil {
		writeError(w, r, err)
		return
	}
	out := quotasResponse{On: on, Quotas: []quotaBody{}}
	for _, t := range ts {
		q, err := s.quotaOf(r.Context(), t)
		if err != nil {
			writeError(w, r, err)
			return
		}
		out.Quotas = append(out.Quotas, q)
	}
	writeJSON(w, http.StatusOK, out)
}

// getQuota answers GET /v1/quotas/{id}: one quota in the period containing
// ?on=, or in the period starting on ?period_start=. The id is the ledger's
// PARTY/instrument-id (its slash escaped as %2F), or the instrument id alone
// when no other party uses it.
func (s *Server) getQuota(w http.ResponseWriter, r *http.Request) {
	a, _, err := s.duty()
	if err != nil {
		writeError(w, r, err)
		return
	}
	id := r.PathValue("id")
	q := r.URL.Query()
	var d date.Date
	field := "on"
	switch {
	case q.Get("on") != "" && q.Get("period_start") != "":
		writeError(w, r, &problem.Error{Code: problem.Invalid, Field: "period_start", Message: "give on or period_start, not both"})
		return
	case q.Get("period_start") != "":
		field = "period_start"
	}
	if d, err = dateParam(r, field); err != nil {
		if field == "on" && q.Get("on") == "" {
			err = &problem.Error{Code: problem.Invalid, Field: "on", Message: "on (a date in the period) or period_start is required (YYYY-MM-DD): the server never reads its clock"}
		}
		writeError(w, r, err)
		return
	}
	ts, err := s.quotaTerms(a, d, field)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var match []duty.QuotaTerms
	var ids []string
	for _, t := range ts {
		ids = append(ids, t.Quota)
		if t.Quota == id || (!strings.Contains(id, "/") && t.Instrument == id) {
			match = append(match, t)
		}
	}
	switch {
	case len(match) == 0:
		writeError(w, r, problem.Errorf(problem.NotFound, "no tariff-rate quota %q in force on %s; the quotas in force are %s", id, d, listOrNone(ids)))
		return
	case len(match) > 1:
		writeError(w, r, problem.Errorf(problem.Invalid, "quota %q is ambiguous: name it PARTY/%s (escape the slash as %%2F)", id, id))
		return
	}
	t := match[0]
	if field == "period_start" && !t.PeriodStart.Equal(d) {
		writeError(w, r, &problem.Error{Code: problem.Invalid, Field: "period_start",
			Message: fmt.Sprintf("period_start %s is not the start of a period of %s; the period containing it starts on %s", d, t.Quota, t.PeriodStart)})
		return
	}
	body, err := s.quotaOf(r.Context(), t)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, body)
}

func listOrNone(ids []string) string {
	if len(ids) == 0 {
		return "none"
	}
	return strings.Join(ids, ", ")
}
