package scope

import (
	"bytes"
	"io/fs"
	"slices"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/internal/ownership"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// Citations of the grouping data (docs/scope.md has the references).
const (
	srcNassar2015 = "Nassar, Graedel and Harper (2015), By-product metals are technologically essential but have problematic supply, Science Advances 1(3) e1400180, doi:10.1126/sciadv.1400180"
	srcGLOMBO     = "GLOMBO host production shares (Ryter et al.; data/glombo-byproduct-hosts)"
	srcICMM       = "ICMM facility data set (calvincj/Critical-Minerals-Tracker; data/ownership/icmm/ICMM_FacilityData.csv): facilities listing both among their primary, secondary and other commodities"
)

// HostLink says that part of a mineral's production comes from mining
// another commodity, its host: a by-product is recovered only because the
// host is mined, a co-product is mined jointly with it.
type HostLink struct {
	Mineral string `json:"mineral"`
	// Host is a mineral id of the list, or a plain name for a host that is
	// not on it (gold, molybdenum, iron ore, coal); Hosts is what it stands
	// for in the list ("lead/zinc" is lead and zinc).
	Host     string   `json:"host"`
	Hosts    []string `json:"-"`
	Relation string   `json:"relation"` // "by-product" or "co-product"
	// Share is the host's share of the mineral's mine production (0 to 1)
	// where a source states one; Self is the mineral's own mines' share.
	Share  *float64 `json:"share,omitempty"`
	Source string   `json:"source"`
}

// Market is how a mineral's price is formed: on an exchange (a physically
// settled contract, or one cash-settled on a price agency's assessment), or
// outside one: assessed by a price-reporting agency from negotiated trades,
// known only as an import unit value, or not published.
type Market struct {
	Mineral   string `json:"mineral"`
	Formation string `json:"formation"` // exchange, exchange_cash, assessed, unit_value, none
	Venue     string `json:"venue,omitempty"`
	Contract  string `json:"contract,omitempty"`
	Source    string `json:"source"`
}

// Exchange reports whether the price is set on an exchange.
func (m Market) Exchange() bool { return m.Formation == "exchange" || m.Formation == "exchange_cash" }

// Framework is a critical-minerals framework, memorandum or action plan
// between the United States and a country (or the EU), with its source.
type Framework struct {
	Country    string `json:"country"`
	Instrument string `json:"instrument"`
	Status     string `json:"status"` // signed, intended, announced
	SignedOn   string `json:"signed_on,omitempty"`
	Source     string `json:"source"`
	SourceDate string `json:"source_date"`
}

// Relations is what grouping, the scope warnings and membership read beside
// the production snapshot: host links, markets, facility co-occurrence and
// the U.S. frameworks.
type Relations struct {
	Hosts      []HostLink
	Markets    map[string]Market // by mineral id of the 2025 list
	Pairs      []Pair            // facility co-occurrence, most facilities first
	Counts     map[string]int    // facilities listing each commodity
	Facilities int               // facilities read
	Frameworks []Framework
	// Owners is the ownership register (facilities, entities, holdings) the
	// candidates' ownership factor reads; nil when Sources.OwnershipFiles is
	// empty.
	Owners *ownership.Register
	group  map[string]string // mineral → registry group ("rare_earth_element")
}

// glomboHosts maps GLOMBO's host symbols to the list's ids.
var glomboHosts = map[string][]string{
	"Cu": {"copper"}, "Ni": {"nickel"}, "Pb": {"lead"}, "Zn": {"zinc"}, "Pb/Zn": {"lead", "zinc"},
	"Ag": {"silver"}, "Au": {"gold"}, "Sn": {"tin"}, "Nb": {"niobium"}, "PGM": {"platinum", "palladium"},
	"iron ore": {"iron ore"},
}

// Sources are the file systems the grouping data are read from: the data
// package's (GLOMBO's host shares, under glombo-byproduct-hosts/), the scope
// data's (hosts.csv, markets.csv, frameworks.csv) and the ownership data's,
// whose copy of the ICMM facility file (icmm/ICMM_FacilityData.csv) the
// ownership engine reads for its facilities and this package for the
// commodities each produces: one copy of the file, two readers of its columns.
type Sources struct {
	Data, Scope, Ownership fs.FS
	// OwnershipFiles, when set, are the files of Ownership read into the
	// ownership register, in order (data/ownership's Files).
	OwnershipFiles []string
}

// icmmPath is the ICMM facility file in Sources.Ownership.
const icmmPath = "icmm/ICMM_FacilityData.csv"

// LoadRelations reads the grouping data from src; every problem is reported
// with its file, line and column. Minerals and countries are checked
// against reg; a market not listed is read from the MCS price note.
func LoadRelations(reg *registry.Registry, src Sources) (*Relations, error) {
	dataFS, own := src.Data, src.Scope
	var errs problem.List
	rel := &Relations{Markets: map[string]Market{}, Counts: map[string]int{}, group: map[string]string{}}
	onList := map[string]bool{}
	for _, m := range reg.Minerals() {
		if m.On2025 {
			onList[m.ID] = true
			if m.Group != "" {
				rel.group[m.ID] = m.Group
			}
		}
	}
	mineral := func(r csvRow, col string) (string, bool) {
		id := r.str(col)
		if !onList[id] {
			r.errorf(col, "%q is not a mineral of the 2025 list", id)
			return "", false
		}
		return id, true
	}
	if err := glombo(dataFS, rel, onList, &errs); err != nil {
		return nil, err
	}
	err := csvRows(own, "hosts.csv", "data/scope/hosts.csv", &errs, []string{"mineral", "host", "relation", "source"}, func(r csvRow) {
		id, ok := mineral(r, "mineral")
		rl := r.str("relation")
		if rl != "by-product" && rl != "co-product" {
			r.errorf("relation", "%q: want by-product or co-product", rl)
			ok = false
		}
		if r.str("source") == "" {
			r.errorf("source", "is empty: every row names its source")
			ok = false
		}
		if !ok {
			return
		}
		h := r.str("host")
		// A link GLOMBO already gives (tellurium from copper) keeps GLOMBO's
		// share and relation, and cites this row too: one link per host, so
		// that a warning names the host once.
		for i := range rel.Hosts {
			if l := &rel.Hosts[i]; l.Mineral == id && l.Host == h {
				l.Source += "; " + r.str("source")
				return
			}
		}
		rel.Hosts = append(rel.Hosts, HostLink{Mineral: id, Host: h, Hosts: []string{h}, Relation: rl, Source: r.str("source")})
	})
	if err != nil {
		return nil, err
	}
	err = csvRows(own, "markets.csv", "data/scope/markets.csv", &errs, []string{"mineral", "formation", "venue", "contract", "source"}, func(r csvRow) {
		id, ok := mineral(r, "mineral")
		f := r.str("formation")
		if f != "exchange" && f != "exchange_cash" {
			r.errorf("formation", "%q: want exchange or exchange_cash (other formations are read from MCS)", f)
			ok = false
		}
		if ok {
			rel.Markets[id] = Market{Mineral: id, Formation: f, Venue: r.str("venue"), Contract: r.str("contract"), Source: r.str("source")}
		}
	})
	if err != nil {
		return nil, err
	}
	raw, err := fs.ReadFile(src.Ownership, icmmPath)
	if err != nil {
		return nil, &problem.Error{Code: problem.Internal, Pos: problem.Pos{File: "data/ownership/" + icmmPath}, Message: "cannot read the file", Err: err}
	}
	facilities, err := ReadFacilities(bytes.NewReader(raw), "data/ownership/"+icmmPath)
	if err != nil {
		return nil, err
	}
	rel.Pairs, rel.Counts = CoOccurrence(facilities)
	if len(src.OwnershipFiles) > 0 {
		if rel.Owners, err = ownership.ReadFS(src.Ownership, src.OwnershipFiles, "data/ownership/", reg.CountryCode); err != nil {
			return nil, err
		}
	}
	rel.Facilities = len(facilities)
	err = csvRows(own, "frameworks.csv", "data/scope/frameworks.csv", &errs, []string{"country", "instrument", "status", "signed_on", "source", "source_date"}, func(r csvRow) {
		c := strings.ToUpper(r.str("country"))
		ok := true
		if _, err := reg.Country(c); err != nil && !reg.IsGroup(c) {
			r.errorf("country", "%q is not a country or customs union of the registry", r.str("country"))
			ok = false
		}
		for _, col := range []string{"instrument", "source", "source_date"} {
			if r.str(col) == "" {
				r.errorf(col, "is empty: every row names its instrument, source and the source's date")
				ok = false
			}
		}
		if st := r.str("status"); st != "signed" && st != "intended" && st != "announced" {
			r.errorf("status", "%q: want signed, intended or announced", st)
			ok = false
		}
		if ok {
			rel.Frameworks = append(rel.Frameworks, Framework{Country: c, Instrument: r.str("instrument"), Status: r.str("status"),
				SignedOn: r.str("signed_on"), Source: r.str("source"), SourceDate: r.str("source_date")})
		}
	})
	if err != nil {
		return nil, err
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	for id := range onList {
		if _, ok := rel.Markets[id]; !ok {
			rel.Markets[id] = mcsMarket(reg, id)
		}
	}
	slices.SortStableFunc(rel.Hosts, func(a, b HostLink) int { return strings.Compare(a.Mineral, b.Mineral) })
	return rel, nil
}

// glombo reads GLOMBO's host shares for the minerals of the list: each
// host row becomes a link, the "(self)" row the mineral's own share.
func glombo(dataFS fs.FS, rel *Relations, onList map[string]bool, errs *problem.List) error {
	names := map[string]string{"aluminium": "aluminum", "platinum (PGM)": "platinum", "rare earth elements": ""}
	return csvRows(dataFS, "glombo-byproduct-hosts/host_production_shares.csv", "data/glombo-byproduct-hosts/host_production_shares.csv", errs,
		[]string{"commodity_name", "host", "share_pct", "source"}, func(r csvRow) {
			id := r.str("commodity_name")
			if n, ok := names[id]; ok {
				id = n
			}
			host := r.str("host")
			if !onList[id] || strings.HasSuffix(host, "(self)") {
				return
			}
			hosts, ok := glomboHosts[host]
			if !ok {
				r.errorf("host", "%q: no list mineral is known for this host", host)
				return
			}
			l := HostLink{Mineral: id, Host: strings.Join(hosts, "/"), Hosts: hosts, Relation: "co-product", Source: srcGLOMBO + ": " + r.str("source")}
			if s := r.str("share_pct"); s != "" {
				v, err := strconv.ParseFloat(s, 64)
				if err != nil || v < 0 || v > 100 {
					r.errorf("share_pct", "%q is not a percentage", s)
					return
				}
				l.Share = ptr(v / 100)
				if v >= 50 {
					l.Relation = "by-product"
				}
			}
			rel.Hosts = append(rel.Hosts, l)
		})
}

// mcsMarket reads how MCS 2026 prices a mineral that trades on no exchange
// the project lists: an assessment by a price-reporting agency (the price
// footnote names one), an import unit value, or no price.
func mcsMarket(reg *registry.Registry, id string) Market {
	m := Market{Mineral: id, Formation: "none", Source: srcMCS + ": no price published"}
	c, err := reg.MCS(id)
	if err != nil || c == nil {
		return m
	}
	note, foot := strings.ToLower(c.PriceNote), c.PriceFootnote
	src := srcMCS + ", " + c.Slug + " chapter, price"
	agencies := []string{"Argus", "Fastmarkets", "Asian Metal", "Platts", "CRU", "Institute for Rare Earths", "Engelhard"}
	for _, a := range agencies {
		if strings.Contains(foot, a) {
			return Market{Mineral: id, Formation: "assessed", Venue: a, Source: src + ": " + firstSentence(foot)}
		}
	}
	switch {
	case strings.Contains(note, "unit value"):
		return Market{Mineral: id, Formation: "unit_value", Source: src + ": " + c.PriceNote}
	case note != "":
		return Market{Mineral: id, Formation: "assessed", Source: src + ": " + c.PriceNote + " (no source named)"}
	}
	return m
}

func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i > 0 {
		return s[:i+1]
	}
	return s
}

// hostsOf returns the links of a mineral, in the order of the data.
func (rel *Relations) hostsOf(mineral string) []HostLink {
	var out []HostLink
	for _, h := range rel.Hosts {
		if h.Mineral == mineral {
			out = append(out, h)
		}
	}
	return out
}

// pair returns the facilities that list both commodities.
func (rel *Relations) pair(a, b string) int {
	if a > b {
		a, b = b, a
	}
	for _, p := range rel.Pairs {
		if p.A == a && p.B == b {
			return p.Facilities
		}
	}
	return 0
}
