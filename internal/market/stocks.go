package market

import "fmt"

type planBuffer struct {
	region              int
	floor, ceiling      float64 // 0 floor: the month's design floor
	tonnes, money, maxT float64
	maxMonthly          float64
	lowerBuy, upperSell float64
	fromBand            bool
}

type planRelease struct {
	market         bool // by the market: in the baseline too
	region         int
	from           int
	monthly, total float64
	trigger        float64
}

// buildStocks sets up the buffer stock and the stockpile releases.
func (pl *Plan) buildStocks(p *problems) {
	sc := pl.Scenario
	if b := sc.Buffer; b != nil {
		r := pl.zone
		if b.Region != "" {
			r = pl.regionIndex(b.Region)
		}
		if r < 0 {
			p.add("buffer_stock.region", "no region for the buffer stock: name one, or make a region of the parties")
			return
		}
		pb := &planBuffer{region: r, floor: b.Floor, ceiling: b.Ceiling, tonnes: b.InitialTonnes, money: b.InitialMoney,
			maxT: b.MaxTonnes, maxMonthly: b.MaxMonthly, lowerBuy: b.LowerSectorBuy, upperSell: b.UpperSectorSell}
		if pb.ceiling == 0 {
			if pl.ceiling[0] == 0 {
				p.add("buffer_stock.ceiling", "required: the agreement's rule for %s/%s is not a band, so it sets no ceiling", sc.Mineral, sc.Stage)
				return
			}
			pb.fromBand = true
		}
		if pb.floor > 0 && pb.ceiling > 0 && pb.ceiling <= pb.floor {
			p.add("buffer_stock.ceiling", "must be above the floor")
		}
		pl.buffer = pb
	}
	for i, rs := range sc.Releases {
		r := pl.zone
		if rs.Region != "" {
			r = pl.regionIndex(rs.Region)
		}
		if r < 0 {
			p.add(fmt.Sprintf("stockpile_releases[%d].region", i), "no region for the release: name one, or make a region of the parties")
			continue
		}
		pl.releases = append(pl.releases, planRelease{market: rs.By == "market", region: r, from: max(0, pl.monthIndex(rs.From)), monthly: rs.TonnesPerMonth, total: rs.Total, trigger: rs.TriggerPrice})
	}
}

// bandAt returns the buffer stock's floor and ceiling in month m: its own, or
// the design's floor and band ceiling of the month.
func (pl *Plan) bandAt(m int) (floor, ceiling float64) {
	b := pl.buffer
	floor, ceiling = b.floor, b.ceiling
	if floor == 0 {
		floor = pl.floor[m]
	}
	if ceiling == 0 {
		ceiling = pl.ceiling[m]
	}
	return floor, ceiling
}
