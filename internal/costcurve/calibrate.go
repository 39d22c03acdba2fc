package costcurve

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// Request names a generated curve: what `mineralpact gen costcurve` is asked.
type Request struct {
	Mineral, Stage string
	Unit           string      // registry unit of contained mineral; "" for the rule's default
	Seed           uint64      // PCG seed
	Ratio          dec.Decimal // weighted mean cash cost ÷ reference price; zero for DefaultRatio
}

// DefaultSeed and DefaultRatio are the seed and ratio of every committed curve.
//
// The ratio is an assumption, not a measured figure: industry cash-cost curves
// (the C1 convention of Brook Hunt, now Wood Mackenzie: mining, processing,
// site G&A, freight, treatment charges and royalties, less by-product credits)
// put the production-weighted average cash cost well below the price in a
// mid-cycle market, since the price must also cover sustaining capital,
// depreciation and the return on capital of the marginal producer. We take
// 0.70 as a round figure for a curve whose 75th-80th percentile sits near the
// price; docs/costcurves.md says so.
const (
	DefaultSeed  = 2026
	DefaultRatio = "0.70"
)

// Command returns the command line that regenerates the curve.
func (q Request) Command() string {
	return fmt.Sprintf("mineralpact gen costcurve --mineral %s --stage %s --seed %d --unit %s --ratio %s", q.Mineral, q.Stage, q.Seed, q.Unit, q.Ratio)
}

// Recorded lists the committed generated curves, data/costcurves/<mineral>-<stage>.csv:
// every cost_curve stage with `curve: generated` in examples/pact-2026.yaml, in
// the unit of that stage. A test regenerates each and compares the bytes.
var Recorded = []Request{
	recorded("antimony", "mined", "t"),
	recorded("cobalt", "mined", "t"),
	recorded("dysprosium", "processed", "kg"),
	recorded("graphite", "mined", "t"),
	recorded("manganese", "mined", "t"),
	recorded("nickel", "mined", "t"),
	recorded("terbium", "processed", "kg"),
	recorded("tin", "mined", "t"),
}

func recorded(mineral, stage, unit string) Request {
	return Request{Mineral: mineral, Stage: stage, Unit: unit, Seed: DefaultSeed, Ratio: dec.MustParse(DefaultRatio)}
}

// FileName returns the path under the data directory of the generated curve
// of a mineral and stage: "costcurves/cobalt-mined.csv".
func FileName(mineral, stage string) string {
	return "costcurves/" + mineral + "-" + stage + ".csv"
}

// rule says how a mineral's MCS chapter calibrates its generated curve.
type rule struct {
	unit string // default curve unit
	// series selects the MCS price series: a text that must occur in exactly
	// one series' section | subsection | label | unit (case-insensitive).
	series string
	why    string // why this series
	// hsContent, when set, is the HS code whose registry content turns the
	// chapter's gross tonnage and gross price into contained mineral.
	hsContent string
	// share, when set, is the mass of the element per mass of the chapter's
	// production (rare-earth oxide), an assumption stated in shareNote.
	share     string
	shareNote string
	// price, when set, replaces the MCS price: per kg of element, USD, an
	// assumption stated in priceNote (MCS 2026 gives no Dy or Tb price).
	price     string
	priceYear int
	priceNote string
}

