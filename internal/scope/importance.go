package scope

import (
	"io/fs"
	"slices"
	"strconv"

	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// srcEI cites the economic-importance formula.
const srcEI = "European Commission (2017), Methodology for establishing the EU list of critical raw materials — Guidelines, economic importance (EI = Σ_s A_s × Q_s × SI_EI); Blengini et al. (2017), JRC EUR 28654 EN, doi:10.2760/73303; as summarised by the JRC's RMIS page \"JRC revised methodology: Economic Importance\""

// EndUse is one application of a mineral with its share of consumption and
// the manufacturing sector it belongs to (a key of the value-added table);
// an empty sector is a share the source gives without saying where it goes.
type EndUse struct {
	Mineral     string  `json:"mineral"`
	Application string  `json:"application"`
	Share       float64 `json:"share"`
	Sector      string  `json:"sector,omitempty"`
	Scope       string  `json:"scope_of_shares"` // "United States" or "world": whose consumption the shares are of
	Source      string  `json:"source"`
	Note        string  `json:"note,omitempty"`
}

// SectorValue is a manufacturing sector's value added.
type SectorValue struct {
	Sector     string  `json:"sector"`
	Name       string  `json:"name"`
	ValueAdded float64 `json:"value_added_busd"` // billions of current U.S. dollars
	Year       int     `json:"year"`
	Source     string  `json:"source"`
}

// ImportanceInputs is what economic importance reads: end-use shares per
// mineral and the value added of the sectors they map to.
type ImportanceInputs struct {
	EndUses map[string][]EndUse // by mineral id, in the order of the file
	Sectors map[string]SectorValue
	// Max is the largest sector's value added, the scale's 10.
	Max SectorValue
}

// MineralRegistry is what LoadImportance checks mineral ids against (nil:
// not checked); *registry.Registry satisfies it.
type MineralRegistry interface {
	Mineral(id string) (registry.Mineral, error)
}

func known(reg MineralRegistry, id string) bool {
	_, err := reg.Mineral(id)
	return err == nil
}

// LoadImportance reads enduses.csv and value_added.csv from fsys (the data
// files of package data/scope). Every fault is reported at once, at its file,
// line and column; an end use naming a sector the value-added table lacks,
// a share outside (0, 1] or shares summing above 1 are faults.
func LoadImportance(fsys fs.FS, reg MineralRegistry) (*ImportanceInputs, error) {
	var errs problem.List
	in := &ImportanceInputs{EndUses: map[string][]EndUse{}, Sectors: map[string]SectorValue{}}
	vaName, euName := "data/scope/value_added.csv", "data/scope/enduses.csv"
	if err := csvRows(fsys, "value_added.csv", vaName, &errs, []string{"sector", "name", "value_added_busd", "year", "source"}, func(r csvRow) {
		s := SectorValue{Sector: r.str("sector"), Name: r.str("name"), Source: r.str("source")}
		v, err := strconv.ParseFloat(r.str("value_added_busd"), 64)
		switch {
		case s.Sector == "":
			r.errorf("sector", "empty")
			return
		case err != nil || v <= 0:
			r.errorf("value_added_busd", "%q is not a positive number", r.str("value_added_busd"))
			return
		case s.Source == "":
			r.errorf("source", "empty: every figure names its source")
			return
		}
		if _, dup := in.Sectors[s.Sector]; dup {
			r.errorf("sector", "%s listed twice", s.Sector)
			return
		}
		y, err := strconv.Atoi(r.str("year"))
		if err != nil {
			r.errorf("year", "%q is not a year", r.str("year"))
			return
		}
		s.ValueAdded, s.Year = v, y
		in.Sectors[s.Sector] = s
		if s.ValueAdded > in.Max.ValueAdded {
			in.Max = s
		}
	}); err != nil {
		return nil, err
	}
	total := map[string]float64{}
	if err := csvRows(fsys, "enduses.csv", euName, &errs, []string{"mineral", "application", "share", "sector", "scope_of_shares", "source"}, func(r csvRow) {
		e := EndUse{Mineral: r.str("mineral"), Application: r.str("application"), Sector: r.str("sector"),
			Scope: r.str("scope_of_shares"), Source: r.str("source"), Note: r.str("note")}
		sh, err := strconv.ParseFloat(r.str("share"), 64)
		switch {
		case reg != nil && !known(reg, e.Mineral):
			r.errorf("mineral", "unknown mineral %q", e.Mineral)
			return
		case err != nil || sh <= 0 || sh > 1:
			r.errorf("share", "%q is not a share in (0, 1]", r.str("share"))
			return
		case e.Source == "":
			r.errorf("source", "empty: every share names its source")
			return
		}
		if _, ok := in.Sectors[e.Sector]; e.Sector != "" && !ok {
			r.errorf("sector", "%q is not in %s", e.Sector, vaName)
			return
		}
		e.Share = sh
		total[e.Mineral] += sh
		if total[e.Mineral] > 1+1e-9 {
			r.errorf("share", "the shares of %s sum to %s, above 1", e.Mineral, fnum(total[e.Mineral]))
			return
		}
		in.EndUses[e.Mineral] = append(in.EndUses[e.Mineral], e)
	}); err != nil {
		return nil, err
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return in, nil
}

// Importance is a mineral's economic importance by the EU formula, from the
// shipped end uses and sector value added, with every input and what is
// missing. EI is nil where no end-use share is shipped for the mineral.
type Importance struct {
	Mineral string `json:"mineral"`
	// EI is Σ_s A_s × Q_s × SI_EI, scaled so that a mineral used wholly by
	// the largest sector of the table scores 10 (see docs/scope.md).
	EI *float64 `json:"economic_importance"`
	// Assigned is the share of consumption mapped to a sector (Σ A_s); below
	// 1, EI is understated by the unassigned uses.
	Assigned float64   `json:"assigned_share"`
	Inputs   []Input   `json:"inputs"`
	Steps    []Step    `json:"steps"`
	Missing  []Missing `json:"missing"`
}

// Importance computes the economic importance of mineral id.
func (in *ImportanceInputs) Importance(id string) Importance {
	r := Importance{Mineral: id}
	uses := in.EndUses[id]
	if len(uses) == 0 {
		r.Missing = append(r.Missing, Missing{Input: "end-use shares (A_s)",
			Reason: "no shares of consumption by application are shipped for " + id + " (the MCS 2026 chapter states none, or they were not transcribed)", Affects: "economic_importance"})
		return r
	}
	sum := 0.0
	terms := map[string]string{}
	sectors := []string{}
	for _, u := range uses {
		r.Inputs = append(r.Inputs, Input{Name: "A: " + u.Application, Value: fnum(u.Share), Unit: "share of " + u.Scope + " consumption", Source: u.Source, Quality: "reported"})
		if u.Sector == "" {
			r.Missing = append(r.Missing, Missing{Input: "sector of " + u.Application,
				Reason: "the source gives the share (" + pct(u.Share) + ") without the application's sector", Affects: "economic_importance (understated)"})
			continue
		}
		q := in.Sectors[u.Sector]
		r.Assigned += u.Share
		sum += u.Share * q.ValueAdded
		terms[u.Application] = fnum(u.Share) + " × " + fnum(q.ValueAdded)
		if !slices.Contains(sectors, u.Sector) {
			sectors = append(sectors, u.Sector)
		}
	}
	for _, s := range sectors {
		q := in.Sectors[s]
		r.Inputs = append(r.Inputs, Input{Name: "Q: " + q.Name + " (" + s + ")", Value: fnum(q.ValueAdded),
			Unit: "billion USD, " + strconv.Itoa(q.Year), Source: q.Source, Quality: "reported"})
	}
	r.Missing = append(r.Missing, Missing{Input: "SI_EI (substitution index for economic importance)",
		Reason: "the EU's substitution indices per application are not shipped", Assumed: "1", Affects: "economic_importance (not reduced for substitution)"})
	r.Steps = append(r.Steps, Step{Step: "sum", Inputs: terms, Formula: "Σ_s A_s × Q_s", Output: fnum(sum), Source: srcEI})
	if in.Max.ValueAdded <= 0 {
		return r
	}
	ei := round(sum / in.Max.ValueAdded * 10)
	r.Steps = append(r.Steps, Step{Step: "scale",
		Inputs:  map[string]string{"sum": fnum(sum), "SI_EI": "1", "largest sector (" + in.Max.Name + ")": fnum(in.Max.ValueAdded)},
		Formula: "EI = Σ_s A_s × Q_s × SI_EI / Q_max × 10", Output: fnum(ei), Source: srcEI + "; the scaling by the largest sector as docs/scope.md reads it"})
	r.Assigned = round(r.Assigned)
	r.EI = &ei
	return r
}

// MatrixRow is one mineral on the EU's criticality matrix by our figures:
// the world EU supply risk at its bottleneck stage and our economic
// importance, whether both reach the EU thresholds, and what the EU's 2023
// list says of the material it belongs to ("" where the EU did not assess
// it).
type MatrixRow struct {
	Mineral  string  `json:"mineral"`
	SR       float64 `json:"supply_risk"`
	EI       float64 `json:"economic_importance"`
	Flagged  bool    `json:"both_thresholds"`
	Material string  `json:"eu_material,omitempty"`
	Critical *bool   `json:"eu_critical_2023"`
}

// Matrix places every mineral of r with a world EU supply risk and an
// economic importance on the EU matrix, joined to the published EU 2023 list
// (nil: not joined), in the order of the report. The EI scale is ours
// (docs/scope.md), so a flag at EI ≥ EUEIThreshold is indicative only.
func Matrix(r *Report, in *ImportanceInputs, p *Published) []MatrixRow {
	eu := map[string]PublishedEU{}
	if p != nil {
		for _, row := range p.EU {
			for _, m := range row.Minerals {
				eu[m] = row
			}
		}
	}
	var out []MatrixRow
	for _, m := range r.Minerals {
		if len(m.Summary) == 0 || m.Summary[0].EUSR == nil {
			continue
		}
		ei := in.Importance(m.Mineral).EI
		if ei == nil {
			continue
		}
		row := MatrixRow{Mineral: m.Mineral, SR: *m.Summary[0].EUSR, EI: *ei}
		row.Flagged = row.SR >= EUSRThreshold && row.EI >= EUEIThreshold
		if e, ok := eu[m.Mineral]; ok {
			c := e.Critical
			row.Material, row.Critical = e.Material, &c
		}
		out = append(out, row)
	}
	return out
}
