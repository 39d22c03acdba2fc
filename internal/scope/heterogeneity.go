package scope

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// Regulatory heterogeneity after Nordås (2016), "Services Trade
// Restrictiveness Index (STRI): The Trade Effect of Regulatory
// Differences", OECD Trade Policy Papers No. 189 (doi:10.1787/5jlz9z022plp-en):
// for each pair of countries and each sector, the weighted share of the
// binary measures on which the two countries' regulation differs. Here the
// sector is a mineral at a stage, and the measures are the standards of the
// parties' profiles (agreement.Measures). A measure unknown for either
// party of a pair is left out of that pair's numerator and denominator and
// listed; a cell with no measure known for both has no index (never 0).

// Weights is the weight of each measure; DefaultWeights gives each the same.
type Weights map[agreement.Measure]float64

// DefaultWeights weighs every measure 1. Nordås uses the STRI's expert
// weights per policy category; no such weights exist for mineral standards,
// so the default is the unweighted share, and a caller may set its own.
func DefaultWeights() Weights {
	w := Weights{}
	for _, m := range agreement.Measures {
		w[m] = 1
	}
	return w
}

// Cell is the heterogeneity of one pair of parties for one mineral at one
// stage.
type Cell struct {
	A       string         `json:"a"`
	B       string         `json:"b"`
	Mineral string         `json:"mineral"`
	Stage   registry.Stage `json:"stage"`
	// Index is Σ w·|x_a − x_b| / Σ w over the measures known for both; nil
	// when none is.
	Index    *float64            `json:"index"`
	Compared int                 `json:"measures_compared"`
	Differ   []agreement.Measure `json:"differ_on"`
	Unknown  []agreement.Measure `json:"unknown"`
}

// PairSummary is one pair over every mineral and stage in scope: the mean
// of its defined cells and the largest.
type PairSummary struct {
	A       string   `json:"a"`
	B       string   `json:"b"`
	Mean    *float64 `json:"mean_index"`
	Max     *float64 `json:"max_index"`
	Defined int      `json:"cells_defined"`
	Cells   int      `json:"cells"`
}

// Heterogeneity is the regulatory heterogeneity of the parties of an
// agreement in force on a date.
type Heterogeneity struct {
	Agreement    string                        `json:"agreement"`
	Illustrative bool                          `json:"illustrative"`
	AsOf         date.Date                     `json:"as_of"`
	AsOfDefault  bool                          `json:"as_of_is_entry_into_force,omitempty"`
	Parties      []string                      `json:"parties"`
	Measures     []agreement.Measure           `json:"measures"`
	Weights      map[agreement.Measure]float64 `json:"weights"`
	Pairs        []PairSummary                 `json:"pairs"`
	// Arbitrage lists the cells with the highest index first: where the
	// standards of two parties differ most for a mineral and stage, goods
	// can be routed through the laxer one. Ties go to the cell that compares
	// more measures (more evidence), then to the order of the text.
	Arbitrage []Cell   `json:"arbitrage"`
	Cells     []Cell   `json:"cells"`
	Notes     []string `json:"notes"`
}

// HeterogeneityAsOf is HeterogeneityOf for the agreement in force on asOf
// (its entry into force when asOf is zero) with the default weights.
func HeterogeneityAsOf(a *agreement.Agreement, asOf date.Date, top int) (*Heterogeneity, error) {
	byDefault := asOf.IsZero()
	if byDefault {
		asOf = a.EntryIntoForce
	}
	in, err := a.AsOf(asOf)
	if err != nil {
		return nil, err
	}
	h, err := HeterogeneityOf(in, DefaultWeights(), top)
	if err != nil {
		return nil, err
	}
	h.AsOfDefault = byDefault
	return h, nil
}

// HeterogeneityOf computes the index for every pair of parties (in the
// order of the text) and every mineral and stage in scope of the agreement
// in force (in.Agreement.Floors). top is how many cells Arbitrage lists.
func HeterogeneityOf(in *agreement.InForce, w Weights, top int) (*Heterogeneity, error) {
	for m, x := range w {
		if !slices.Contains(agreement.Measures, m) {
			return nil, fmt.Errorf("scope: heterogeneity: unknown measure %q", m)
		}
		if x < 0 {
			return nil, fmt.Errorf("scope: heterogeneity: weight of %s is %v, want ≥ 0", m, x)
		}
	}
	a := in.Agreement
	h := &Heterogeneity{Agreement: a.ID, Illustrative: a.Illustrative, AsOf: in.AsOf, Measures: agreement.Measures, Weights: w,
		Parties: []string{}, Pairs: []PairSummary{}, Cells: []Cell{}, Notes: []string{}}
	var profiled []*agreement.Party
	for i := range a.Parties {
		p := &a.Parties[i]
		h.Parties = append(h.Parties, p.ID)
		if len(p.Standards) > 0 {
			profiled = append(profiled, p)
		} else {
			h.Notes = append(h.Notes, fmt.Sprintf("party %s records no standard: every measure is unknown for it, and no index is computed for its pairs", p.ID))
		}
	}
	floors := a.Floors()
	for i, p := range profiled {
		for _, q := range profiled[i+1:] {
			s := PairSummary{A: p.ID, B: q.ID}
			var sum float64
			for _, f := range floors {
				c := cellOf(p, q, f.Mineral, f.Stage, w)
				h.Cells = append(h.Cells, c)
				s.Cells++
				if c.Index == nil {
					continue
				}
				s.Defined++
				sum += *c.Index
				if s.Max == nil || *c.Index > *s.Max {
					s.Max = ptr(*c.Index)
				}
			}
			if s.Defined > 0 {
				s.Mean = ptr(sum / float64(s.Defined))
			}
			h.Pairs = append(h.Pairs, s)
		}
	}
	arb := slices.DeleteFunc(slices.Clone(h.Cells), func(c Cell) bool { return c.Index == nil || *c.Index == 0 })
	slices.SortStableFunc(arb, func(x, y Cell) int {
		return cmp.Or(cmp.Compare(*y.Index, *x.Index), cmp.Compare(y.Compared, x.Compared))
	})
	h.Arbitrage = arb[:min(top, len(arb))]
	return h, nil
}

// cellOf compares the profiles of p and q for mineral at stage.
func cellOf(p, q *agreement.Party, mineral string, stage registry.Stage, w Weights) Cell {
	c := Cell{A: p.ID, B: q.ID, Mineral: mineral, Stage: stage, Differ: []agreement.Measure{}, Unknown: []agreement.Measure{}}
	var num, den float64
	for _, m := range agreement.Measures {
		wm, ok := w[m]
		if !ok || wm == 0 {
			continue
		}
		xa, ka := p.Holds(m, mineral, stage)
		xb, kb := q.Holds(m, mineral, stage)
		if !ka || !kb {
			c.Unknown = append(c.Unknown, m)
			continue
		}
		c.Compared++
		den += wm
		if xa != xb {
			num += wm
			c.Differ = append(c.Differ, m)
		}
	}
	if den > 0 {
		c.Index = ptr(num / den)
	}
	return c
}
