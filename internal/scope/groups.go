package scope

import (
	"fmt"
	"slices"
	"strings"
)

// Group is a proposed group of minerals, with the reasons for it.
type Group struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Basis is the rule that formed the group: "host family" (companions
	// and their principal host), "registry group" (reported together by
	// USGS: the rare earths) or "market and geography" (minerals with no
	// host link, grouped by price formation and leading producer).
	Basis    string        `json:"basis"`
	Minerals []string      `json:"minerals"`
	Hosts    []string      `json:"hosts_off_list,omitempty"` // hosts of the group that are not on the list (gold, molybdenum...)
	Members  []GroupMember `json:"members"`
	Reasons  []Reason      `json:"reasons"`
}

// GroupMember is one mineral of a group with the facts the reasons cite.
type GroupMember struct {
	Mineral   string `json:"mineral"`
	Formation string `json:"price_formation"`
	Venue     string `json:"venue,omitempty"`
	// TopProducer and TopShare are the leading producer and its share of
	// world production at the bottleneck stage (world EU supply risk);
	// HHI the plain concentration of producers there.
	TopProducer string   `json:"top_producer,omitempty"`
	TopShare    *float64 `json:"top_share"`
	HHI         *float64 `json:"hhi"`
	// PrincipalHost is the host the mineral is grouped with, if any.
	PrincipalHost string `json:"principal_host,omitempty"`
}

// Reason is one ground for a group: companionality (a host link),
// co-occurrence (facilities producing both), market (price formation and
// concentration) or geography (the leading producer).
type Reason struct {
	Kind   string `json:"kind"`
	Text   string `json:"text"`
	Source string `json:"source"`
}

// minHostShare is the smallest share of a mineral's production from a host
// that makes the host its principal host: below it (platinum's 2.4% from
// nickel, copper's 5% from nickel) the link is noted, not grouped on.
const minHostShare = 0.20

// dominantShare is the leading producer's share of world production above
// which a mineral with no host link is grouped by that producer.
const dominantShare = 0.50

// principal returns the host link a mineral is grouped on: the by-product
// link with the largest stated share, else the first by-product link, else
// the co-product link with the largest share (at least minHostShare) or the
// first without one; false when none qualifies.
func principal(links []HostLink) (HostLink, bool) {
	best, found := HostLink{}, false
	better := func(l HostLink) bool {
		if !found {
			return true
		}
		if (l.Relation == "by-product") != (best.Relation == "by-product") {
			return l.Relation == "by-product"
		}
		return l.Share != nil && best.Share != nil && *l.Share > *best.Share
	}
	for _, l := range links {
		if l.Share != nil && *l.Share < minHostShare {
			continue
		}
		if better(l) {
			best, found = l, true
		}
	}
	return best, found
}

