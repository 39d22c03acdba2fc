// Package registry holds the reference data the engines of mineralpact stand
// on: the critical minerals and their groups, production stages, the HS map
// with each code's mineral content, countries and country groups, currencies
// and monthly exchange rates, units of mass, and the public statistics shipped
// in data/ (USGS Mineral Commodity Summaries 2026, the US tariff schedule 2025,
// World Bank Pink Sheet prices and governance indicators, the BLS CPI-U).
//
// A Registry is built once by Load, is read-only afterwards, and is safe for
// concurrent use. Figures are exact decimals read from the files' text, never
// through a float; a missing figure is reported as missing, never as zero.
package registry

import (
	"errors"
	"io/fs"
	"slices"
	"sync"

	"github.com/mineralpact/mineralpact/data"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// Registry is the loaded reference data. Its methods return copies or values
// that callers must not change (documented where a pointer is shared).
type Registry struct {
	minerals     []Mineral
	mineralIndex map[string]int
	groups       []Group

	hs      []HSLine
	hsIndex map[string][]int
	hsCodes []string // the map's codes, sorted
	hsNames map[string]string

	countries     []Country
	countryIndex  map[string]int    // alpha-2 and alpha-3
	countryByName map[string]string // lower-case name or alias → alpha-2 (CountryCode)
	countryGroups map[string][]string

	currencies map[string]bool
	fx         map[string]*fxSeries

	mcs          map[string]*Commodity
	mcsByMineral map[string]string
	mcsCoverage  map[string]MCSCoverage

	hts      []HTSLine
	htsIndex map[string]int

	cpi []CPIMonth // the CPI-U by month, in order

	// The two largest datasets are parsed on first use, so that Load stays
	// fast for the commands that never read them.
	fsys     fs.FS
	pinkOnce lazy
	pink     map[string]*Series
	wgiOnce  lazy
	wgi      map[wgiKey]Governance
	wgiAlias map[string]string

	// customs holds the parties' rate tables once read, by path and base
	// currency (customs_tables.go).
	customs sync.Map // customsKey → *customsEntry
}

// lazy parses one dataset on first use and keeps its problems.
type lazy struct {
	once sync.Once
	err  error
}

// do runs load once, safely for concurrent callers, and returns its problems
// every time.
func (l *lazy) do(fsys fs.FS, load func(fs.FS, *problem.List) error) error {
	l.once.Do(func() {
		var errs problem.List
		if err := load(fsys, &errs); err != nil {
			errs = append(errs, asProblem(err))
		}
		l.err = errs.Err()
	})
	return l.err
}

func asProblem(err error) *problem.Error {
	var pe *problem.Error
	if !errors.As(err, &pe) {
		pe = &problem.Error{Code: problem.Internal, Err: err}
	}
	return pe
}

// Check parses the datasets Load leaves for first use (the Pink Sheet and the
// WGI) and returns their problems, so that a test or a start-up check can
// vouch for every shipped file.
func (r *Registry) Check() error {
	var errs problem.List
	for _, err := range []error{r.pinkOnce.do(r.fsys, r.loadPinkSheet), r.wgiOnce.do(r.fsys, r.loadWGI)} {
		var l problem.List
		if errors.As(err, &l) {
			errs = append(errs, l...)
		}
	}
	return errs.Err()
}

// Load reads every shipped file from fsys (laid out as the data directory) and
// checks it, except the Pink Sheet and the WGI, which are parsed and checked on
// first use (or by Check). It reports every problem it finds at once, as a problem.List
// whose entries name the file, line and column: `data/hs_map.csv:42: content:
// "x" is not a decimal`.
func Load(fsys fs.FS) (*Registry, error) {
	r := &Registry{fsys: fsys}
	var errs problem.List
	// Each step reads one dataset; a step whose file cannot be read or lacks
	// columns stops the steps that check their rows against it, which would
	// only repeat the same fault on every row.
	type loadStep struct {
		name  string
		needs []string
		load  func(fs.FS, *problem.List) error
	}
	steps := []loadStep{
		{"minerals", nil, r.loadMinerals},
		{"hs nomenclature", nil, r.loadHSNomenclature},
		{"hs map", []string{"minerals", "hs nomenclature"}, r.loadHSMap},
		{"countries", nil, r.loadCountries},
		{"country groups", []string{"countries"}, r.loadCountryGroups},
		{"fx", nil, r.loadFX},
		{"mcs", []string{"minerals"}, r.loadMCS},
		{"hts", nil, r.loadHTS},
		{"cpi", nil, r.loadCPI},
	}
	// A step runs once the steps it needs are done, the independent ones at
	// the same time (every command's start waits for this; each loader
	// writes its own fields of r). Each keeps its own problems, put together
	// in the steps' order, so the report does not depend on timing.
	stepErrs := make([]problem.List, len(steps))
	failed := make([]bool, len(steps)) // the step's file could not be used
	done := make([]bool, len(steps))
	index := func(name string) int { return slices.IndexFunc(steps, func(s loadStep) bool { return s.name == name }) }
	for left := len(steps); left > 0; {
		var wave []int
		for i, step := range steps {
			if !done[i] && !slices.ContainsFunc(step.needs, func(n string) bool { return !done[index(n)] }) {
				wave = append(wave, i)
			}
		}
		if len(wave) == 0 {
			panic("registry: the load steps need each other") // a fault of the table above
		}
		var wg sync.WaitGroup
		for _, i := range wave {
			if slices.ContainsFunc(steps[i].needs, func(n string) bool { return failed[index(n)] }) {
				failed[i] = true
				continue
			}
			wg.Go(func() {
				if err := steps[i].load(fsys, &stepErrs[i]); err != nil {
					stepErrs[i] = append(stepErrs[i], asProblem(err))
					failed[i] = true
				}
			})
		}
		wg.Wait()
		for _, i := range wave {
			done[i] = true
		}
		left -= len(wave)
	}
	for i := range steps {
		errs = append(errs, stepErrs[i]...)
	}
	r.indexCurrencies()
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return r, nil
}

// Default returns the registry of the data embedded in the binary, loading it
// on first use.
func Default() (*Registry, error) { return loadDefault() }

var loadDefault = sync.OnceValues(func() (*Registry, error) { return Load(data.FS) })
