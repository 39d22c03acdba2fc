package projects

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// The lithium deposits of Busch et al. (2024) as a pipeline
// (docs/projects.md, "Shipped pipelines"): each deposit is the project of
// building it from its 2025 production to the maximum production Busch et
// al. allow it, at their expansion and opening costs, ramped up at their
// largest yearly increase, from the year their status allows.

// BuschValuationYear is the calendar year of year 0 of the Busch pipeline:
// Busch et al.'s delays count from 2022.
const BuschValuationYear = 2026

// buschPrice is the lithium price Busch et al. assume when they add royalty
// and corporate tax to a deposit's cost: 20,000 USD/t LCE × 5.323 t LCE per
// t Li (their 02-DepositParameters.R, li_price).
const buschPrice = 20000 * 5.323

// Converter choices, stated in the file and the docs.
const (
	buschMaxLife      = 30 // years: a longer life adds little at any hurdle rate above 5%
	buschDepreciation = 10 // years, straight line
)

// buschColumns are the columns of Deposit.csv the conversion reads.
var buschColumns = []string{"d", "Country", "Deposit_Name", "Resource_Type", "Status", "Status_Delay", "all_resource", "max_prod_rate", "max_ramp_up",
	"prod_rate2025", "cost_expansion", "cost_opening", "cost_source", "cost1", "cost1_noTax", "delay_years", "Corporate_Tax_Rate"}

// BuschPipeline converts Busch et al.'s Deposit.csv (file names it in
// sources and errors) into projects, one per deposit that can still add
// capacity. A country name the registry does not know, or a number that
// does not parse, is an error at its line and column.
func BuschPipeline(file string, data []byte, reg *registry.Registry) ([]Project, []string, error) {
	r := csv.NewReader(bytes.NewReader(data))
	head, err := r.Read()
	if err != nil {
		return nil, nil, problem.Errorf(problem.Invalid, "%s: no header: %v", file, err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	for _, c := range buschColumns {
		if _, ok := col[c]; !ok {
			return nil, nil, problem.Errorf(problem.Invalid, "%s: no column %q", file, c)
		}
	}
	var out []Project
	var comments []string
	var l problem.List
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, problem.Errorf(problem.Invalid, "%s:%d: %v", file, line, err)
		}
		str := func(c string) string { return rec[col[c]] }
		num := func(c string) float64 {
			v, err := strconv.ParseFloat(str(c), 64)
			if err != nil || math.IsNaN(v) {
				l.Add(problem.Pos{File: file, Line: line}, c, "%q is not a number", str(c))
			}
			return v
		}
		country, ok := reg.CountryCode(str("Country"))
		if !ok {
			l.Add(problem.Pos{File: file, Line: line}, "Country", "%q has no ISO alpha-2 code in the registry", str("Country"))
			continue
		}
		maxProd, ramp, now := num("max_prod_rate")*1000, num("max_ramp_up")*1000, num("prod_rate2025")*1000
		expansion, opening, resource := num("cost_expansion"), num("cost_opening"), num("all_resource")*1000
		opex, withTax, tax, delay := num("cost1_noTax"), num("cost1"), num("Corporate_Tax_Rate"), num("delay_years")
		added := maxProd - now
		if added <= 0 || ramp <= 0 || maxProd <= 0 {
			continue // already at its maximum: nothing to build
		}
		// Royalty: Busch et al. add royalty and tax at their price P* to the
		// cost (cost1 = cost1_noTax + royalty + tax × (P* − cost1_noTax)); what
		// is left over is the royalty, taken here as a share of revenue at P*.
		royalty := (withTax - opex - tax*(buschPrice-opex)) / buschPrice
		royalty = math.Max(0, math.Round(royalty*1e6)/1e6)
		lead := max(1, 2022+int(delay)-BuschValuationYear)
		life := min(buschMaxLife, max(1, int(resource/maxProd)))
		var rampUp []float64
		for i := 1; float64(i)*ramp < added && i < life; i++ {
			rampUp = append(rampUp, round(float64(i)*ramp/added, 6))
		}
		schedule := make([]float64, lead)
		schedule[lead-1] = 1
		id := "busch-" + str("d")
		pr := Project{ID: id, Name: str("Deposit_Name"), Mineral: "lithium", Stage: "mined", Country: country,
			Capacity:  Capacity{PerYear: round(added, 3), Unit: "t", RampUp: rampUp},
			Capital:   Capital{Total: math.Round(opening + expansion*added), Schedule: schedule},
			UnitOpex:  round(opex, 2),
			LifeYears: life, LeadTimeYears: lead,
			Royalty: Royalty{AdValorem: royalty},
			Tax:     Tax{Rate: tax, DepreciationYears: buschDepreciation},
			Sources: []Source{{Text: fmt.Sprintf("Busch et al. (2024), pmbusch/Critical-Minerals-EV, data/busch-lithium-deposits/Deposit.csv line %d (deposit %s, %s, %s, status %s, cost %s)",
				line, str("d"), str("Resource_Type"), str("Country"), str("Status_Delay"), str("cost_source")), Date: buschDate}},
		}
		why := ""
		if o, ok := buschOwners[str("d")]; ok {
			pr.Owner, pr.OwnerID, why = o.name, o.id, "; owner_id: "+o.why
		}
		out = append(out, pr)
		comments = append(comments, fmt.Sprintf("capacity = max_prod_rate %s − prod_rate2025 %s kt; capital = cost_opening %s + cost_expansion %s × capacity; royalty = (cost1 %s − cost1_noTax %s − tax × (P* − cost1_noTax)) / P*; lead = max(1, 2022 + delay_years %s − %d); life = min(%d, all_resource %s / max_prod_rate)",
			str("max_prod_rate"), str("prod_rate2025"), str("cost_opening"), str("cost_expansion"), str("cost1"), str("cost1_noTax"), str("delay_years"), BuschValuationYear, buschMaxLife, str("all_resource"))+why)
	}
	if err := l.Err(); err != nil {
		return nil, nil, err
	}
	return out, comments, nil
}

