package monitor

import (
	"fmt"
	"math"
	"slices"
)

// Source says who reported a flow and so on which basis its value is.
type Source uint8

// The sources of a flow.
const (
	// Importer: a Comtrade import (flowCode M) as the importing country
	// reported it, CIF.
	Importer Source = iota
	// Exporter: a Comtrade export (X) as the exporting country reported it,
	// FOB.
	Exporter
	// BACI: CEPII's reconciliation of both declarations, FOB.
	BACI
	// Reimport and Reexport: Comtrade's RM and RX, kept apart (a country's
	// re-exports to an importer are evidence of routing through it).
	Reimport
	Reexport
)

var sourceNames = [...]string{"importer", "exporter", "baci", "reimport", "reexport"}

func (s Source) String() string { return sourceNames[s] }

// The key of a cell packs, from the high bits, the exporter (12 bits), the
// importer (12), the HS line (20), the source (3) and the period (17: a
// monthly bit and year×13+month), so that sorting by key lays each series
// (exporter, importer, line, source) out contiguously in time order. The
// exporter comes first because BACI files are sorted by year, exporter,
// importer and product: read in order, they are sorted by pair already.
const (
	expShift  = 52
	impShift  = 40
	hsShift   = 20
	srcShift  = 17
	maxIdx    = 1<<12 - 1
	maxHS     = 1<<20 - 1
	seriesSh  = srcShift // key >> seriesSh identifies a series
	pairShift = hsShift  // key >> pairShift identifies exporter and importer
)

func perCode(p Period) uint64 {
	c := uint64(p.Year*13 + p.Month)
	if p.Month != 0 {
		c |= 1 << 16
	}
	return c
}

func perOf(code uint64) Period {
	c := int(code & 0xffff)
	return Period{Year: c / 13, Month: c % 13}
}

// cell is one importer, exporter, line, source and period with its value
// (thousandths of a USD) and net weight (grams, −1 when not known).
type cell struct {
	key uint64
	val int64
	g   int64
}

// Flows is trade flows read from Comtrade and BACI files, aggregated as they
// are read: one cell per importer, exporter, HS line, source and period, its
// values the exact sums of the rows that fall in it. Countries are kept as
// the files name them (ISO alpha-3: Comtrade's reporterISO and partnerISO,
// BACI's country_iso3), so that files of both formats meet.
type Flows struct {
	codes []string
	cidx  map[string]uint16
	hs    []string
	hidx  map[string]uint32
	cells []cell
	fob   map[uint64]int64 // an import's FOB value where the file gave one (cifvalue/fobvalue)
	dirty bool             // cells appended since the last sort
	// Rows counts the data rows read; Files names the files, in order.
	Rows  int64
	Files []string
	// Skipped counts rows left out on purpose (Comtrade's world and area
	// partners, breakdowns by mode of transport or customs procedure).
	Skipped int64
}

// NewFlows returns an empty set of flows.
func NewFlows() *Flows {
	return &Flows{cidx: map[string]uint16{}, hidx: map[string]uint32{}, fob: map[uint64]int64{}}
}

func (f *Flows) country(code string) (uint16, error) {
	if i, ok := f.cidx[code]; ok {
		return i, nil
	}
	if len(f.codes) > maxIdx {
		return 0, fmt.Errorf("more than %d countries", maxIdx+1)
	}
	i := uint16(len(f.codes))
	f.codes = append(f.codes, code)
	f.cidx[code] = i
	return i, nil
}

func (f *Flows) line(code string) (uint32, error) {
	if i, ok := f.hidx[code]; ok {
		return i, nil
	}
	if len(f.hs) > maxHS {
		return 0, fmt.Errorf("more than %d HS lines", maxHS+1)
	}
	i := uint32(len(f.hs))
	f.hs = append(f.hs, code)
	f.hidx[code] = i
	return i, nil
}

func makeKey(imp, exp uint16, hs uint32, src Source, p Period) uint64 {
	return uint64(exp)<<expShift | uint64(imp)<<impShift | uint64(hs)<<hsShift | uint64(src)<<srcShift | perCode(p)
}

func (f *Flows) add(key uint64, val, g int64) {
	f.cells = append(f.cells, cell{key, val, g})
	f.dirty = true
}

