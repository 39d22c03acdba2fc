package web

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// dutyField is one input of the calculator's form.
type dutyField struct {
	Name, Label, Hint string
	Type              string   // text, date, select
	Options           []string // for select
	Required          bool
	Value             string
	Error             string
}

// dutyPage is the data of the duty calculator.
type dutyPage struct {
	Fields    []dutyField
	Submitted bool
	Error     string // a problem that names no field
	Result    *duty.Result
	FloorLink string
	Quota     *quotaEstimate
	Shown     map[string]string // the result's charged figures and floor, grouped for reading
	Lines     []dutyLineRow     // every duty line, in the party's order
	Trace     []traceRow        // the result's trace, its components under their duty line
}

// dutyLineRow is one duty line of the result as shown: the measure that
// charged it, its type, and the amount as given and grouped for reading.
type dutyLineRow struct {
	Measure, Type, Amount, Shown string
}

// traceRow is one step of the trace as a broker reads it: a component of a
// duty expression (a step named line.component) is shown under its line, with
// whether it decided the duty (the bound that won) and its note apart from
// the other inputs.
type traceRow struct {
	Step, Line, Component  string
	Formula, Result, Basis string
	Inputs                 []traceInput
	Note                   string
	Decides                bool
}

// traceInput is one input of a step, in the order of its name.
type traceInput struct{ Name, Value string }

// traceRows turns the engine's steps into rows. The inputs decides and note
// of a component step become a mark and a sentence of their own.
func traceRows(steps []duty.Step) []traceRow {
	out := make([]traceRow, 0, len(steps))
	for _, s := range steps {
		r := traceRow{Step: s.Step, Line: s.Step, Formula: s.Formula, Result: s.Result, Basis: s.Basis}
		if line, comp, ok := strings.Cut(s.Step, "."); ok {
			r.Line, r.Component = line, comp
		}
		for _, k := range slices.Sorted(maps.Keys(s.Inputs)) {
			v := s.Inputs[k]
			switch {
			case k == "decides":
				r.Decides = v == "true"
			case k == "note":
				r.Note = v
			case v != "":
				r.Inputs = append(r.Inputs, traceInput{k, v})
			}
		}
		out = append(out, r)
	}
	return out
}

// quotaEstimate is what the calculator shows of a tariff-rate quota: the
// ledger's balance and the share this declaration would get, first come. The
// calculator allocates nothing.
type quotaEstimate struct {
	ID               string
	PeriodStart      date.Date
	Volume, Used     dec.Decimal
	Unit             string
	Requested, Grant dec.Decimal
	Status           duty.QuotaStatus
	ProRata          bool
}

// dutyDefaults is a US import of lithium carbonate from Chile, the example
// agreement's commonest case: a value below the floor, so a variable duty.
var dutyDefaults = map[string]string{
	"id": "CALC-1", "accepted_on": "", "importer": "US", "origin": "CL", "exporter_id": "", "hs_code": "283691",
	"quantity": "20", "unit": "t", "content": "", "customs_value": "150000", "currency": "USD", "incoterm": "FOB",
	"freight": "", "insurance": "", "undertaking_id": "", "mineral": "",
	"preference": "", "contained_quantity": "", "supplementary_quantity": "", "supplementary_unit": "",
}

func (p *portal) dutyFields(q map[string]string) []dutyField {
	parties := []string{}
	for _, pt := range p.deps.Agreement.Parties {
		parties = append(parties, pt.ID)
	}
	fs := []dutyField{
		{Name: "id", Label: "Declaration id", Type: "text", Required: true, Hint: "shown in the trace; nothing is recorded"},
		{Name: "accepted_on", Label: "Accepted on", Type: "date", Required: true, Hint: "YYYY-MM-DD, the date of acceptance"},
		{Name: "importer", Label: "Importer (party)", Type: "select", Options: parties, Required: true, Hint: "a member state of a customs union is assessed under its party"},
		{Name: "origin", Label: "Origin", Type: "text", Required: true, Hint: "ISO 3166 alpha-2"},
		{Name: "hs_code", Label: "HS code", Type: "text", Required: true, Hint: "6 to 10 digits"},
		{Name: "mineral", Label: "Mineral", Type: "text", Hint: "for a multi-mineral code; empty: the highest content"},
		{Name: "quantity", Label: "Quantity", Type: "text", Required: true, Hint: "gross, a plain decimal"},
		{Name: "unit", Label: "Unit", Type: "select", Options: []string{"t", "kg", "lb", "troy_oz"}, Required: true},
		{Name: "content", Label: "Content", Type: "text", Hint: "mass fraction in (0, 1]; empty: the HS map's default"},
		{Name: "customs_value", Label: "Customs value", Type: "text", Required: true, Hint: "in the currency below"},
		{Name: "currency", Label: "Currency", Type: "text", Required: true, Hint: "ISO 4217"},
		{Name: "incoterm", Label: "Incoterm", Type: "select", Options: []string{"FOB", "CIF"}, Required: true},
		{Name: "freight", Label: "Freight", Type: "text", Hint: "optional"},
		{Name: "insurance", Label: "Insurance", Type: "text", Hint: "optional"},
		{Name: "exporter_id", Label: "Exporter id", Type: "text", Hint: "as named in a price undertaking"},
		{Name: "undertaking_id", Label: "Undertaking", Type: "text", Hint: "optional"},
		{Name: "preference", Label: "Preference claimed", Type: "text", Hint: "the scheme claimed (a special programme indicator); empty: none claimed, or the party's rule picks the lowest"},
		{Name: "contained_quantity", Label: "Contained quantity", Type: "text", Hint: "of the mineral, in the unit above; instead of the content"},
		{Name: "supplementary_quantity", Label: "Supplementary quantity", Type: "text", Hint: "for a duty per piece, litre, m² or m³"},
		{Name: "supplementary_unit", Label: "Supplementary unit", Type: "select", Options: []string{"", "p/st", "l", "m2", "m3"}, Hint: "the unit of the supplementary quantity"},
	}
	for i := range fs {
		fs[i].Value = q[fs[i].Name]
		if fs[i].Type == "select" && fs[i].Value != "" && !slices.Contains(fs[i].Options, fs[i].Value) {
			fs[i].Options = append(fs[i].Options, fs[i].Value)
		}
	}
	return fs
}

