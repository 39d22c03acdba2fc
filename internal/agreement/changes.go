package agreement

import (
	"slices"

	"github.com/mineralpact/mineralpact/internal/date"
)

// ChangeDates lists, in order, every date on or after the entry into force
// on which the text in force may change: the entry into force, amendments,
// accessions and withdrawals, and instruments' from and until dates, in the
// text and in every amended version. Between two of them AsOf gives the same
// text, so an engine that needs the text of many days computes it once a
// stretch: the duty engine's views, the reference prices' rules.
func (a *Agreement) ChangeDates() []date.Date {
	set := map[date.Date]bool{a.EntryIntoForce: true}
	collect := func(x *Agreement) {
		for _, p := range x.Parties {
			set[p.Accession] = true
			if !p.Withdrawal.IsZero() {
				set[p.Withdrawal] = true
			}
			for _, in := range p.Instruments {
				if !in.From.IsZero() {
					set[in.From] = true
				}
				if !in.Until.IsZero() {
					set[in.Until] = true
				}
			}
		}
	}
	collect(a)
	for _, am := range a.Amendments {
		set[am.Effective] = true
		if x, _, err := a.Amended(am.Effective); err == nil {
			collect(x)
		}
	}
	var out []date.Date
	for d := range set {
		if !d.Before(a.EntryIntoForce) {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(x, y date.Date) int { return x.Compare(y) })
	return out
}

// ChangeIndex is the index in changes (ChangeDates) of the stretch d falls
// in: the last change on or before d. d must not be before changes[0].
func ChangeIndex(changes []date.Date, d date.Date) int {
	i, found := slices.BinarySearchFunc(changes, d, func(x, y date.Date) int { return x.Compare(y) })
	if !found {
		i--
	}
	return i
}
