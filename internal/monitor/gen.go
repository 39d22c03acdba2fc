package monitor

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
)

// The generator writes ILLUSTRATIVE trade files in the Comtrade and BACI
// formats with planted patterns, to test that the detectors find them and
// stay quiet on clean series (docs/monitor.md, "Generated flows"). Nothing
// in them is real trade.

// GenOptions set what Generate writes.
type GenOptions struct {
	Seed uint64
	// Format is "comtrade" (monthly, both the importer's and the
	// exporter's declarations) or "baci" (yearly, one value a flow).
	Format string
	// Clean is the number of clean series (pairs and lines); Planted the
	// number of patterns of each detector (mirror gaps only in Comtrade).
	Clean, Planted int
	// FromYear and ToYear bound the periods (default 2017–2024 monthly,
	// 2012–2024 yearly).
	FromYear, ToYear int
}

// Planted is one pattern the generator planted.
type Planted struct {
	Detector                          string
	Importer, Exporter, Via, HS, ToHS string // ISO alpha-3 codes
	From                              Period
}

// Generated is what Generate wrote: the patterns and the number of series.
type Generated struct {
	Planted []Planted
	Series  int // clean series written (each pair and line once)
}

// genCountry is one country of the generator's list (real ISO codes).
type genCountry struct {
	num              int
	iso2, iso3, name string
}

var genCountries = []genCountry{
	{36, "AU", "AUS", "Australia"}, {40, "AT", "AUT", "Austria"}, {56, "BE", "BEL", "Belgium"}, {76, "BR", "BRA", "Brazil"},
	{124, "CA", "CAN", "Canada"}, {152, "CL", "CHL", "Chile"}, {156, "CN", "CHN", "China"}, {170, "CO", "COL", "Colombia"},
	{203, "CZ", "CZE", "Czechia"}, {208, "DK", "DNK", "Denmark"}, {818, "EG", "EGY", "Egypt"}, {246, "FI", "FIN", "Finland"},
	{251, "FR", "FRA", "France"}, {276, "DE", "DEU", "Germany"}, {300, "GR", "GRC", "Greece"}, {344, "HK", "HKG", "China, Hong Kong SAR"},
	{348, "HU", "HUN", "Hungary"}, {699, "IN", "IND", "India"}, {360, "ID", "IDN", "Indonesia"}, {372, "IE", "IRL", "Ireland"},
	{376, "IL", "ISR", "Israel"}, {381, "IT", "ITA", "Italy"}, {392, "JP", "JPN", "Japan"}, {398, "KZ", "KAZ", "Kazakhstan"},
	{410, "KR", "KOR", "Rep. of Korea"}, {458, "MY", "MYS", "Malaysia"}, {484, "MX", "MEX", "Mexico"}, {504, "MA", "MAR", "Morocco"},
	{508, "MZ", "MOZ", "Mozambique"}, {528, "NL", "NLD", "Netherlands"}, {554, "NZ", "NZL", "New Zealand"}, {579, "NO", "NOR", "Norway"},
	{586, "PK", "PAK", "Pakistan"}, {604, "PE", "PER", "Peru"}, {608, "PH", "PHL", "Philippines"}, {616, "PL", "POL", "Poland"},
	{620, "PT", "PRT", "Portugal"}, {642, "RO", "ROU", "Romania"}, {643, "RU", "RUS", "Russian Federation"}, {682, "SA", "SAU", "Saudi Arabia"},
	{702, "SG", "SGP", "Singapore"}, {710, "ZA", "ZAF", "South Africa"}, {724, "ES", "ESP", "Spain"}, {752, "SE", "SWE", "Sweden"},
	{757, "CH", "CHE", "Switzerland"}, {490, "TW", "S19", "Other Asia, nes"}, {764, "TH", "THA", "Thailand"}, {792, "TR", "TUR", "Turkey"},
	{784, "AE", "ARE", "United Arab Emirates"}, {826, "GB", "GBR", "United Kingdom"}, {842, "US", "USA", "USA"}, {704, "VN", "VNM", "Viet Nam"},
	{180, "CD", "COD", "Dem. Rep. of the Congo"}, {32, "AR", "ARG", "Argentina"}, {68, "BO", "BOL", "Bolivia"}, {450, "MG", "MDG", "Madagascar"},
	{566, "NG", "NGA", "Nigeria"}, {646, "RW", "RWA", "Rwanda"}, {894, "ZM", "ZMB", "Zambia"}, {716, "ZW", "ZWE", "Zimbabwe"},
}

