package agreement

import (
	"fmt"
	"reflect"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// InForce is the agreement as it stands on one date: amendments effective by
// then applied, and only the parties and instruments in force on that day.
type InForce struct {
	AsOf      date.Date  `json:"as_of"`
	Applied   []string   `json:"amendments_applied"`
	Agreement *Agreement `json:"agreement"`
}

// Amended returns the agreement with every amendment effective on or before d
// applied, in order, and the ids of those amendments. The result has no
// amendments of its own. a is not changed.
func (a *Agreement) Amended(d date.Date) (*Agreement, []string, error) {
	var due []int
	for i, am := range a.Amendments {
		if !am.Effective.After(d) {
			due = append(due, i)
		}
	}
	if len(due) == 0 {
		c := *a
		c.Amendments = nil
		return &c, nil, nil
	}
	out := deepCopy(reflect.ValueOf(a).Elem()).Addr().Interface().(*Agreement)
	var applied []string
	for _, i := range due {
		am := a.Amendments[i]
		for j, ch := range am.Changes {
			if err := applyTyped(out, ch); err != nil {
				return nil, nil, &problem.Error{Code: problem.Invalid, Field: fmt.Sprintf("amendments[%d].changes[%d].path", i, j),
					Message: fmt.Sprintf("amendment %s: cannot %s %s: %v", am.ID, ch.Op, ch.Path, err)}
			}
		}
		applied = append(applied, am.ID)
	}
	out.Amendments = nil
	return out, applied, nil
}

// AsOf returns the agreement in force on d. It is an error to ask for a date
// before the entry into force.
func (a *Agreement) AsOf(d date.Date) (*InForce, error) {
	if d.IsZero() {
		return nil, problem.Errorf(problem.Invalid, "as-of date is required")
	}
	if d.Before(a.EntryIntoForce) {
		return nil, &problem.Error{Code: problem.NotFound, Field: "as_of",
			Message: fmt.Sprintf("agreement %s is not in force on %s: it enters into force on %s", a.ID, d, a.EntryIntoForce)}
	}
	am, applied, err := a.Amended(d)
	if err != nil {
		return nil, err
	}
	parties := am.Parties[:0:0]
	for _, p := range am.Parties {
		if p.Accession.After(d) || (!p.Withdrawal.IsZero() && !p.Withdrawal.After(d)) {
			continue
		}
		var ins []Instrument
		for _, in := range p.Instruments {
			if in.InForce(d, p.Accession) {
				ins = append(ins, in)
			}
		}
		p.Instruments = ins
		parties = append(parties, p)
	}
	am.Parties = parties
	return &InForce{AsOf: d, Applied: applied, Agreement: am}, nil
}

// InForce reports whether the instrument applies on d; an instrument without a
// From date starts with the party's accession.
func (in Instrument) InForce(d, accession date.Date) bool {
	from := in.From
	if from.IsZero() {
		from = accession
	}
	return !from.After(d) && (in.Until.IsZero() || in.Until.After(d))
}

// Party returns the party with the given id.
func (a *Agreement) Party(id string) (*Party, bool) {
	for i := range a.Parties {
		if a.Parties[i].ID == id {
			return &a.Parties[i], true
		}
	}
	return nil, false
}

// Mineral returns the mineral in scope with the given id.
func (a *Agreement) Mineral(id string) (*Mineral, bool) {
	for i := range a.Minerals {
		if a.Minerals[i].ID == id {
			return &a.Minerals[i], true
		}
	}
	return nil, false
}

// Article returns the article with the given id.
func (a *Agreement) Article(id string) (*Article, bool) {
	for i := range a.Articles {
		if a.Articles[i].ID == id {
			return &a.Articles[i], true
		}
	}
	return nil, false
}