// buschOwners ties a Busch et al. deposit (its d) to its owner in the
// shipped ownership register (data/ownership), where the match is certain:
// the deposit is a facility of the register held in full by that entity,
// or Busch et al.'s deposit name names the owner and the register holds
// it. Joint ventures without one owning entity (Wodgina, Mt Marion) and
// owners the register does not hold are left out: the ranking then says
// the owner is not in the register.
var buschOwners = map[string]struct{ id, name, why string }{
	"1":  {"sqm", "Sociedad Química y Minera de Chile (SQM)", "the deposit's name names SQM"},
	"13": {"talison", "Talison Lithium Australia Pty Ltd", "data/ownership: the facility greenbushes is held 100% by talison"},
	"15": {"pilbara-minerals", "Pilbara Minerals Limited", "data/ownership: the facility pilgangoora is held 100% by pilbara-minerals"},
	"20": {"rio-tinto", "Rio Tinto", "the deposit's name names Rio Tinto"},
	"22": {"albemarle", "Albemarle Corporation", "the deposit's name names Albemarle"},
	"37": {"liontown", "Liontown Resources Limited", "data/ownership: the facility kathleen-valley is held by liontown"},
}

// buschDate is the date given to the Busch et al. data: the script that
// writes Deposit.csv (02-DepositParameters.R) is dated "March 2024"; the
// first of that month is taken.
var buschDate = date.MustParse("2024-03-01")

func round(x float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(x*p) / p
}

// yamlString quotes s for YAML when it needs it.
func yamlString(s string) string {
	if s == "" || strings.ContainsAny(s, ":#{}[],&*!|>'\"%@`") || strings.TrimSpace(s) != s {
		return strconv.Quote(s)
	}
	return s
}
