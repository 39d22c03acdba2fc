package web

import (
	"net/http"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/refprice"
)

// pricesData is the prices page: every floor in force on a date.
type pricesData struct {
	AsOf         string // as the form shows it
	Error        string // what is wrong with the date asked for, if anything
	Floors       []floorRow
	Problems     []*problem.Error // floors in scope with no publication for the date
	Illustrative int              // floors that depend on generated data
	// StageOrder are the pairs of published floors out of stage order on the
	// date (refprice.StageOrder): a notice, not an error.
	StageOrder []refprice.StageOrderWarning
}

type floorRow struct {
	*refprice.Floor
	Name string // the mineral's name
}

// asOfParam reads ?as_of=, by default the entry into force: a page never
// depends on the day it is read.
func (p *portal) asOfParam(r *http.Request) (string, date.Date, error) {
	raw := r.URL.Query().Get("as_of")
	if raw == "" {
		d := p.deps.Agreement.EntryIntoForce
		return d.String(), d, nil
	}
	d, err := agreement.ParseAsOf(raw)
	return raw, d, err
}

func (p *portal) mineralName(id string) string {
	if m, err := p.deps.Registry.Mineral(id); err == nil {
		return m.Name
	}
	return id
}

func (p *portal) prices(w http.ResponseWriter, r *http.Request) {
	const title = "Reference prices"
	var d pricesData
	var on date.Date
	var err error
	d.AsOf, on, err = p.asOfParam(r)
	if err == nil && p.deps.Floors == nil {
		err = problem.Errorf(problem.Internal, "web: no published reference prices configured")
	}
	var floors []*refprice.Floor
	if err == nil {
		floors, d.Problems, err = p.published(r, on)
	}
	if err != nil {
		if statusOf(err) == http.StatusInternalServerError {
			p.fail(w, r, err)
			return
		}
		d.Error = messageOf(err)
		p.render(w, r, statusOf(err), "prices", page{Title: title, Nav: "prices", Data: d})
		return
	}
	for _, f := range floors {
		d.Floors = append(d.Floors, floorRow{Floor: f, Name: p.mineralName(f.Mineral)})
		if f.Illustrative {
			d.Illustrative++
		}
	}
	d.StageOrder = refprice.StageOrder(p.deps.Registry, on, floors)
	p.render(w, r, http.StatusOK, "prices", page{Title: title, Nav: "prices", Data: d})
}

// published returns the floors published and in force on d, in the
// agreement's order, and a problem for each floor in scope that has none.
func (p *portal) published(r *http.Request, d date.Date) ([]*refprice.Floor, []*problem.Error, error) {
	in, err := p.deps.Agreement.AsOf(d)
	if err != nil {
		return nil, nil, err
	}
	all, err := p.deps.Floors.Floors(r.Context(), d)
	if err != nil {
		return nil, nil, err
	}
	byKey := make(map[[2]string]*refprice.Floor, len(all))
	for _, f := range all {
		byKey[[2]string{f.Mineral, f.Stage}] = f
	}
	var floors []*refprice.Floor
	var missing []*problem.Error
	for _, m := range in.Agreement.Minerals {
		for _, st := range m.Stages {
			if f, ok := byKey[[2]string{m.ID, string(st.Stage)}]; ok {
				floors = append(floors, f)
				continue
			}
			_, err := p.deps.Floors.Floor(m.ID, string(st.Stage), d)
			pe := &problem.Error{Code: problem.CodeOf(err), Field: m.ID + "/" + string(st.Stage), Message: messageOf(err)}
			missing = append(missing, pe)
		}
	}
	return floors, missing, nil
}

// priceData is the page of one floor: its derivation and its charts.
type priceData struct {
	AsOf   string
	Name   string
	Floor  *refprice.Floor
	Charts chartsJSON // the charts' data; the template writes it as JSON for charts.js
	// History is the floor over time the first chart draws, for its table.
	History    []refprice.Floor
	HistoryEnd string // why the history stops early, if it does
	Backcast   bool   // the history starts before the entry into force
	From, To   date.Date
	Market     *refprice.MarketView
	MarketNote string // why there is no market series, if there is none
	Curve      *refprice.CurveView
	CurveError string
}

// historyYears is how far back the floor-over-time chart backcasts, and
// forwardYears how far past the entry into force it runs.
const historyYears, forwardYears = 3, 2

func (p *portal) price(w http.ResponseWriter, r *http.Request) {
	mineral, stage := r.PathValue("mineral"), r.PathValue("stage")
	asOf, on, err := p.asOfParam(r)
	if err == nil && (p.deps.Floors == nil || p.deps.Prices == nil) {
		err = problem.Errorf(problem.Internal, "web: no published reference prices or price engine configured")
	}
	var f *refprice.Floor
	if err == nil {
		f, err = p.deps.Floors.Floor(mineral, stage, on)
	}
	if err != nil {
		p.fail(w, r, err)
		return
	}
	d := priceData{AsOf: asOf, Name: p.mineralName(mineral), Floor: f}
	entry := p.deps.Agreement.EntryIntoForce
	d.From, d.To = entry, entry.AddMonths(12*forwardYears).AddDays(-1)
	hist := p.deps.Prices
	if p.deps.Backcast != nil {
		d.From, d.Backcast, hist = entry.AddMonths(-12*historyYears), true, p.deps.Backcast
	}
	d.History, err = hist.History(mineral, stage, d.From, d.To)
	if err != nil {
		d.HistoryEnd = messageOf(err)
	}
	if d.Market, err = p.deps.Prices.MarketView(mineral, stage, on, d.From, d.To); err != nil {
		d.Market, d.MarketNote = nil, messageOf(err)
	}
	if f.Method == agreement.CostCurve {
		if d.Curve, err = p.deps.Prices.CurveView(mineral, stage, on); err != nil {
			d.Curve, d.CurveError = nil, messageOf(err)
		}
	}
	d.Charts = chartData(&d, entry)
	p.render(w, r, http.StatusOK, "price", page{Title: d.Name + " (" + stage + ") reference price", Nav: "prices", Data: d})
}