// genLines are HS6 lines of critical minerals, with a typical unit value
// (USD/kg); lines of the same heading (HS4) are the code shifts' pairs.
var genLines = []struct {
	hs string
	uv float64
}{
	{"250410", 0.8}, {"250490", 0.6}, {"380110", 3}, {"380190", 2.5}, {"811292", 350}, {"811299", 300},
	{"282590", 40}, {"282520", 15}, {"283691", 14}, {"810520", 35}, {"260500", 12}, {"750210", 18},
	{"740311", 9}, {"261000", 0.3}, {"810194", 45}, {"811010", 12}, {"280530", 60}, {"284690", 25},
	{"284610", 20}, {"850511", 70}, {"260300", 2.5}, {"800110", 28}, {"720260", 20}, {"810411", 4},
}

// GenCountryCodes is the country-code file the BACI files of Generate use,
// in BACI's format.
func GenCountryCodes(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "country_code,country_name,country_iso2,country_iso3")
	for _, c := range genCountries {
		fmt.Fprintf(bw, "%d,%q,%s,%s\n", c.num, c.name, c.iso2, c.iso3)
	}
	return bw.Flush()
}

// GenCodes returns the generator's countries as a code list.
func GenCodes() CountryCodes {
	var list []Country
	for _, c := range genCountries {
		list = append(list, Country{Code: c.num, Name: c.name, ISO2: c.iso2, ISO3: c.iso3})
	}
	return NewCountryCodes(list)
}

// genFlow is one series: a pair and line with its value each period.
type genFlow struct {
	imp, exp int // indices in genCountries
	line     int
	v        []float64 // FOB USD
	uv       float64
	mirror   []float64 // the importer's declared CIF/(FOB×1.06) factor per period (mirror gaps)
	msd      float64
}