// Groups proposes groups of the minerals of the list: host families (a
// mineral joins its principal host; families sharing a mineral merge),
// the registry's groups (the rare earths, the platinum-group metals), and
// for the minerals left alone, one group per price formation and leading
// producer. Each group carries its reasons. docs/scope.md gives the rules.
func (d *Data) Groups(rel *Relations) []Group {
	world := d.Score(nil)
	facts := map[string]GroupMember{}
	for i := range d.Minerals {
		facts[d.Minerals[i].ID] = d.member(&d.Minerals[i], &world.Minerals[i], rel)
	}
	uf := newUnion()
	links := map[string]HostLink{}
	for _, m := range d.Minerals {
		uf.add(m.ID)
		if l, ok := principal(rel.hostsOf(m.ID)); ok {
			links[m.ID] = l
			for _, h := range l.Hosts {
				uf.union(m.ID, h)
			}
		}
		if g := rel.group[m.ID]; g != "" {
			uf.union(m.ID, "group:"+g)
		}
	}
	onList := map[string]bool{}
	for _, m := range d.Minerals {
		onList[m.ID] = true
	}
	comps := map[string][]string{}
	for _, m := range d.Minerals {
		r := uf.find(m.ID)
		comps[r] = append(comps[r], m.ID)
	}
	var out []Group
	var alone []string
	for _, ms := range comps {
		if len(ms) == 1 && links[ms[0]].Mineral == "" && rel.group[ms[0]] == "" && !d.isHost(ms[0], rel, links) {
			alone = append(alone, ms[0])
			continue
		}
		out = append(out, d.family(ms, links, facts, rel, uf, onList))
	}
	slices.Sort(alone) // comps is a map: its order is not the answer's
	out = append(out, standalone(alone, facts)...)
	slices.SortFunc(out, func(a, b Group) int {
		if len(a.Minerals) != len(b.Minerals) {
			return len(b.Minerals) - len(a.Minerals)
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// isHost reports whether some mineral is grouped on m as its host.
func (d *Data) isHost(m string, rel *Relations, links map[string]HostLink) bool {
	for _, l := range links {
		if slices.Contains(l.Hosts, m) {
			return true
		}
	}
	return false
}

func (d *Data) member(m *Mineral, r *Result, rel *Relations) GroupMember {
	mk := rel.Markets[m.ID]
	gm := GroupMember{Mineral: m.ID, Formation: mk.Formation, Venue: mk.Venue}
	s := r.Summary[0]
	for ti, t := range m.Tables {
		if t.Label != s.Table || t.World <= 0 {
			continue
		}
		top := Producer{}
		for _, p := range t.Producers {
			if p.Known && p.Quantity > top.Quantity {
				top = p
			}
		}
		if top.Country != "" {
			gm.TopProducer, gm.TopShare = top.Country, ptr(round(top.Quantity/t.World))
		}
		gm.HHI = ptr(r.Stages[ti].Bases[0].HHI)
	}
	return gm
}

// family builds a host family or registry group from its minerals.
func (d *Data) family(ms []string, links map[string]HostLink, facts map[string]GroupMember, rel *Relations, uf *union, onList map[string]bool) Group {
	slices.Sort(ms)
	g := Group{Minerals: ms, Basis: "host family"}
	for _, m := range ms {
		gm := facts[m]
		if l, ok := links[m]; ok {
			gm.PrincipalHost = l.Host
			share := ""
			if l.Share != nil {
				share = fmt.Sprintf(" (%s of its mine production)", pct(*l.Share))
			}
			g.Reasons = append(g.Reasons, Reason{Kind: "companionality", Text: fmt.Sprintf("%s is a %s of %s%s", m, l.Relation, l.Host, share), Source: l.Source})
			for _, h := range l.Hosts {
				if !onList[h] && !slices.Contains(g.Hosts, h) {
					g.Hosts = append(g.Hosts, h)
				}
			}
		}
		for _, l := range rel.hostsOf(m) {
			if l.Host != links[m].Host {
				share := ""
				if l.Share != nil {
					share = " (" + pct(*l.Share) + ")"
				}
				g.Reasons = append(g.Reasons, Reason{Kind: "companionality", Text: fmt.Sprintf("%s is also recovered with %s%s (not grouped on)", m, l.Host, share), Source: l.Source})
			}
		}
		g.Members = append(g.Members, gm)
	}
	if gr := rel.group[ms[0]]; gr != "" && uf.find("group:"+gr) == uf.find(ms[0]) {
		g.Reasons = append(g.Reasons, Reason{Kind: "companionality", Text: "the " + strings.ReplaceAll(gr, "_", " ") + " are mined from the same ores and reported together by USGS", Source: srcMCS})
		if len(links) == 0 || !anyLinked(ms, links) {
			g.Basis = "registry group"
		}
	}
	// Co-occurrence: facilities of the ICMM set producing two members (or
	// a member and an off-list host).
	all := append(slices.Clone(ms), g.Hosts...)
	for i, a := range all {
		for _, b := range all[i+1:] {
			if n := rel.pair(a, b); n > 0 {
				g.Reasons = append(g.Reasons, Reason{Kind: "co_occurrence", Text: fmt.Sprintf("%s and %s are produced together at %d of the %d facilities", a, b, n, rel.Facilities), Source: srcICMM})
			}
		}
	}
	g.Reasons = append(g.Reasons, marketReasons(g.Members)...)
	g.ID, g.Name = familyName(ms, links, rel, g.Basis)
	return g
}

func anyLinked(ms []string, links map[string]HostLink) bool {
	for _, m := range ms {
		if _, ok := links[m]; ok {
			return true
		}
	}
	return false
}

// familyName names a family for the host most of its members are grouped
// on (a mineral that is a host and has no host itself).
func familyName(ms []string, links map[string]HostLink, rel *Relations, basis string) (string, string) {
	if basis == "registry group" {
		gr := rel.group[ms[0]]
		return "group-" + strings.ReplaceAll(gr, "_", "-"), strings.ReplaceAll(gr, "_", " ")
	}
	count := map[string]int{}
	for _, m := range ms {
		if l, ok := links[m]; ok {
			for _, h := range l.Hosts {
				count[h]++
			}
		}
	}
	best := ""
	for h, n := range count {
		if _, hosted := links[h]; hosted {
			continue // a host that is itself a companion names no family
		}
		if best == "" || n > count[best] || (n == count[best] && h < best) {
			best = h
		}
	}
	if best == "" {
		best = ms[0]
	}
	return "host-" + strings.ReplaceAll(best, " ", "-"), best + " family"
}

// marketReasons states each member's price formation, flags a family whose
// members' prices form differently, and gives each member's producer
// concentration and any producer with half or more of its production.
func marketReasons(ms []GroupMember) []Reason {
	var ex, other []string
	for _, m := range ms {
		if m.Formation == "exchange" || m.Formation == "exchange_cash" {
			ex = append(ex, m.Mineral+" ("+m.Venue+")")
		} else {
			other = append(other, m.Mineral+" ("+m.Formation+")")
		}
	}
	var out []Reason
	if len(ex) > 0 && len(other) > 0 {
		out = append(out, Reason{Kind: "market", Text: "mixed price formation: exchange-traded " + strings.Join(ex, ", ") + "; not exchange-traded " + strings.Join(other, ", ") + ": joint output follows the exchange price", Source: "data/scope/markets.csv; " + srcMCS})
	} else if len(ex) > 0 {
		out = append(out, Reason{Kind: "market", Text: "every member is exchange-traded: " + strings.Join(ex, ", "), Source: "data/scope/markets.csv"})
	} else {
		out = append(out, Reason{Kind: "market", Text: "no member is exchange-traded: " + strings.Join(other, ", "), Source: srcMCS})
	}
	var conc []string
	for _, m := range ms {
		if m.HHI != nil {
			conc = append(conc, fmt.Sprintf("%s %.2f", m.Mineral, *m.HHI))
		}
	}
	if len(conc) > 0 {
		out = append(out, Reason{Kind: "market", Text: "producer concentration (HHI of world production at the bottleneck stage, 0 to 1; above 0.25 highly concentrated): " + strings.Join(conc, ", "), Source: srcMCS + ", world production 2025"})
	}
	tops := map[string][]string{}
	for _, m := range ms {
		if m.TopShare != nil && *m.TopShare >= dominantShare {
			tops[m.TopProducer] = append(tops[m.TopProducer], fmt.Sprintf("%s %s", m.Mineral, pct(*m.TopShare)))
		}
	}
	for _, c := range slicesSortedKeys(tops) {
		out = append(out, Reason{Kind: "geography", Text: c + " produces half or more of " + strings.Join(tops[c], ", "), Source: srcMCS + ", world production 2025"})
	}
	return out
}

// standalone groups the minerals with no host link by price formation
// (exchange-traded or not) and leading producer (one with half or more of
// world production, else "diversified").
func standalone(ms []string, facts map[string]GroupMember) []Group {
	by := map[string]*Group{}
	var keys []string
	for _, m := range ms {
		f := facts[m]
		market := "not exchange-traded"
		if f.Formation == "exchange" || f.Formation == "exchange_cash" {
			market = "exchange-traded"
		}
		where := "diversified"
		if f.TopShare != nil && *f.TopShare >= dominantShare {
			where = f.TopProducer
		}
		if f.TopShare == nil {
			where = "unknown production"
		}
		key := market + ", " + where
		g, ok := by[key]
		if !ok {
			g = &Group{ID: "alone-" + strings.ReplaceAll(strings.ReplaceAll(key, ", ", "-"), " ", "-"), Name: key, Basis: "market and geography"}
			by[key] = g
			keys = append(keys, key)
		}
		g.Minerals = append(g.Minerals, m)
		g.Members = append(g.Members, f)
	}
	var out []Group
	for _, k := range keys {
		g := by[k]
		slices.Sort(g.Minerals)
		g.Reasons = append([]Reason{{Kind: "companionality", Text: "no host link in the shipped data: mined for itself", Source: srcGLOMBO + "; data/scope/hosts.csv"}}, marketReasons(g.Members)...)
		out = append(out, *g)
	}
	return out
}

func slicesSortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// union is a union-find over names.
type union struct{ parent map[string]string }

func newUnion() *union { return &union{parent: map[string]string{}} }

func (u *union) add(x string) {
	if _, ok := u.parent[x]; !ok {
		u.parent[x] = x
	}
}

func (u *union) find(x string) string {
	u.add(x)
	for u.parent[x] != x {
		u.parent[x] = u.parent[u.parent[x]]
		x = u.parent[x]
	}
	return x
}

func (u *union) union(a, b string) {
	ra, rb := u.find(a), u.find(b)
	if ra != rb {
		if ra > rb {
			ra, rb = rb, ra
		}
		u.parent[rb] = ra
	}
}
