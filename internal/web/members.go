package web

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/scope"
	"github.com/mineralpact/mineralpact/internal/service"
)

// membersData is the membership page: the candidates outside the zone
// ranked, and the what-if (add and remove countries) with its before and
// after per mineral in scope. The page is whole without JavaScript (the
// form is a GET); members.js recomputes through GET /v1/members/evaluate as
// the fields change.
type membersData struct {
	AsOf       string
	Default    bool
	Add        string // as typed: "CN, ZA"
	Remove     string
	Error      string // a bad date or country, for the form
	ErrorField string // "as_of", "add" or "remove"
	WhatIf     *scope.WhatIf
	Rows       []effectRow
	Candidates []candidateRow
	Threshold  float64
	Het        *heterogeneitySection
	// Criteria are the agreement's accession criteria on the page's date,
	// each with its test and basis, the legend of the candidates' cells.
	Criteria []agreement.Criterion
}

// heterogeneitySection is the regulatory heterogeneity of the parties'
// standards on the page's date (docs/scope.md): the pairs by mean index,
// the cells where arbitrage is most likely, and the notes.
type heterogeneitySection struct {
	Pairs     []hetRow
	Arbitrage []hetRow
	Notes     []string
}

// hetRow is a pair (Mineral empty) or a pair's cell, formatted.
type hetRow struct {
	A, B, Mineral, Stage, Index, Max, Differ, Unknown string
	Compared, Defined, Cells                          int
}

// heterogeneityShown is how many arbitrage cells the page lists.
const heterogeneityShown = 10

