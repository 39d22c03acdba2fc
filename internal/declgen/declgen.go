// Package declgen writes synthetic import declarations for an agreement:
// the input of `mineralpact gen declarations`, of the duty benchmarks, of the
// design loop's workload and of the tests that need many realistic rows. The
// rows are ILLUSTRATIVE but drawn from public trade statistics: HS lines by
// the USGS MCS 2026 US import volume of their form, origins by the MCS import
// shares, consignment sizes and price spreads from UN Comtrade statistics and
// the World Bank Pink Sheet, with the assumptions where no data exist named
// in calibration.go. Every row that is not spoiled on purpose assesses under
// the agreement (the generator asks the duty engine); the same options write
// the same bytes (docs/declarations.md, "Generated declarations").
package declgen

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/exact"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// Options configure Generate.
type Options struct {
	N       int
	Seed    uint64
	BadRate float64   // share of rows with one deliberately bad field
	From    date.Date // first acceptance date (default: the entry into force)
	To      date.Date // last acceptance date (default: From + 211 days)
	Format  string    // csv (default) or jsonl
}

// Engine is what the generator asks of the duty engine; *duty.Assessor is
// one. declgen does not import duty, so that duty's own tests and benchmarks
// can generate their input.
type Engine interface {
	// Agreement is the agreement assessed under.
	Agreement() *agreement.Agreement
	// Classify is the mineral, stage and default content of a code on a date.
	Classify(on date.Date, code, mineral string) (m, stage string, content dec.Decimal, err error)
	// FloorPrice is the floor of mineral at stage on a date, per unit.
	FloorPrice(mineral, stage string, on date.Date) (price dec.Decimal, unit string, err error)
	// Check reports why a declaration cannot be assessed, or nil.
	Check(fields map[string]string) error
}

// columns are the generated fields: a declaration's (docs/declarations.md,
// "The declaration"), without mineral (a row whose code would need one is
// drawn again).
var columns = []string{
	"id", "accepted_on", "importer", "origin", "exporter_id", "hs_code", "quantity", "unit", "content",
	"customs_value", "currency", "incoterm", "freight", "insurance", "undertaking_id", "preference",
}

// The fields a row is spoiled in, by their place in columns.
var (
	fAcceptedOn = slices.Index(columns, "accepted_on")
	fOrigin     = slices.Index(columns, "origin")
	fHS         = slices.Index(columns, "hs_code")
	fQuantity   = slices.Index(columns, "quantity")
	fUnit       = slices.Index(columns, "unit")
	fValue      = slices.Index(columns, "customs_value")
	fCurrency   = slices.Index(columns, "currency")
	fIncoterm   = slices.Index(columns, "incoterm")
)

// row is one generated declaration, its fields in the order of columns.
type row [16]string

