package duty

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/customsfx"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/exact"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// Assessor assesses declarations under one agreement. Build it once: it
// compiles the agreement's instruments into tables per party, mineral and stage
// for each stretch of dates on which the text in force does not change, and
// caches floors per day and exchange rates per month as they are first asked
// for. An Assessor is safe for concurrent use.
type Assessor struct {
	ag     *agreement.Agreement
	reg    *registry.Registry
	floors Floors
	ledger QuotaLedger

	changes []date.Date // sorted dates on which the text in force may change
	views   []*view     // views[i] holds from changes[i]; built lazily
	viewMu  sync.Mutex

	days      memo[date.Date, *day]
	fx        memo[fxKey, fxEntry]
	tableFx   memo[tableKey, fxEntry]           // rates of the parties' own tables, by day
	fxTriples memo[fxDayKey, *fxTriple]         // the three rates a row needs
	floorsC   memo[*refprice.Floor, floorEntry] // by the floor the source handed out
	classes   memo[string, classEntry]
	resolvedC memo[resolveKey, *resolved]
	units     map[string]unitInfo
	noFloor   *floorQ             // what a line outside the scope has for a floor: none (kg, no price)
	origins   memo[string, error] // nil: a known country
}

// Option changes an Assessor.
type Option func(*Assessor)

// WithLedger makes the Assessor allocate tariff-rate quotas through l instead
// of an in-memory ledger of its own.
func WithLedger(l QuotaLedger) Option { return func(a *Assessor) { a.ledger = l } }

// New returns an Assessor for the agreement ag (as written, amendments
// included), over the registry and the published floors.
func New(ag *agreement.Agreement, reg *registry.Registry, floors Floors, opts ...Option) (*Assessor, error) {
	if ag == nil || reg == nil || floors == nil {
		return nil, problem.Errorf(problem.Internal, "duty: an agreement, a registry and a floor source are required")
	}
	a := &Assessor{ag: ag, reg: reg, floors: floors, units: map[string]unitInfo{}}
	for _, o := range opts {
		o(a)
	}
	if a.ledger == nil {
		a.ledger = NewMemLedger()
	}
	for _, u := range reg.Units() {
		ui := unitInfo{code: u.Code, kg: exact.FromDecimal(u.PerKg), contained: u.Dimension == registry.ContainedMass}
		a.units[u.Code] = ui
		for _, al := range u.Aliases {
			a.units[al] = ui
		}
	}
	a.noFloor = &floorQ{f: &refprice.Floor{Unit: "kg", Currency: ag.Currency}, unitKg: exact.Int(1)}
	a.changes = ag.ChangeDates()
	a.views = make([]*view, len(a.changes))
	return a, nil
}

// Agreement returns the agreement the Assessor applies.
func (a *Assessor) Agreement() *agreement.Agreement { return a.ag }

// view is the agreement in force over a stretch of dates, compiled.
type view struct {
	parties   map[string]*cparty // by party id, and by member state of a customs-union party
	partyOf   map[string]string  // origin country → party id (parties in force)
	scope     map[msKey]*agreement.StageScope
	order     map[string]int // mineral → position in the agreement
	agreement *agreement.Agreement
}

type msKey struct {
	mineral string
	stage   registry.Stage
}

// day is what one acceptance date needs: the view and the exchange-rate month.
type day struct {
	v       *view
	month   string // YYYY-MM of the month whose rates apply (acceptance month)
	prevMon string // the month before
}

// dayOf returns what the date d needs; an error is a problem with the field
// accepted_on, or, when the text in force cannot be compiled, one that names
// no field.
func (a *Assessor) dayOf(d date.Date) (*day, *problem.Error) {
	if x, ok := a.days.load(d); ok {
		return x, nil
	}
	if d.Before(a.ag.EntryIntoForce) {
		return nil, fieldErr("accepted_on", d.String(), "%s is before agreement %s enters into force on %s", d, a.ag.ID, a.ag.EntryIntoForce)
	}
	v, err := a.view(agreement.ChangeIndex(a.changes, d))
	if err != nil {
		return nil, fieldErr("", "", "%v", err)
	}
	first := date.New(d.Year(), d.Month(), 1)
	dy := &day{v: v, month: d.MonthKey(), prevMon: first.AddMonths(-1).MonthKey()}
	a.days.store(d, dy)
	return dy, nil
}

func (a *Assessor) view(i int) (*view, error) {
	a.viewMu.Lock()
	defer a.viewMu.Unlock()
	if a.views[i] != nil {
		return a.views[i], nil
	}
	in, err := a.ag.AsOf(a.changes[i])
	if err != nil {
		return nil, err
	}
	v, err := a.compile(in)
	if err != nil {
		return nil, err
	}
	a.views[i] = v
	return v, nil
}

func (a *Assessor) compile(in *agreement.InForce) (*view, error) {
	ag := in.Agreement
	v := &view{parties: map[string]*cparty{}, partyOf: map[string]string{}, scope: map[msKey]*agreement.StageScope{},
		order: map[string]int{}, agreement: ag}
	for i := range ag.Minerals {
		m := &ag.Minerals[i]
		v.order[m.ID] = i
		for j := range m.Stages {
			v.scope[msKey{m.ID, m.Stages[j].Stage}] = &m.Stages[j]
		}
	}
	compiled := map[string]*cparty{}
	for i := range ag.Parties {
		p := &ag.Parties[i]
		cp, err := a.compileParty(p)
		if err != nil {
			return nil, fmt.Errorf("party %s: %w", p.ID, err)
		}
		compiled[p.ID] = cp
	}
	// Who belongs to which party is the agreement's answer (customs unions
	// expanded, a member state's own accession first).
	zone, err := in.Zone(a.reg)
	if err != nil {
		return nil, err
	}
	for _, c := range zone.Countries() {
		id, _ := zone.PartyOf(c)
		v.partyOf[c] = id
		v.parties[c] = compiled[id]
	}
	return v, nil
}

