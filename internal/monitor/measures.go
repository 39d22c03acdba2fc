package monitor

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
)

// MeasureDef is a dated measure a pattern may be tied to: the agreement's
// entry into force, a variable duty or surcharge taking effect, a measure
// named in a measures file or on the command line (another country's
// export controls).
type MeasureDef struct {
	Name      string
	Effective date.Date
	// HS lists the lines the measure bears on (a line matches a series'
	// line when either is a prefix of the other); empty: every line.
	HS []string
	// Importers and Exporters restrict the measure to flows into or out of
	// these countries (ISO alpha-2 or alpha-3); empty: any.
	Importers, Exporters []string
	Basis                string // the agreement's article, when the agreement imposes it
	Source               string // where it is named: "agreement pact-2026: US us-vd-ga", a file and row
}

// Alert returns the measure as an alert names it.
func (m MeasureDef) Alert() *Measure {
	return &Measure{Name: m.Name, Effective: m.Effective, Source: m.Source}
}

// ParseMeasure reads a measure as --measure writes it:
// "name=YYYY-MM-DD[:hs,...]".
func ParseMeasure(s string) (MeasureDef, error) {
	name, rest, ok := strings.Cut(s, "=")
	name = strings.TrimSpace(name)
	if !ok || name == "" {
		return MeasureDef{}, fmt.Errorf("measure %q: want name=YYYY-MM-DD[:hs,...]", s)
	}
	ds, hs, _ := strings.Cut(rest, ":")
	d, err := date.Parse(strings.TrimSpace(ds))
	if err != nil {
		return MeasureDef{}, fmt.Errorf("measure %q: %v", s, err)
	}
	m := MeasureDef{Name: name, Effective: d, Source: "--measure"}
	for _, h := range splitList(hs) {
		if !validHSPrefix(h) {
			return MeasureDef{}, fmt.Errorf("measure %q: HS line %q: want 4 to 10 digits", s, h)
		}
		m.HS = append(m.HS, h)
	}
	return m, nil
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
		out = append(out, strings.TrimSpace(f))
	}
	return out
}

func validHSPrefix(h string) bool {
	if len(h) < 4 || len(h) > 10 {
		return false
	}
	for i := 0; i < len(h); i++ {
		if h[i] < '0' || h[i] > '9' {
			return false
		}
	}
	return true
}

// ReadMeasures reads a measures file: a CSV with the columns name,
// effective (YYYY-MM-DD), hs, importers, exporters (lists separated by
// spaces or semicolons; empty: any) and, optionally, basis and source.
func ReadMeasures(r io.Reader, name string) ([]MeasureDef, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			return nil, inputErr(name, 0, "", "empty file: want a header name,effective,hs,importers,exporters[,basis,source]")
		}
		return nil, csvErr(name, err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, c := range []string{"name", "effective"} {
		if _, ok := col[c]; !ok {
			return nil, inputErr(name, 1, c, "missing column %s", c)
		}
	}
	var out []MeasureDef
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvErr(name, err)
		}
		row, _ := cr.FieldPos(0)
		get := func(c string) string {
			i, ok := col[c]
			if !ok || i >= len(rec) {
				return ""
			}
			return strings.TrimSpace(rec[i])
		}
		m := MeasureDef{Name: get("name"), Basis: get("basis"), Source: get("source")}
		if m.Name == "" {
			return nil, inputErr(name, row, "name", "empty name")
		}
		d, err := date.Parse(get("effective"))
		if err != nil {
			return nil, inputErr(name, row, "effective", "%v", err)
		}
		m.Effective = d
		for _, h := range splitList(get("hs")) {
			if !validHSPrefix(h) {
				return nil, inputErr(name, row, "hs", "HS line %q: want 4 to 10 digits", h)
			}
			m.HS = append(m.HS, h)
		}
		m.Importers = splitList(get("importers"))
		m.Exporters = splitList(get("exporters"))
		if m.Source == "" {
			m.Source = fmt.Sprintf("%s row %d", name, row)
		}
		out = append(out, m)
	}
	return out, nil
}

