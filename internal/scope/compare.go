package scope

import (
	"io/fs"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// The published assessments our scores are compared with
// (data/scope/published_eu2023.csv and published_usgs2022.csv; their
// origin is in data/SOURCES.md). A published figure the project could not
// find is nil, never zero.

// PublishedEU is one material of the EU 2023 assessment. Minerals maps it
// to the minerals of our list (none: no counterpart; several: the EU
// assessed a group, e.g. the heavy rare earths, as one material).
type PublishedEU struct {
	Material   string   `json:"material"`
	Group      string   `json:"group,omitempty"`
	Minerals   []string `json:"our_minerals"`
	Critical   bool     `json:"critical_2023"`
	SR         *float64 `json:"supply_risk"`
	EI         *float64 `json:"economic_importance"`
	Source     string   `json:"source"`
	SourceDate string   `json:"source_date"`
	Note       string   `json:"note,omitempty"`
}

// PublishedUSGS is one mineral of our list against the USGS 2022 list.
// Evaluated is yes, no or unknown: whether the 2021 review scored it.
type PublishedUSGS struct {
	Mineral    string   `json:"mineral"`
	Listed     bool     `json:"listed_2022"`
	Evaluated  string   `json:"evaluated"`
	SR         *float64 `json:"supply_risk"`
	Source     string   `json:"source"`
	SourceDate string   `json:"source_date"`
	Note       string   `json:"note,omitempty"`
}

// Published holds both files.
type Published struct {
	EU   []PublishedEU   `json:"eu_2023"`
	USGS []PublishedUSGS `json:"usgs_2022"`
}

// LoadPublished reads the two files from fsys (data/scope's FS); every
// problem is reported at its file, line and column. Minerals are checked
// against the 2025 list of reg.
func LoadPublished(reg *registry.Registry, fsys fs.FS) (*Published, error) {
	onList := map[string]bool{}
	for _, m := range reg.Minerals() {
		if m.On2025 {
			onList[m.ID] = true
		}
	}
	var errs problem.List
	p := &Published{}
	yesNo := func(r csvRow, col string) bool {
		switch v := r.str(col); v {
		case "yes":
			return true
		case "no":
		default:
			r.errorf(col, "%q: want yes or no", v)
		}
		return false
	}
	num := func(r csvRow, col string) *float64 {
		v := r.str(col)
		if v == "" {
			return nil
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			r.errorf(col, "%q is not a number", v)
			return nil
		}
		return &f
	}
	sourced := func(r csvRow) {
		if r.str("source") == "" || r.str("source_date") == "" {
			r.errorf("source", "every row names its source and its date")
		}
	}
	err := csvRows(fsys, "published_eu2023.csv", "data/scope/published_eu2023.csv", &errs,
		[]string{"material", "group", "our_minerals", "critical_2023", "supply_risk", "economic_importance", "source", "source_date", "note"},
		func(r csvRow) {
			e := PublishedEU{Material: r.str("material"), Group: r.str("group"), Critical: yesNo(r, "critical_2023"),
				SR: num(r, "supply_risk"), EI: num(r, "economic_importance"),
				Source: r.str("source"), SourceDate: r.str("source_date"), Note: r.str("note")}
			sourced(r)
			if s := r.str("our_minerals"); s != "" {
				for _, id := range strings.Split(s, ";") {
					if !onList[id] {
						r.errorf("our_minerals", "%q is not a mineral of the 2025 list", id)
					}
					e.Minerals = append(e.Minerals, id)
				}
			}
			p.EU = append(p.EU, e)
		})
	if err != nil {
		return nil, err
	}
	err = csvRows(fsys, "published_usgs2022.csv", "data/scope/published_usgs2022.csv", &errs,
		[]string{"mineral", "listed_2022", "evaluated", "supply_risk", "source", "source_date", "note"},
		func(r csvRow) {
			u := PublishedUSGS{Mineral: r.str("mineral"), Listed: yesNo(r, "listed_2022"), Evaluated: r.str("evaluated"),
				SR: num(r, "supply_risk"), Source: r.str("source"), SourceDate: r.str("source_date"), Note: r.str("note")}
			if !onList[u.Mineral] {
				r.errorf("mineral", "%q is not a mineral of the 2025 list", u.Mineral)
			}
			if u.Evaluated != "yes" && u.Evaluated != "no" && u.Evaluated != "unknown" {
				r.errorf("evaluated", "%q: want yes, no or unknown", u.Evaluated)
			}
			sourced(r)
			p.USGS = append(p.USGS, u)
		})
	if err != nil {
		return nil, err
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return p, nil
}

// Spearman is Spearman's rank correlation coefficient of x and y (Spearman
// 1904, "The proof and measurement of association between two things",
// Am. J. Psychol. 15(1)): each series is replaced by its ranks, tied values
// taking the mean of the ranks they span, and ρ is Pearson's correlation of
// the ranks,
//
//	ρ = Σ (R_i − R̄)(S_i − S̄) / √( Σ (R_i − R̄)² · Σ (S_i − S̄)² ).
//
// Without ties this equals 1 − 6 Σ d_i² / (n (n² − 1)); with ties only the
// Pearson form is exact, so it is the one used. ok is false when there are
// fewer than three pairs or a series is constant (ρ undefined).
func Spearman(x, y []float64) (rho float64, ok bool) {
	n := len(x)
	if n != len(y) || n < 3 {
		return 0, false
	}
	r, s := ranks(x), ranks(y)
	mean := float64(n+1) / 2 // the mean rank, ties or not
	var sxy, sxx, syy float64
	for i := range r {
		dx, dy := r[i]-mean, s[i]-mean
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return 0, false
	}
	return sxy / math.Sqrt(sxx*syy), true
}

// ranks gives each value its rank from 1 (smallest), ties the mean rank.
func ranks(v []float64) []float64 {
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return v[idx[a]] < v[idx[b]] })
	out := make([]float64, len(v))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && v[idx[j+1]] == v[idx[i]] {
			j++
		}
		r := float64(i+j)/2 + 1 // positions i..j hold ranks i+1..j+1
		for k := i; k <= j; k++ {
			out[idx[k]] = r
		}
		i = j + 1
	}
	return out
}