// chartsJSON is what charts.js draws. Times are Unix seconds, as uPlot's
// time scale wants them; prices are floats, for drawing only (the tables on
// the page show the exact figures).
type chartsJSON struct {
	Over  *overTime  `json:"over_time,omitempty"`
	Curve *curveJSON `json:"cost_curve,omitempty"`
}

type overTime struct {
	Unit           string     `json:"unit"`
	X              []int64    `json:"x"`        // the first day of each month
	Backcast       []*float64 `json:"backcast"` // floor before the entry into force
	Floor          []*float64 `json:"floor"`    // floor from the entry into force
	Market         []*float64 `json:"market,omitempty"`
	MarketLabel    string     `json:"market_label,omitempty"`
	EntryIntoForce int64      `json:"entry_into_force"`
}

type curveJSON struct {
	Unit       string     `json:"unit"`     // of cost
	CapUnit    string     `json:"cap_unit"` // of capacity, per year
	X          []float64  `json:"x"`        // each producer's start and end on the cumulative-capacity axis
	Counted    []*float64 `json:"counted"`
	Excluded   []*float64 `json:"excluded"`
	Floor      []*float64 `json:"floor"`
	CashCost   []*float64 `json:"cash_cost"`
	TargetX    float64    `json:"target_x"`
	Percentile string     `json:"percentile"`
	Marginal   string     `json:"marginal"`
}

func num(x dec.Decimal) *float64 { f := x.Float64(); return &f }

func unix(d date.Date) int64 { return d.Time().Unix() }

func chartData(d *priceData, entry date.Date) chartsJSON {
	var out chartsJSON
	f := d.Floor
	if len(d.History) > 0 {
		o := &overTime{Unit: f.Currency + "/" + f.Unit, EntryIntoForce: unix(entry)}
		market := map[string]dec.Decimal{}
		if d.Market != nil {
			for _, pt := range d.Market.Points {
				market[pt.Month] = pt.Value
			}
			o.MarketLabel = d.Market.Name
			if d.Market.Name == "" {
				o.MarketLabel = d.Market.Series
			}
		}
		hi := 0
		for m := date.New(d.From.Year(), d.From.Month(), 1); !m.After(d.To); m = m.AddMonths(1) {
			for hi+1 < len(d.History) && !d.History[hi+1].ValidFrom.After(m) {
				hi++
			}
			var v *float64
			h := d.History[hi]
			if !h.ValidFrom.After(m) && (h.ValidTo.IsZero() || h.ValidTo.After(m)) {
				v = num(h.Price)
			}
			o.X = append(o.X, unix(m))
			if m.Before(entry) {
				o.Backcast, o.Floor = append(o.Backcast, v), append(o.Floor, nil)
			} else {
				o.Backcast, o.Floor = append(o.Backcast, nil), append(o.Floor, v)
			}
			if d.Market != nil {
				if x, ok := market[m.MonthKey()]; ok {
					o.Market = append(o.Market, num(x))
				} else {
					o.Market = append(o.Market, nil)
				}
			}
		}
		// Months after the last figure of either line are left out, but the
		// chart runs at least to the end of the floor asked about.
		last := len(o.X) - 1
		keep := unix(f.ValidFrom)
		for last > 0 && o.X[last] > keep && o.Floor[last] == nil && o.Backcast[last] == nil && (o.Market == nil || o.Market[last] == nil) {
			last--
		}
		if last+3 < len(o.X) {
			last += 2 // a little air after the last figure
		}
		o.X, o.Floor, o.Backcast = o.X[:last+1], o.Floor[:last+1], o.Backcast[:last+1]
		if o.Market != nil {
			o.Market = o.Market[:last+1]
		}
		// The backcast line ends where the floor in force begins, so the two
		// join at the entry into force.
		for i := range o.X {
			if o.Floor[i] != nil {
				if i > 0 && o.Backcast[i-1] != nil {
					o.Backcast[i] = o.Floor[i]
				}
				break
			}
		}
		out.Over = o
	}
	if c := d.Curve; c != nil {
		cj := &curveJSON{Unit: f.Currency + "/" + f.Unit, CapUnit: c.CapacityUnit, TargetX: c.TargetX.Float64(),
			Percentile: c.Percentile.String(), Marginal: c.Marginal}
		for _, s := range c.Producers {
			if s.ID == c.Marginal {
				cj.Marginal = s.Name + " (" + s.Country + ")"
			}
		}
		floor, cash := num(f.Price), num(c.CashCost)
		for _, s := range c.Producers {
			for _, x := range []dec.Decimal{s.From, s.To} {
				cj.X = append(cj.X, x.Float64())
				if s.Counted {
					cj.Counted, cj.Excluded = append(cj.Counted, num(s.Cost)), append(cj.Excluded, nil)
				} else {
					cj.Counted, cj.Excluded = append(cj.Counted, nil), append(cj.Excluded, num(s.Cost))
				}
				cj.Floor, cj.CashCost = append(cj.Floor, floor), append(cj.CashCost, cash)
			}
		}
		out.Curve = cj
	}
	return out
}
