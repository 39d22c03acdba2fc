// Package declgen writes synthetic import declarations for an agreement:
// the input of `mineralpact gen declarations`, of the duty benchmarks and of
// the tests that need many realistic rows. Every row that is not spoiled on
// purpose assesses under the agreement (the generator asks the duty engine);
// the same options write the same bytes (docs/declarations.md, "Generated
// declarations").
package declgen

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

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
// under, in acceptance order: importers in force on the date, HS lines of the
// agreement's schedule, origins weighted by the USGS shares of US imports of
// the mineral, prices spread around the floor (0.6 to 1.4 times it), some
// exporters under undertakings near their minimum price, quota origins with
// quantities large enough to cross the volume, and opt.BadRate of rows with
// one bad field. Every row that is not made bad on purpose assesses. The same
// options give the same bytes.
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
	r := rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15))
	g := &gen{a: a, ag: ag, reg: reg, r: r, origins: map[string][]weighted{}, texts: map[date.Date]*agreement.Agreement{}}
	g.loadOrigins()
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
	a       Engine
	ag      *agreement.Agreement
	reg     *registry.Registry
	r       *rand.Rand
	origins map[string][]weighted              // mineral → origin countries
	texts   map[date.Date]*agreement.Agreement // the text in force, by date
}

var fallbackOrigins = []string{"CN", "CL", "AU", "CA", "ZA", "CD", "BR", "ID", "PE", "DE", "JP", "KR", "RU", "VN", "MZ", "MG", "RW", "BO"}

func (g *gen) loadOrigins() {
	byName := map[string]string{}
	for _, c := range g.reg.Countries() {
		byName[strings.ToLower(c.Name)] = c.Alpha2
	}
	for _, m := range g.ag.Minerals {
		c, err := g.reg.MCS(m.ID)
		if err != nil {
			continue
		}
		var ws []weighted
		for _, s := range c.ImportSources {
			if !s.SharePct.Known {
				continue
			}
			code, ok := byName[strings.ToLower(s.Country)]
			if !ok {
				code = fallbackOrigins[len(ws)%len(fallbackOrigins)]
			}
			ws = append(ws, weighted{code, s.SharePct.Value.Float64()})
		}
		g.origins[m.ID] = ws
	}
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
	// Goods: a mineral and stage the party has an instrument for, else any in scope.
	type good struct{ mineral, stage, hs string }
	var goods []good
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
			goods = append(goods, good{in.Mineral, string(in.Stage), c})
		}
	}
	if len(goods) == 0 {
		return false
	}
	gd := goods[r.IntN(len(goods))]
	origin := fallbackOrigins[r.IntN(len(fallbackOrigins))]
	if ws := g.origins[gd.mineral]; len(ws) > 0 && r.Float64() < 0.8 {
		origin = g.pick(ws)
	}
	// A quota origin now and then, with a large quantity.
	var trq *agreement.Instrument
	for k := range p.Instruments {
		in := &p.Instruments[k]
		if in.Type == agreement.TariffRateQuota && in.Mineral == gd.mineral && string(in.Stage) == gd.stage && agreement.HSMatch(in.HS, gd.hs) >= 0 {
			trq = in
		}
	}
	bigQty := false
	if trq != nil && len(trq.Origins) > 0 && r.Float64() < 0.5 {
		origin = trq.Origins[r.IntN(len(trq.Origins))]
		bigQty = true
	}
	// A preference's origin now and then, claimed most of the time, and
	// the exporters of a trade remedy's origin.
	claim, remedyExporters := "", []string(nil)
	for k := range p.Instruments {
		in := &p.Instruments[k]
		switch {
		case in.Type == agreement.Preference && agreement.HSMatch(in.HS, gd.hs) >= 0 && len(in.Origins) > 0 && r.Float64() < 0.3:
			origin = in.Origins[r.IntN(len(in.Origins))]
			if r.Float64() < 0.7 {
				claim = in.Scheme
			}
		case (in.Type == agreement.AntiDumping || in.Type == agreement.Countervailing) && agreement.HSMatch(in.HS, gd.hs) > 0:
			for _, e := range in.Exporters {
				remedyExporters = append(remedyExporters, e.ID)
			}
			if len(in.Origins) > 0 && r.Float64() < 0.3 {
				origin = in.Origins[r.IntN(len(in.Origins))]
			}
		}
	}
	mineral := ""
	m, stage, defContent, err := g.a.Classify(d, gd.hs, "")
	if err != nil || m != gd.mineral {
		// A multi-mineral code: name the mineral.
		mineral = gd.mineral
		if m, stage, defContent, err = g.a.Classify(d, gd.hs, mineral); err != nil {
			return false
		}
	}
	floorPrice, floorUnit, err := g.a.FloorPrice(m, stage, d)
	if err != nil {
		return false
	}
	floorKg, ok := g.kg(floorUnit)
	if !ok {
		return false
	}
	// Quantity: gross, mostly tonnes.
	units := []string{"t", "t", "t", "kg", "lb"}
	unit := units[r.IntN(len(units))]
	tonnes := 1 + r.Float64()*200
	if bigQty {
		tonnes = 2000 + r.Float64()*8000
	}
	qtyStr := ""
	switch unit {
	case "t":
		qtyStr = strconv.FormatFloat(tonnes, 'f', 3, 64)
	case "kg":
		qtyStr = strconv.FormatFloat(tonnes*1000/20, 'f', 1, 64)
	case "lb":
		qtyStr = strconv.FormatFloat(tonnes*2204.62/20, 'f', 0, 64)
	}
	qty, _ := exact.ParseString(qtyStr)
	unitKg, _ := g.kg(unit)
	content := exact.FromDecimal(defContent)
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
	// Price around the floor, or around an undertaking's minimum.
	exporter, undID := "", ""
	price := exact.FromDecimal(floorPrice).Mul(factor(0.6+r.Float64()*0.8, 4))
	for k := range p.Instruments {
		in := &p.Instruments[k]
		if in.Type == agreement.Undertaking && in.Mineral == m && string(in.Stage) == stage && r.Float64() < 0.6 {
			exporter, undID = "", in.ID
			if in.Exporter != nil {
				exporter = in.Exporter.ID
			}
			if r.Float64() < 0.5 {
				undID = ""
			}
			mf := 0.9 + r.Float64()*0.3
			perKg, _ := g.kg(in.MinimumPrice.Per)
			price = exact.FromDecimal(in.MinimumPrice.Amount).Mul(floorKg).Quo(perKg).Mul(factor(mf, 4))
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
	month := d.MonthKey()
	fx, err := g.perUSD(cur, month)
	if err != nil {
		cur = "USD"
		fx, _ = g.perUSD(cur, month)
	}
	fxAg, _ := g.perUSD(g.ag.Currency, month)
	value := price.Mul(contained).Mul(fx).Quo(fxAg)
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
	if mineral != "" {
		return false // the generator writes no mineral column; draw a code that needs none
	}
	// Keep only rows that assess.
	return g.assesses(rec)
}

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
