package design

import (
	"io/fs"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/mineralpact/mineralpact/internal/market"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// Workload is what both versions are run on.
type Workload struct {
	// From and To bound the floors compared: every revision whose validity
	// overlaps [From, To].
	From, To date.Date
	// Declarations are the year of declarations re-assessed, decoded once
	// (duty.DecodeCSV), in acceptance order.
	Declarations []duty.Declaration
	// DeclarationsSource says where they come from (a file, or the
	// generator with its seed); DeclarationsIllustrative is true for
	// generated ones.
	DeclarationsSource       string
	DeclarationsIllustrative bool
	// Scenarios are the market scenarios run under both versions.
	Scenarios []*market.Scenario
	// Paths overrides each scenario's Monte Carlo paths when > 0.
	Paths int
}

// Options are the engines' inputs and the comparison's settings.
type Options struct {
	Registry *registry.Registry
	Prices   refprice.Sources // the reference-price engine's data
	Data     fs.FS            // the scenarios' data (cost curves)
	Top      int              // the largest changes listed (default 10)
	Workers  int              // assessment workers (0: GOMAXPROCS)
	// Full recomputes everything under the new version, as if nothing were
	// known of the old: the reference the incremental result must equal.
	Full bool
	// Keep is how many agreement versions a Comparer keeps results for
	// (default 4).
	Keep int
}