// unitInfo is a unit of mass with its exact factor to kilograms.
type unitInfo struct {
	code      string
	kg        exact.Q
	contained bool
}

func (a *Assessor) unit(code string) (unitInfo, bool) {
	if u, ok := a.units[code]; ok {
		return u, true
	}
	u, ok := a.units[strings.ToLower(strings.TrimSpace(code))]
	return u, ok
}

type fxKey struct{ cur, month string }

type fxEntry struct {
	perUSD exact.Q          // units of the currency per US dollar
	quote  *registry.Quote  // as published (FRED)
	table  *customsfx.Quote // as published (the party's own table)
	err    error
}

// perUSD returns how many units of cur one US dollar buys in month.
func (a *Assessor) perUSD(cur, month string) (fxEntry, error) {
	k := fxKey{cur, month}
	if e, ok := a.fx.load(k); ok {
		return e, e.err
	}
	var e fxEntry
	qt, err := a.reg.Rate(cur, month)
	if err != nil {
		var pe *problem.Error
		if errors.As(err, &pe) {
			e.err = errors.New(pe.Message)
		} else {
			e.err = err
		}
	} else {
		e.quote = &qt
		e.perUSD = exact.FromDecimal(qt.Value)
		if qt.Quotation == registry.USDPerUnit {
			e.perUSD = e.perUSD.Inv()
		}
	}
	a.fx.store(k, e)
	return e, e.err
}

type floorKey struct {
	mineral, stage string
	on             date.Date
}

type floorEntry struct {
	f   *floorQ
	err error
}

// publishedFloor is the floor of mineral at stage on a date, asked of the
// Assessor's source of floors every time: the source says which publication
// is in force (a correction published meanwhile, by this node or another,
// applies at once). What is kept is the exact form of each floor the source
// hands out, by identity: a publication never changes. A bulk run keeps its
// floors of the day in its workers' caches.
func (a *Assessor) publishedFloor(mineral, stage string, on date.Date) (*floorQ, error) {
	f, err := a.floors.Floor(mineral, stage, on)
	if err != nil {
		return nil, err
	}
	if e, ok := a.floorsC.load(f); ok {
		return e.f, e.err
	}
	e := floorEntry{f: &floorQ{f: f, price: exact.FromDecimal(f.Price)}}
	e.f.priceText = string(e.f.price.AppendFixed(nil, shownPlaces))
	u, ok := a.unit(f.Unit)
	if !ok {
		e.err = fmt.Errorf("floor of %s/%s is per unknown unit %q", mineral, stage, f.Unit)
	}
	e.f.unitKg = u.kg
	a.floorsC.store(f, e)
	return e.f, e.err
}

type classEntry struct {
	lines []classLine
	err   error
}

// classLine is one mineral a tariff code carries: a line of the HS map, with a
// group line (rare_earths) expanded to each member.
type classLine struct {
	registry.HSLine
	group       string // the group the map names, if any
	content     exact.Q
	contentText string // content as the output shows it, formatted once
}

// FloorPrice is step 7 (docs/declarations.md, Floor) alone: the price of the
// floor of mineral at stage published for a date, in the agreement currency
// per unit (the stage's unit).
func (a *Assessor) FloorPrice(mineral, stage string, on date.Date) (price dec.Decimal, unit string, err error) {
	f, err := a.publishedFloor(mineral, stage, on)
	if err != nil {
		return dec.Decimal{}, "", err
	}
	return f.f.Price, f.f.Unit, nil
}

// hsLines is registry.Classify, with group lines expanded to their members,
// kept once asked for.
func (a *Assessor) hsLines(code string) ([]classLine, error) {
	if e, ok := a.classes.load(code); ok {
		return e.lines, e.err
	}
	lines, err := a.reg.Classify(code)
	var out []classLine
	for _, l := range lines {
		members, group, gerr := a.reg.MineralOrGroup(l.Mineral)
		if gerr != nil || !group {
			members = []string{l.Mineral}
		}
		for _, m := range members {
			c := classLine{HSLine: l, content: exact.FromDecimal(l.Content)}
			c.contentText = string(c.content.AppendFixed(nil, contentPlaces))
			c.Mineral = m
			if group {
				c.group = l.Mineral
			}
			out = append(out, c)
		}
	}
	a.classes.store(code, classEntry{out, err})
	return out, err
}

func (a *Assessor) knownCountry(code string) error {
	if e, ok := a.origins.load(code); ok {
		return e
	}
	var err error
	if len(code) != 2 {
		err = fmt.Errorf("%q is not an ISO 3166 alpha-2 country code", code)
	} else if _, e := a.reg.Country(code); e != nil {
		var pe *problem.Error
		if errors.As(e, &pe) {
			err = errors.New(pe.Message)
		} else {
			err = e
		}
	}
	a.origins.store(code, err)
	return err
}

// parseDate reads YYYY-MM-DD without going through time.Parse, and refuses
// dates that do not exist.
func parseDate(s []byte) (date.Date, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return date.Date{}, false
	}
	n := func(b []byte) int {
		v := 0
		for _, c := range b {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	y, m, d := n(s[:4]), n(s[5:7]), n(s[8:])
	if y < 1 || m < 1 || m > 12 || d < 1 {
		return date.Date{}, false
	}
	dim := [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
	if m == 2 && (y%4 == 0 && (y%100 != 0 || y%400 == 0)) {
		dim = 29
	}
	if d > dim {
		return date.Date{}, false
	}
	return date.New(y, time.Month(m), d), true
}