// Correlation is one Spearman ρ and what it is over.
type Correlation struct {
	Of   string   `json:"of"`
	N    int      `json:"n"`
	Rho  *float64 `json:"rho"` // nil: fewer than three pairs, or a constant series
	Note string   `json:"note,omitempty"`
}

func correlation(of, note string, x, y []float64) Correlation {
	c := Correlation{Of: of, N: len(x), Note: note}
	if r, ok := Spearman(x, y); ok {
		c.Rho = ptr(round(r))
	}
	return c
}

// scored gathers a side's pairs for its two correlations: our score
// against the published one where both exist, and against the list.
type scored struct{ ox, px, lx, ly []float64 }

func (c *scored) add(ours float64, published *float64, listed bool) {
	c.lx, c.ly = append(c.lx, ours), append(c.ly, b2f(listed))
	if published != nil {
		c.ox, c.px = append(c.ox, ours), append(c.px, *published)
	}
}

// correlate sets the side's Scores (noting notFound when no published
// score was paired) and List.
func (c *scored) correlate(side *Side, scoresOf, notFound, listOf, listNote string) {
	side.Scores = correlation(scoresOf, notFound, c.ox, c.px)
	if len(c.ox) > 0 {
		side.Scores.Note = ""
	}
	side.List = correlation(listOf, listNote, c.lx, c.ly)
}

// The agreement of a published row with our flag.
const (
	AgreeBoth          = "both"           // critical and flagged by us
	AgreePublishedOnly = "published_only" // critical, not flagged by us
	AgreeOursOnly      = "ours_only"      // flagged by us, not critical
	AgreeNeither       = "neither"
	AgreeNotScored     = "not_scored" // we have no score for it
	AgreeNotMapped     = "not_mapped" // no mineral of our list
)

// CompareRow is one published material or mineral beside our score.
type CompareRow struct {
	Material    string   `json:"material"`
	Minerals    []string `json:"our_minerals"`
	Critical    bool     `json:"published_critical"`
	PublishedSR *float64 `json:"published_supply_risk"`
	PublishedEI *float64 `json:"published_economic_importance,omitempty"`
	OurSR       *float64 `json:"our_supply_risk"`
	OurMineral  string   `json:"our_scored_mineral,omitempty"` // whose score stands for the row
	Flagged     *bool    `json:"our_flag"`
	Agreement   string   `json:"agreement"`
	Gaps        []string `json:"gaps,omitempty"` // the named missing inputs that explain a disagreement
}

