package monitor

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// ReadFlows reads a trade-flow file whose format it finds from the header:
// BACI's t,i,j,k,v,q, or a Comtrade CSV (a header with period and
// reporterISO). codes turns BACI's numeric codes into ISO codes.
func (f *Flows) ReadFlows(r io.Reader, name string, codes CountryCodes, asOf date.Date) error {
	br := bufio.NewReaderSize(r, 1<<20)
	head, _ := br.Peek(4096)
	switch DetectFormat(head) {
	case "baci":
		return f.ReadBACI(br, name, codes, asOf)
	case "comtrade":
		return f.ReadComtrade(br, name, asOf)
	}
	return inputErr(name, 1, "", "not a Comtrade CSV (a header with period, reporterISO, partnerISO, flowCode, cmdCode, primaryValue, netWgt) nor a BACI file (t,i,j,k,v,q)")
}

// DetectFormat names the format of a flow file from its first bytes:
// "baci", "comtrade" or "".
func DetectFormat(head []byte) string {
	line := strings.ToLower(strings.TrimPrefix(string(head), "\ufeff"))
	if i := strings.IndexAny(line, "\r\n"); i >= 0 {
		line = line[:i]
	}
	line = strings.ReplaceAll(strings.ReplaceAll(line, `"`, ""), " ", "")
	switch {
	case line == "t,i,j,k,v,q":
		return "baci"
	case strings.Contains(line, "reporteriso") && strings.Contains(line, "period"):
		return "comtrade"
	}
	return ""
}

// RegistryCodes is the registry's countries as a code list (ISO numeric
// codes, as BACI mostly uses them, and alpha-2 for alpha-3).
func RegistryCodes(reg *registry.Registry) CountryCodes {
	var list []Country
	for _, c := range reg.Countries() {
		n := 0
		fmt.Sscanf(c.Numeric, "%d", &n)
		list = append(list, Country{Code: n, Name: c.Name, ISO2: c.Alpha2, ISO3: c.Alpha3})
	}
	return NewCountryCodes(list)
}

// RegistryCatalog is the Catalog of the registry: its HS map and the USGS
// MCS 2026 world production tables.
func RegistryCatalog(reg *registry.Registry) Catalog { return regCatalog{reg} }

type regCatalog struct{ reg *registry.Registry }

func (c regCatalog) Line(hs string) (string, string, float64, bool) {
	lines, err := c.reg.Classify(hs)
	if err != nil || len(lines) == 0 {
		return "", "", 0, false
	}
	return lines[0].Mineral, string(lines[0].Stage), lines[0].Content.Float64(), true
}

func (c regCatalog) Production(mineral, iso2 string) (float64, string, bool) {
	com, err := c.reg.MCS(mineral)
	if err != nil || com == nil {
		return 0, "", false
	}
	for _, row := range com.World {
		code, ok := c.reg.CountryCode(row.Country)
		if !ok || code != iso2 {
			continue
		}
		fig, year := row.Prod2025, "2025e"
		if !fig.Known {
			fig, year = row.Prod2024, "2024"
		}
		if !fig.Known {
			continue
		}
		t := fig.Value.Float64()
		unit := strings.ToLower(row.Unit)
		switch {
		case strings.HasPrefix(unit, "kilograms"):
			t /= 1000
		case strings.HasPrefix(unit, "thousand metric tons"):
			t *= 1000
		}
		return t, fmt.Sprintf("USGS MCS 2026, %s, %s %s (%s)", com.Name, row.Table, year, row.Unit), true
	}
	return 0, "", false
}

// PublishedFloors is what PublishedFloorSource reads: the floor published
// for a mineral at a stage on a date (refprice.InProcess, a store's floor
// source, as duty reads them).
type PublishedFloors interface {
	Floor(mineral, stage string, on date.Date) (*refprice.Floor, error)
}

// PublishedFloorSource is the FloorSource of the published floors: the
// line's mineral, stage and content from the registry's HS map, the floor
// published for them on the date, per kg of contained mineral. Before the
// entry into force, or for an agreement not in USD, there is none.
func PublishedFloorSource(reg *registry.Registry, floors PublishedFloors, entry date.Date, currency string) FloorSource {
	return &floorSource{reg: reg, floors: floors, entry: entry, currency: currency, cache: map[floorKey]floorHit{}}
}

type floorSource struct {
	reg      *registry.Registry
	floors   PublishedFloors
	entry    date.Date
	currency string
	mu       sync.Mutex
	cache    map[floorKey]floorHit
}

type floorKey struct {
	hs string
	on date.Date
}

type floorHit struct {
	f  LineFloor
	ok bool
}

func (s *floorSource) FloorPerKg(hs string, on date.Date) (LineFloor, bool, error) {
	if on.Before(s.entry) || s.currency != "USD" {
		return LineFloor{}, false, nil
	}
	k := floorKey{hs, on}
	s.mu.Lock()
	h, ok := s.cache[k]
	s.mu.Unlock()
	if ok {
		return h.f, h.ok, nil
	}
	lines, err := s.reg.Classify(hs)
	if err == nil && len(lines) > 0 {
		l := lines[0]
		if f, err := s.floors.Floor(l.Mineral, string(l.Stage), on); err == nil {
			if u, err := s.reg.Unit(f.Unit); err == nil && u.PerKg.Float64() > 0 {
				h = floorHit{f: LineFloor{Mineral: l.Mineral, Stage: string(l.Stage), Content: l.Content.Float64(),
					USDPerKg: f.Price.Float64() / u.PerKg.Float64(),
					Label:    fmt.Sprintf("floor %s/%s from %s: %s %s/%s", l.Mineral, l.Stage, f.ValidFrom, f.Price, f.Currency, f.Unit)}, ok: true}
			}
		}
	}
	s.mu.Lock()
	s.cache[k] = h
	s.mu.Unlock()
	return h.f, h.ok, nil
}