// rules are the minerals the generator can calibrate. Where a chapter gives
// several price series, the international exchange price (LME cash) is
// preferred to a US dealer price, being the price the world's mines sell
// against.
var rules = map[string]rule{
	"antimony/mined": {unit: "t", series: "Price, metal, average", why: "the chapter's only price: antimony metal 99.65%, CIF (Argus)"},
	"cobalt/mined":   {unit: "t", series: "London Metal Exchange (LME), cash", why: "LME cash cobalt, the international benchmark (the other series is the US spot cathode price)"},
	"graphite/mined": {unit: "t", series: "Flake", hsContent: "250410",
		why: "average unit value of US imports of flake graphite, the grade of battery anodes (lump and amorphous are the others)"},
	"manganese/mined": {unit: "t", series: "manganese content", why: "the chapter's only price: metallurgical ore, 44% Mn, CIF China, per metric ton unit of Mn (CRU)"},
	"nickel/mined":    {unit: "t", series: "Dollars per metric ton", why: "LME cash nickel per metric ton (the same series per pound is not used)"},
	"tin/mined":       {unit: "t", series: "London Metal Exchange (LME), cash", why: "LME cash tin, the international benchmark (the other series is the New York dealer price)"},
	"dysprosium/processed": {unit: "kg", share: "0.005",
		shareNote: "Dy share of rare-earth-oxide production = 0.005 kg Dy per kg REO, uniform across countries, mine output taken as separated in the mining country (assumption: about 2,000 t Dy a year out of 390,000 t REO; real Dy comes mostly from ionic clays in China and Burma, so the share overstates bastnäsite and monazite producers)",
		price:     "300", priceYear: 2025,
		priceNote: "reference price 300 USD/kg Dy (assumption: MCS 2026 lists no Dy price; about 260 USD/kg Dy2O3, the order of 2024-2025 China oxide quotations, ÷ 0.871 kg Dy per kg Dy2O3)"},
	"terbium/processed": {unit: "kg", share: "0.001",
		shareNote: "Tb share of rare-earth-oxide production = 0.001 kg Tb per kg REO, uniform across countries, mine output taken as separated in the mining country (assumption: about 400 t Tb a year out of 390,000 t REO; real Tb comes mostly from ionic clays in China and Burma)",
		price:     "1200", priceYear: 2025,
		priceNote: "reference price 1200 USD/kg Tb (assumption: MCS 2026 lists no Tb price; about 1,000 USD/kg Tb4O7, the order of 2024-2025 China oxide quotations, ÷ 0.850 kg Tb per kg Tb4O7)"},
}

