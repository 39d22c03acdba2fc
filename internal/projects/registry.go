package projects

import (
	"errors"
	"fmt"

	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// CheckRegistry checks the pipeline's vocabulary against the registry: every
// project's mineral and country, and the currency, each problem at its line
// and field. DecodePipeline checks only their form, so that the engine can
// be tested without the shipped data; a loader that holds the registry calls
// this next.
func (p *Pipeline) CheckRegistry(reg *registry.Registry) error {
	ps := &problems{p: p}
	if !reg.KnownCurrency(p.Currency) {
		ps.add("currency", "unknown currency %q", p.Currency)
	}
	for i := range p.Prices {
		if _, err := reg.Mineral(p.Prices[i].Mineral); err != nil {
			ps.add(fmt.Sprintf("prices[%d].mineral", i), "%s", message(err))
		}
	}
	for i := range p.Projects {
		pr := &p.Projects[i]
		at := fmt.Sprintf("projects[%d]", i)
		if _, err := reg.Mineral(pr.Mineral); err != nil {
			ps.add(at+".mineral", "%s", message(err))
		}
		if _, err := reg.Country(pr.Country); err != nil {
			ps.add(at+".country", "%s", message(err))
		}
	}
	return ps.l.Err()
}

// message is a registry error's message without its field, which the
// caller reports with the full path.
func message(err error) string {
	var e *problem.Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return err.Error()
}