// Side is the comparison with one published assessment.
type Side struct {
	Assessment string         `json:"assessment"`
	Ours       string         `json:"our_score"`
	Threshold  float64        `json:"threshold"`
	Scores     Correlation    `json:"rank_correlation_scores"`
	List       Correlation    `json:"rank_correlation_list"`
	Counts     map[string]int `json:"counts"`
	Rows       []CompareRow   `json:"rows"`
	Notes      []string       `json:"notes"`
}

// Comparison is our scores against both published assessments.
type Comparison struct {
	EU   Side `json:"eu_2023"`
	USGS Side `json:"usgs_2022"`
}

// The named inputs that explain a gap (docs/scope.md, "Where the published
// assessments use inputs we do not ship").
const (
	gapEI       = "economic importance left out of this comparison (computed for eleven minerals only, on our scale: scope.Matrix): the EU lists a material only if EI ≥ 2.8 as well, and we compare on SR alone"
	gapRecycle  = "EOL_RIR and SI_SR not shipped (assumed 0 and 1): recycling and substitution lower the EU's SR, never ours"
	gapSourcing = "the EU's own sourcing mix and import reliance (Eurostat Comext, Prodcom) not shipped: we take the global supply as the sourcing"
	gapT        = "export restrictions t not shipped (assumed 1): the EU's t raises SR for restricted producers"
	gapYear     = "one year (2025) rather than the five-year average the EU uses"
	gapEV       = "economic vulnerability not shipped: our USGS SR is (DP × TE)^½, so 0.40 is not its threshold"
	gapUSYears  = "one year (2025) rather than the USGS's recency-weighted 2015–2018 mean"
	gapUSOther  = "the USGS list also names minerals on qualitative grounds (single point of failure: nickel; byproduct status) that no score gives"
)

// stageGaps names, per mineral, the stage or element the shipped tables
// lack (docs/scope.md).
var stageGaps = map[string]string{
	"gallium":   "refined gallium not in the shipped tables (scored at low-purity production)",
	"germanium": "no world production table in MCS 2026 (partial coverage)",
	"cobalt":    "cobalt refining not in the shipped tables (scored at the mine)",
	"lithium":   "lithium chemicals not in the shipped tables (scored at the mine)",
	"rare":      "rare-earth separation and element production not shipped: every element carries the group's mine figures",
}

// Compare joins the published rows to our report: the EU's SR against our
// world-basis EU supply risk at the bottleneck stage, and the USGS list
// against our U.S.-basis USGS supply risk. Pure: it reads only its
// arguments.
func Compare(r *Report, p *Published, reg *registry.Registry) Comparison {
	world, us := map[string]*float64{}, map[string]*float64{}
	group := map[string]string{}
	if reg != nil {
		for _, m := range reg.Minerals() {
			group[m.ID] = m.Group
		}
	}
	for _, m := range r.Minerals {
		for _, s := range m.Summary {
			switch s.Basis {
			case World:
				world[m.Mineral] = s.EUSR
			case US:
				us[m.Mineral] = s.USGSSR
			}
		}
	}
	return Comparison{EU: compareEU(p.EU, world, group), USGS: compareUSGS(p.USGS, us, group)}
}

func mineralGaps(ids []string, group map[string]string) []string {
	var out []string
	seen := map[string]bool{}
	for _, id := range ids {
		k := id
		if group[id] == registry.RareEarths {
			k = "rare"
		}
		if g, ok := stageGaps[k]; ok && !seen[k] {
			seen[k] = true
			out = append(out, g)
		}
	}
	return out
}

func agreeOf(critical bool, flagged *bool) string {
	switch {
	case flagged == nil:
		return AgreeNotScored
	case critical && *flagged:
		return AgreeBoth
	case critical:
		return AgreePublishedOnly
	case *flagged:
		return AgreeOursOnly
	}
	return AgreeNeither
}

