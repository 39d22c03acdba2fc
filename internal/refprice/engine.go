package refprice

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// Engine computes the floors of one agreement. It memoises each floor by its
// revision, so a history, a collar chain and a stage chain compute each
// revision once. An Engine is safe for concurrent use.
type Engine struct {
	ag       *agreement.Agreement
	src      Sources
	backcast bool
	// strict refuses a floor that needs a vintage released after its cut-off;
	// New decides it, once: see StrictVintages.
	strict bool

	mu   sync.Mutex
	memo map[memoKey]*result
	asOf map[date.Date]*agreement.InForce // by the change of the text a date falls after
	// changes are the dates the text in force may change on
	// (agreement.ChangeDates).
	changes []date.Date
	curve   map[string]*sortedCurve
	series  map[string]*MonthlySeries
}

type memoKey struct {
	mineral, stage string
	from           date.Date
}

type result struct {
	ready chan struct{} // closed once floor and err are set
	floor *Floor
	err   error
}

// Option changes how an Engine computes.
type Option func(*Engine)

// Backcast lets the engine compute floors for dates before the entry into
// force, with the rules as they enter into force; such floors say so.
func Backcast() Option { return func(e *Engine) { e.backcast = true } }

// StrictVintages makes a floor that needs a vintage released after its data
// cut-off a problem that names the input, its release and the cut-off, whatever
// the agreement says. That is the default: the agreement's later_vintages
// "flag" alone lets the engine use the only vintage that ships and flag each
// such input after_cut_off in the floor's provenance (docs/prices.md,
// "Vintages"); the example does, because its generated cost curves, calibrated
// to MCS 2026 (released 2026-02-06), are after the cut-off of the revisions of
// 2026-01-01. This option overrides it (prices --strict-vintages).
func StrictVintages() Option { return func(e *Engine) { e.strict = true } }

// laterVintagesFlag is the agreement's later_vintages value that tolerates a
// vintage released after the cut-off, flagged; empty and "refuse" refuse it.
const laterVintagesFlag = "flag"

// New returns an engine for the agreement a over the data in src. Whether a
// floor may use a vintage released after its cut-off is decided here, once:
// refused unless the agreement says later_vintages: flag and no
// StrictVintages option overrides it.
func New(a *agreement.Agreement, src Sources, opts ...Option) *Engine {
	e := &Engine{ag: a, src: src, memo: map[memoKey]*result{}, asOf: map[date.Date]*agreement.InForce{}, curve: map[string]*sortedCurve{}, series: map[string]*MonthlySeries{},
		changes: a.ChangeDates()}
	e.strict = a.LaterVintages != laterVintagesFlag
	for _, o := range opts {
		o(e)
	}
	return e
}

// Compute returns the floor of every mineral and stage in scope on d, in the
// agreement's order. It stops at nothing: the floors that can be computed are
// returned with a problem.List naming each one that cannot.
func (e *Engine) Compute(d date.Date) ([]Floor, error) {
	ag, err := e.rules(d)
	if err != nil {
		return nil, err
	}
	var out []Floor
	var errs problem.List
	for _, m := range ag.Minerals {
		for _, s := range m.Stages {
			f, err := e.Floor(m.ID, string(s.Stage), d)
			if err != nil {
				errs = append(errs, asProblem(err, m.ID, string(s.Stage)))
				continue
			}
			out = append(out, *f)
		}
	}
	return out, errs.Err()
}

// Floor returns the floor of mineral at stage in force on d.
func (e *Engine) Floor(mineral, stage string, d date.Date) (*Floor, error) {
	ag, err := e.rules(d)
	if err != nil {
		return nil, err
	}
	rule, err := ruleOf(ag, mineral, stage)
	if err != nil {
		return nil, err
	}
	sch, err := newSchedule(rule.Price.Revision, e.ag.EntryIntoForce)
	if err != nil {
		return nil, err
	}
	from, _ := sch.revision(d)
	return e.atRevision(mineral, stage, from)
}

// History returns every floor of mineral at stage whose validity overlaps
// [from, to], in date order.
func (e *Engine) History(mineral, stage string, from, to date.Date) ([]Floor, error) {
	if to.Before(from) {
		return nil, &problem.Error{Code: problem.Invalid, Field: "to", Message: fmt.Sprintf("to %s is before from %s", to, from)}
	}
	var out []Floor
	for d := from; !d.After(to); {
		f, err := e.Floor(mineral, stage, d)
		if err != nil {
			return out, err
		}
		out = append(out, *f)
		if f.ValidTo.IsZero() {
			break
		}
		d = f.ValidTo
	}
	return out, nil
}

// rules returns the agreement in force on d (or at entry into force, when
// backcasting an earlier date).
func (e *Engine) rules(d date.Date) (*agreement.Agreement, error) {
	in, err := e.inForce(d)
	if err != nil {
		return nil, err
	}
	return in.Agreement, nil
}

// inForce is rules with the agreement's queries (Zone) at hand.
func (e *Engine) inForce(d date.Date) (*agreement.InForce, error) {
	if d.Before(e.ag.EntryIntoForce) {
		if !e.backcast {
			return nil, &problem.Error{Code: problem.NotFound, Field: "as_of",
				Message: fmt.Sprintf("agreement %s sets no reference price before its entry into force on %s (ask for a backcast to see what it would have been)", e.ag.ID, e.ag.EntryIntoForce)}
		}
		d = e.ag.EntryIntoForce
	}
	// The text is the same from one change of it to the next: one AsOf a
	// stretch, not one a day (a bulk run asks for every day of a year).
	d = e.changes[agreement.ChangeIndex(e.changes, d)]
	e.mu.Lock()
	a, ok := e.asOf[d]
	e.mu.Unlock()
	if ok {
		return a, nil
	}
	in, err := e.ag.AsOf(d)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	e.asOf[d] = in
	e.mu.Unlock()
	return in, nil
}

