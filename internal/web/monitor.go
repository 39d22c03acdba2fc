package web

import (
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/mineralpact/mineralpact/internal/auth"
	"github.com/mineralpact/mineralpact/internal/monitor"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/service"
	"github.com/mineralpact/mineralpact/internal/store"
)

// The monitor's pages (issue 13, part 4): /monitor ranks the stored alerts
// and lists the open cases; /monitor/alerts/{id} charts the evidence of one
// alert and carries its case's history, with the secretariat's forms (open,
// note, confirm, dismiss). Alerts are read by analysts and the secretariat
// only (docs/access.md), so the pages ask for a session of one of them; the
// forms post here, carry the session's CSRF token and are taken from the
// secretariat only, through the same service as the API.

// monitorReaders may read the monitor's pages; monitorDeciders act on cases.
var (
	monitorReaders  = []auth.Role{auth.Analyst, auth.Secretariat}
	monitorDeciders = []auth.Role{auth.Secretariat}
)

// monitorViewer is who asks for a monitor page, or the error page's reason
// why they may not: not signed in (401, with the way to sign in) or signed
// in with another role (403).
func (p *portal) monitorViewer(r *http.Request, roles []auth.Role) (viewer, error) {
	v := p.viewerOf(r)
	if v.User == nil {
		return v, problem.Errorf(problem.Unauthorized, "the monitor's alerts and cases are for analysts and the secretariat: sign in (/signin?next=%s) with such a token", url.QueryEscape(r.URL.Path))
	}
	if !v.User.May(roles...) {
		return v, problem.Errorf(problem.Forbidden, "a %s may not do this: it is for %s (docs/access.md)", v.User.Role, roleNames(roles))
	}
	if p.deps.Store == nil {
		return v, problem.Errorf(problem.Internal, "no store configured: no alerts or cases are kept")
	}
	return v, nil
}

func roleNames(rs []auth.Role) string {
	s := ""
	for i, r := range rs {
		if i > 0 {
			s += " and "
		}
		s += "the " + string(r)
	}
	return s
}

// monitorData is the /monitor page.
type monitorData struct {
	Filter    store.AlertFilter
	Statuses  []string
	Detectors []string
	Alerts    []alertRow
	More      bool // the list was cut at monitorListMax
	Cases     []caseRow
	CanDecide bool
	Error     string
}

// alertRow is a stored alert as the pages show it.
type alertRow struct{ store.StoredAlert }

// Mag is the alert's magnitude for reading: grouped, 3 significant digits
// below 1 (a share), whole above.
func (a alertRow) Mag() string { return figure(a.Alert.Magnitude) }

// caseRow is a case as the pages show it.
type caseRow struct{ monitor.Case }

// Last is the case's latest event.
func (c caseRow) Last() monitor.Event { return c.Events[len(c.Events)-1] }

// figure writes a statistic for reading: 4100000 → "4,100,000", 0.42 →
// "0.42". The figure is rounded for the page; the JSON keeps it whole.
func figure(x float64) string {
	if math.Abs(x) < 100 {
		return strconv.FormatFloat(x, 'g', 3, 64)
	}
	s := groupThousands(strconv.FormatFloat(math.Round(math.Abs(x)), 'f', 0, 64))
	if x < 0 {
		s = "-" + s
	}
	return s
}

// monitorListMax bounds the alerts one page lists.
const monitorListMax = 500

func (p *portal) monitorPage(w http.ResponseWriter, r *http.Request) {
	v, err := p.monitorViewer(r, monitorReaders)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	d := monitorData{Filter: store.AlertFilter{Detector: q.Get("detector"), Importer: q.Get("importer"), Exporter: q.Get("exporter"), HS: q.Get("hs"), Status: q.Get("status"), Limit: monitorListMax + 1},
		Statuses: store.AlertStatuses, Detectors: monitor.Detectors, CanDecide: v.User.May(monitorDeciders...)}
	if err := d.Filter.Check(); err != nil {
		d.Error = messageOf(err)
		d.Filter.Status = ""
	}
	as, err := p.deps.Store.ListAlerts(r.Context(), d.Filter)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if len(as) > monitorListMax {
		as, d.More = as[:monitorListMax], true
	}
	for _, a := range as {
		d.Alerts = append(d.Alerts, alertRow{a})
	}
	cs, err := p.deps.Store.ListCases(r.Context(), monitor.StatusOpen)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	for _, c := range cs {
		d.Cases = append(d.Cases, caseRow{c})
	}
	p.render(w, r, http.StatusOK, "monitor", page{Title: "Monitoring", Nav: "monitor", Data: d})
}

