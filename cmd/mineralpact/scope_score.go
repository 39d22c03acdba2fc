package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"

	scopedata "github.com/mineralpact/mineralpact/data/scope"
	"github.com/mineralpact/mineralpact/internal/scope"
)

// scopeScoreOptions are `scope score`: the criticality of the minerals of the
// 2025 list for the world, the United States and the zone of the agreement
// in force on a date (docs/scope.md).
type scopeScoreOptions struct {
	agreement string
	basis     string
	mineral   string
	asOf      dateOption
	format    formatOption
	only      scope.Basis
}

func (o *scopeScoreOptions) bind(fs *flag.FlagSet) {
	agreementFlag(fs, &o.agreement)
	fs.StringVar(&o.basis, "basis", "", "only this basis: world, us or zone (default every basis)")
	fs.StringVar(&o.mineral, "mineral", "", "only this mineral")
	o.asOf.bind(fs, "as-of", "date (YYYY-MM-DD) of the zone: the parties in force (default the entry into force)")
	o.format.bind(fs, "table", "json", "csv")
}

func (o *scopeScoreOptions) validate(pos []string) error {
	if err := firstError(noArgs(pos), o.format.validate(), o.asOf.optional()); err != nil {
		return err
	}
	if o.basis != "" {
		b, err := scope.ParseBasis(o.basis)
		if err != nil {
			return usagef("--basis %q: want world, us or zone", o.basis)
		}
		o.only = b
	}
	return nil
}

func (o *scopeScoreOptions) run(_ context.Context, s streams) error {
	env, err := loadEnv(o.agreement)
	if err != nil {
		return err
	}
	data, err := scope.Gather(env.reg)
	if err != nil {
		return err
	}
	if data.Importance, err = scope.LoadImportance(scopedata.FS, env.reg); err != nil {
		return err
	}
	out, err := data.Card(env.agreement, env.reg, o.asOf.date, o.only, o.mineral)
	if err != nil {
		return err
	}
	switch o.format.name {
	case "json":
		return writeJSON(s.out, out)
	case "csv":
		if out.AsOfDefault {
			fmt.Fprintf(s.err, "note: the zone is agreement %s as in force on %s, its entry into force (--as-of not given)\n", out.Agreement, out.AsOf)
		}
		t := scopeTable(out.Report, false)
		return t.writeCSV(s.out)
	}
	writeScopeHeader(s, out)
	t := scopeTable(out.Report, forPeople(s, o.format.name))
	t.header = upper(t.header)
	if err := t.write(s); err != nil {
		return err
	}
	fmt.Fprintln(s.out, "every row assumes t = 1, EOL_RIR = 0, SI_SR = 1 and the global supply as the sourcing mix; EV is not computed, economic importance only for the minerals whose end uses are shipped (--format json: economic_importance); the zone has no trade exposure (docs/scope.md)")
	return nil
}

// writeScopeHeader says what the zone is, and whether its date was chosen
// for the user.
func writeScopeHeader(s streams, r *scope.Scorecard) {
	il := illustrativeMark(r.Illustrative)
	when := asOfText(r.AsOf, r.AsOfDefault)
	fmt.Fprintf(s.out, "zone: agreement %s%s in force on %s: %d parties, %d countries (%s)\n",
		r.Agreement, il, when, len(r.Parties), r.Countries, strings.Join(r.Parties, " "))
	fmt.Fprintf(s.out, "supply risk: EU (European Commission 2017), USGS (Nassar and Fortier 2021); MCS 2026 production, WGI %d; secure supply carries no risk\n", r.WGIYear)
}

// scopeHeader is the columns of `scope score` as a table or CSV: one row per
// mineral, production table and basis.
var scopeHeader = []string{"mineral", "stage", "table", "basis", "eu_sr", "eu_sr_us_sourcing", "usgs_dp", "usgs_te", "usgs_sr", "zone_production", "zone_reserves", "flags"}

// scopeTable is the report as rows; human: figures as people read them
// (indices to two decimals, shares in percent), else exact.
func scopeTable(r *scope.Report, human bool) *table {
	t := &table{header: scopeHeader, right: []int{4, 5, 6, 7, 8, 9, 10}}
	index := func(x *float64) string { return indexText(x, human) }
	share := func(x *float64) string {
		switch {
		case x == nil:
			return "-"
		case human:
			return formatFloat(*x*100, 1) + "%"
		}
		return strconv.FormatFloat(*x, 'f', -1, 64)
	}
	for _, m := range r.Minerals {
		if len(m.Stages) == 0 {
			for _, b := range m.Summary {
				t.add(m.Mineral, "-", "-", string(b.Basis), "-", "-", "-", "-", "-", "-", "-", "no_table")
			}
			continue
		}
		for _, st := range m.Stages {
			label := st.Table
			if human && len([]rune(label)) > 40 {
				label = string([]rune(label)[:39]) + "…"
			}
			flags := strings.Join(st.Flags(), ",")
			for _, b := range st.Bases {
				t.add(m.Mineral, string(st.Stage), label, string(b.Basis), index(b.EUSR), index(b.EUSRSourcing),
					index(b.USGSDP), index(b.USGSTE), index(b.USGSSR), share(st.ZoneProduction), share(st.ZoneReserves), flags)
			}
		}
	}
	return t
}
