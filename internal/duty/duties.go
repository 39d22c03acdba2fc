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
	as.eachLine(func(id string, t agreement.InstrumentType, x exact.Q) {
		out = append(out, DutyLine{Measure: id, Type: string(t), Amount: string(as.appendDuty(nil, x))})
	})
	return out
}

// eachLine calls f for each duty line, in the party's order.
func (as *Assessment) eachLine(f func(id string, t agreement.InstrumentType, x exact.Q)) {
	for _, t := range as.party.order {
		switch t {
		case agreement.MFN:
			if as.quota != nil && as.trq != nil && as.inQuota.Sign() > 0 {
				f(as.trq.in.ID, agreement.TariffRateQuota, as.baseInR())
				if as.baseCI != nil && as.inQuota.Cmp(as.requested) < 0 {
					f(as.baseCI.in.ID, as.baseCI.typ, as.baseR.Sub(as.baseInR()))
				}
			} else if as.baseCI != nil {
				f(as.baseCI.in.ID, as.baseCI.typ, as.baseR)
			}
		case agreement.VariableDuty:
			if as.vd != nil {
				f(as.vd.in.ID, agreement.VariableDuty, as.vdR)
			}
		case agreement.NonPartySurcharge:
			if as.sur != nil {
				f(as.sur.in.ID, agreement.NonPartySurcharge, as.surR)
			}
		}
		for i := range as.stack {
			if l := &as.stack[i]; l.ci.typ == t {
				f(l.ci.in.ID, t, l.r)
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
	first := true
	as.eachLine(func(id string, t agreement.InstrumentType, x exact.Q) {
		if !first {
			b = append(b, ';')
		}
		first = false
		b = append(b, t...)
		b = append(b, ':')
		b = append(b, id...)
		b = append(b, '=')
		b = as.appendDuty(b, x)
	})
	return b
}

// appendDutiesCSV is appendDutiesText for the bulk path, which has just
// written the base duty, the variable duty and the surcharge at the spans sp
// of b (from, to), and other_duties as other: a line that shows one of those
// figures copies it. It
// writes the same bytes as appendDutiesText (TestColumnTable checks it).
func (as *Assessment) appendDutiesCSV(b []byte, sp *[3][2]int, other []byte) []byte {
	n := 0 // lines written
	for _, t := range as.party.order {
		switch t {
		case agreement.MFN:
			if as.quota != nil && as.trq != nil && as.inQuota.Sign() > 0 {
				b = appendHead(b, &n, as.trq.head)
				b = as.appendDuty(b, as.baseInR())
				if as.baseCI != nil && as.inQuota.Cmp(as.requested) < 0 {
					b = appendHead(b, &n, as.baseCI.head)
					b = as.appendDuty(b, as.baseR.Sub(as.baseInR()))
				}
			} else if as.baseCI != nil {
				b = appendHead(b, &n, as.baseCI.head)
				b = append(b, b[sp[0][0]:sp[0][1]]...)
			}
		case agreement.VariableDuty:
			if as.vd != nil {
				b = appendHead(b, &n, as.vd.head)
				b = append(b, b[sp[1][0]:sp[1][1]]...)
			}
		case agreement.NonPartySurcharge:
			if as.sur != nil {
				b = appendHead(b, &n, as.sur.head)
				b = append(b, b[sp[2][0]:sp[2][1]]...)
			}
		}
		for i := range as.stack {
			if l := &as.stack[i]; l.ci.typ == t {
				b = appendHead(b, &n, l.ci.head)
				if len(as.stack) == 1 {
					b = append(b, other...) // the one stacked line is other_duties
				} else {
					b = as.appendDuty(b, l.r)
				}
			}
		}
	}
	return b
}

// appendHead appends a line's "type:measure=" (cinstr.head), after the
// separator when n lines were written already.
func appendHead(b []byte, n *int, head []byte) []byte {
	if *n > 0 {
		b = append(b, ';')
	}
	*n++
	return append(b, head...)
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