// alertData is the page of one alert.
type alertData struct {
	Alert     alertRow
	Case      *service.CaseView
	CanDecide bool
	Charts    alertChartsJSON // the charts' data; the template writes it as JSON for monitor.js
	Series    []seriesTable
	Figures   []figureRow
	Measure   string // the measure's date, for the figure's caption
}

// figureRow is one figure of the evidence for reading.
type figureRow struct{ Name, Value, Unit, Note string }

// seriesTable is the evidence's series side by side, one row a period.
type seriesTable struct {
	Headers []string // each series' name and unit
	Rows    []seriesRow
}

type seriesRow struct {
	Period string
	Values []string // "–" where the series has no value
}

func (p *portal) alertPage(w http.ResponseWriter, r *http.Request) {
	v, err := p.monitorViewer(r, monitorReaders)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	a, err := p.deps.Store.GetAlert(r.Context(), r.PathValue("id"))
	if err != nil {
		p.fail(w, r, err)
		return
	}
	d := alertData{Alert: alertRow{a}, CanDecide: v.User.May(monitorDeciders...)}
	if a.Case != 0 {
		c, err := service.LoadCase(r.Context(), p.deps.Store, a.Case)
		if err != nil {
			p.fail(w, r, err)
			return
		}
		d.Case = &c
	}
	d.Charts, d.Series = alertCharts(a.Alert)
	for _, f := range a.Alert.Evidence.Figures {
		d.Figures = append(d.Figures, figureRow{f.Name, figure(f.Value), f.Unit, f.Note})
	}
	if m := a.Alert.Measure; m != nil {
		d.Measure = m.Effective.String()
	}
	title := a.Alert.Detector + " · " + a.Alert.HS
	p.render(w, r, http.StatusOK, "monitor-alert", page{Title: "Alert " + title, Nav: "monitor", Data: d})
}

// alertChartsJSON is what monitor.js draws. Times are Unix seconds of each
// period's first day, as uPlot's time axis wants.
type alertChartsJSON struct {
	Series       *seriesJSON `json:"series,omitempty"`
	Distribution *distJSON   `json:"distribution,omitempty"`
}

type seriesJSON struct {
	X            []int64      `json:"x"`
	Names        []string     `json:"names"`
	Unit         string       `json:"unit"`
	Y            [][]*float64 `json:"y"`
	Bars         bool         `json:"bars"` // mirror values: bars side by side
	Measure      *int64       `json:"measure,omitempty"`
	MeasureLabel string       `json:"measure_label,omitempty"`
}

type distJSON struct {
	X     []int     `json:"x"` // rank, lowest value first
	Y     []float64 `json:"y"`
	Line  float64   `json:"line"`
	Label string    `json:"label"`
	Unit  string    `json:"unit"`
	Below int       `json:"below"`
}