// Generate writes a Comtrade or BACI file to w with clean series and the
// planted patterns, and returns what it planted.
func Generate(w io.Writer, opt GenOptions) (*Generated, error) {
	monthly := opt.Format != "baci"
	if opt.Format != "baci" && opt.Format != "comtrade" {
		return nil, fmt.Errorf("generate: format %q: want comtrade or baci", opt.Format)
	}
	if opt.FromYear == 0 {
		opt.FromYear = 2017
		if !monthly {
			opt.FromYear = 2012
		}
	}
	if opt.ToYear == 0 {
		opt.ToYear = 2024
	}
	n := opt.ToYear - opt.FromYear + 1
	if monthly {
		n *= 12
	}
	rng := rand.New(rand.NewPCG(opt.Seed, 0x6d6f6e69746f72))
	used := map[[3]int]bool{}
	var flows []*genFlow
	out := &Generated{}
	newFlow := func(imp, exp, line int) *genFlow {
		f := &genFlow{imp: imp, exp: exp, line: line, v: make([]float64, n), uv: genLines[line].uv * math.Exp(rng.NormFloat64()*0.2), msd: 0.03 + rng.Float64()*0.12}
		used[[3]int{imp, exp, line}] = true
		flows = append(flows, f)
		return f
	}
	free := func() (int, int, int) {
		for {
			i, e, l := rng.IntN(len(genCountries)), rng.IntN(len(genCountries)), rng.IntN(len(genLines))
			if i != e && !used[[3]int{i, e, l}] {
				return i, e, l
			}
		}
	}
	// clean fills a series with a level, a trend, a seasonal pattern and
	// noise (log-normal), as real flows of these goods look.
	clean := func(f *genFlow, level float64) {
		trend := rng.NormFloat64() * 0.06 // a year, in logs
		amp := rng.Float64() * 0.25
		phase := rng.Float64() * 2 * math.Pi
		sd := 0.05 + rng.Float64()*0.3
		for t := range f.v {
			yr := float64(t)
			season := 0.0
			if monthly {
				yr /= 12
				season = amp * math.Sin(2*math.Pi*float64(t%12)/12+phase)
			}
			f.v[t] = level * math.Exp(trend*yr+season+rng.NormFloat64()*sd)
		}
	}
	level := func() float64 { return math.Exp(math.Log(3e5) + rng.NormFloat64()*1.2) }
	if !monthly {
		level = func() float64 { return math.Exp(math.Log(5e6) + rng.NormFloat64()*1.2) }
	}
	// breakAt is a planted break's index: in the last two thirds, leaving a
	// year (two years) after it.
	breakAt := func() int {
		lo, hi := n/3, n-12
		if !monthly {
			lo, hi = n/3, n-3
		}
		return lo + rng.IntN(hi-lo+1)
	}
	per := func(i int) Period {
		if monthly {
			return Period{Year: opt.FromYear + i/12, Month: i%12 + 1}
		}
		return Period{Year: opt.FromYear + i}
	}
	code := func(i int) string { return genCountries[i].iso3 }
	for range opt.Clean {
		i, e, l := free()
		clean(newFlow(i, e, l), level())
	}
	out.Series = opt.Clean
	for range opt.Planted {
		// Surge: the level multiplies (or divides) by 3 to 6 at the break.
		i, e, l := free()
		f := newFlow(i, e, l)
		clean(f, level())
		tau := breakAt()
		k := 3 + rng.Float64()*3
		if rng.IntN(4) == 0 {
			k = 1 / k
		}
		for t := tau; t < n; t++ {
			f.v[t] *= k
		}
		out.Planted = append(out.Planted, Planted{Detector: Surge, Importer: code(i), Exporter: code(e), HS: genLines[l].hs, From: per(tau)})
	}
	for range opt.Planted {
		// Routing: origin O's exports to I fall by half at the break, T's
		// exports to I and O's exports to T rise by about what O no longer
		// ships directly (T starting from a small trade).
		var o, t, imp, l int
		for {
			o, t, imp, l = rng.IntN(len(genCountries)), rng.IntN(len(genCountries)), rng.IntN(len(genCountries)), rng.IntN(len(genLines))
			if o != t && t != imp && o != imp && !used[[3]int{imp, o, l}] && !used[[3]int{imp, t, l}] && !used[[3]int{t, o, l}] {
				break
			}
		}
		direct := newFlow(imp, o, l)
		lv := level() * 3
		clean(direct, lv)
		leg1 := newFlow(imp, t, l)
		clean(leg1, lv*0.05)
		leg2 := newFlow(t, o, l)
		clean(leg2, lv*0.05)
		tau := breakAt()
		if rng.IntN(2) == 0 {
			// A new route: the third country did not ship the line to the
			// importer before.
			for x := range leg1.v {
				leg1.v[x] = 0
			}
		}
		moved := lv * (0.5 + rng.Float64()*0.3)
		for x := tau; x < n; x++ {
			direct.v[x] *= 0.35
			leg1.v[x] += moved * math.Exp(rng.NormFloat64()*0.15)
			leg2.v[x] += moved * 0.95 * math.Exp(rng.NormFloat64()*0.15)
		}
		out.Planted = append(out.Planted, Planted{Detector: Routing, Importer: code(imp), Exporter: code(o), Via: code(t), HS: genLines[l].hs, From: per(tau)})
	}
	for range opt.Planted {
		// Code shift: a pair's line falls to a third at the break, its
		// neighbour of the same heading takes up most of it.
		var i, e, l1, l2 int
		for {
			i, e = rng.IntN(len(genCountries)), rng.IntN(len(genCountries))
			l1 = rng.IntN(len(genLines))
			l2 = -1
			for x := range genLines {
				if x != l1 && genLines[x].hs[:4] == genLines[l1].hs[:4] {
					l2 = x
				}
			}
			if i != e && l2 >= 0 && !used[[3]int{i, e, l1}] && !used[[3]int{i, e, l2}] {
				break
			}
		}
		old := newFlow(i, e, l1)
		lv := level() * 2
		clean(old, lv)
		nw := newFlow(i, e, l2)
		clean(nw, lv*0.1)
		tau := breakAt()
		for x := tau; x < n; x++ {
			old.v[x] *= 0.25
			nw.v[x] += lv * 0.7 * math.Exp(rng.NormFloat64()*0.15)
		}
		out.Planted = append(out.Planted, Planted{Detector: CodeShift, Importer: code(i), Exporter: code(e), HS: genLines[l1].hs, ToHS: genLines[l2].hs, From: per(tau)})
	}
	if monthly {
		for range opt.Planted {
			// Mirror gap: from the break, for 6 to 12 months, the importer
			// declares a third to a half of what the exporter shipped.
			i, e, l := free()
			f := newFlow(i, e, l)
			clean(f, level())
			tau := breakAt()
			f.mirror = make([]float64, n)
			for x := range f.mirror {
				f.mirror[x] = 1
			}
			k := 0.4 + rng.Float64()*0.35
			if rng.IntN(3) == 0 {
				k = 1 / k
			}
			for x := tau; x < min(n, tau+6+rng.IntN(7)); x++ {
				f.mirror[x] = k
			}
			out.Planted = append(out.Planted, Planted{Detector: MirrorGap, Importer: code(i), Exporter: code(e), HS: genLines[l].hs, From: per(tau)})
		}
	}
	// Both sides of every flow: the exporter's FOB and the importer's CIF
	// (FOB × 1.06 × its own noise); 15% of flows are declared by one side
	// only.
	bw := bufio.NewWriterSize(w, 1<<20)
	if monthly {
		fmt.Fprintln(bw, "typeCode,freqCode,refPeriodId,period,reporterCode,reporterISO,reporterDesc,flowCode,partnerCode,partnerISO,partnerDesc,cmdCode,cmdDesc,qtyUnitAbbr,qty,netWgt,cifvalue,fobvalue,primaryValue,isAggregate")
	} else {
		fmt.Fprintln(bw, "t,i,j,k,v,q")
	}
	slices.SortFunc(flows, func(a, b *genFlow) int {
		if a.exp != b.exp {
			return genCountries[a.exp].num - genCountries[b.exp].num
		}
		if a.imp != b.imp {
			return genCountries[a.imp].num - genCountries[b.imp].num
		}
		return a.line - b.line
	})
	var buf []byte
	for _, f := range flows {
		ic, ec := genCountries[f.imp], genCountries[f.exp]
		hs := genLines[f.line].hs
		sides := rng.IntN(20) // 0–1: importer only, 2: exporter only, else both
		if f.mirror != nil {
			sides = 3
		}
		for t, v := range f.v {
			if v < 1 {
				continue
			}
			kg := v / (f.uv * math.Exp(rng.NormFloat64()*0.1))
			p := per(t)
			if !monthly {
				buf = buf[:0]
				buf = strconv.AppendInt(buf, int64(p.Year), 10)
				buf = append(buf, ',')
				buf = strconv.AppendInt(buf, int64(ec.num), 10)
				buf = append(buf, ',')
				buf = strconv.AppendInt(buf, int64(ic.num), 10)
				buf = append(buf, ',')
				buf = append(buf, hs...)
				buf = append(buf, ',')
				buf = strconv.AppendFloat(buf, v/1000, 'f', 3, 64)
				buf = append(buf, ',')
				buf = strconv.AppendFloat(buf, kg/1000, 'f', 3, 64)
				buf = append(buf, '\n')
				bw.Write(buf)
				continue
			}
			ps := fmt.Sprintf("%d%02d", p.Year, p.Month)
			if sides != 2 {
				m := 1.06 * math.Exp(rng.NormFloat64()*f.msd)
				if f.mirror != nil {
					m *= f.mirror[t]
				}
				fmt.Fprintf(bw, "C,M,%s01,%s,%d,%s,%q,M,%d,%s,%q,%s,,kg,%.0f,%.0f,%.2f,,%.2f,false\n",
					ps, ps, ic.num, ic.iso3, ic.name, ec.num, ec.iso3, ec.name, hs, kg, kg, v*m, v*m)
			}
			if sides >= 2 {
				x := v * math.Exp(rng.NormFloat64()*0.04)
				fmt.Fprintf(bw, "C,M,%s01,%s,%d,%s,%q,X,%d,%s,%q,%s,,kg,%.0f,%.0f,,%.2f,%.2f,false\n",
					ps, ps, ec.num, ec.iso3, ec.name, ic.num, ic.iso3, ic.name, hs, kg, kg, x, x)
			}
		}
	}
	return out, bw.Flush()
}

