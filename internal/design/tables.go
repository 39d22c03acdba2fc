package design

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/duty"
)

// Table is one flat table of a comparison: what writers of spreadsheets
// and columnar files (and the command line's tables) take. Cells are text;
// figures are exact decimals, dates YYYY-MM-DD, lists joined by "; ".
type Table struct {
	Name    string
	Columns []string
	Rows    [][]string
}

// Tables returns the comparison as flat tables, in this order: changes
// (the agreement diff), floors, duty_by_party_mineral, duty_lines, largest,
// quotas, scenarios, work, scope. Every row of every version is there, changed or
// not; a changed column says which.
func (c *Comparison) Tables() []Table {
	ts := []Table{
		{Name: "changes", Columns: []string{"kind", "path", "old", "new"}},
		{Name: "floors", Columns: []string{"mineral", "stage", "valid_from", "currency", "unit", "old", "new", "delta", "changed", "why", "old_error", "new_error"}},
		{Name: "duty_by_party_mineral", Columns: []string{"party", "mineral", "currency", "old", "new", "delta", "changed", "why"}},
		{Name: "duty_lines", Columns: []string{"party", "mineral", "stage", "type", "measure", "currency", "old", "new", "delta", "changed", "why"}},
		{Name: "largest", Columns: []string{"rank", "id", "row", "party", "mineral", "stage", "currency", "old", "new", "delta", "old_lines", "new_lines", "old_error", "new_error"}},
		{Name: "quotas", Columns: []string{"quota", "period_start", "old_exhausted", "new_exhausted", "changed"}},
		{Name: "scenarios", Columns: []string{"scenario", "mineral", "stage", "measure", "old", "new", "delta", "changed", "why"}},
		{Name: "work", Columns: []string{"item", "value"}},
		{Name: "scope", Columns: []string{"mineral", "stage", "old_eu_supply_risk", "new_eu_supply_risk", "old_usgs_supply_risk", "new_usgs_supply_risk", "changed", "why"}},
	}
	add := func(i int, cells ...string) { ts[i].Rows = append(ts[i].Rows, cells) }
	for _, d := range c.Changes {
		add(0, d.Kind, d.Path, cell(d.Old), cell(d.New))
	}
	for _, f := range c.Floors {
		add(1, f.Mineral, f.Stage, dateCell(f.ValidFrom), f.Currency, f.Unit, f.Old, f.New, f.Delta, strconv.FormatBool(f.Changed), strings.Join(f.Why, "; "), f.OldError, f.NewError)
	}
	for _, d := range c.Duty.ByPartyMineral {
		add(2, d.Party, d.Mineral, d.Currency, d.Old, d.New, d.Delta, strconv.FormatBool(d.Changed), strings.Join(d.Why, "; "))
	}
	for _, d := range c.Duty.Lines {
		add(3, d.Party, d.Mineral, d.Stage, d.Type, d.Measure, d.Currency, d.Old, d.New, d.Delta, strconv.FormatBool(d.Changed), strings.Join(d.Why, "; "))
	}
	for i, d := range c.Duty.Largest {
		add(4, strconv.Itoa(i+1), d.ID, strconv.Itoa(d.Row), d.Party, d.Mineral, d.Stage, d.Currency, d.Old, d.New, d.Delta, linesCell(d.OldLines), linesCell(d.NewLines), d.OldError, d.NewError)
	}
	for _, q := range c.Duty.Quotas {
		add(5, q.Quota, dateCell(q.PeriodStart), dateCell(q.OldExhausted), dateCell(q.NewExhausted), strconv.FormatBool(q.Changed))
	}
	for _, s := range c.Scenarios {
		ts[6].Rows = append(ts[6].Rows, s.TableRows()...)
	}
	for _, x := range c.Scope {
		add(8, x.Mineral, x.Stage, floatCell(x.OldEUSR), floatCell(x.NewEUSR), floatCell(x.OldUSGS), floatCell(x.NewUSGS), strconv.FormatBool(x.Changed), strings.Join(x.Why, "; "))
	}
	w := c.Work
	add(7, "new version found whole under its hash", strconv.FormatBool(w.Cached))
	add(7, "full recomputation", strconv.FormatBool(w.Full))
	add(7, "minerals whose floors were recomputed", strings.Join(w.Floors, "; "))
	add(7, "declarations re-assessed", strconv.Itoa(w.Reassessed))
	add(7, "scenarios rerun", strings.Join(w.Scenarios, "; "))
	add(7, "declarations", strconv.Itoa(c.Duty.Declarations))
	add(7, "declarations whose duty changed", strconv.Itoa(c.Duty.Changed))
	add(7, "declarations source", c.Duty.Source)
	return ts
}

// TableRows are the scenario's rows of the scenarios table (Tables): one a
// figure either version reports.
func (s ScenarioChange) TableRows() [][]string {
	var rows [][]string
	for _, m := range outcomeMeasures {
		o, n := m.get(s.Old), m.get(s.New)
		if o == "" && n == "" {
			continue
		}
		rows = append(rows, []string{s.ID, s.Mineral, s.Stage, m.name, o, n, floatDelta(o, n), strconv.FormatBool(o != n), strings.Join(whyIf(o != n, s.Why), "; ")})
	}
	return rows
}

func floatCell(x *float64) string {
	if x == nil {
		return ""
	}
	return strconv.FormatFloat(*x, 'f', -1, 64)
}

// outcomeMeasures are the figures of an Outcome, as rows of the scenarios
// table.
var outcomeMeasures = []struct {
	name string
	get  func(*Outcome) string
}{
	{"zone_mean_price", func(o *Outcome) string { return figure(o, o.ZonePrice) }},
	{"zone_tariff_revenue", func(o *Outcome) string { return figure(o, o.TariffRevenue) }},
	{"zone_consumer_cost", func(o *Outcome) string { return figure(o, o.ConsumerCost) }},
	{"projects_committed", func(o *Outcome) string {
		if o == nil || o.Kind == "replay" || o.Error != "" {
			return ""
		}
		return strconv.Itoa(o.ProjectsCommitted)
	}},
	{"buffer_exhaustion_probability", func(o *Outcome) string {
		if o == nil || o.ExhaustionProbability == nil {
			return ""
		}
		return strconv.FormatFloat(*o.ExhaustionProbability, 'f', -1, 64)
	}},
	{"error", func(o *Outcome) string {
		if o == nil {
			return ""
		}
		return o.Error
	}},
}

func figure(o *Outcome, x float64) string {
	if o == nil || o.Kind == "replay" || o.Error != "" {
		return ""
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

func floatDelta(o, n string) string {
	x, err1 := strconv.ParseFloat(o, 64)
	y, err2 := strconv.ParseFloat(n, 64)
	if err1 != nil || err2 != nil {
		return ""
	}
	return strconv.FormatFloat(y-x, 'g', 12, 64)
}

func whyIf(b bool, why []string) []string {
	if b {
		return why
	}
	return nil
}

func dateCell(d date.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func cell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func linesCell(ls []duty.DutyLine) string {
	parts := make([]string, len(ls))
	for i, l := range ls {
		parts[i] = l.Type + ":" + l.Measure + "=" + l.Amount
	}
	return strings.Join(parts, "; ")
}