func heterogeneityRows(h *scope.Heterogeneity) *heterogeneitySection {
	sec := &heterogeneitySection{Notes: h.Notes}
	pairs := slices.Clone(h.Pairs)
	// The most different pairs first; a pair without an index last.
	slices.SortStableFunc(pairs, func(x, y scope.PairSummary) int {
		switch {
		case x.Mean == nil || y.Mean == nil:
			return boolCmp(x.Mean == nil, y.Mean == nil)
		}
		return cmp.Compare(*y.Mean, *x.Mean)
	})
	for _, p := range pairs {
		sec.Pairs = append(sec.Pairs, hetRow{A: p.A, B: p.B, Index: srText(p.Mean), Max: srText(p.Max), Defined: p.Defined, Cells: p.Cells})
	}
	join := func(ms []agreement.Measure) string {
		s := make([]string, len(ms))
		for i, m := range ms {
			s[i] = string(m)
		}
		return strings.Join(s, ", ")
	}
	for _, c := range h.Arbitrage {
		sec.Arbitrage = append(sec.Arbitrage, hetRow{A: c.A, B: c.B, Mineral: c.Mineral, Stage: string(c.Stage), Index: srText(c.Index),
			Compared: c.Compared, Differ: join(c.Differ), Unknown: join(c.Unknown)})
	}
	return sec
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// effectRow is one mineral of the what-if, formatted.
type effectRow struct {
	Mineral, Stage, Reason             string
	ProdBefore, ProdAfter              string
	SecBefore, SecAfter                string
	SRBefore, SRAfter                  string
	SRBeforeOver, SRAfterOver, Changed bool
}

// candidateRow is one ranked candidate, formatted.
type candidateRow struct {
	Rank                                     int
	Country, Name                            string
	Risk, Production, Reserves, Refining, WG string
	Frameworks                               []scope.Framework
	// Score is the ranking's key (risk removed × the ownership factor);
	// Held the facilities non-parties would control or hold, "n/m" ("" none
	// with a recorded holder).
	Score, Held string
	// Criteria are the agreement's accession criteria for the candidate.
	Criteria []criterionCell
}

// criterionCell is one accession criterion of a candidate, formatted:
// Label "met", "not met" or "not recorded"; Title the test, the value and
// where it comes from, and the basis.
type criterionCell struct {
	ID, Status, Label, Title string
}

func criterionCells(rs []scope.CriterionResult) []criterionCell {
	out := make([]criterionCell, len(rs))
	for i, r := range rs {
		v := "not recorded"
		if r.Value != nil {
			v = strconv.FormatFloat(*r.Value, 'f', -1, 64)
		}
		out[i] = criterionCell{ID: r.ID, Status: r.Status, Label: strings.ReplaceAll(r.Status, "_", " "),
			Title: r.Criterion + ": " + v + " (" + r.Detail + "); " + r.Basis}
	}
	return out
}

func pctCell(x *float64) string {
	if x == nil {
		return ""
	}
	return strconv.FormatFloat(*x*100, 'f', 1, 64) + " %"
}

func srText(x *float64) string {
	if x == nil {
		return ""
	}
	return strconv.FormatFloat(*x, 'f', 2, 64)
}

// candidatesShown is how many candidates the page lists (the API and the
// command line give all).
const candidatesShown = 15

func (p *portal) members(w http.ResponseWriter, r *http.Request) {
	reg := p.deps.Registry
	q := r.URL.Query()
	d := membersData{AsOf: q.Get("as_of"), Add: q.Get("add"), Remove: q.Get("remove"), Threshold: scope.EUSRThreshold}
	render := func(status int) {
		p.render(w, r, status, "members", page{Title: "Membership", Nav: "members", Data: d})
	}
	var on date.Date
	if d.AsOf != "" {
		var err error
		if on, err = agreement.ParseAsOf(d.AsOf); err != nil {
			d.Error, d.ErrorField = messageOf(err), "as_of"
			render(statusOf(err))
			return
		}
	}
	snap, err := scope.Gather(reg)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	rel, err := service.ScopeRelations(reg)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	wi, err := snap.Evaluate(p.deps.Agreement, reg, on, scope.Change{Add: splitCodes(d.Add), Remove: splitCodes(d.Remove)})
	if err != nil {
		d.Error, d.ErrorField = messageOf(err), fieldOf(err)
		render(statusOf(err))
		return
	}
	d.WhatIf, d.AsOf, d.Default = wi, wi.AsOf.String(), wi.AsOfDefault
	for _, e := range wi.Minerals {
		row := effectRow{Mineral: e.Mineral, Stage: string(e.Stage), Reason: e.Reason,
			ProdBefore: pctCell(e.Before.ZoneProduction), ProdAfter: pctCell(e.After.ZoneProduction),
			SecBefore: pctCell(e.Before.USSecured), SecAfter: pctCell(e.After.USSecured),
			SRBefore: srText(e.Before.ZoneEUSR), SRAfter: srText(e.After.ZoneEUSR)}
		row.SRBeforeOver = e.Before.ZoneEUSR != nil && *e.Before.ZoneEUSR >= scope.EUSRThreshold
		row.SRAfterOver = e.After.ZoneEUSR != nil && *e.After.ZoneEUSR >= scope.EUSRThreshold
		row.Changed = row.ProdBefore != row.ProdAfter || row.SecBefore != row.SecAfter || row.SRBefore != row.SRAfter
		d.Rows = append(d.Rows, row)
	}
	cs, err := snap.Rank(p.deps.Agreement, reg, rel, wi.AsOf)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	for i, c := range cs.Candidates {
		if i == candidatesShown {
			break
		}
		row := candidateRow{Rank: i + 1, Country: c.Country, Name: c.Name, Frameworks: c.Frameworks,
			Risk: strconv.FormatFloat(c.RiskRemoved, 'f', 2, 64), Production: strconv.FormatFloat(c.Production, 'f', 2, 64),
			Reserves: strconv.FormatFloat(c.Reserves, 'f', 2, 64), Refining: strconv.FormatFloat(c.Refining, 'f', 2, 64),
			Score: strconv.FormatFloat(c.Score, 'f', 2, 64)}
		if o := c.Ownership; o != nil && o.Facilities > 0 {
			row.Held = strconv.Itoa(o.NonParty) + "/" + strconv.Itoa(o.Facilities)
		}
		if c.WGI != nil {
			row.WG = strconv.FormatFloat(*c.WGI, 'f', 1, 64)
		}
		row.Criteria = criterionCells(c.Criteria)
		d.Candidates = append(d.Candidates, row)
	}
	in, err := p.deps.Agreement.AsOf(wi.AsOf)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if m := in.Agreement.Membership; m != nil {
		d.Criteria = m.Criteria
	}
	h, err := scope.HeterogeneityAsOf(p.deps.Agreement, wi.AsOf, heterogeneityShown)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	d.Het = heterogeneityRows(h)
	render(http.StatusOK)
}

// splitCodes reads a field of comma- or space-separated country codes.
func splitCodes(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
}

// fieldOf names the form field of a what-if error: add[1] is the add field.
func fieldOf(err error) string {
	msg := err.Error()
	for _, f := range []string{"add", "remove", "as_of"} {
		if strings.HasPrefix(msg, f) {
			return f
		}
	}
	return ""
}
