package registry

import (
	"io/fs"
	"slices"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/internal/suggest"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// Mineral is one entry of the USGS list of critical minerals (data/minerals.csv,
// the 2022 and 2025 final lists).
type Mineral struct {
	ID     string // lower-case identifier used everywhere: "lithium", "metallurgical_coal"
	Name   string // as the list writes it: "Lithium"
	Symbol string // chemical symbol, empty for minerals that are not elements (barite, potash)
	Group  string // the Group it belongs to ("rare_earths", "platinum_group_metals"), or ""
	On2022 bool   // on the 2022 final list (87 FR 10381)
	On2025 bool   // on the 2025 final list (90 FR 50494)
}

// Group is a family of minerals that trade and are reported together, such as
// the rare earths; the HS map and the MCS chapters may name a group instead of
// a mineral.
type Group struct {
	ID      string   // "rare_earths" or "platinum_group_metals"
	Name    string   // "Rare earth elements"
	Members []string // mineral ids, sorted
}

// The group ids.
const (
	RareEarths          = "rare_earths"
	PlatinumGroupMetals = "platinum_group_metals"
)

// groupOfListValue maps the group column of minerals.csv to group ids; the list
// names the kind of one member, the registry the family.
var groupOfListValue = map[string]Group{
	"rare_earth_element":   {ID: RareEarths, Name: "Rare earth elements"},
	"platinum_group_metal": {ID: PlatinumGroupMetals, Name: "Platinum-group metals"},
}

const mineralsFile = "minerals.csv"

func (r *Registry) loadMinerals(fsys fs.FS, errs *problem.List) error {
	f, err := openCSV(fsys, mineralsFile, errs, "mineral_id", "name", "symbol", "group", "on_2022_list", "on_2025_list")
	if err != nil {
		return err
	}
	r.mineralIndex = make(map[string]int)
	groups := make(map[string]*Group)
	for row, ok := f.next(); ok; row, ok = f.next() {
		m := Mineral{
			ID:     row.str("mineral_id"),
			Name:   row.str("name"),
			Symbol: row.str("symbol"),
			On2022: row.bool("on_2022_list"),
			On2025: row.bool("on_2025_list"),
		}
		if m.ID == "" || m.ID != strings.ToLower(m.ID) || strings.ContainsAny(m.ID, " -") {
			row.errorf("mineral_id", "%q is not a lower-case identifier", m.ID)
			continue
		}
		if _, dup := r.mineralIndex[m.ID]; dup {
			row.errorf("mineral_id", "%q is listed twice", m.ID)
			continue
		}
		if g := row.str("group"); g != "" {
			def, ok := groupOfListValue[g]
			if !ok {
				row.errorf("group", "unknown group %q (want rare_earth_element or platinum_group_metal)", g)
			} else {
				m.Group = def.ID
				if groups[def.ID] == nil {
					groups[def.ID] = &Group{ID: def.ID, Name: def.Name}
				}
				groups[def.ID].Members = append(groups[def.ID].Members, m.ID)
			}
		}
		r.mineralIndex[m.ID] = len(r.minerals)
		r.minerals = append(r.minerals, m)
	}
	slices.SortFunc(r.minerals, func(a, b Mineral) int { return strings.Compare(a.ID, b.ID) })
	for i, m := range r.minerals {
		r.mineralIndex[m.ID] = i
	}
	for _, g := range groups {
		slices.Sort(g.Members)
		r.groups = append(r.groups, *g)
	}
	slices.SortFunc(r.groups, func(a, b Group) int { return strings.Compare(a.ID, b.ID) })
	return nil
}

// Minerals returns every mineral of the 2022 and 2025 lists, sorted by ID.
// The slice is a copy.
func (r *Registry) Minerals() []Mineral { return slices.Clone(r.minerals) }

// Mineral returns the mineral with the given id. An unknown id is a NotFound
// error that suggests the nearest ids.
func (r *Registry) Mineral(id string) (Mineral, error) {
	if i, ok := r.mineralIndex[id]; ok {
		return r.minerals[i], nil
	}
	return Mineral{}, r.unknownMineral(id)
}

func (r *Registry) unknownMineral(id string) error {
	ids := make([]string, 0, len(r.minerals)+len(r.groups))
	for _, m := range r.minerals {
		ids = append(ids, m.ID)
	}
	for _, g := range r.groups {
		ids = append(ids, g.ID)
	}
	return &problem.Error{Code: problem.NotFound, Field: "mineral",
		Message: "unknown mineral " + strconv.Quote(id) + suggest.DidYouMean(suggest.Near(id, ids))}
}

// Groups returns the mineral groups, sorted by ID, with their members.
func (r *Registry) Groups() []Group {
	out := make([]Group, len(r.groups))
	for i, g := range r.groups {
		out[i] = g
		out[i].Members = slices.Clone(g.Members)
	}
	return out
}

// MineralOrGroup resolves an id that may name a mineral or a group, as the HS
// map and the agreement file allow. It returns the mineral ids the id stands for
// (the mineral itself, or the group's members) and whether it is a group.
func (r *Registry) MineralOrGroup(id string) (members []string, group bool, err error) {
	if _, ok := r.mineralIndex[id]; ok {
		return []string{id}, false, nil
	}
	for _, g := range r.groups {
		if g.ID == id {
			return slices.Clone(g.Members), true, nil
		}
	}
	return nil, false, r.unknownMineral(id)
}

// isMineralOrGroup reports whether id names a mineral or a group.
func (r *Registry) isMineralOrGroup(id string) bool {
	_, _, err := r.MineralOrGroup(id)
	return err == nil
}