// Generatable lists the mineral/stage pairs ParamsFor can calibrate, sorted.
func Generatable() []string {
	out := make([]string, 0, len(rules))
	for k := range rules {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// ParamsFor builds the generator's parameters for q from the USGS MCS 2026
// chapter of the mineral: the 2025 production of each country (rows whose
// figure USGS withholds or lacks are skipped and named in the calibration;
// "Other countries" becomes producers of country ZZ), converted to q.Unit of
// contained mineral, and the chapter's price series chosen by the mineral's
// rule for the latest year, converted to q.Unit exactly through the registry's
// units. Missing MCS figures are an error, never a zero.
func ParamsFor(reg *registry.Registry, q Request) (Params, error) {
	key := q.Mineral + "/" + q.Stage
	r, ok := rules[key]
	if !ok {
		return Params{}, &problem.Error{Code: problem.NotFound, Field: "mineral",
			Message: fmt.Sprintf("no generator calibration for %s; the generator knows %s", key, strings.Join(Generatable(), ", "))}
	}
	if q.Unit == "" {
		q.Unit = r.unit
	}
	if q.Ratio.IsZero() {
		q.Ratio = dec.MustParse(DefaultRatio)
	}
	unit, err := reg.Unit(q.Unit)
	if err != nil {
		return Params{}, err
	}
	if unit.Dimension != registry.Mass {
		return Params{}, &problem.Error{Code: problem.Invalid, Field: "unit", Message: fmt.Sprintf("%s is not a unit of mass", q.Unit)}
	}
	q.Unit = unit.Code
	ch, err := reg.MCS(q.Mineral)
	if err != nil {
		return Params{}, err
	}
	p := Params{Mineral: q.Mineral, Stage: q.Stage, Unit: q.Unit, Currency: "USD", Seed: q.Seed, Ratio: q.Ratio}

	content, contentNote := dec.One, ""
	if r.hsContent != "" {
		lines, err := reg.HS(r.hsContent)
		if err != nil || len(lines) == 0 {
			return Params{}, problem.Errorf(problem.Internal, "costcurve: HS %s for the content of %s: %v", r.hsContent, q.Mineral, err)
		}
		content = lines[0].Content
		contentNote = fmt.Sprintf("gross t × %s content (registry HS %s: %s)", content, r.hsContent, lines[0].ContentSource)
	}
	if r.share != "" {
		content, contentNote = dec.MustParse(r.share), r.shareNote
	}

	countries, prodNote, err := production(reg, ch, content, unit)
	if err != nil {
		return Params{}, err
	}
	p.Countries = countries

	var priceNote string
	if r.price != "" {
		perKg := dec.MustParse(r.price)
		p.ReferencePrice = perKg.Mul(unit.PerKg) // per kg → per unit
		p.Year, priceNote = r.priceYear, r.priceNote
	} else {
		p.ReferencePrice, p.Year, priceNote, err = mcsPrice(reg, ch, r, content, unit)
		if err != nil {
			return Params{}, err
		}
	}
	p.Source = fmt.Sprintf("ILLUSTRATIVE, generated (%s; docs/costcurves.md), not real mine data; production and price from U.S. Geological Survey, Mineral Commodity Summaries 2026, %s chapter (%s)",
		q.Command(), ch.Slug, ch.SourceURL)
	parts := []string{prodNote}
	if contentNote != "" {
		parts = append(parts, contentNote)
	}
	parts = append(parts, priceNote, "ratio "+q.Ratio.String()+" (assumption: weighted mean cash cost well below price, docs/costcurves.md)")
	p.Calibration = strings.Join(parts, "; ")
	return p, nil
}

// production reads the chapter's 2025 mine production by country in unit of
// contained mineral.
func production(reg *registry.Registry, ch *registry.Commodity, content dec.Decimal, unit registry.Unit) ([]CountryProduction, string, error) {
	names := newCountryNames(reg)
	var out []CountryProduction
	var skipped, zero []string
	var table, tableUnit, worldTotal string
	var total dec.Decimal
	for _, w := range ch.World {
		if !strings.Contains(w.Table, "Mine Production") {
			continue
		}
		lower := strings.ToLower(w.Country)
		if strings.HasPrefix(lower, "world total") {
			worldTotal = w.Prod2025.Raw
			continue
		}
		if table == "" {
			table, tableUnit = w.Table, w.Unit
		} else if w.Table != table || w.Unit != tableUnit {
			return nil, "", problem.Errorf(problem.Invalid, "MCS 2026 %s: mine production rows in two tables or units (%q %q, %q %q)", ch.Slug, table, tableUnit, w.Table, w.Unit)
		}
		if !w.Prod2025.Known || w.Prod2025.Marker != "" {
			skipped = append(skipped, fmt.Sprintf("%s %s", w.Country, cmpOr(w.Prod2025.Raw, "empty")))
			continue
		}
		if w.Prod2025.Value.Sign() <= 0 {
			zero = append(zero, w.Country)
			continue
		}
		code := OtherCountries
		if lower != "other countries" && lower != "other" {
			var ok bool
			if code, ok = names.code(w.Country); !ok {
				return nil, "", problem.Errorf(problem.Invalid, "MCS 2026 %s: country %q has no ISO alpha-2 code: add it to countryAliases in package costcurve (countries.go)", ch.Slug, w.Country)
			}
		}
		total = total.Add(w.Prod2025.Value)
		out = append(out, CountryProduction{Code: code, Name: w.Country, Production: w.Prod2025.Value})
	}
	if len(out) == 0 {
		return nil, "", &problem.Error{Code: problem.NotFound, Field: "mineral",
			Message: fmt.Sprintf("MCS 2026 %s chapter has no known 2025 mine production by country (rows: %d; skipped: %s)", ch.Slug, len(ch.World), strings.Join(skipped, ", "))}
	}
	scale, basisUnit, err := productionUnit(tableUnit)
	if err != nil {
		return nil, "", problem.Errorf(problem.Invalid, "MCS 2026 %s: %v", ch.Slug, err)
	}
	factor := scale.Mul(basisUnit.PerKg).Mul(content).Quo(unit.PerKg)
	for i := range out {
		out[i].Production = out[i].Production.Mul(factor).Normalize()
	}
	note := fmt.Sprintf("production: MCS 2026 %s, %q, 2025 (USGS estimates), %s: %s over %d country rows (MCS world total %s) × %s → %s contained",
		ch.Slug, table, tableUnit, total, len(out), cmpOr(worldTotal, "not given"), factor.Normalize(), unit.Code)
	if len(skipped) > 0 {
		note += "; skipped (figure not given): " + strings.Join(skipped, ", ")
	}
	if len(zero) > 0 {
		note += "; zero: " + strings.Join(zero, ", ")
	}
	if slices.ContainsFunc(out, func(c CountryProduction) bool { return c.Code == OtherCountries }) {
		note += "; \"Other countries\" spread as producers of country ZZ"
	}
	return out, note, nil
}

// productionUnit reads an MCS world-table unit: "metric tons, cobalt content",
// "thousand metric tons, manganese content (per table label)".
func productionUnit(s string) (dec.Decimal, registry.Unit, error) {
	l := strings.ToLower(s)
	t := registry.Unit{Code: "t", PerKg: dec.FromInt(1000)}
	switch {
	case strings.HasPrefix(l, "thousand metric tons"):
		return dec.FromInt(1000), t, nil
	case strings.HasPrefix(l, "metric tons"):
		return dec.One, t, nil
	case strings.HasPrefix(l, "kilograms"):
		return dec.One, registry.Unit{Code: "kg", PerKg: dec.One}, nil
	}
	return dec.Zero, registry.Unit{}, fmt.Errorf("world production unit %q is not metric tons, thousand metric tons or kilograms", s)
}

// mcsPrice returns the latest figure of the rule's price series, per unit of
// contained mineral.
func mcsPrice(reg *registry.Registry, ch *registry.Commodity, r rule, content dec.Decimal, unit registry.Unit) (dec.Decimal, int, string, error) {
	var labels []string
	var match string
	var latest *registry.SalientRow
	for i, s := range ch.Salient {
		if !strings.HasPrefix(strings.ToLower(s.Section), "price") {
			continue
		}
		label := seriesLabel(s)
		if !slices.Contains(labels, label) {
			labels = append(labels, label)
		}
		if !strings.Contains(strings.ToLower(label), strings.ToLower(r.series)) {
			continue
		}
		if match != "" && match != label {
			return dec.Zero, 0, "", problem.Errorf(problem.Invalid, "MCS 2026 %s: price selector %q matches two series: %q and %q", ch.Slug, r.series, match, label)
		}
		match = label
		if s.Value.Known && s.Value.Marker == "" && (latest == nil || s.Year > latest.Year) {
			latest = &ch.Salient[i]
		}
	}
	if latest == nil {
		return dec.Zero, 0, "", &problem.Error{Code: problem.NotFound, Field: "mineral",
			Message: fmt.Sprintf("MCS 2026 %s chapter has no known figure of the price series %q; its price series are: %s", ch.Slug, r.series, strings.Join(labels, "; "))}
	}
	scale, code, err := priceUnit(match)
	if err != nil {
		return dec.Zero, 0, "", problem.Errorf(problem.Invalid, "MCS 2026 %s: %v", ch.Slug, err)
	}
	from, err := reg.Unit(code)
	if err != nil {
		return dec.Zero, 0, "", err
	}
	// USD per from-unit → USD per curve unit: × (kg per curve unit) ÷ (kg per
	// from-unit), and ÷ content for a gross price; one division, so the price
	// is exact to dec.Precision digits (lb is 0.45359237 kg by law).
	price := latest.Value.Value.Mul(scale).Mul(unit.PerKg).Quo(from.PerKg.Mul(content))
	year := strconv.Itoa(latest.Year)
	if latest.Estimated {
		year += "e"
	}
	note := fmt.Sprintf("reference price: MCS 2026 %s %q %s = %s %s per %s → %s USD/%s (%s)",
		ch.Slug, match, year, latest.Value.Raw, map[bool]string{true: "cents", false: "USD"}[scale.Cmp(dec.One) != 0], code, roundCents(price), unit.Code, r.why)
	return price, latest.Year, note, nil
}

// seriesLabel joins the distinct non-empty headings of a salient row: the
// extraction repeats the heading in several columns.
func seriesLabel(s registry.SalientRow) string {
	var parts []string
	for _, p := range []string{s.Section, s.Subsection, s.Statistic, s.Unit} {
		for _, q := range strings.Split(p, " | ") {
			if q = strings.TrimSpace(q); q != "" && !slices.Contains(parts, q) {
				parts = append(parts, q)
			}
		}
	}
	return strings.Join(parts, " | ")
}

// priceUnit reads the money and mass unit of an MCS price heading.
func priceUnit(label string) (dec.Decimal, string, error) {
	l := strings.ToLower(label)
	for _, u := range []struct {
		text  string
		scale string
		code  string
	}{
		{"cents per pound", "0.01", "lb"},
		{"dollars per pound", "1", "lb"},
		{"dollars per metric ton unit", "1", "mtu"},
		{"dollars per metric ton", "1", "t"},
		{"dollars per kilogram", "1", "kg"},
	} {
		if strings.Contains(l, u.text) {
			return dec.MustParse(u.scale), u.code, nil
		}
	}
	return dec.Zero, "", fmt.Errorf("price unit of %q is not cents or dollars per pound, metric ton, metric ton unit or kilogram", label)
}

// roundCents rounds half up to the cent, for messages.
func roundCents(x dec.Decimal) dec.Decimal {
	r, _, _ := x.Round(2, dec.HalfUp)
	return r
}

// cmpOr returns s, or alt when s is empty.
func cmpOr(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}