// GenBACIYear writes one year of BACI-format flows of about rows rows (the
// speed test's file): every exporter to every importer for a seeded share
// of lines, values log-normal. It returns the number of rows written.
func GenBACIYear(w io.Writer, rows int, year int, seed uint64) (int, error) {
	rng := rand.New(rand.NewPCG(seed, 0x62616369))
	bw := bufio.NewWriterSize(w, 1<<20)
	fmt.Fprintln(bw, "t,i,j,k,v,q")
	// 5,000 HS6 codes (made up of chapters 01–97), 60 countries: 3,540
	// pairs; each pair trades about rows/3,540 lines.
	codes := make([]int, 0, 5000)
	for c := 10110; len(codes) < 5000; c += 17 + rng.IntN(180) {
		codes = append(codes, c)
	}
	pairs := len(genCountries) * (len(genCountries) - 1)
	per := float64(rows) / float64(pairs) / float64(len(codes))
	written := 0
	var buf []byte
	order := slices.Clone(genCountries)
	slices.SortFunc(order, func(a, b genCountry) int { return a.num - b.num })
	for _, e := range order {
		for _, i := range order {
			if e.num == i.num {
				continue
			}
			for _, k := range codes {
				if rng.Float64() >= per {
					continue
				}
				v := math.Exp(rng.NormFloat64()*2 + 3)
				buf = buf[:0]
				buf = strconv.AppendInt(buf, int64(year), 10)
				buf = append(buf, ',')
				buf = strconv.AppendInt(buf, int64(e.num), 10)
				buf = append(buf, ',')
				buf = strconv.AppendInt(buf, int64(i.num), 10)
				buf = append(buf, ',')
				if k < 100000 {
					buf = append(buf, '0')
				}
				buf = strconv.AppendInt(buf, int64(k), 10)
				// Values padded to 12 characters, as BACI's files of the
				// 2010s wrote them (the reader trims the spaces).
				buf = append(buf, ',')
				buf = padded(buf, strconv.FormatFloat(v, 'f', 3, 64))
				buf = append(buf, ',')
				if rng.IntN(20) == 0 {
					buf = padded(buf, "NA")
				} else {
					buf = padded(buf, strconv.FormatFloat(v*rng.Float64(), 'f', 3, 64))
				}
				buf = append(buf, '\n')
				bw.Write(buf)
				written++
			}
		}
	}
	return written, bw.Flush()
}

func padded(buf []byte, s string) []byte {
	for range 12 - len(s) {
		buf = append(buf, ' ')
	}
	return append(buf, s...)
}
