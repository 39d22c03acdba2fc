package refprice

import (
	"fmt"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
)

// schedule is a rule's revision calendar: revisions fall on anchor + k periods.
type schedule struct {
	anchor date.Date
	period int // months; 0: never revised after the anchor
	lag    int // days between the data cut-off and the revision
}

func newSchedule(r agreement.Revision, entry date.Date) (schedule, error) {
	s := schedule{anchor: r.Anchor, lag: r.LagDays}
	if s.anchor.IsZero() {
		s.anchor = entry
	}
	if r.Every != agreement.Never {
		n := r.Every.Months()
		if n == 0 {
			return s, fmt.Errorf("unknown revision frequency %q", r.Every)
		}
		s.period = n
	}
	return s, nil
}

// revision returns the revision in force on d: the latest revision date on or
// before d, and the next one (zero when the price is never revised).
func (s schedule) revision(d date.Date) (from, to date.Date) {
	if s.period == 0 {
		return s.anchor, date.Date{}
	}
	k := s.anchor.MonthsUntil(d) / s.period
	from = s.anchor.AddMonths(k * s.period)
	for from.After(d) {
		k--
		from = s.anchor.AddMonths(k * s.period)
	}
	return from, s.anchor.AddMonths((k + 1) * s.period)
}

// previous returns the revision before the one starting at from, and false at
// the anchor.
func (s schedule) previous(from date.Date) (date.Date, bool) {
	if s.period == 0 || !from.After(s.anchor) {
		return date.Date{}, false
	}
	k := s.anchor.MonthsUntil(from)/s.period - 1
	return s.anchor.AddMonths(k * s.period), true
}

// cutOff is the last day of data a revision may use.
func (s schedule) cutOff(from date.Date) date.Date { return from.AddDays(-s.lag) }
