package market

import (
	"fmt"
	"math"
	"strings"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// A replay runs a historical monthly price series against a band that
// changes over time — the International Tin Agreement's floor and ceiling —
// and operates a buffer stock by the ITA's rules on the prices as they were:
// it must buy at or below the floor and may buy in the lower sector, may sell
// in the upper sector and must sell at or above the ceiling, within its money
// and its stock. The price path is data, not an equilibrium: the replay shows
// when the buffer stock would have bought and sold and when it would have run
// out, not how its operations would have moved the price.
type replayPlan struct {
	series      string
	seriesUnit  string
	price       []float64 // by month, USD per unit; NaN where the series has no value
	floor, ceil []float64 // by month, converted
	rangeIdx    []int
	conv        []string // by range: how it was converted
}

// ReplayResult is a replay month by month with the buffer stock's operations.
type ReplayResult struct {
	Series      string         `json:"series"`
	Unit        string         `json:"unit"`
	Source      string         `json:"source,omitempty"`
	Ranges      []RangeInUSD   `json:"ranges"`
	Months      []ReplayMonth  `json:"months"`
	Exhausted   string         `json:"exhausted,omitempty"`    // first month it had to buy and could not (money or space)
	ExhaustedBy string         `json:"exhausted_by,omitempty"` // money or space
	StockOut    string         `json:"stock_out,omitempty"`    // first month it had to sell and had nothing
	Sectors     map[string]int `json:"months_by_sector"`
	TotalBought float64        `json:"bought"`
	TotalSold   float64        `json:"sold"`
	Episodes    []Episode      `json:"episodes"`
}

// RangeInUSD is a range of the replay converted to the series' currency and
// unit in its first month.
type RangeInUSD struct {
	From       string  `json:"from"`
	Floor      float64 `json:"floor"`
	Ceiling    float64 `json:"ceiling"`
	Original   string  `json:"original"`
	Conversion string  `json:"conversion"`
	Note       string  `json:"note,omitempty"`
}

// ReplayMonth is one month of a replay.
type ReplayMonth struct {
	Month   string  `json:"month"`
	Price   float64 `json:"price"`
	Floor   float64 `json:"floor"`
	Ceiling float64 `json:"ceiling"`
	Sector  string  `json:"sector"`
	Bought  float64 `json:"bought"`
	Sold    float64 `json:"sold"`
	Tonnes  float64 `json:"tonnes"`
	Money   float64 `json:"money"`
	Short   float64 `json:"short,omitempty"` // what it had to buy or sell and could not
}

// Episode is a run of consecutive months in which the buffer stock bought
// (or sold).
type Episode struct {
	From   string  `json:"from"`
	To     string  `json:"to"`
	Action string  `json:"action"` // buy or sell
	Tonnes float64 `json:"tonnes"`
}

// perKg of the units a range may be quoted in: the registry's, and the
// picul (133⅓ lb), the unit of the Penang tin market.
func unitKg(reg *registry.Registry, u string) (float64, bool) {
	if u == "picul" {
		return 400.0 / 3 * 0.45359237, true // 133⅓ lb
	}
	x, err := reg.Unit(u)
	if err != nil {
		return 0, false
	}
	return x.PerKg.Float64(), true
}

// pinkUnits maps a Pink Sheet unit to the registry's.
var pinkUnits = map[string]string{"$/mt": "t", "$/kg": "kg", "$/troy oz": "troy_oz", "$/dmtu": "dmtu"}

func (pl *Plan) buildReplay(p *problems, env Env) {
	sc := pl.Scenario
	rs := sc.Replay
	rp := &replayPlan{series: rs.Series}
	pl.replay = rp
	code := strings.TrimPrefix(rs.Series, "pinksheet:")
	s, err := env.Registry.PinkSheet(code)
	if err != nil {
		p.add("replay.series", "%s", messageOf(err))
		return
	}
	rp.seriesUnit = pinkUnits[s.Unit]
	if rp.seriesUnit != sc.Unit {
		p.add("unit", "series %s is in %s; the scenario's unit must be %s, got %s", rs.Series, s.Unit, rp.seriesUnit, sc.Unit)
	}
	if sc.Currency != "USD" {
		p.add("currency", "Pink Sheet series are in USD; got %s", sc.Currency)
	}
	byMonth := map[string]float64{}
	for _, pt := range s.Points {
		byMonth[pt.Month] = pt.Value.Float64()
	}
	n := len(pl.Months)
	rp.price, rp.floor, rp.ceil, rp.rangeIdx = make([]float64, n), make([]float64, n), make([]float64, n), make([]int, n)
	toKg, _ := unitKg(env.Registry, sc.Unit)
	var missing []string
	for m, key := range pl.Months {
		v, ok := byMonth[key]
		if !ok {
			missing = append(missing, key)
			v = math.NaN()
		}
		rp.price[m] = v
		// The range in force on the 15th: a change in the first half of a
		// month counts from that month, one in the second half from the next.
		mid := date.MustParse(key + "-15")
		k := -1
		for i, rg := range rs.Ranges {
			if !rg.From.After(mid) {
				k = i
			}
		}
		if k < 0 {
			k = 0
		}
		rp.rangeIdx[m] = k
		rg := rs.Ranges[k]
		usd, how, err := usdPer(env.Registry, rg.Currency, key, rg.UsdRate)
		if err != nil {
			p.add(fmt.Sprintf("replay.ranges[%d].usd_rate", k), "%s: %s", key, err)
			return
		}
		perKg, ok := unitKg(env.Registry, rg.Per)
		if !ok {
			p.add(fmt.Sprintf("replay.ranges[%d].per", k), "unknown unit %q (registry units, or picul)", rg.Per)
			return
		}
		f := usd * toKg / perKg
		rp.floor[m], rp.ceil[m] = rg.Floor*f, rg.Ceiling*f
		if len(rp.conv) <= k {
			for len(rp.conv) <= k {
				rp.conv = append(rp.conv, "")
			}
		}
		if rp.conv[k] == "" {
			rp.conv[k] = fmt.Sprintf("%s: %s, %s per %s = %.6g kg → per %s", key, how, rg.Currency, rg.Per, perKg, sc.Unit)
		}
	}
	if len(missing) > 0 {
		p.add("replay.series", "%s has no value for %d month(s) of the replay, first %s", rs.Series, len(missing), missing[0])
	}
}

// usdPer returns US dollars per unit of currency in month (YYYY-MM): the
// registry's FRED rate, else the range's stated rate.
func usdPer(reg *registry.Registry, currency, month string, fallback float64) (float64, string, error) {
	if currency == "USD" {
		return 1, "USD", nil
	}
	q, err := reg.Rate(currency, month)
	if err == nil {
		v := q.Value.Float64()
		if q.Quotation == registry.UnitsPerUSD {
			return 1 / v, fmt.Sprintf("%s %s %.4f per USD (%s)", currency, month, v, q.Source), nil
		}
		return v, fmt.Sprintf("%s %s %.4f USD (%s)", currency, month, v, q.Source), nil
	}
	if fallback > 0 {
		return fallback, fmt.Sprintf("%s at %.4g USD (stated: no FRED rate for %s)", currency, fallback, month), nil
	}
	return 0, "", fmt.Errorf("no exchange rate for %s (FRED monthly series start in 1971): give usd_rate", currency)
}

// runReplay operates the buffer stock on the recorded prices.
func (pl *Plan) runReplay() (*ReplayResult, error) {
	sc, rp := pl.Scenario, pl.replay
	b := sc.Buffer
	out := &ReplayResult{Series: rp.series, Unit: sc.Unit, Source: sc.Replay.Source, Sectors: map[string]int{}}
	for i, rg := range sc.Replay.Ranges {
		ru := RangeInUSD{From: rg.From.String(), Original: fmt.Sprintf("%g–%g %s per %s", rg.Floor, rg.Ceiling, rg.Currency, rg.Per), Note: rg.Note,
			Conversion: "not in force during the replay"}
		for m, k := range rp.rangeIdx {
			if k == i {
				ru.Floor, ru.Ceiling, ru.Conversion = rp.floor[m], rp.ceil[m], rp.conv[i]
				break
			}
		}
		out.Ranges = append(out.Ranges, ru)
	}
	tonnes, money, maxT := b.InitialTonnes, b.InitialMoney, b.MaxTonnes
	nextC := 0
	var ep *Episode
	flush := func() {
		if ep != nil {
			out.Episodes = append(out.Episodes, *ep)
			ep = nil
		}
	}
	for m, key := range pl.Months {
		for cs := sc.Replay.Contributions; nextC < len(cs) && pl.monthIndex(cs[nextC].From) <= m; nextC++ {
			tonnes += cs[nextC].Tonnes
			money += cs[nextC].Money
			if cs[nextC].MaxTonnes > 0 {
				maxT = cs[nextC].MaxTonnes
			}
		}
		p, F, C := rp.price[m], rp.floor[m], rp.ceil[m]
		third := (C - F) / 3
		sec := sector(p, F, C)
		if p <= F && sec != "below_floor" {
			sec = "at_floor"
		}
		out.Sectors[sec]++
		var want float64
		buy := false
		switch {
		case p <= F:
			want, buy = b.FloorBuy, true
		case p < F+third:
			want, buy = b.LowerSectorBuy, true
		case p >= C:
			want = b.CeilingSell
		case p > C-third:
			want = b.UpperSectorSell
		}
		if b.MaxMonthly > 0 {
			want = math.Min(want, b.MaxMonthly)
		}
		rm := ReplayMonth{Month: key, Price: p, Floor: F, Ceiling: C, Sector: sec}
		if buy {
			can := want
			if maxT > 0 {
				can = math.Min(can, math.Max(0, maxT-tonnes))
			}
			short := "space"
			if byMoney := math.Max(0, money) / p; byMoney < can {
				can, short = byMoney, "money"
			}
			rm.Bought = can
			tonnes += can
			money -= can * p
			if p <= F && can < want*(1-1e-9) {
				rm.Short = want - can
				if out.Exhausted == "" {
					out.Exhausted, out.ExhaustedBy = key, short
				}
			}
		} else if want > 0 {
			can := math.Min(want, tonnes)
			rm.Sold = can
			tonnes -= can
			money += can * p
			if p >= C && can < want*(1-1e-9) {
				rm.Short = want - can
				if out.StockOut == "" {
					out.StockOut = key
				}
			}
		}
		rm.Tonnes, rm.Money = tonnes, money
		out.TotalBought += rm.Bought
		out.TotalSold += rm.Sold
		action, q := "", 0.0
		if rm.Bought > 0 {
			action, q = "buy", rm.Bought
		} else if rm.Sold > 0 {
			action, q = "sell", rm.Sold
		}
		switch {
		case action == "":
			flush()
		case ep != nil && ep.Action == action:
			ep.To, ep.Tonnes = key, ep.Tonnes+q
		default:
			flush()
			ep = &Episode{From: key, To: key, Action: action, Tonnes: q}
		}
		out.Months = append(out.Months, rm)
	}
	flush()
	return out, nil
}