// agreementMeasures are the dated measures of the agreement as in force on
// asOf: its entry into force, and each party's variable duties, surcharges
// and trade remedies from the day they take effect (the instrument's from,
// else the party's accession, never before the entry into force).
func agreementMeasures(a *agreement.Agreement, asOf date.Date) []MeasureDef {
	if a == nil {
		return nil
	}
	if am, _, err := a.Amended(asOf); err == nil && am != nil {
		a = am
	}
	out := []MeasureDef{{Name: "entry into force of " + a.ID, Effective: a.EntryIntoForce, Source: "agreement " + a.ID}}
	for _, p := range a.Parties {
		for _, in := range p.Instruments {
			switch in.Type {
			case agreement.VariableDuty, agreement.NonPartySurcharge, agreement.AntiDumping, agreement.Countervailing, agreement.Safeguard, agreement.AdditionalDuty:
			default:
				continue
			}
			eff := in.From
			if eff.IsZero() {
				eff = p.Accession
			}
			if eff.Before(a.EntryIntoForce) {
				eff = a.EntryIntoForce
			}
			if eff.After(asOf) {
				continue
			}
			m := MeasureDef{
				Name: fmt.Sprintf("%s %s (%s)", p.ID, in.ID, in.Type), Effective: eff,
				Importers: []string{p.ID}, Exporters: slices.Clone(in.Origins), Basis: in.Basis,
				Source: fmt.Sprintf("agreement %s: parties[%s].instruments[%s]", a.ID, p.ID, in.ID),
			}
			m.HS = slices.Clone(in.HS)
			if len(m.HS) == 0 && in.Mineral != "" {
				for _, f := range a.Floors() {
					if f.Mineral == in.Mineral && (in.Stage == "" || f.Stage == in.Stage) {
						m.HS = append(m.HS, f.HS...)
					}
				}
			}
			out = append(out, m)
		}
	}
	return out
}

// hsOverlap reports whether a series' line and a measure's lines meet:
// one is a prefix of the other (a measure on 811292 bears on 81129210, a
// measure on 81129210 on the series of 811292 that holds it).
func hsOverlap(lines []string, code string) bool {
	if len(lines) == 0 {
		return true
	}
	for _, l := range lines {
		if strings.HasPrefix(code, l) || strings.HasPrefix(l, code) {
			return true
		}
	}
	return false
}

func countryIn(list []string, iso2, iso3 string) bool {
	if len(list) == 0 {
		return true
	}
	for _, c := range list {
		if c == iso2 || c == iso3 {
			return true
		}
	}
	return false
}

// nearestMeasure is the measure bearing on a flow (importer, exporter and
// line) whose date is nearest to when, within the window; nil when none
// is. A measure on the flow's countries and line is preferred to one on any
// flow at the same distance.
func (s *scan) nearestMeasure(imp, exp uint16, hs string, when Period) *MeasureDef {
	var best *MeasureDef
	bestD := 0
	ic, ec := s.flows.codes[imp], s.flows.codes[exp]
	i2, e2 := s.iso2(imp), s.iso2(exp)
	window := s.th.MeasureWindowMonths*31 + 1
	for i := range s.measures {
		m := &s.measures[i]
		if !hsOverlap(m.HS, hs) || !countryIn(m.Importers, i2, ic) || !countryIn(m.Exporters, e2, ec) {
			continue
		}
		d := 0 // the measure takes effect within the period
		if m.Effective.Before(when.Start()) {
			d = m.Effective.DaysUntil(when.Start())
		} else if m.Effective.After(when.End()) {
			d = when.End().DaysUntil(m.Effective)
		}
		if d > window {
			continue
		}
		spec := len(m.HS) + len(m.Importers) + len(m.Exporters)
		if best == nil || d < bestD || d == bestD && spec > len(best.HS)+len(best.Importers)+len(best.Exporters) {
			best, bestD = m, d
		}
	}
	return best
}
