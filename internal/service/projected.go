package service

import (
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/refprice"
)

// Projected is the floor source of a simulation of the served agreement: the
// published floor wherever one is in force, and past the last publication the
// floor the rules would set, computed live and marked unpublished (its
// Publication is nil). A simulation runs years ahead of what the
// secretariat has published; a customs assessment never uses this source.
type Projected struct {
	Published interface {
		Floor(mineral, stage string, on date.Date) (*refprice.Floor, error)
	}
	Live *refprice.Engine
}

// Floor returns the published floor of mineral at stage on d, or the live
// projection when none is published for d.
func (p Projected) Floor(mineral, stage string, d date.Date) (*refprice.Floor, error) {
	f, err := p.Published.Floor(mineral, stage, d)
	if err == nil || problem.CodeOf(err) != problem.NotFound || p.Live == nil {
		return f, err
	}
	return p.Live.Floor(mineral, stage, d)
}
