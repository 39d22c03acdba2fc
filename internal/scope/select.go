package scope

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/suggest"
)

// ParseBasis reads a basis by name: world, us or zone.
func ParseBasis(s string) (Basis, error) {
	if b := Basis(s); slices.Contains(Bases, b) {
		return b, nil
	}
	return "", &problem.Error{Code: problem.Invalid, Field: "basis",
		Message: fmt.Sprintf("basis %q: want world, us or zone", s)}
}

// Only returns the part of the report on one basis ("" for every basis) and
// one mineral ("" for every mineral). The slices it filters are new; the
// rest is shared with r. A mineral the report does not score is not found.
func (r *Report) Only(basis Basis, mineral string) (*Report, error) {
	out := &Report{WGIYear: r.WGIYear, Zone: slices.Clone(r.Zone), Minerals: make([]Result, 0, len(r.Minerals))}
	for _, m := range r.Minerals {
		if mineral != "" && m.Mineral != mineral {
			continue
		}
		m.Summary = keepBasis(m.Summary, basis, func(s Summary) Basis { return s.Basis })
		m.Stages = slices.Clone(m.Stages)
		for i := range m.Stages {
			m.Stages[i].Bases = keepBasis(m.Stages[i].Bases, basis, func(b BasisResult) Basis { return b.Basis })
		}
		out.Minerals = append(out.Minerals, m)
	}
	if mineral != "" && len(out.Minerals) == 0 {
		ids := make([]string, len(r.Minerals))
		for i, m := range r.Minerals {
			ids[i] = m.Mineral
		}
		return nil, &problem.Error{Code: problem.NotFound, Field: "mineral",
			Message: fmt.Sprintf("%q is not on the 2025 list the scope report scores%s", mineral, suggest.DidYouMean(suggest.Near(mineral, ids)))}
	}
	return out, nil
}

func keepBasis[T any](xs []T, basis Basis, of func(T) Basis) []T {
	out := make([]T, 0, len(xs))
	for _, x := range xs {
		if basis == "" || of(x) == basis {
			out = append(out, x)
		}
	}
	return out
}

// Flags are short names for the inputs of a stage that are missing or not
// as printed, beyond those every stage assumes (t, EOL_RIR, SI_SR, the
// sourcing mix as the global supply; no EV, no zone trade exposure), for a
// table's flag column. The stage's Missing and Inputs say the rest.
//
//	group          the rare-earth group's figures stand for the element
//	withheld:N     N producers printed W or NA: left out of every sum
//	other          a share of world production attributed to no country
//	wgi_assumed    a producer without a WGI score, assumed 5
//	nir_bound      the U.S. net import reliance is a bound (">50")
//	no_nir         no U.S. net import reliance: no U.S. TE or USGS SR
//	no_imports     no U.S. import sources: no sourcing variant
//	no_reserves    no world reserves: no zone reserve share
//	not_scored     no world production figure: nothing computed
func (st *StageResult) Flags() []string {
	var flags []string
	if st.Group {
		flags = append(flags, "group")
	}
	var withheld int
	var other, wgi, nir, imports, reserves, world bool
	for _, m := range st.Missing {
		switch {
		case strings.HasPrefix(m.Input, "production of ") && m.Input != "production of the element":
			withheld++
		case strings.HasPrefix(m.Input, "producers of "):
			other = true
		case strings.HasPrefix(m.Input, "WGI of ") && !strings.HasSuffix(m.Input, "(U.S. import source)"):
			wgi = true
		case m.Input == "U.S. net import reliance":
			nir = true
		case m.Input == "U.S. import sources":
			imports = true
		case m.Input == "world reserves":
			reserves = true
		case m.Input == "world production":
			world = true
		}
	}
	if world {
		return append(flags, "not_scored")
	}
	if withheld > 0 {
		flags = append(flags, "withheld:"+strconv.Itoa(withheld))
	}
	if other {
		flags = append(flags, "other")
	}
	if wgi {
		flags = append(flags, "wgi_assumed")
	}
	for _, in := range st.Inputs {
		if in.Name == "U.S. net import reliance 2025" && in.Quality == "bound" {
			flags = append(flags, "nir_bound")
		}
	}
	if nir {
		flags = append(flags, "no_nir")
	}
	if imports {
		flags = append(flags, "no_imports")
	}
	if reserves {
		flags = append(flags, "no_reserves")
	}
	return flags
}
