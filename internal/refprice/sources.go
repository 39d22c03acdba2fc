package refprice

import (
	"github.com/mineralpact/mineralpact/internal/date"
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
	// Capacity is the quality of the capacities (Estimated for production
	// rates a source projects); empty: as the curve's.
	Capacity Quality
	// Released is the day the curve's vintage became public (for a
	// generated curve, the vintage of what it is calibrated to), Vintage
	// says which and where the date comes from; zero: not recorded.
	Released    date.Date
	VintageName string // what was released: "USGS MCS 2026 (calibration)"
	Vintage     string // VintageName with where the date comes from
	Producers   []Producer
}

// quality is the quality of the curve as a whole: generated or reported.
func (cc *CostCurve) quality() Quality {
	if cc.Illustrative {
		return Generated
	}
	return Reported
}

func (cc *CostCurve) capacityQuality() Quality {
	if cc.Illustrative || cc.Capacity == "" {
		return cc.quality()
	}
	return cc.Capacity
}

// Producer is one step of a cost curve.
type Producer struct {
	ID, Name, Country string
	Capacity          dec.Decimal // per year, in the curve's unit
	Cost              dec.Decimal // cash cost per unit
	// CostQuality is how the cost was obtained (Reported, Imputed …); empty:
	// as the curve's. CostSource says so in words, from the source.
	CostQuality Quality
	CostSource  string
}

func (p Producer) quality(cc *CostCurve) Quality {
	if cc.Illustrative || p.CostQuality == "" {
		return cc.quality()
	}
	return p.CostQuality
}

// MonthlySeries is a benchmark price series by month (YYYY-MM).
type MonthlySeries struct {
	ID, Name     string
	Unit         string // registry unit the price is per
	Currency     string
	Source       string
	Illustrative bool
	Points       map[string]dec.Decimal
	// Released, when set, is the day the value of a month became public,
	// ReleaseRule how that is known; nil: a month counts once complete.
	Released    func(month string) (date.Date, error)
	ReleaseRule string
}

// quality is the quality of the series' values: generated for an
// illustrative series, reported otherwise.
func (s *MonthlySeries) quality() Quality {
	if s.Illustrative {
		return Generated
	}
	return Reported
}