// finish sorts the cells and adds up those of the same key.
func (f *Flows) finish() {
	if !f.dirty {
		return
	}
	f.dirty = false
	c := f.cells
	if !slices.IsSortedFunc(c, func(a, b cell) int { return cmpU64(a.key, b.key) }) {
		sortCells(c)
	}
	out := c[:0]
	for _, x := range c {
		if n := len(out); n > 0 && out[n-1].key == x.key {
			o := &out[n-1]
			o.val += x.val
			if o.g < 0 || x.g < 0 {
				o.g = -1
			} else {
				o.g += x.g
			}
			continue
		}
		out = append(out, x)
	}
	f.cells = slices.Clip(out)
}

func cmpU64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// sortCells sorts by key. Cells read in the order of a BACI file come
// sorted by pair (exporter, importer) with the lines of a pair in the order
// of the file, not of their index: then each pair's run is sorted alone
// (a few thousand cells each), else the whole slice.
func sortCells(c []cell) {
	cmpCell := func(a, b cell) int { return cmpU64(a.key, b.key) }
	byPair := true
	for i := 1; i < len(c); i++ {
		if c[i].key>>pairShift < c[i-1].key>>pairShift {
			byPair = false
			break
		}
	}
	if !byPair {
		slices.SortFunc(c, cmpCell)
		return
	}
	for lo := 0; lo < len(c); {
		hi := lo + 1
		for hi < len(c) && c[hi].key>>pairShift == c[lo].key>>pairShift {
			hi++
		}
		if !slices.IsSortedFunc(c[lo:hi], cmpCell) {
			slices.SortFunc(c[lo:hi], cmpCell)
		}
		lo = hi
	}
}

// Grow makes room for n more cells (a reader's estimate of the rows to
// come, from the file's size), so that reading a large file does not copy
// its cells as the slice grows.
func (f *Flows) Grow(n int) {
	if n > 0 {
		f.cells = slices.Grow(f.cells, n)
	}
}

// Merge adds the flows of g to f (cells of the same key add up).
func (f *Flows) Merge(g *Flows) error {
	if g == nil {
		return nil
	}
	cm := make([]uint16, len(g.codes))
	for i, c := range g.codes {
		j, err := f.country(c)
		if err != nil {
			return err
		}
		cm[i] = j
	}
	hm := make([]uint32, len(g.hs))
	for i, h := range g.hs {
		j, err := f.line(h)
		if err != nil {
			return err
		}
		hm[i] = j
	}
	remap := func(k uint64) uint64 {
		imp := cm[k>>impShift&maxIdx]
		exp := cm[k>>expShift&maxIdx]
		hs := hm[k>>hsShift&maxHS]
		return uint64(exp)<<expShift | uint64(imp)<<impShift | uint64(hs)<<hsShift | k&(1<<hsShift-1)
	}
	f.cells = slices.Grow(f.cells, len(g.cells))
	for _, x := range g.cells {
		f.add(remap(x.key), x.val, x.g)
	}
	for k, v := range g.fob {
		f.fob[remap(k)] += v
	}
	f.Rows += g.Rows
	f.Skipped += g.Skipped
	f.Files = append(f.Files, g.Files...)
	f.finish()
	return nil
}

// Len is the number of cells: importer, exporter, line, source and period.
func (f *Flows) Len() int { f.finish(); return len(f.cells) }

// Countries returns the country codes the flows name, sorted.
func (f *Flows) Countries() []string {
	out := slices.Clone(f.codes)
	slices.Sort(out)
	return out
}

// Aggregate is one importer, exporter, line, source and period with its
// value (USD) and net weight (kg; NaN when a row of it had none).
type Aggregate struct {
	Importer, Exporter, HS string
	Source                 Source
	Period                 Period
	Value, Kg              float64
}

// Each calls fn for every cell in key order, until it returns false.
func (f *Flows) Each(fn func(Aggregate) bool) {
	f.finish()
	for _, c := range f.cells {
		a := Aggregate{
			Importer: f.codes[c.key>>impShift&maxIdx], Exporter: f.codes[c.key>>expShift&maxIdx],
			HS: f.hs[c.key>>hsShift&maxHS], Source: Source(c.key >> srcShift & 7), Period: perOf(c.key),
			Value: usd(c.val), Kg: kgOf(c.g),
		}
		if !fn(a) {
			return
		}
	}
}

func usd(v int64) float64 { return float64(v) / milli }

func kgOf(g int64) float64 {
	if g < 0 {
		return math.NaN()
	}
	return float64(g) / milli
}
