package duty

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
)

// GenOptions configure Generate.
type GenOptions struct {
	N       int
	Seed    uint64
	BadRate float64   // share of rows with one deliberately bad field
	From    date.Date // first acceptance date (default: the entry into force)
	To      date.Date // last acceptance date (default: From + 211 days)
	Format  string    // csv (default) or jsonl
}

// Generate writes n synthetic declarations, in acceptance order: importers in
// force on the date, HS lines of the agreement's schedule, origins weighted by
// the USGS shares of US imports of the mineral, prices spread around the floor
// (0.6 to 1.4 times it), some exporters under undertakings near their minimum
// price, quota origins with quantities large enough to cross the volume, and
// opt.BadRate of rows with one bad field. Every row that is not made bad on
// purpose assesses. The same options give the same bytes.
func (a *Assessor) Generate(w io.Writer, opt GenOptions) error {
	if opt.From.IsZero() {
		opt.From = a.ag.EntryIntoForce
	}
	if opt.To.IsZero() {
		opt.To = opt.From.AddDays(211)
	}
	if opt.Format == "" {
		opt.Format = "csv"
	}
	r := rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15))
	g := &gen{a: a, r: r, origins: map[string][]weighted{}}
	g.loadOrigins()
	bw := bufio.NewWriterSize(w, 1<<20)
	if opt.Format == "csv" {
		bw.WriteString(strings.Join(InputColumns[:nFields-1], ","))
		bw.WriteByte('\n')
	}
	days := opt.From.DaysUntil(opt.To) + 1
	var rec [nFields - 1]string
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
			for j, f := range rec {
				if j > 0 {
					bw.WriteByte(',')
				}
				bw.Write(appendCSVField(nil, f))
			}
			bw.WriteByte('\n')
		} else {
			m := map[string]string{}
			for j, f := range rec {
				if f != "" {
					m[InputColumns[j]] = f
				}
			}
			b, _ := json.Marshal(m)
			bw.Write(b)
			bw.WriteByte('\n')
		}
	}
	return bw.Flush()
}

type weighted struct {
	v string
	w float64
}

type gen struct {
	a       *Assessor
	r       *rand.Rand
	origins map[string][]weighted // mineral → origin countries
}

var fallbackOrigins = []string{"CN", "CL", "AU", "CA", "ZA", "CD", "BR", "ID", "PE", "DE", "JP", "KR", "RU", "VN", "MZ", "MG", "RW", "BO"}

