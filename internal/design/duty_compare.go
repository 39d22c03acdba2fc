package design

import (
	"slices"
	"strings"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/mineralpact/mineralpact/internal/exact"
)

// money is an exact sum as text, without trailing zeros.
func money(x exact.Q) string { return x.Decimal().Normalize().String() }

type totalKey struct {
	party, mineral, stage, measure, typ, currency string
}

// sums adds up a version's groups by (party, mineral, stage, measure) and
// by (party, mineral).
func (c *Comparer) sums(st *dutyState) (lines, totals map[totalKey]exact.Q, quotas map[quotaKey]date.Date, failed int) {
	lines, totals, quotas = map[totalKey]exact.Q{}, map[totalKey]exact.Q{}, map[quotaKey]date.Date{}
	for id, gs := range st.groups {
		g := c.groups.key(id)
		failed += len(gs.errs)
		for k, s := range gs.lines {
			x := s.value()
			lk := totalKey{g.party, g.mineral, k.stage, k.measure, string(k.typ), k.currency}
			lines[lk] = lines[lk].Add(x)
			tk := totalKey{party: g.party, mineral: g.mineral, currency: k.currency}
			totals[tk] = totals[tk].Add(x)
		}
		for k, d := range gs.exhausted {
			if e, ok := quotas[k]; !ok || d.Before(e) {
				quotas[k] = d
			}
		}
	}
	return lines, totals, quotas, failed
}

func (c *Comparer) compareDuty(vo, vn *version, t *Touched) DutyComparison {
	out := DutyComparison{Declarations: len(c.w.Declarations), Source: c.w.DeclarationsSource, Illustrative: c.w.DeclarationsIllustrative}
	ol, ot, oq, of := c.sums(vo.duty)
	nl, nt, nq, nf := c.sums(vn.duty)
	out.OldFailed, out.NewFailed = of, nf
	out.Lines = dutyTotals(ol, nl, t)
	out.ByPartyMineral = dutyTotals(ot, nt, t)
	for k := range merged(oq, nq) {
		o, n := oq[k], nq[k]
		out.Quotas = append(out.Quotas, QuotaChange{Quota: k.quota, PeriodStart: k.period, OldExhausted: o, NewExhausted: n, Changed: o != n})
	}
	slices.SortFunc(out.Quotas, func(a, b QuotaChange) int {
		if c := strings.Compare(a.Quota, b.Quota); c != 0 {
			return c
		}
		return a.PeriodStart.Compare(b.PeriodStart)
	})
	// The declarations whose duty changed: only those re-assessed can
	// have (the others' results are the old version's).
	type cand struct {
		i   int32
		abs exact.Q
	}
	var top []cand
	os, ns := vo.duty, vn.duty
	if os != ns {
		for i := range os.total {
			failedO, failedN := os.group[i] == 0, ns.group[i] == 0
			if failedO == failedN && os.sameTotal(ns, i) {
				continue
			}
			out.Changed++
			d := ns.totalOf(i).Sub(os.totalOf(i))
			if d.Sign() < 0 {
				d = d.Neg()
			}
			if failedO != failedN {
				d = exact.Int(1 << 62) // a declaration that can or cannot be assessed any more comes first
			}
			if len(top) < c.opt.Top || d.Cmp(top[len(top)-1].abs) > 0 {
				j, _ := slices.BinarySearchFunc(top, d, func(x cand, d exact.Q) int {
					if x.abs.Cmp(d) >= 0 {
						return -1
					}
					return 1
				})
				top = slices.Insert(top, j, cand{int32(i), d})
				if len(top) > c.opt.Top {
					top = top[:c.opt.Top]
				}
			}
		}
	}
	for _, x := range top {
		out.Largest = append(out.Largest, c.declarationChange(vo, vn, x.i))
	}
	return out
}

func merged[K comparable, V any](a, b map[K]V) map[K]bool {
	m := map[K]bool{}
	for k := range a {
		m[k] = true
	}
	for k := range b {
		m[k] = true
	}
	return m
}

// dutyTotals pairs the old and new sums, sorted by key.
func dutyTotals(o, n map[totalKey]exact.Q, t *Touched) []DutyTotal {
	var out []DutyTotal
	for k := range merged(o, n) {
		x, y := o[k], n[k]
		r := DutyTotal{Party: k.party, Mineral: k.mineral, Stage: k.stage, Measure: k.measure, Type: k.typ, Currency: k.currency,
			Old: money(x), New: money(y), Delta: money(y.Sub(x)), Changed: x.Cmp(y) != 0}
		if _, inO := o[k]; !inO {
			r.Changed = true
		} else if _, inN := n[k]; !inN {
			r.Changed = true
		}
		if r.Changed {
			r.Why = dutyWhy(t, k.party, k.mineral)
		}
		out = append(out, r)
	}
	byKey(out, func(r DutyTotal) []string {
		return []string{r.Party, r.Mineral, r.Currency, r.Stage, r.Type, r.Measure}
	})
	return out
}

// declarationChange is declaration i under both versions, with its lines
// and traces: assessed again, its quota grant (if any) the one the pass
// recorded, so that the trace is the one the totals came from.
func (c *Comparer) declarationChange(vo, vn *version, i int32) DeclarationChange {
	d := &c.w.Declarations[i]
	dc := DeclarationChange{ID: d.ID(), Row: int(i) + 1}
	one := func(v *version) (*duty.Assessment, string) {
		as := new(duty.Assessment)
		req, err := v.assessor.PrepareInto(d, as, nil)
		if err != nil {
			return nil, err.Error()
		}
		if req != nil {
			gs := v.duty.groups[v.duty.group[i]]
			g, ok := gs.grants[i]
			if !ok {
				return nil, "quota grant not recorded"
			}
			v.assessor.Complete(as, g)
		}
		return as, ""
	}
	oa, oe := one(vo)
	na, ne := one(vn)
	dc.OldError, dc.NewError = oe, ne
	var ot, nt exact.Q
	for _, a := range []*duty.Assessment{oa, na} {
		if a != nil {
			dc.Party, dc.Mineral, dc.Stage, dc.Currency = a.Party, a.Mineral, a.Stage, a.Currency()
		}
	}
	if oa != nil {
		ot = oa.TotalDuty()
		dc.OldLines, dc.OldTrace = oa.Duties(), oa.Trace()
	}
	if na != nil {
		nt = na.TotalDuty()
		dc.NewLines, dc.NewTrace = na.Duties(), na.Trace()
	}
	dc.Old, dc.New, dc.Delta = money(ot), money(nt), money(nt.Sub(ot))
	return dc
}
