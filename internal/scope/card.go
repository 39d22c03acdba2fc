package scope

import (
	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
)

// Card scores the zone of agreement a in force on asOf, the zero date
// standing for the entry into force (and the card says so), and keeps one
// basis ("" every basis) and one mineral ("" every mineral). It is the one
// path by which the command line, the API and the portal ask for a report:
// a date before the entry into force is not found at as_of, a mineral the
// report does not hold not found at mineral. g expands customs unions;
// *registry.Registry satisfies it.
func (d *Data) Card(a *agreement.Agreement, g agreement.Groups, asOf date.Date, basis Basis, mineral string) (*Scorecard, error) {
	byDefault := asOf.IsZero()
	if byDefault {
		asOf = a.EntryIntoForce
	}
	in, err := a.AsOf(asOf)
	if err != nil {
		return nil, err
	}
	zone, err := in.Zone(g)
	if err != nil {
		return nil, err
	}
	rep, err := d.Score(zone).Only(basis, mineral)
	if err != nil {
		return nil, err
	}
	countries := 0
	for _, c := range rep.Zone {
		if !g.IsGroup(c) {
			countries++
		}
	}
	return &Scorecard{Agreement: a.ID, Illustrative: a.Illustrative, AsOf: asOf, AsOfDefault: byDefault,
		Parties: zone.Parties, Countries: countries, Basis: basis, Report: rep}, nil
}
