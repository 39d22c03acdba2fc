package projects

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// EncodePipeline writes p as a pipeline file, each project preceded by its
// comment (comments[i], may be empty) and the file by header's lines as
// comments. It writes the fields a converter sets; DecodePipeline reads it
// back to p.
func EncodePipeline(w io.Writer, p *Pipeline, header []string, comments []string) error {
	var b strings.Builder
	for _, h := range header {
		fmt.Fprintf(&b, "# %s\n", h)
	}
	fmt.Fprintf(&b, "version: %d\nid: %s\n", p.Version, yamlString(p.ID))
	if p.Title != "" {
		fmt.Fprintf(&b, "title: %s\n", yamlString(p.Title))
	}
	fmt.Fprintf(&b, "currency: %s\n", p.Currency)
	if p.Illustrative {
		b.WriteString("illustrative: true\n")
	}
	if p.Notice != "" {
		fmt.Fprintf(&b, "notice: %s\n", yamlString(p.Notice))
	}
	if p.DiscountRate != 0 {
		fmt.Fprintf(&b, "discount_rate: %s\n", num(p.DiscountRate))
	}
	if p.CountryRisk != "" {
		fmt.Fprintf(&b, "country_risk: %s\n", p.CountryRisk)
	}
	if p.PublicDiscountRate != 0 {
		fmt.Fprintf(&b, "public_discount_rate: %s\n", num(p.PublicDiscountRate))
	}
	if len(p.Prices) > 0 {
		b.WriteString("prices:\n")
		for _, m := range p.Prices {
			fmt.Fprintf(&b, "  - mineral: %s\n    stage: %s\n    spot: %s\n", m.Mineral, m.Stage, num(m.Spot))
			if m.Drift != 0 {
				fmt.Fprintf(&b, "    drift: %s\n", num(m.Drift))
			}
			fmt.Fprintf(&b, "    volatility: %s\n", num(m.Volatility))
			writeSources(&b, "    ", m.Sources)
		}
	}
	b.WriteString("projects:\n")
	for i, pr := range p.Projects {
		if i < len(comments) && comments[i] != "" {
			fmt.Fprintf(&b, "  # %s\n", comments[i])
		}
		fmt.Fprintf(&b, "  - id: %s\n    name: %s\n    mineral: %s\n    stage: %s\n    country: %s\n", yamlString(pr.ID), yamlString(pr.Name), pr.Mineral, pr.Stage, pr.Country)
		if pr.Owner != "" {
			fmt.Fprintf(&b, "    owner: %s\n", yamlString(pr.Owner))
		}
		if pr.OwnerID != "" {
			fmt.Fprintf(&b, "    owner_id: %s\n", yamlString(pr.OwnerID))
		}
		fmt.Fprintf(&b, "    capacity: {per_year: %s, unit: %s", num(pr.Capacity.PerYear), pr.Capacity.Unit)
		if len(pr.Capacity.RampUp) > 0 {
			fmt.Fprintf(&b, ", ramp_up: %s", nums(pr.Capacity.RampUp))
		}
		fmt.Fprintf(&b, "}\n    capital: {total: %s", num(pr.Capital.Total))
		if len(pr.Capital.Schedule) > 0 {
			fmt.Fprintf(&b, ", schedule: %s", nums(pr.Capital.Schedule))
		}
		fmt.Fprintf(&b, "}\n    unit_opex: %s\n", num(pr.UnitOpex))
		if pr.SustainingCapex != 0 {
			fmt.Fprintf(&b, "    sustaining_capex: %s\n", num(pr.SustainingCapex))
		}
		fmt.Fprintf(&b, "    life_years: %d\n    lead_time_years: %d\n", pr.LifeYears, pr.LeadTimeYears)
		if pr.DiscountRate != 0 {
			fmt.Fprintf(&b, "    discount_rate: %s\n", num(pr.DiscountRate))
		}
		if pr.Royalty.AdValorem != 0 {
			fmt.Fprintf(&b, "    royalty: {ad_valorem: %s}\n", num(pr.Royalty.AdValorem))
		}
		if pr.Tax.Rate != 0 {
			fmt.Fprintf(&b, "    tax: {rate: %s, depreciation_years: %d}\n", num(pr.Tax.Rate), pr.Tax.DepreciationYears)
		}
		writeSources(&b, "    ", pr.Sources)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeSources(b *strings.Builder, indent string, ss []Source) {
	if len(ss) == 0 {
		return
	}
	fmt.Fprintf(b, "%ssources:\n", indent)
	for _, s := range ss {
		fmt.Fprintf(b, "%s  - {text: %s, date: %s}\n", indent, strconv.Quote(s.Text), s.Date)
	}
}

func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

func nums(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = num(x)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