// dutyCalc renders the duty calculator: the form, and with a submitted
// declaration its assessment (each duty, the floor, the quota and the trace
// with the article of each step). A field that cannot be read is shown beside
// its input. Nothing is recorded and no quota is allocated.
func (p *portal) dutyCalc(w http.ResponseWriter, r *http.Request) {
	q := map[string]string{}
	submitted := r.URL.Query().Has("id")
	for k, v := range dutyDefaults {
		q[k] = v
	}
	if q["accepted_on"] == "" {
		q["accepted_on"] = p.deps.Agreement.EntryIntoForce.AddMonths(2).AddDays(1).String()
	}
	if submitted {
		for k := range dutyDefaults {
			q[k] = r.URL.Query().Get(k)
		}
	}
	d := dutyPage{Fields: p.dutyFields(q), Submitted: submitted}
	if submitted {
		p.calculate(r.Context(), &d, q)
	}
	p.render(w, r, http.StatusOK, "duty", page{Title: "Duty calculator", Nav: "duty", Data: d})
}

func (p *portal) calculate(ctx context.Context, d *dutyPage, q map[string]string) {
	a := p.deps.Assessor
	if a == nil {
		d.Error = "the duty calculator is not configured on this server"
		return
	}
	fail := func(err error) {
		var pe *problem.Error
		if errors.As(err, &pe) && pe.Field != "" {
			for i := range d.Fields {
				if d.Fields[i].Name == pe.Field {
					d.Fields[i].Error = pe.Message
					return
				}
			}
		}
		switch {
		case pe != nil && pe.Code == problem.Invalid:
			d.Error = pe.Message
		case problem.CodeOf(err) == problem.Internal:
			d.Error = "internal error"
		default:
			d.Error = messageOf(err)
		}
	}
	// The form's fields go through the one normaliser every declaration
	// takes (files, the API): an empty input is a field not given.
	decl, err := duty.ReadDeclaration(q)
	if err != nil {
		fail(err)
		return
	}
	as, req, err := a.Prepare(decl)
	if err != nil {
		fail(err)
		return
	}
	if req != nil {
		est := &quotaEstimate{ID: req.Quota, PeriodStart: req.PeriodStart, Volume: req.Volume, Unit: req.Unit, Requested: req.Quantity, ProRata: req.ProRata}
		if p.deps.Ledger != nil {
			u, err := p.deps.Ledger.Usage(ctx, req.Quota, req.PeriodStart)
			if err != nil {
				fail(err)
				return
			}
			if !u.Volume.IsZero() {
				est.Volume = u.Volume
			}
			est.Used = u.Used
		}
		left := dec.Max(est.Volume.Sub(est.Used), dec.Decimal{})
		est.Grant = dec.Min(req.Quantity, left)
		est.Status = duty.PeriodStatus(est.Volume, est.Used.Add(est.Grant), req.CriticalAt)
		a.Complete(as, duty.Grant{DeclarationID: decl.ID(), Granted: est.Grant, Status: est.Status, Balance: left.Sub(est.Grant)})
		d.Quota = est
	}
	res := as.Result(true)
	d.Result = &res
	d.Shown = map[string]string{}
	for k, v := range map[string]string{"total": res.TotalDuty, "base": res.BaseDuty, "variable": res.VariableDuty,
		"surcharge": res.Surcharge, "other": res.OtherDuties, "floor": res.Floor, "unit_price": res.UnitPrice} {
		if x, err := dec.Parse(v); err == nil {
			d.Shown[k] = grouped(x)
		} else {
			d.Shown[k] = v
		}
	}
	for _, l := range res.Duties {
		row := dutyLineRow{Measure: l.Measure, Type: l.Type, Amount: l.Amount, Shown: l.Amount}
		if x, err := dec.Parse(l.Amount); err == nil {
			row.Shown = grouped(x)
		}
		d.Lines = append(d.Lines, row)
	}
	d.Trace = traceRows(res.Trace)
	if res.Mineral == "" { // a line outside the scope has no floor
		return
	}
	d.FloorLink = "/prices/" + res.Mineral + "/" + res.Stage + "?as_of=" + decl.AcceptedOn().String()
}
