package stockpile

import (
	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// Holder says who holds a stock: public (a government or its agency) or
// private (industry, counted toward the obligation as the IEA counts
// industry stocks).
type Holder string

// The holders.
const (
	Public  Holder = "public"
	Private Holder = "private"
)

// Holding is a declared stock on a date: a party's tonnes of contained
// mineral at a stage, in one form, held publicly or privately. A later
// declaration of the same party, mineral, stage, form and holder replaces an
// earlier one.
type Holding struct {
	Party   string         `json:"party"`
	Mineral string         `json:"mineral"`
	Stage   registry.Stage `json:"stage"`
	Date    date.Date      `json:"date"`
	Form    string         `json:"form"`
	Tonnes  Kg             `json:"tonnes"`
	Holder  Holder         `json:"holder"`
	Line    int            `json:"-"`
}

// HoldingColumns are the columns of a holdings file.
var HoldingColumns = []string{"party", "mineral", "stage", "date", "form", "tonnes", "holder"}

// ReadHoldings reads a holdings file (CSV: party, mineral, stage, date, form,
// tonnes, public|private) and checks every row against the agreement: a party
// of it, a mineral and stage with a stockholding regime, a date, tonnes ≥ 0
// exact to the kilogram, one row per party, mineral, stage, date, form and
// holder. It reports every problem at once, each with file, line and column.
func ReadHoldings(file string, data []byte, a *agreement.Agreement) ([]Holding, error) {
	return readHoldings(file, data, a, false)
}

func readHoldings(file string, data []byte, a *agreement.Agreement, skipOthers bool) ([]Holding, error) {
	t, err := openTable(file, data, HoldingColumns, nil)
	if err != nil {
		return nil, err
	}
	t.skipOthers = skipOthers
	type key struct {
		party, mineral, form string
		stage                registry.Stage
		d                    date.Date
		holder               Holder
	}
	seen := map[key]int{}
	var out []Holding
	for {
		r, ok := t.next()
		if !ok {
			break
		}
		h := Holding{Party: r.get("party"), Mineral: r.get("mineral"), Stage: registry.Stage(r.get("stage")), Form: r.get("form"), Holder: Holder(r.get("holder")), Line: r.line}
		good := checkPartyScope(r, a, h.Party, h.Mineral, h.Stage, true)
		d, err := date.Parse(r.get("date"))
		if err != nil {
			r.fail("date", "must be a date YYYY-MM-DD, got %q", r.get("date"))
			good = false
		}
		h.Date = d
		if h.Form == "" {
			r.fail("form", "missing form (the agreement's forms say which count and how much)")
			good = false
		}
		var okT bool
		h.Tonnes, okT = r.tonnes("tonnes", false)
		good = good && okT
		if h.Holder != Public && h.Holder != Private {
			r.fail("holder", "must be public or private, got %q", r.get("holder"))
			good = false
		}
		k := key{h.Party, h.Mineral, h.Form, h.Stage, h.Date, h.Holder}
		if l, dup := seen[k]; dup && good {
			r.fail("date", "a second declaration of %s %s/%s %s %s on %s (first at line %d)", h.Party, h.Mineral, h.Stage, h.Form, h.Holder, h.Date, l)
			good = false
		}
		if good {
			seen[k] = r.line
			out = append(out, h)
		}
	}
	return out, t.errs.Err()
}

// HeldOn returns, for each party, mineral, stage, form and holder, the latest
// declaration on or before d.
func HeldOn(hs []Holding, d date.Date) []Holding {
	type key struct {
		party, mineral, form string
		stage                registry.Stage
		holder               Holder
	}
	latest := map[key]int{}
	var order []key
	for i, h := range hs {
		if h.Date.After(d) {
			continue
		}
		k := key{h.Party, h.Mineral, h.Form, h.Stage, h.Holder}
		j, ok := latest[k]
		if !ok {
			order = append(order, k)
			latest[k] = i
		} else if hs[j].Date.Before(h.Date) {
			latest[k] = i
		}
	}
	out := make([]Holding, 0, len(order))
	for _, k := range order {
		out = append(out, hs[latest[k]])
	}
	return out
}