// alertCharts lays an alert's evidence out for its charts and tables: the
// series on one grid of periods (a series without a period is a gap), the
// distribution sorted against its line.
func alertCharts(a monitor.Alert) (alertChartsJSON, []seriesTable) {
	var out alertChartsJSON
	var tables []seriesTable
	if ss := a.Evidence.Series; len(ss) > 0 {
		var periods []monitor.Period
		seen := map[monitor.Period]bool{}
		for _, s := range ss {
			for _, pt := range s.Points {
				if !seen[pt.Period] {
					seen[pt.Period] = true
					periods = append(periods, pt.Period)
				}
			}
		}
		slices.SortFunc(periods, func(x, y monitor.Period) int {
			if x.Less(y) {
				return -1
			}
			if y.Less(x) {
				return 1
			}
			return 0
		})
		at := map[monitor.Period]int{}
		sj := &seriesJSON{Unit: ss[0].Unit, Bars: a.Detector == monitor.MirrorGap}
		t := seriesTable{}
		for i, p := range periods {
			at[p] = i
			sj.X = append(sj.X, p.Start().Time().Unix())
			t.Rows = append(t.Rows, seriesRow{Period: p.String(), Values: slices.Repeat([]string{"–"}, len(ss))})
		}
		for j, s := range ss {
			sj.Names = append(sj.Names, s.Name)
			t.Headers = append(t.Headers, s.Name+" ("+s.Unit+")")
			y := make([]*float64, len(periods))
			for _, pt := range s.Points {
				v := pt.Value
				y[at[pt.Period]] = &v
				t.Rows[at[pt.Period]].Values[j] = figure(v)
			}
			sj.Y = append(sj.Y, y)
		}
		if m := a.Measure; m != nil {
			sec := m.Effective.Time().Unix()
			sj.Measure, sj.MeasureLabel = &sec, m.Name+" ("+m.Effective.String()+")"
		}
		out.Series = sj
		tables = append(tables, t)
	}
	if d := a.Evidence.Distribution; d != nil && len(d.Values) > 0 {
		dj := &distJSON{Y: slices.Sorted(slices.Values(d.Values)), Line: d.Line, Label: d.Label, Unit: d.Unit}
		for i, v := range dj.Y {
			dj.X = append(dj.X, i+1)
			if v < d.Line {
				dj.Below++
			}
		}
		out.Distribution = dj
	}
	return out, tables
}

// caseForm reads a case form: the session must be the secretariat's and
// the form must carry its CSRF token. It answers the refusal itself and
// returns false.
func (p *portal) caseForm(w http.ResponseWriter, r *http.Request) (auth.Principal, bool) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	v, err := p.monitorViewer(r, monitorDeciders)
	if err != nil {
		p.fail(w, r, err)
		return auth.Principal{}, false
	}
	c, _ := r.Cookie(auth.SessionCookie)
	if err := r.ParseForm(); err != nil || !auth.CheckCSRF(c.Value, r.PostForm.Get(csrfField)) {
		p.fail(w, r, problem.Errorf(problem.Forbidden, "the form expired or came from another site; open the alert's page again"))
		return auth.Principal{}, false
	}
	return *v.User, true
}

// openCaseForm opens a case from the alerts the form names (alert, one or
// more) and goes to the first alert's page.
func (p *portal) openCaseForm(w http.ResponseWriter, r *http.Request) {
	who, ok := p.caseForm(w, r)
	if !ok {
		return
	}
	alerts := r.PostForm["alert"]
	c, err := service.OpenCase(r.Context(), p.deps.Store, r.PostForm.Get("title"), alerts, who.Actor(), time.Now().UTC()) // the adapter's clock
	if err != nil {
		p.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/monitor/alerts/"+url.PathEscape(c.Alerts[0])+"#case", http.StatusSeeOther)
}

// caseEventForm adds a note, a confirmation or a dismissal (kind) to the
// case and goes back to the alert the form was on.
func (p *portal) caseEventForm(w http.ResponseWriter, r *http.Request) {
	who, ok := p.caseForm(w, r)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		p.fail(w, r, problem.Errorf(problem.Invalid, "case id %q: want a positive whole number", r.PathValue("id")))
		return
	}
	kind := r.PostForm.Get("kind")
	c, err := service.CaseEvent(r.Context(), p.deps.Store, id, kind, r.PostForm.Get("text"), who.Actor(), time.Now().UTC()) // the adapter's clock
	if err != nil {
		p.fail(w, r, err)
		return
	}
	back := r.PostForm.Get("alert")
	if !slices.Contains(c.Alerts, back) {
		back = c.Alerts[0]
	}
	http.Redirect(w, r, "/monitor/alerts/"+url.PathEscape(back)+"#case", http.StatusSeeOther)
}
