package duty

import (
	"fmt"
	"strings"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/exact"
)

// DutyLine is one duty charged on a declaration: the measure (instrument
// id), its type and the amount in the party's currency, rounded as the party
// rounds each duty (or exact to six places when it rounds the total).
type DutyLine struct {
	Measure string `json:"measure"`
	Type    string `json:"type"`
	Amount  string `json:"amount"`
}

// Duties lists every duty line of the assessment in the party's order
// (agreement.Party.DutyOrder): the base duty (split at the quota: the
// in-quota rate's line and the base rate's), the variable duty, the
// surcharge and each stacked measure. A measure that charged nothing is
// listed with 0, so that the list shows every measure that applied.
func (as *Assessment) Duties() []DutyLine {
	out := []DutyLine{}
	as.eachLine(func(ci *cinstr, x exact.Q, _ shownAs) {
		out = append(out, DutyLine{Measure: ci.in.ID, Type: string(ci.typ), Amount: string(as.appendDuty(nil, x))})
	})
	return out
}

// shownAs says which output column already shows a duty line's figure, so
// that the CSV form copies it rather than format it again.
type shownAs int8

const (
	shownNowhere   shownAs = iota
	shownBase              // base_duty
	shownVariable          // variable_duty
	shownSurcharge         // surcharge
	shownOther             // other_duties: the row's one stacked line
)

// eachLine calls f for each duty line, in the party's order: the measure,
// the amount and the column that shows it, if one does. It is the one walk
// of the lines that Duties, the CSV form and the trace's rounding follow.
func (as *Assessment) eachLine(f func(ci *cinstr, x exact.Q, shown shownAs)) {
	for _, t := range as.party.order {
		switch t {
		case agreement.MFN:
			if as.quota != nil && as.trq != nil && as.inQuota.Sign() > 0 {
				f(as.trq, as.baseInR(), shownNowhere)
				if as.baseCI != nil && as.inQuota.Cmp(as.requested) < 0 {
					f(as.baseCI, as.baseR.Sub(as.baseInR()), shownNowhere)
				}
			} else if as.baseCI != nil {
				f(as.baseCI, as.baseR, shownBase)
			}
		case agreement.VariableDuty:
			if as.vd != nil {
				f(as.vd, as.vdR, shownVariable)
			}
		case agreement.NonPartySurcharge:
			if as.sur != nil {
				f(as.sur, as.surR, shownSurcharge)
			}
		}
		for i := range as.stack {
			if l := &as.stack[i]; l.ci.typ == t {
				shown := shownNowhere
				if len(as.stack) == 1 {
					shown = shownOther
				}
				f(l.ci, l.r, shown)
			}
		}
	}
}

// baseInR is the in-quota part of the base duty as listed: the base duty is
// one duty line of the entry, rounded once, so when the party rounds each
// duty the in-quota part is shown rounded and the out-of-quota part is the
// rest of the rounded base duty (the two lines add up to it).
func (as *Assessment) baseInR() exact.Q {
	if as.party.eachDuty {
		r, _ := roundTo(as.baseIn, as.party.places, as.party.mode)
		return r
	}
	return as.baseIn
}

// appendDutiesText appends the CSV form of the duty lines:
// type:measure=amount, separated by semicolons (docs/declarations.md,
// Output); ParseDutiesText reads it back.
func (as *Assessment) appendDutiesText(b []byte) []byte {
	return as.appendDutiesCSV(b, nil)
}

// appendDutiesCSV appends the CSV form of the duty lines. The bulk path has
// just written base_duty, variable_duty, surcharge and other_duties into b,
// at the spans sp (from, to; nil when they are not in b): a line that one
// of them shows copies its figure instead of formatting it again.
func (as *Assessment) appendDutiesCSV(b []byte, sp *[5][2]int) []byte {
	n := 0
	as.eachLine(func(ci *cinstr, x exact.Q, shown shownAs) {
		if n > 0 {
			b = append(b, ';')
		}
		n++
		b = append(b, ci.head...)
		if sp != nil && shown != shownNowhere {
			b = append(b, b[sp[shown][0]:sp[shown][1]]...)
		} else {
			b = as.appendDuty(b, x)
		}
	})
	return b
}

// DutiesText is the CSV form of duty lines (type:measure=amount;...).
func DutiesText(ls []DutyLine) string {
	var b strings.Builder
	for i, l := range ls {
		if i > 0 {
			b.WriteByte(';')
		}
		fmt.Fprintf(&b, "%s:%s=%s", l.Type, l.Measure, l.Amount)
	}
	return b.String()
}

// ParseDutiesText reads the CSV form of duty lines back.
func ParseDutiesText(s string) ([]DutyLine, error) {
	out := []DutyLine{}
	if s == "" {
		return out, nil
	}
	for part := range strings.SplitSeq(s, ";") {
		head, amount, ok1 := strings.Cut(part, "=")
		typ, id, ok2 := strings.Cut(head, ":")
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("duty line %q: want type:measure=amount", part)
		}
		out = append(out, DutyLine{Measure: id, Type: typ, Amount: amount})
	}
	return out, nil
}
