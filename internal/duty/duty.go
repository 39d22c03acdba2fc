// Package duty assesses import declarations against the agreement's floors:
// classification, customs value, exchange rate, the base (MFN) duty, the
// floor-enforcing variable duty with its cap, phase-in and party-origin rule,
// the non-party surcharge, tariff-rate quotas, price undertakings and the
// party's rounding rule, each figure with its trace and legal basis.
//
// The engine is pure: it takes the agreement, the registry, a source of
// published floors and a quota ledger (an interface the stores implement), and
// never reads the clock. The rules are written out in docs/declarations.md.
package duty

import (
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/refprice"
)

// Floors is what the engine needs of the reference prices: the floor published
// for a mineral at a stage on a date. *refprice.Engine satisfies it.
type Floors interface {
	Floor(mineral, stage string, on date.Date) (*refprice.Floor, error)
}

var _ Floors = (*refprice.Engine)(nil)

// Step is one step of an assessment, as data: what was computed, from what,
// by which formula, with which result, under which article.
type Step struct {
	Step    string            `json:"step"`
	Inputs  map[string]string `json:"inputs,omitempty"`
	Formula string            `json:"formula"`
	Result  string            `json:"result"`
	Basis   string            `json:"basis,omitempty"`
}
