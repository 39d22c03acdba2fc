package stockpile

import (
	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// DisruptionColumns are the columns of a file of losses entered by hand:
// tonnes is the zone's loss per month; or cut, the share of the origin's
// supply cut.
var DisruptionColumns = []string{"origin", "mineral", "stage", "from", "to"}

// ReadDisruptions reads losses entered by hand (CSV: origin, mineral, stage,
// tonnes or cut, from, to), each checked with its line and column.
func ReadDisruptions(file string, data []byte, a *agreement.Agreement) ([]Disruption, error) {
	t, err := openTable(file, data, DisruptionColumns, []string{"tonnes", "cut", "note"})
	if err != nil {
		return nil, err
	}
	var out []Disruption
	for {
		r, ok := t.next()
		if !ok {
			break
		}
		d := Disruption{Origin: r.get("origin"), Mineral: r.get("mineral"), Stage: registry.Stage(r.get("stage")), Note: r.get("note")}
		good := true
		if len(d.Origin) != 2 {
			r.fail("origin", "must be an ISO 3166 alpha-2 code, got %q", d.Origin)
			good = false
		}
		if _, err := a.Scope(d.Mineral, d.Stage); err != nil {
			r.fail("mineral", "%s/%s is not in scope of agreement %s", d.Mineral, d.Stage, a.ID)
			good = false
		}
		var err1, err2 error
		d.From, err1 = date.Parse(r.get("from"))
		d.To, err2 = date.Parse(r.get("to"))
		if err1 != nil {
			r.fail("from", "must be a date YYYY-MM-DD, got %q", r.get("from"))
			good = false
		}
		if err2 != nil {
			r.fail("to", "must be a date YYYY-MM-DD, got %q", r.get("to"))
			good = false
		}
		if err1 == nil && err2 == nil && d.To.Before(d.From) {
			r.fail("to", "%s is before from %s", d.To, d.From)
			good = false
		}
		switch tn, c := r.get("tonnes"), r.get("cut"); {
		case tn != "" && c != "":
			r.fail("cut", "give tonnes or cut, not both")
			good = false
		case tn != "":
			var ok bool
			d.Tonnes, ok = r.tonnes("tonnes", false)
			good = good && ok
		case c != "":
			x, err := dec.Parse(c)
			if err != nil || x.Sign() < 0 || x.Cmp(dec.One) > 0 {
				r.fail("cut", "must be a share between 0 and 1 (1: the origin's whole supply), got %q", c)
				good = false
			}
			d.Cut = x
		default:
			r.fail("tonnes", "give tonnes (the zone's loss per month) or cut (the share of the origin's supply)")
			good = false
		}
		if good {
			out = append(out, d)
		}
	}
	return out, t.errs.Err()
}

// StocksAt returns each party's physical stock of mineral/stage on d (the
// latest declarations on or before d, every form and holder).
func StocksAt(hs []Holding, parties []string, mineral string, stage registry.Stage, d date.Date) []Kg {
	out := make([]Kg, len(parties))
	idx := map[string]int{}
	for i, p := range parties {
		idx[p] = i
	}
	for _, h := range HeldOn(hs, d) {
		if i, ok := idx[h.Party]; ok && h.Mineral == mineral && h.Stage == stage {
			out[i] += h.Tonnes
		}
	}
	return out
}
