package stockpile

import (
	"io/fs"

	"github.com/mineralpact/mineralpact/internal/agreement"
)

// The shipped files, under data/ (data/SOURCES.md): the flows of every party
// of the example (the U.S. from USGS MCS 2026, the others ILLUSTRATIVE),
// their exposures and ILLUSTRATIVE holdings, all written by Generate.
const (
	FlowsFile     = "stockpile/flows.csv"
	ExposuresFile = "stockpile/exposures.csv"
	HoldingsFile  = "stockpile/holdings.csv"
)

// ReadShipped reads the shipped flows and exposures from fsys (the data
// directory) for agreement a: the rows of its parties and minerals, checked;
// rows of parties or minerals a lacks are left out, not errors, so that
// another agreement than the example reads them too.
func ReadShipped(fsys fs.FS, a *agreement.Agreement) (*Flows, error) {
	fb, err := fs.ReadFile(fsys, FlowsFile)
	if err != nil {
		return nil, err
	}
	eb, err := fs.ReadFile(fsys, ExposuresFile)
	if err != nil {
		return nil, err
	}
	f := &Flows{}
	if f.Years, err = readFlows("data/"+FlowsFile, fb, a, true); err != nil {
		return nil, err
	}
	if f.Exposures, err = readExposures("data/"+ExposuresFile, eb, a, true); err != nil {
		return nil, err
	}
	return f, nil
}

// ReadShippedHoldings reads the shipped ILLUSTRATIVE holdings for a, as
// ReadShipped reads the flows.
func ReadShippedHoldings(fsys fs.FS, a *agreement.Agreement) ([]Holding, error) {
	b, err := fs.ReadFile(fsys, HoldingsFile)
	if err != nil {
		return nil, err
	}
	return readHoldings("data/"+HoldingsFile, b, a, true)
}