func (g *gen) loadOrigins() {
	byName := map[string]string{}
	for _, c := range g.a.reg.Countries() {
		byName[strings.ToLower(c.Name)] = c.Alpha2
	}
	for _, m := range g.a.ag.Minerals {
		c, err := g.a.reg.MCS(m.ID)
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

// row fills rec with one declaration accepted on d; false when the pick does
// not assess (no rate for the month, no floor), so that the caller draws again.
func (g *gen) row(rec *[nFields - 1]string, i int, d date.Date) bool {
	r := g.r
	dy, pe := g.a.dayOf(d)
	if pe != nil {
		return false
	}
	v := dy.v
	var parties []weighted
	for _, p := range v.agreement.Parties {
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
	cp := v.parties[g.pick(parties)]
	// Goods: a mineral and stage the party has an instrument for, else any in scope.
	type good struct{ mineral, stage, hs string }
	var goods []good
	for _, ci := range cp.instr {
		if ci.typ == agreement.PhaseIn || ci.typ == agreement.NonPartySurcharge {
			continue
		}
		st := v.scope[msKey{ci.mineral, ci.stage}]
		if st == nil {
			continue
		}
		codes := ci.hs
		if len(codes) == 0 {
			codes = st.HS
		}
		for _, c := range codes {
			goods = append(goods, good{ci.mineral, ci.stage, c})
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
	var trq *cinstr
	for _, ci := range cp.instr {
		if ci.typ == agreement.TariffRateQuota && ci.mineral == gd.mineral && ci.stage == gd.stage && agreement.HSMatch(ci.hs, gd.hs) >= 0 {
			trq = ci
		}
	}
	bigQty := false
	if trq != nil && len(trq.origins) > 0 && r.Float64() < 0.5 {
		origin = trq.origins[r.IntN(len(trq.origins))]
		bigQty = true
	}
	lines, err := g.a.hsLines(gd.hs)
	if err != nil {
		return false
	}
	x := decl{id: fmt.Sprintf("D%08d", i+1), on: d, importer: cp.id, origin: origin, hs: gd.hs, mineral: ""}
	line, pe := g.a.pick(v, lines, &x)
	if pe != nil || line.Mineral != gd.mineral {
		// A multi-mineral code: name the mineral.
		x.mineral = gd.mineral
		if line, pe = g.a.pick(v, lines, &x); pe != nil {
			return false
		}
	}
	fl, err := g.a.publishedFloor(line.Mineral, string(line.Stage), d)
	if err != nil {
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
	x.qty, _ = parseQ([]byte(qtyStr))
	u, _ := g.a.unit(unit)
	content := line.content
	contentStr := ""
	if r.Float64() < 0.3 {
		f := 0.9 + r.Float64()*0.2
		c := content.mul(qOf(dec.MustParse(strconv.FormatFloat(f, 'f', 3, 64))))
		if c.cmp(qInt(1)) > 0 {
			c = qInt(1)
		}
		contentStr = string(c.appendFixed(nil, 4))
		content, _ = parseQ([]byte(contentStr))
		if content.sign() <= 0 {
			return false
		}
	}
	contained := x.qty.mul(u.kg).mul(content).quo(fl.unitKg)
	// Price around the floor, or around an undertaking's minimum.
	exporter, undID := "", ""
	factor := 0.6 + r.Float64()*0.8
	price := fl.price.mul(qOf(dec.MustParse(strconv.FormatFloat(factor, 'f', 4, 64))))
	for _, ci := range cp.instr {
		if ci.typ == agreement.Undertaking && ci.mineral == line.Mineral && ci.stage == string(line.Stage) && r.Float64() < 0.6 {
			exporter, undID = ci.exporter, ci.in.ID
			if r.Float64() < 0.5 {
				undID = ""
			}
			mf := 0.9 + r.Float64()*0.3
			price = ci.minPrice.mul(fl.unitKg).quo(ci.minUnit.kg).mul(qOf(dec.MustParse(strconv.FormatFloat(mf, 'f', 4, 64))))
			origin = "CL"
			if ci.in.Exporter != nil {
				origin = ci.in.Exporter.Country
			}
			break
		}
	}
	cur := "USD"
	if r.Float64() < 0.5 {
		cur = cp.currency
	}
	fx, err := g.a.perUSD(cur, dy.month)
	if err != nil {
		cur = "USD"
		fx, _ = g.a.perUSD(cur, dy.month)
	}
	fxAg, _ := g.a.perUSD(g.a.ag.Currency, dy.month)
	value := price.mul(contained).mul(fx.perUSD).quo(fxAg.perUSD)
	inc := "FOB"
	if r.IntN(2) == 0 {
		inc = "CIF"
	}
	freight, ins := "", ""
	if r.IntN(2) == 0 {
		freight = string(value.mul(qDec(3, 2)).appendFixed(nil, 2))
		ins = string(value.mul(qDec(5, 3)).appendFixed(nil, 2))
	}
	*rec = [nFields - 1]string{x.id, d.String(), cp.id, origin, exporter, gd.hs, qtyStr, unit, contentStr,
		string(value.appendFixed(nil, 2)), cur, inc, freight, ins, undID}
	// Keep only rows that assess.
	var st decodeState
	var y decl
	for j := range rec {
		st.v[j] = []byte(rec[j])
	}
	st.v[fMineral] = []byte(x.mineral)
	if pe := readFields(&st.v, &y); pe != nil {
		return false
	}
	var as Assessment
	if pe := g.a.assess(&y, &as); pe != nil {
		return false
	}
	if x.mineral != "" {
		return false // the generator writes no mineral column; draw a code that needs none
	}
	return true
}

// spoil makes one field of rec bad.
func (g *gen) spoil(rec *[nFields - 1]string) {
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
