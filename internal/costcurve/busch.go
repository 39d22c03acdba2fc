package costcurve

import (
	"bytes"
	"fmt"
	"io/fs"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// BuschFile is the deposit table of Busch et al. (2024), under the data directory.
const BuschFile = "busch-lithium-deposits/Deposit.csv"

// The columns of BuschFile the curve reads.
const (
	buschCostColumn = "cost1"         // USD per t Li, 2022 USD, first resource tranche, with tax
	buschProdColumn = "prod_rate2025" // kt Li per year in 2025
	// buschCostSourceColumn says how a deposit's cost was obtained: "Report"
	// (a company or technical report), "Quantile" or "Regression" (imputed
	// by Busch et al. where no cost was reported).
	buschCostSourceColumn = "cost_source"
)

// BuschCostSources are the values of the cost_source column, each with what
// it means for the quality of the cost.
var BuschCostSources = map[string]struct {
	Imputed bool
	Meaning string
}{
	"Report":     {false, "reported in a company or technical report"},
	"Quantile":   {true, "imputed by Busch et al. from a quantile of the reported costs (no cost reported)"},
	"Regression": {true, "imputed by Busch et al.'s regression on deposit characteristics (no cost reported)"},
}

// buschSource is the one-line Source of the Busch curve.
const buschSource = "Busch et al. (2024), pmbusch/Critical-Minerals-EV, data/" + BuschFile +
	": capacity = " + buschProdColumn + " × 1000 (kt Li/yr → t Li/yr), cost = " + buschCostColumn +
	" (USD/t Li, 2022 USD, first resource tranche, with tax; partly regression-imputed, see cost_source)"

// kiloTonnes turns kt into t.
var kiloTonnes = dec.FromInt(1000)

// loadBusch builds the lithium curve from the deposits producing in 2025.
//
// Cost is cost1, the deposit's cost of extracting its first resource tranche
// (the reserve, the cheapest part; cost2 and cost3 are the demonstrated and
// inferred resources that would be mined later at higher cost). Busch et al.
// give it with corporate tax and royalties included (cost1_noTax excludes
// them): the floor is meant to cover what a producer must pay to keep
// producing, and tax is part of that, as in the C1 convention that counts
// royalties. A deposit producing in 2025 mines its first tranche, so cost1 is
// its current cost.
func loadBusch(fsys fs.FS, names countryNames) (*Curve, error) {
	file := "data/" + BuschFile
	b, err := fs.ReadFile(fsys, BuschFile)
	if err != nil {
		return nil, &problem.Error{Code: problem.Internal, Pos: problem.Pos{File: file}, Message: "cannot read the file", Err: err}
	}
	var errs problem.List
	t, err := newCSVTable(file, bytes.NewReader(b), 0, &errs, "d", "Country", "Deposit_Name", buschCostColumn, buschProdColumn, buschCostSourceColumn)
	if err != nil {
		return nil, err
	}
	c := &Curve{Name: Busch, Mineral: "lithium", Stage: "mined", Unit: "t", Currency: "USD", Year: 2022, Source: buschSource}
	seen := make(map[string]int)
	for row, ok := t.next(); ok; row, ok = t.next() {
		id := row.str("d")
		if id == "" {
			row.errorf("d", "is empty, want the deposit number")
			continue
		}
		if l, dup := seen[id]; dup {
			row.errorf("d", "deposit %s is listed twice (first on line %d)", id, l)
			continue
		}
		seen[id] = row.line
		prod := row.str(buschProdColumn)
		if prod == "" || prod == "NA" {
			continue // not producing: NA and empty mean no production in 2025
		}
		kt, err := dec.Parse(prod)
		if err != nil {
			row.errorf(buschProdColumn, "%q is not a decimal number or NA", prod)
			continue
		}
		if kt.Sign() < 0 {
			row.errorf(buschProdColumn, "%s is negative", prod)
			continue
		}
		if kt.IsZero() {
			continue
		}
		costSource := row.str(buschCostSourceColumn)
		if _, known := BuschCostSources[costSource]; !known {
			row.errorf(buschCostSourceColumn, "%q is not Report, Quantile or Regression", costSource)
			continue
		}
		cost, ok := row.positive(buschCostColumn)
		country, known := names.code(row.str("Country"))
		if !known {
			row.errorf("Country", "%q has no ISO alpha-2 code: add it to countryAliases in package costcurve (countries.go)", row.str("Country"))
		}
		if !ok || !known {
			continue
		}
		c.Producers = append(c.Producers, Producer{
			ID:         "busch-" + id,
			Name:       row.str("Deposit_Name"),
			Country:    country,
			Capacity:   kt.Mul(kiloTonnes),
			Cost:       cost,
			CostSource: costSource,
		})
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if len(c.Producers) == 0 {
		return nil, &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: file}, Field: buschProdColumn,
			Message: fmt.Sprintf("no deposit produces in 2025 (%s > 0)", buschProdColumn)}
	}
	return c, nil
}