// Generate writes opt.N synthetic declarations for the agreement a assesses
// under, in acceptance order, calibrated to public trade statistics
// (docs/declarations.md, "Generated declarations"; calibration.go): importers
// in force on the date; for each, a mineral it has instruments for and one
// of its tariff lines weighted by the USGS MCS 2026 US import volume of the
// form; origins by the MCS shares of US imports of the form; consignment
// masses and the spread of declared prices from UN Comtrade statistics of
// China's exports (or the World Bank Pink Sheet for exchange-traded metals);
// some exporters under undertakings near their minimum price, quota origins
// with quantities large enough to cross the volume, preferences claimed, the
// exporters of trade remedies, and opt.BadRate of rows with one bad field.
// Every row that is not made bad on purpose assesses. The same options give
// the same bytes. The rows are ILLUSTRATIVE: they look like a year of trade,
// they are not one.
func Generate(w io.Writer, a Engine, reg *registry.Registry, opt Options) error {
	ag := a.Agreement()
	if opt.From.IsZero() {
		opt.From = ag.EntryIntoForce
	}
	if opt.To.IsZero() {
		opt.To = opt.From.AddDays(211)
	}
	if opt.Format == "" {
		opt.Format = "csv"
	}
	cal, err := loadCalibration(reg)
	if err != nil {
		return fmt.Errorf("gen: %w", err)
	}
	r := rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15))
	g := &gen{a: a, ag: ag, reg: reg, r: r, cal: cal, texts: map[date.Date]*agreement.Agreement{}, goods: map[goodsKey]*partyGoods{}}
	bw := bufio.NewWriterSize(w, 1<<20)
	cw := csv.NewWriter(bw)
	if opt.Format == "csv" {
		cw.Write(columns)
	}
	days := opt.From.DaysUntil(opt.To) + 1
	var rec row
	for i := 0; i < opt.N; i++ {
		d := opt.From.AddDays(i * days / max(opt.N, 1))
		ok := false
		for try := 0; try < 50 && !ok; try++ {
			ok = g.row(&rec, i, d)
		}
		if !ok {
			return fmt.Errorf("gen: no assessable declaration could be made for %s", d)
		}
		if opt.BadRate > 0 && r.Float64() < opt.BadRate {
			g.spoil(&rec)
		}
		if opt.Format == "csv" {
			cw.Write(rec[:])
			continue
		}
		m := map[string]string{}
		for j, f := range rec {
			if f != "" {
				m[columns[j]] = f
			}
		}
		b, _ := json.Marshal(m)
		bw.Write(b)
		bw.WriteByte('\n')
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

type weighted struct {
	v string
	w float64
}

type gen struct {
	a     Engine
	ag    *agreement.Agreement
	reg   *registry.Registry
	r     *rand.Rand
	cal   *calibration
	texts map[date.Date]*agreement.Agreement // the text in force, by date
	goods map[goodsKey]*partyGoods           // what a party imports, by text
}

// goodsKey is a party of one text in force.
type goodsKey struct {
	text  *agreement.Agreement
	party string
}

// good is one tariff line a party has an instrument for, classified, with
// the instruments that shape its declarations.
type good struct {
	mineral, stage, hs string
	content            dec.Decimal // the default content of the code
	cal                *lineCal
	trq                *agreement.Instrument   // a quota on the line, or nil
	prefs              []*agreement.Instrument // preferences with origins on the line
	remedies           []*agreement.Instrument // anti-dumping and countervailing duties on the line
	undertakings       []*agreement.Instrument // on the mineral and stage
}

// partyGoods are a party's goods by mineral, with each mineral's cumulative
// line weights.
type partyGoods struct {
	p        *agreement.Party
	minerals [][]good
	cum      [][]float64
}

func (g *gen) pick(ws []weighted) string {
	t := 0.0
	for _, w := range ws {
		t += w.w
	}
	x := g.r.Float64() * t
	for _, w := range ws {
		if x < w.w {
			return w.v
		}
		x -= w.w
	}
	return ws[len(ws)-1].v
}

// text is the agreement in force on d.
func (g *gen) text(d date.Date) *agreement.Agreement {
	if t, ok := g.texts[d]; ok {
		return t
	}
	var t *agreement.Agreement
	if in, err := g.ag.AsOf(d); err == nil {
		t = in.Agreement
	}
	g.texts[d] = t
	return t
}

// partyGoods returns what party p of text imports: the codes of its
// instruments (or of the stage's scope when an instrument names none), each
// once, without the codes that need a mineral named (the generator writes no
// mineral column), grouped by mineral in the order the instruments name them.
func (g *gen) partyGoods(text *agreement.Agreement, p *agreement.Party, d date.Date) *partyGoods {
	key := goodsKey{text, p.ID}
	if pg, ok := g.goods[key]; ok {
		return pg
	}
	pg := &partyGoods{p: p}
	index := map[string]int{}
	seen := map[[3]string]bool{}
	for _, in := range p.Instruments {
		if in.Type == agreement.PhaseIn || in.Type == agreement.NonPartySurcharge {
			continue
		}
		st := stageScope(text, in.Mineral, string(in.Stage))
		if st == nil {
			continue
		}
		codes := in.HS
		if len(codes) == 0 {
			codes = st.HS
		}
		for _, c := range codes {
			k := [3]string{in.Mineral, string(in.Stage), c}
			if seen[k] {
				continue
			}
			seen[k] = true
			m, stage, content, err := g.a.Classify(d, c, "")
			if err != nil || m != in.Mineral {
				continue
			}
			gd := good{mineral: m, stage: stage, hs: c, content: content, cal: g.cal.line(m, c)}
			if gd.cal == nil {
				gd.cal = g.cal.unlisted(g.reg, m, c)
			}
			for k := range p.Instruments {
				in := &p.Instruments[k]
				switch {
				case in.Type == agreement.TariffRateQuota && in.Mineral == m && string(in.Stage) == stage && agreement.HSMatch(in.HS, c) >= 0:
					gd.trq = in
				case in.Type == agreement.Preference && agreement.HSMatch(in.HS, c) >= 0 && len(in.Origins) > 0:
					gd.prefs = append(gd.prefs, in)
				case (in.Type == agreement.AntiDumping || in.Type == agreement.Countervailing) && agreement.HSMatch(in.HS, c) > 0:
					gd.remedies = append(gd.remedies, in)
				case in.Type == agreement.Undertaking && in.Mineral == m && string(in.Stage) == stage:
					gd.undertakings = append(gd.undertakings, in)
				}
			}
			j, ok := index[m]
			if !ok {
				j = len(pg.minerals)
				index[m] = j
				pg.minerals = append(pg.minerals, nil)
				pg.cum = append(pg.cum, nil)
			}
			t := gd.cal.weight
			if n := len(pg.cum[j]); n > 0 {
				t += pg.cum[j][n-1]
			}
			pg.minerals[j] = append(pg.minerals[j], gd)
			pg.cum[j] = append(pg.cum[j], t)
		}
	}
	g.goods[key] = pg
	return pg
}

// row fills rec with one declaration accepted on d; false when the pick does
// not assess (no rate for the month, no floor), so that the caller draws again.
func (g *gen) row(rec *row, i int, d date.Date) bool {
	r := g.r
	text := g.text(d)
	if text == nil {
		return false
	}
	var parties []weighted
	for _, p := range text.Parties {
		w := 1.0
		switch p.ID {
		case "US":
			w = 8
		case "EU", "JP":
			w = 3
		}
		if len(p.Instruments) > 0 {
			parties = append(parties, weighted{p.ID, w})
		}
	}
	if len(parties) == 0 {
		return false
	}
	p, _ := text.Party(g.pick(parties))
	pg := g.partyGoods(text, p, d)
	if len(pg.minerals) == 0 {
		return false
	}
	// A mineral the party has lines for (each alike), then one of its lines
	// by its share of US imports.
	j := r.IntN(len(pg.minerals))
	cum := pg.cum[j]
	x := r.Float64() * cum[len(cum)-1]
	k, _ := slices.BinarySearch(cum, x)
	gd := &pg.minerals[j][min(k, len(cum)-1)]
	lc := gd.cal
	origin := ""
	if len(lc.origins) > 0 {
		origin = g.pick(lc.origins)
	} else {
		origin = g.pick(g.cal.fallback)
	}
	// A quota origin now and then, with a large quantity.
	bigQty := false
	if gd.trq != nil && len(gd.trq.Origins) > 0 && r.Float64() < 0.5 {
		origin = gd.trq.Origins[r.IntN(len(gd.trq.Origins))]
		bigQty = true
	}
	// A preference's origin now and then, claimed most of the time, and
	// the exporters of a trade remedy's origin.
	claim, remedyExporters := "", []string(nil)
	for _, in := range gd.prefs {
		if r.Float64() < 0.3 {
			origin = in.Origins[r.IntN(len(in.Origins))]
			if r.Float64() < 0.7 {
				claim = in.Scheme
			}
		}
	}
	for _, in := range gd.remedies {
		for _, e := range in.Exporters {
			remedyExporters = append(remedyExporters, e.ID)
		}
		if len(in.Origins) > 0 && r.Float64() < 0.3 {
			origin = in.Origins[r.IntN(len(in.Origins))]
		}
	}
	m, stage := gd.mineral, gd.stage
	floorPrice, floorUnit, err := g.a.FloorPrice(m, stage, d)
	if err != nil {
		return false
	}
	floorKg, ok := g.kg(floorUnit)
	if !ok {
		return false
	}
	month := d.MonthKey()
	fxAg, err := g.perUSD(g.ag.Currency, month)
	if err != nil {
		return false
	}
	// The price declarations centre on, in USD per gross kg: the Comtrade
	// median unit value of the line, or the floor at the default content.
	centreUSD := lc.centreUV
	if centreUSD == 0 {
		centreUSD = floorPrice.Float64() / floorKg.Decimal().Float64() * gd.content.Float64() / fxAg.Decimal().Float64()
	}
	// Mass: log-normal around the line's median consignment (or the pooled
	// consignment value at the centre price); a quota's origins much more.
	massMedian := lc.massKg
	if massMedian == 0 && centreUSD > 0 {
		massMedian = g.cal.consignmentUSD / centreUSD
	}
	massKg := massMedian * clamp(math.Exp(lc.massSigma*r.NormFloat64()), 0.01, 100)
	if bigQty {
		massKg = (2000 + r.Float64()*8000) * 1000
	}
	massKg = max(massKg, 1)
	units := []string{"t", "t", "t", "kg", "lb"}
	unit := units[r.IntN(len(units))]
	qtyStr := ""
	switch unit {
	case "t":
		qtyStr = strconv.FormatFloat(massKg/1000, 'f', 3, 64)
	case "kg":
		qtyStr = strconv.FormatFloat(massKg, 'f', 1, 64)
	case "lb":
		qtyStr = strconv.FormatFloat(massKg/0.45359237, 'f', 0, 64)
	}
	qty, _ := exact.ParseString(qtyStr)
	unitKg, _ := g.kg(unit)
	content := exact.FromDecimal(gd.content)
	contentStr := ""
	if r.Float64() < 0.3 {
		f := 0.9 + r.Float64()*0.2
		c := content.Mul(factor(f, 3))
		if c.Cmp(exact.Int(1)) > 0 {
			c = exact.Int(1)
		}
		contentStr = string(c.AppendFixed(nil, 4))
		content, _ = exact.ParseString(contentStr)
		if content.Sign() <= 0 {
			return false
		}
	}
	contained := qty.Mul(unitKg).Mul(content).Quo(floorKg)
	// The declared price: log-normal around the centre, with the line's
	// spread; or near an undertaking's minimum.
	ratio := clamp(math.Exp(lc.priceSigma*r.NormFloat64()), minRatio, maxRatio)
	var valueUSD exact.Q // the customs value in USD
	if lc.centreUV > 0 {
		valueUSD = factor(lc.centreUV*ratio, 6).Mul(qty).Mul(unitKg)
	} else {
		valueUSD = exact.FromDecimal(floorPrice).Mul(factor(ratio, 4)).Mul(contained).Quo(fxAg)
	}
	exporter, undID := "", ""
	for _, in := range gd.undertakings {
		if r.Float64() < 0.6 {
			exporter, undID = "", in.ID
			if in.Exporter != nil {
				exporter = in.Exporter.ID
			}
			if r.Float64() < 0.5 {
				undID = ""
			}
			mf := 0.9 + r.Float64()*0.3
			perKg, _ := g.kg(in.MinimumPrice.Per)
			price := exact.FromDecimal(in.MinimumPrice.Amount).Mul(floorKg).Quo(perKg).Mul(factor(mf, 4))
			valueUSD = price.Mul(contained).Quo(fxAg)
			origin = "CL"
			if in.Exporter != nil {
				origin = in.Exporter.Country
			}
			break
		}
	}
	if exporter == "" && len(remedyExporters) > 0 && r.Float64() < 0.5 {
		exporter = remedyExporters[r.IntN(len(remedyExporters))]
	}
	cur := "USD"
	if r.Float64() < 0.5 {
		cur = p.Currency
	}
	fx, err := g.perUSD(cur, month)
	if err != nil {
		cur = "USD"
		fx, _ = g.perUSD(cur, month)
	}
	value := valueUSD.Mul(fx)
	inc := "FOB"
	if r.IntN(2) == 0 {
		inc = "CIF"
	}
	freight, ins := "", ""
	if r.IntN(2) == 0 {
		freight = string(value.Mul(exact.Dec(3, 2)).AppendFixed(nil, 2))
		ins = string(value.Mul(exact.Dec(5, 3)).AppendFixed(nil, 2))
	}
	*rec = row{fmt.Sprintf("D%08d", i+1), d.String(), p.ID, origin, exporter, gd.hs, qtyStr, unit, contentStr,
		string(value.AppendFixed(nil, 2)), cur, inc, freight, ins, undID, claim}
	// Keep only rows that assess.
	return g.assesses(rec)
}

func clamp(x, lo, hi float64) float64 { return min(max(x, lo), hi) }

// assesses reports whether the duty engine assesses rec.
func (g *gen) assesses(rec *row) bool {
	fields := make(map[string]string, len(rec))
	for j, f := range rec {
		fields[columns[j]] = f
	}
	return g.a.Check(fields) == nil
}

// factor is f written with places decimals, exactly.
func factor(f float64, places int) exact.Q {
	return exact.FromDecimal(dec.MustParse(strconv.FormatFloat(f, 'f', places, 64)))
}

// kg is the kilograms in one unit.
func (g *gen) kg(unit string) (exact.Q, bool) {
	u, err := g.reg.Unit(unit)
	if err != nil {
		return exact.Q{}, false
	}
	return exact.FromDecimal(u.PerKg), true
}

// perUSD is how many units of cur one US dollar buys in month.
func (g *gen) perUSD(cur, month string) (exact.Q, error) {
	qt, err := g.reg.Rate(cur, month)
	if err != nil {
		return exact.Q{}, err
	}
	v := exact.FromDecimal(qt.Value)
	if qt.Quotation == registry.USDPerUnit {
		v = v.Inv()
	}
	return v, nil
}

// stageScope is the scope of mineral at stage in the text, or nil.
func stageScope(text *agreement.Agreement, mineral, stage string) *agreement.StageScope {
	m, ok := text.Mineral(mineral)
	if !ok {
		return nil
	}
	for j := range m.Stages {
		if string(m.Stages[j].Stage) == stage {
			return &m.Stages[j]
		}
	}
	return nil
}

// spoil makes one field of rec bad.
func (g *gen) spoil(rec *row) {
	switch g.r.IntN(9) {
	case 0:
		rec[fAcceptedOn] = "2026-02-30"
	case 1:
		rec[fHS] = "28369"
	case 2:
		rec[fHS] = "999999"
	case 3:
		rec[fQuantity] = "-" + rec[fQuantity]
	case 4:
		rec[fCurrency] = "XXX"
	case 5:
		rec[fUnit] = "bushel"
	case 6:
		rec[fIncoterm] = "EXW"
	case 7:
		rec[fOrigin] = "ZZ"
	case 8:
		rec[fValue] = "12,5"
	}
}
