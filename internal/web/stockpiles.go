package web

import (
	"fmt"
	"html/template"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/market"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/service"
	"github.com/mineralpact/mineralpact/internal/stockpile"
	"github.com/mineralpact/mineralpact/scenarios"
)

// stockpilePageNames are the stockpile pages (issue 15): days of cover per
// party and mineral, and the crisis page.
var stockpilePageNames = []string{"stockpiles", "stockpiles-crisis"}

// addPages parses the named page templates.
func (p *portal) addPages(names ...string) {
	for _, name := range names {
		p.pages[name] = template.Must(template.New("layout.html").Funcs(funcs).
			ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html"))
	}
}

// coverData is the days-of-cover page: each regime's parties, their days of
// cover against their obligation's days, charted.
type coverData struct {
	AsOf    string
	Regimes []coverRegime
	Error   string
}

type coverRegime struct {
	stockpile.RegimeCompliance
	Chart template.HTML
}

// stockpiles shows the compliance on a date: by default the date of the
// latest shipped declaration (the portal reads no clock either).
func (p *portal) stockpiles(w http.ResponseWriter, r *http.Request) {
	d := coverData{AsOf: r.URL.Query().Get("as_of")}
	on, err := p.coverDate(d.AsOf)
	if err != nil {
		d.Error = messageOf(err)
		p.render(w, r, http.StatusBadRequest, "stockpiles", page{Title: "Stockpiles", Nav: "stockpiles", Data: d})
		return
	}
	d.AsOf = on.String()
	c, err := p.deps.StockpileCompliance(on)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	for _, rc := range c.Regimes {
		d.Regimes = append(d.Regimes, coverRegime{RegimeCompliance: rc, Chart: coverChart(rc)})
	}
	p.render(w, r, http.StatusOK, "stockpiles", page{Title: "Stockpiles", Nav: "stockpiles", Data: d})
}

// coverDate is the as_of asked for, or the latest shipped declaration's.
func (p *portal) coverDate(asOf string) (date.Date, error) {
	if asOf != "" {
		d, err := agreement.ParseAsOf(asOf)
		if err != nil {
			return d, &problem.Error{Code: problem.Invalid, Field: "as_of", Message: fmt.Sprintf("as of %q: want a date YYYY-MM-DD", asOf)}
		}
		return d, nil
	}
	hs, err := stockpile.ReadShippedHoldings(p.deps.Data, p.deps.Agreement)
	if err != nil {
		return date.Date{}, err
	}
	latest := p.deps.Agreement.EntryIntoForce
	for _, h := range hs {
		if h.Date.After(latest) {
			latest = h.Date
		}
	}
	return latest, nil
}

// crisisData is the crisis page.
type crisisData struct {
	Scenarios []scenarioOption
	Selected  string
	Days      string
	Initial   string
	Sim       *stockpile.Simulation
	Rows      []crisisRow
	Parties   []stockpile.PartyTotal
	Outcomes  []*stockpile.Outcome
	Price     template.HTML
	Shortage  template.HTML
	Error     string
}

// crisisRow is a month of the plan with something in it.
type crisisRow struct {
	Month                                          string
	Collective                                     bool
	Single                                         string
	Loss, Restraint, Release, Uncovered, Replenish stockpile.Kg
	Stock                                          stockpile.Kg
	PriceNone, PriceCoordinated, PriceAlone        float64
	Parties                                        []stockpile.PartyMonth
}

// crisis runs a shipped scenario's response on the server (the central
// paths, no Monte Carlo: a second or so) and shows the triggers, the plan
// per party and month and the price and shortage paths with and without.
func (p *portal) crisis(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := crisisData{Selected: q.Get("scenario"), Days: q.Get("days"), Initial: q.Get("initial")}
	for _, name := range scenarios.Names() {
		b, file, _ := scenarios.Get(name)
		sc, err := market.DecodeScenario(file, b)
		if err != nil {
			p.fail(w, r, err)
			return
		}
		if sc.Kind == market.KindReplay || !hasRegime(p.deps.Agreement, sc.Mineral) {
			continue // a replay has no shocks; a mineral without a regime no response
		}
		d.Scenarios = append(d.Scenarios, scenarioOption{Name: name, Title: sc.Title, Mineral: sc.Mineral, Stage: sc.Stage, Months: sc.Months, Illustrative: sc.Illustrative})
	}
	if d.Selected == "" && len(d.Scenarios) > 0 {
		d.Selected = d.Scenarios[0].Name
	}
	if d.Initial == "" {
		d.Initial = "obligation"
	}
	days := 0
	if d.Days != "" {
		n, err := strconv.Atoi(d.Days)
		if err != nil || n < 0 || n > 3650 {
			d.Error = fmt.Sprintf("days %q: want a whole number of days from 0 to 3650", d.Days)
		}
		days = n
	}
	status := http.StatusOK
	if d.Error == "" && d.Selected != "" {
		sr, err := p.deps.StockpileRun(d.Selected, service.StockpileOptions{Alone: true, Initial: d.Initial, Days: days})
		if err == nil {
			d.Sim, err = stockpile.Simulate(r.Context(), sr)
		}
		if err != nil {
			d.Error, status = messageOf(err), statusOf(err)
		}
	}
	if d.Error != "" && status == http.StatusOK {
		status = http.StatusBadRequest
	}
	if s := d.Sim; s != nil {
		d.Rows, d.Parties = crisisRows(s), s.Coordinated.Plan.PartyTotals()
		d.Outcomes = []*stockpile.Outcome{s.Without, s.Coordinated, s.Alone}
		d.Price = lineChart("chart-crisis-price", "price ("+s.Currency+"/"+s.Unit+")", s.Months, []chartSeries{
			{"no response", colorNone, s.Without.Price}, {"coordinated", colorCoordinated, s.Coordinated.Price}, {"alone", colorAlone, s.Alone.Price}})
		d.Shortage = lineChart("chart-crisis-shortage", "shortage ("+s.Unit+" a month)", s.Months, []chartSeries{
			{"no response", colorNone, s.Without.Shortage}, {"coordinated", colorCoordinated, s.Coordinated.Shortage}, {"alone", colorAlone, s.Alone.Shortage}})
	}
	p.render(w, r, status, "stockpiles-crisis", page{Title: "Crisis response", Nav: "stockpiles", Data: d})
}

func hasRegime(a *agreement.Agreement, mineral string) bool {
	for _, s := range a.Stockpiles {
		if s.Mineral == mineral {
			return true
		}
	}
	return false
}

func crisisRows(s *stockpile.Simulation) []crisisRow {
	var out []crisisRow
	for i, m := range s.Coordinated.Plan.Months {
		if !m.Collective && len(m.Single) == 0 && m.Release == 0 && m.Replenish == 0 {
			continue
		}
		out = append(out, crisisRow{Month: m.Month, Collective: m.Collective, Single: strings.Join(m.Single, " "), Loss: m.Loss, Restraint: m.Restraint,
			Release: m.Release, Uncovered: m.Uncovered, Replenish: m.Replenish, Stock: m.Stock,
			PriceNone: s.Without.Price[i], PriceCoordinated: s.Coordinated.Price[i], PriceAlone: s.Alone.Price[i], Parties: m.Parties})
	}
	return out
}

const (
	colorNone        = "#b91c1c"
	colorCoordinated = "#14532d"
	colorAlone       = "#2563eb"
	colorObligation  = "#b45309"
)

type chartSeries struct {
	Name, Color string
	Y           []float64
}

// lineChart draws series over labels as an inline SVG (no script: the page
// works without one), with its axes' extremes written out and a legend;
// each series is a polyline whose data-points attribute counts its points.
func lineChart(id, yLabel string, labels []string, series []chartSeries) template.HTML {
	const W, H, L, R, T, B = 760.0, 260.0, 70.0, 10.0, 16.0, 34.0
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range series {
		for _, y := range s.Y {
			lo, hi = math.Min(lo, y), math.Max(hi, y)
		}
	}
	if math.IsInf(lo, 0) {
		return ""
	}
	lo = math.Min(lo, 0)
	if hi <= lo {
		hi = lo + 1
	}
	n := len(labels)
	x := func(i int) float64 { return L + (W-L-R)*float64(i)/math.Max(1, float64(n-1)) }
	y := func(v float64) float64 { return T + (H-T-B)*(1-(v-lo)/(hi-lo)) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg id="%s" class="svg-chart" viewBox="0 0 %g %g" width="100%%" role="img" aria-label="%s by month, %s to %s: %s">`,
		id, W, H, template.HTMLEscapeString(yLabel), labels[0], labels[n-1], template.HTMLEscapeString(seriesNames(series)))
	fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#34413c"/><line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#34413c"/>`, L, H-B, W-R, H-B, L, T, L, H-B)
	for _, v := range []float64{lo, (lo + hi) / 2, hi} {
		fmt.Fprintf(&b, `<text x="%g" y="%g" text-anchor="end" font-size="11" fill="#34413c">%s</text><line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#e5e9e7"/>`,
			L-6, y(v)+4, grouped0(v), L, y(v), W-R, y(v))
	}
	for k, i := range []int{0, n / 2, n - 1} {
		fmt.Fprintf(&b, `<text x="%g" y="%g" text-anchor="%s" font-size="11" fill="#34413c">%s</text>`, x(i), H-B+16, [3]string{"start", "middle", "end"}[k], labels[i])
	}
	for k, s := range series {
		pts := make([]string, len(s.Y))
		for i, v := range s.Y {
			pts[i] = fmt.Sprintf("%.1f,%.1f", x(i), y(v))
		}
		dash := ""
		if k == 2 {
			dash = ` stroke-dasharray="5 4"`
		}
		fmt.Fprintf(&b, `<polyline class="series" data-series="%s" data-points="%d" fill="none" stroke="%s" stroke-width="2"%s points="%s"/>`,
			template.HTMLEscapeString(s.Name), len(s.Y), s.Color, dash, strings.Join(pts, " "))
		fmt.Fprintf(&b, `<rect x="%g" y="%g" width="12" height="3" fill="%s"/><text x="%g" y="%g" font-size="11" fill="#34413c">%s</text>`,
			L+10+float64(k)*130, H-6, s.Color, L+26+float64(k)*130, H-2, template.HTMLEscapeString(s.Name))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func seriesNames(series []chartSeries) string {
	var names []string
	for _, s := range series {
		names = append(names, s.Name)
	}
	return strings.Join(names, ", ")
}

// coverChart draws each party's days of cover as a bar, with its
// obligation's days as a tick: an inline SVG.
func coverChart(rc stockpile.RegimeCompliance) template.HTML {
	type bar struct {
		party       string
		cover, days float64
	}
	var bars []bar
	hi := 1.0
	for _, p := range rc.Parties {
		if p.DaysOfCover == "" {
			continue
		}
		c, _ := strconv.ParseFloat(p.DaysOfCover, 64)
		days := float64(p.Days)
		if p.Exempt != "" {
			days = 0
		}
		bars = append(bars, bar{p.Party, c, days})
		hi = math.Max(hi, math.Max(c, days))
	}
	if len(bars) == 0 {
		return ""
	}
	const W, L, row = 760.0, 60.0, 26.0
	H := 20 + row*float64(len(bars))
	sx := func(v float64) float64 { return L + (W-L-60)*v/hi }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg id="chart-cover-%s" class="svg-chart" viewBox="0 0 %g %g" width="100%%" role="img" aria-label="Days of cover of each party for %s/%s against its obligation's days; the table below gives the figures">`,
		rc.Mineral, W, H, rc.Mineral, rc.Stage)
	for i, br := range bars {
		y := 10 + row*float64(i)
		fmt.Fprintf(&b, `<text x="%g" y="%g" text-anchor="end" font-size="12" fill="#34413c">%s</text>`, L-8, y+14, br.party)
		fmt.Fprintf(&b, `<rect class="bar" data-party="%s" data-days="%g" x="%g" y="%g" width="%.1f" height="18" fill="%s"/>`, br.party, br.cover, L, y, sx(br.cover)-L, colorCoordinated)
		fmt.Fprintf(&b, `<text x="%.1f" y="%g" font-size="11" fill="#34413c">%s</text>`, sx(br.cover)+4, y+13, strconv.FormatFloat(br.cover, 'f', 1, 64))
		if br.days > 0 {
			fmt.Fprintf(&b, `<line class="obligation" x1="%.1f" y1="%g" x2="%.1f" y2="%g" stroke="%s" stroke-width="3"/>`, sx(br.days), y-2, sx(br.days), y+20, colorObligation)
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func grouped0(v float64) string {
	s := strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}