func ruleOf(a *agreement.Agreement, mineral, stage string) (*agreement.StageScope, error) {
	return a.Scope(mineral, registry.Stage(stage))
}

// atRevision computes (once) the floor published at the revision date from.
func (e *Engine) atRevision(mineral, stage string, from date.Date) (*Floor, error) {
	// One computation a revision, whoever asks first: the others wait for
	// it (the bulk path's workers reach a new revision's first rows
	// together). A revision's computation asks only for earlier revisions
	// and for the stages it is derived from, so no two wait on each other.
	key := memoKey{mineral, stage, from}
	e.mu.Lock()
	r, ok := e.memo[key]
	if !ok {
		r = &result{ready: make(chan struct{})}
		e.memo[key] = r
	}
	e.mu.Unlock()
	if ok {
		<-r.ready
		return r.floor, r.err
	}
	r.floor, r.err = e.compute(mineral, stage, from)
	if r.err != nil {
		r.err = asProblem(r.err, mineral, stage)
	}
	close(r.ready)
	return r.floor, r.err
}

// compute derives the floor of one revision: the method's raw price, then the
// collar against the previous revision, the minimum, and the rounding.
func (e *Engine) compute(mineral, stage string, from date.Date) (*Floor, error) {
	ag, err := e.rules(from)
	if err != nil {
		return nil, err
	}
	rule, err := ruleOf(ag, mineral, stage)
	if err != nil {
		return nil, err
	}
	pr := rule.Price
	sch, err := newSchedule(pr.Revision, e.ag.EntryIntoForce)
	if err != nil {
		return nil, err
	}
	_, to := sch.revision(from)
	f := &Floor{
		Mineral: mineral, Stage: stage, ValidFrom: from, ValidTo: to, CutOff: sch.cutOff(from),
		Currency: e.ag.Currency, Unit: rule.Unit, Method: pr.Method, Agreement: e.ag.ID,
		Backcast: from.Before(e.ag.EntryIntoForce),
	}
	if art, ok := ag.Article(pr.Basis); ok {
		f.Basis = Basis{Article: art.ID, Title: art.Title, Text: art.Text}
	}
	c := &calc{e: e, f: f, rule: rule, basis: pr.Basis}
	raw, err := c.method()
	if err != nil {
		return nil, err
	}
	price := raw
	if prevFrom, ok := sch.previous(from); ok && pr.Revision.Collar.Sign() > 0 {
		prev, err := e.atRevision(mineral, stage, prevFrom)
		if err != nil {
			// Said of this floor: a revision refused (a vintage after its
			// cut-off, a gap) leaves the collar of the next with no base.
			return nil, &problem.Error{Code: problem.CodeOf(err), Field: mineral + "/" + stage,
				Message: fmt.Sprintf("collar: needs the previous revision of %s, which has no floor: %v", prevFrom, err), Err: err}
		}
		price = c.collar(price, prev, pr.Revision.Collar, prevFrom)
	}
	if min := pr.Revision.Minimum; min.Sign() > 0 {
		if price.Cmp(min) < 0 {
			c.step("minimum", map[string]string{"price": price.String(), "minimum": min.String()}, "max(price, minimum)", min)
			price = min
		} else {
			c.step("minimum (not binding)", map[string]string{"price": price.String(), "minimum": min.String()}, "max(price, minimum): the price is at or above the minimum", price)
		}
	}
	prec := pr.Rounding()
	rounded, _, err := prec.Round(price)
	if err != nil {
		return nil, err
	}
	c.step("publish", map[string]string{"price": price.String(), "places": strconv.Itoa(prec.Places), "mode": string(prec.Mode)},
		fmt.Sprintf("round %s (%s)", prec, precisionSource(mineral, stage, pr)), rounded)
	f.Price, f.ExactPrice, f.Rounding = rounded, price, &prec
	if len(c.late) > 0 {
		c.inherited = append(c.inherited, Provenance{Quality: AfterCutOff, Inputs: c.late})
	}
	f.Provenance = provenance(f.Inputs, c.inherited)
	f.InputsHash = hashInputs(f)
	return f, nil
}

// asProblem names the floor a failure belongs to, keeping the error's code and
// the floor it arose in when that is another (an upstream stage).
func asProblem(err error, mineral, stage string) *problem.Error {
	var pe *problem.Error
	if errors.As(err, &pe) {
		if strings.Contains(pe.Field, "/") {
			return pe
		}
		c := *pe
		c.Field = mineral + "/" + stage
		return &c
	}
	return &problem.Error{Code: problem.Invalid, Field: mineral + "/" + stage, Message: err.Error(), Err: err}
}

// precisionSource names where a floor's rounding comes from: the price rule's
// precision, or the default where the rule states none.
func precisionSource(mineral, stage string, pr agreement.PriceRule) string {
	if pr.Precision == nil {
		return fmt.Sprintf("the default: the price rule of %s/%s states no precision", mineral, stage)
	}
	return fmt.Sprintf("the precision of the price rule of %s/%s", mineral, stage)
}
