package refprice

import (
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// Sources are the data the methods read. Registry is required; the others are
// needed only by the methods that use them.
type Sources struct {
	Registry *registry.Registry
	// Curves finds the cost curve a cost_curve rule names.
	Curves func(name, mineral, stage string) (*CostCurve, error)
	// Series finds a benchmark series other than the Pink Sheet's, e.g. one
	// submitted to the store ("store:NAME"). It may be nil.
	Series func(id string) (*MonthlySeries, error)
}

// CostCurve is what the cost_curve method needs of a cost curve.
type CostCurve struct {
	Name         string
	Unit         string // unit of contained mineral of capacities and costs
	Currency     string
	Year         int
	Illustrative bool
	Source       string
	Producers    []Producer
}

// Producer is one step of a cost curve.
type Producer struct {
	ID, Name, Country string
	Capacity          dec.Decimal // per year, in the curve's unit
	Cost              dec.Decimal // cash cost per unit
}

// MonthlySeries is a benchmark price series by month (YYYY-MM).
type MonthlySeries struct {
	ID, Name     string
	Unit         string // registry unit the price is per
	Currency     string
	Source       string
	Illustrative bool
	Points       map[string]dec.Decimal
}
