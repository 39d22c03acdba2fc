package stockpile

import (
	"fmt"
	"strconv"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// FlowYear is a party's flows of a mineral at a stage in one calendar year,
// tonnes of contained mineral: production, imports, exports and consumption.
type FlowYear struct {
	Party        string         `json:"party"`
	Mineral      string         `json:"mineral"`
	Stage        registry.Stage `json:"stage"`
	Year         int            `json:"year"`
	Production   Kg             `json:"production"`
	Imports      Kg             `json:"imports"`
	Exports      Kg             `json:"exports"`
	Consumption  Kg             `json:"consumption"`
	Source       string         `json:"source"`
	Illustrative bool           `json:"illustrative"`
}

// NetImports is imports less exports (negative for a net exporter).
func (f FlowYear) NetImports() Kg { return f.Imports - f.Exports }

// Exposure is the share of a party's imports of a mineral that comes, directly
// or through processors, from one origin: what it loses when that origin's
// supply is cut.
type Exposure struct {
	Party   string         `json:"party"`
	Mineral string         `json:"mineral"`
	Stage   registry.Stage `json:"stage"`
	Origin  string         `json:"origin"`
	Share   dec.Decimal    `json:"share"`
}

// Flows are the flows and exposures the engine reads.
type Flows struct {
	Years     []FlowYear `json:"years"`
	Exposures []Exposure `json:"exposures"`
}

type flowKey struct {
	party, mineral string
	stage          registry.Stage
	year           int
}

// Year returns a party's flows of a year, and false if there are none.
func (f *Flows) Year(party, mineral string, stage registry.Stage, year int) (FlowYear, bool) {
	for _, y := range f.Years {
		if y.Party == party && y.Mineral == mineral && y.Stage == stage && y.Year == year {
			return y, true
		}
	}
	return FlowYear{}, false
}

// Exposure returns the share of party's imports exposed to origin (0 if none
// is stated).
func (f *Flows) Exposure(party, mineral string, stage registry.Stage, origin string) dec.Decimal {
	for _, e := range f.Exposures {
		if e.Party == party && e.Mineral == mineral && e.Stage == stage && e.Origin == origin {
			return e.Share
		}
	}
	return dec.Zero
}

// FlowColumns are the columns of a flows file; consumption may be left empty
// for the apparent consumption (production + imports − exports).
var FlowColumns = []string{"party", "mineral", "stage", "year", "production", "imports", "exports", "consumption", "source", "illustrative"}

// ExposureColumns are the columns of an exposures file.
var ExposureColumns = []string{"party", "mineral", "stage", "origin", "share"}

// ReadFlows reads a flows file, checking each row against the agreement:
// a party of it, a mineral and stage in scope, tonnes ≥ 0, one row per party,
// mineral, stage and year. Every problem is reported with its line and column.
func ReadFlows(file string, data []byte, a *agreement.Agreement) ([]FlowYear, error) {
	return readFlows(file, data, a, false)
}

func readFlows(file string, data []byte, a *agreement.Agreement, skipOthers bool) ([]FlowYear, error) {
	t, err := openTable(file, data, FlowColumns[:7], FlowColumns[7:])
	if err != nil {
		return nil, err
	}
	t.skipOthers = skipOthers
	var out []FlowYear
	seen := map[flowKey]int{}
	for {
		r, ok := t.next()
		if !ok {
			break
		}
		f := FlowYear{Party: r.get("party"), Mineral: r.get("mineral"), Stage: registry.Stage(r.get("stage")), Source: r.get("source")}
		good := checkPartyScope(r, a, f.Party, f.Mineral, f.Stage, false)
		y, err := strconv.Atoi(r.get("year"))
		if err != nil || y < 1900 || y > 2200 {
			r.fail("year", "must be a year such as 2024, got %q", r.get("year"))
			good = false
		}
		f.Year = y
		var ok1, ok2, ok3 bool
		f.Production, ok1 = r.tonnes("production", false)
		f.Imports, ok2 = r.tonnes("imports", false)
		f.Exports, ok3 = r.tonnes("exports", false)
		good = good && ok1 && ok2 && ok3
		if c := r.get("consumption"); c == "" {
			f.Consumption = f.Production + f.Imports - f.Exports
			if f.Consumption < 0 {
				r.fail("consumption", "apparent consumption (production + imports − exports) is negative: state it")
				good = false
			}
		} else {
			var ok bool
			f.Consumption, ok = r.tonnes("consumption", false)
			good = good && ok
		}
		switch s := r.get("illustrative"); s {
		case "", "false":
		case "true":
			f.Illustrative = true
		default:
			r.fail("illustrative", "must be true or false, got %q", s)
			good = false
		}
		k := flowKey{f.Party, f.Mineral, f.Stage, f.Year}
		if l, dup := seen[k]; dup && good {
			r.fail("year", "a second row for %s %s/%s %d (first at line %d)", f.Party, f.Mineral, f.Stage, f.Year, l)
			good = false
		}
		if good {
			seen[k] = r.line
			out = append(out, f)
		}
	}
	return out, t.errs.Err()
}

// ReadExposures reads an exposures file: shares between 0 and 1, origins as
// ISO 3166 codes, the parties and minerals of the agreement.
func ReadExposures(file string, data []byte, a *agreement.Agreement) ([]Exposure, error) {
	return readExposures(file, data, a, false)
}

func readExposures(file string, data []byte, a *agreement.Agreement, skipOthers bool) ([]Exposure, error) {
	t, err := openTable(file, data, ExposureColumns, nil)
	if err != nil {
		return nil, err
	}
	t.skipOthers = skipOthers
	var out []Exposure
	for {
		r, ok := t.next()
		if !ok {
			break
		}
		e := Exposure{Party: r.get("party"), Mineral: r.get("mineral"), Stage: registry.Stage(r.get("stage")), Origin: r.get("origin")}
		good := checkPartyScope(r, a, e.Party, e.Mineral, e.Stage, false)
		if len(e.Origin) != 2 {
			r.fail("origin", "must be an ISO 3166 alpha-2 code, got %q", e.Origin)
			good = false
		}
		s, err := dec.Parse(r.get("share"))
		if err != nil || s.Sign() < 0 || s.Cmp(dec.One) > 0 {
			r.fail("share", "must be a share between 0 and 1, got %q", r.get("share"))
			good = false
		}
		e.Share = s
		if good {
			out = append(out, e)
		}
	}
	return out, t.errs.Err()
}

// checkPartyScope checks that party is a party of a and mineral/stage in its
// scope (with a stockholding regime if needRegime).
func checkPartyScope(r record, a *agreement.Agreement, party, mineral string, stage registry.Stage, needRegime bool) bool {
	if r.t.skipOthers {
		// shipped data read for another agreement: its rows for parties or
		// minerals that agreement lacks are not errors, only not its data
		_, isParty := a.Party(party)
		_, err := a.Scope(mineral, stage)
		if !isParty || err != nil || needRegime && a.StockRegime(mineral, stage) == nil {
			return false
		}
	}
	good := true
	if _, ok := a.Party(party); !ok {
		r.fail("party", "%q is not a party to agreement %s", party, a.ID)
		good = false
	}
	if _, err := a.Scope(mineral, stage); err != nil {
		if _, ok := a.Mineral(mineral); !ok {
			r.fail("mineral", "%q is not a mineral in scope of agreement %s", mineral, a.ID)
		} else {
			r.fail("stage", "stage %q of %s is not in scope of agreement %s", stage, mineral, a.ID)
		}
		return false
	}
	if needRegime && a.StockRegime(mineral, stage) == nil {
		r.fail("mineral", "agreement %s has no stockholding regime for %s/%s", a.ID, mineral, stage)
		good = false
	}
	return good
}

func (k flowKey) String() string {
	return fmt.Sprintf("%s %s/%s %d", k.party, k.mineral, k.stage, k.year)
}