func compareEU(rows []PublishedEU, world map[string]*float64, group map[string]string) Side {
	side := Side{Assessment: "EU 2023 (Study on the Critical Raw Materials for the EU 2023)", Ours: "eu_supply_risk, world basis, bottleneck stage",
		Threshold: EUSRThreshold, Counts: map[string]int{}}
	var pairs scored
	for _, e := range rows {
		row := CompareRow{Material: e.Material, Minerals: e.Minerals, Critical: e.Critical, PublishedSR: e.SR, PublishedEI: e.EI}
		// A group's score is that of its riskiest scored member: the EU
		// assesses the group as one material, and our members either share
		// the group's figures (rare earths) or are scored one by one (PGMs).
		for _, id := range e.Minerals {
			if s := world[id]; s != nil && (row.OurSR == nil || *s > *row.OurSR) {
				row.OurSR, row.OurMineral = ptr(*s), id
			}
		}
		switch {
		case len(e.Minerals) == 0:
			row.Agreement = AgreeNotMapped
		default:
			if row.OurSR != nil {
				f := *row.OurSR >= EUSRThreshold
				row.Flagged = &f
			}
			row.Agreement = agreeOf(e.Critical, row.Flagged)
		}
		switch row.Agreement {
		case AgreePublishedOnly:
			row.Gaps = append(mineralGaps(e.Minerals, group), gapSourcing, gapT, gapYear)
		case AgreeOursOnly:
			row.Gaps = []string{gapEI, gapRecycle, gapSourcing}
		case AgreeNotScored:
			row.Gaps = []string{"no usable world production table in the shipped MCS 2026 data (docs/scope.md, the mineral's missing)"}
		case AgreeNotMapped:
			row.Gaps = []string{"not a mineral of our list (the USGS 2025 list)"}
		}
		if row.OurSR != nil {
			pairs.add(*row.OurSR, e.SR, e.Critical)
		}
		side.Counts[row.Agreement]++
		side.Rows = append(side.Rows, row)
	}
	pairs.correlate(&side, "our SR against the published SR", "published SR values not found: see data/SOURCES.md",
		"our SR against the list (critical 1, not critical 0)",
		"a rank-biserial reading: how far our ranking puts the listed materials above the others; ties by mean rank")
	side.Notes = []string{
		"SR-only: our economic importance covers eleven minerals on our own scale (scope.Matrix), so our flag here is SR ≥ 1.0 while the list needs SR ≥ 1.0 and EI ≥ 2.8",
		"a group (PGMs, heavy and light rare earths) is scored by its riskiest scored member",
	}
	return side
}

func compareUSGS(rows []PublishedUSGS, us map[string]*float64, group map[string]string) Side {
	side := Side{Assessment: "USGS 2022 list of critical minerals (87 FR 10381; Nassar and Fortier 2021)", Ours: "usgs_supply_risk (DP × TE)^½, US basis",
		Threshold: USGSThreshold, Counts: map[string]int{}}
	var pairs scored
	for _, u := range rows {
		row := CompareRow{Material: u.Mineral, Minerals: []string{u.Mineral}, Critical: u.Listed, PublishedSR: u.SR, OurSR: us[u.Mineral]}
		if row.OurSR != nil {
			row.OurSR = ptr(*row.OurSR)
			row.OurMineral = u.Mineral
			f := *row.OurSR >= USGSThreshold
			row.Flagged = &f
		}
		row.Agreement = agreeOf(u.Listed, row.Flagged)
		if u.Evaluated == "no" {
			row.Agreement = AgreeNotScored
			row.Gaps = []string{"not evaluated by the USGS: " + u.Note}
		}
		switch row.Agreement {
		case AgreePublishedOnly:
			row.Gaps = mineralGaps(row.Minerals, group)
			if *row.OurSR == 0 {
				row.Gaps = append(row.Gaps, "MCS 2026 prints the United States as a net exporter (E) in 2025: trade exposure 0, so our score is 0")
			}
			row.Gaps = append(row.Gaps, gapEV, gapUSYears, gapUSOther)
		case AgreeOursOnly:
			row.Gaps = []string{gapEV, gapUSYears}
		case AgreeNotScored:
			if u.Evaluated != "no" {
				row.Gaps = []string{"no U.S. trade exposure or no world production table in the shipped MCS 2026 data (docs/scope.md, the mineral's missing)"}
			}
		}
		if row.OurSR != nil && u.Evaluated != "no" {
			pairs.add(*row.OurSR, u.SR, u.Listed)
		}
		side.Counts[row.Agreement]++
		side.Rows = append(side.Rows, row)
	}
	pairs.correlate(&side, "our USGS SR against Nassar and Fortier's", "published supply-risk scores not found: see data/SOURCES.md",
		"our USGS SR against the list (listed 1, not 0)",
		"a rank-biserial reading over the minerals we score; ties by mean rank")
	side.Notes = []string{
		"our USGS SR lacks economic vulnerability, so the 0.40 flag is indicative only; the ranking is what compares",
		"the 2022 list is closed: a mineral not on it is not critical, whether or not it was evaluated",
	}
	return side
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
