package design

import (
	"slices"
	"strings"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// Touched is what a change of the agreement reaches, derived from its diff
// (agreement.Diff) and from the two texts, never from a list kept by hand:
//
//   - a path under minerals[M] reaches mineral M: its floors at every stage
//     (a stage_chain stage is priced from the stage it names, so a change
//     upstream moves the stages chained to it), the declarations of M of
//     every party, and the scenarios of M;
//   - a path under parties[P].instruments[I] reaches the declarations of P
//     of the mineral I names (in either text); an instrument that names tariff
//     lines instead reaches the minerals those lines classify to, and one that
//     names neither reaches every mineral of P; the scenarios of those
//     minerals read P's instruments too;
//   - any other path under parties[P] (accession, withdrawal, the members,
//     the currency, a party added or removed) changes the zone: every
//     declaration (who is a party decides who pays the variable duty and the
//     surcharge), every scenario, and the floors whose cost curve counts the
//     parties' producers only;
//   - articles[A] reaches the floors whose rule cites A (a floor carries its
//     article's text);
//   - title, notice, signed_on, mineral_groups and stockpiles reach nothing
//     these engines compute;
//   - any other path (the currency, the entry into force, amendments, ...)
//     reaches everything: the rule does not try to confine what it does not
//     know.
type Touched struct {
	// All are the paths that reach everything: when there are any, the
	// new version is recomputed whole.
	All []string `json:"all,omitempty"`
	// Zone are the paths that change the parties: every declaration and
	// scenario is reached.
	Zone []string `json:"zone,omitempty"`
	// Minerals are the minerals whose floors, declarations and scenarios
	// are reached, each with the diff paths that reach it.
	Minerals map[string][]string `json:"minerals,omitempty"`
	// PartyMinerals are the (party, mineral) pairs whose declarations are
	// reached by a change of the party's instruments, keyed "PARTY/mineral".
	PartyMinerals map[string][]string `json:"party_minerals,omitempty"`
	// Floors are the (mineral, stage) floors reached, keyed
	// "mineral/stage", each with the paths that explain the change (a
	// chained stage inherits its upstream stage's paths).
	Floors map[string][]string `json:"floors,omitempty"`
	// Untracked are the paths that reach nothing computed here.
	Untracked []string `json:"untracked,omitempty"`
}

// Touch derives what the change from old to new reaches. reg classifies the
// tariff lines an instrument names.
func Touch(old, new *agreement.Agreement, diffs []agreement.Difference, reg *registry.Registry) *Touched {
	t := &Touched{Minerals: map[string][]string{}, PartyMinerals: map[string][]string{}, Floors: map[string][]string{}}
	for _, d := range diffs {
		t.add(old, new, d.Path, reg)
	}
	// Floors: a mineral reached reaches its stages; a zone change reaches
	// the cost curves that count the parties' producers.
	for _, ag := range []*agreement.Agreement{old, new} {
		for _, m := range ag.Minerals {
			for _, s := range m.Stages {
				k := m.ID + "/" + string(s.Stage)
				switch {
				case len(t.All) > 0:
					addPath(t.Floors, k, t.All...)
				case len(t.Zone) > 0 && s.Price.Producers == agreement.PartyProducers:
					addPath(t.Floors, k, t.Zone...)
				}
			}
		}
	}
	// A stage chained to a reached stage is reached, with its paths.
	for changed := true; changed; {
		changed = false
		for _, ag := range []*agreement.Agreement{old, new} {
			for _, m := range ag.Minerals {
				for _, s := range m.Stages {
					if s.Price.Method != agreement.StageChain || s.Price.From == "" {
						continue
					}
					up, down := m.ID+"/"+string(s.Price.From), m.ID+"/"+string(s.Stage)
					ps, ok := t.Floors[up]
					if !ok {
						continue
					}
					before := len(t.Floors[down])
					_, had := t.Floors[down]
					addPath(t.Floors, down, ps...)
					if !had || len(t.Floors[down]) != before {
						changed = true
					}
				}
			}
		}
	}
	return t
}

// add files one diff path.
func (t *Touched) add(old, new *agreement.Agreement, path string, reg *registry.Registry) {
	head, rest := splitPath(path)
	name, key := splitKey(head)
	switch name {
	case "title", "notice", "signed_on", "mineral_groups", "stockpiles":
		t.Untracked = append(t.Untracked, path)
	case "minerals":
		if key == "" {
			t.All = append(t.All, path)
			return
		}
		addPath(t.Minerals, key, path)
		sub, _ := splitPath(rest)
		if sn, stage := splitKey(sub); sn == "stages" && stage != "" {
			addPath(t.Floors, key+"/"+stage, path)
		} else {
			for _, ag := range []*agreement.Agreement{old, new} {
				if m, ok := ag.Mineral(key); ok {
					for _, s := range m.Stages {
						addPath(t.Floors, key+"/"+string(s.Stage), path)
					}
				}
			}
		}
	case "parties":
		sub, _ := splitPath(rest)
		sn, id := splitKey(sub)
		if key == "" || sn != "instruments" || id == "" {
			t.Zone = append(t.Zone, path)
			return
		}
		for _, m := range instrumentMinerals(old, new, key, id, reg) {
			addPath(t.PartyMinerals, key+"/"+m, path)
			addPath(t.Minerals, m, path)
		}
	case "articles":
		if key == "" {
			t.All = append(t.All, path)
			return
		}
		found := false
		for _, ag := range []*agreement.Agreement{old, new} {
			for _, m := range ag.Minerals {
				for _, s := range m.Stages {
					if s.Price.Basis == key {
						addPath(t.Floors, m.ID+"/"+string(s.Stage), path)
						found = true
					}
				}
			}
		}
		if !found {
			t.Untracked = append(t.Untracked, path)
		}
	default:
		t.All = append(t.All, path)
	}
}

// instrumentMinerals lists the minerals the instrument id of party p reaches,
// in either text: the mineral it names, or the minerals its tariff lines
// classify to, or (naming neither) every mineral of the agreement; and the
// same of every measure of p that names it (a safeguard's quota). The
// special name "*" means every mineral, including lines outside the scope.
func instrumentMinerals(old, new *agreement.Agreement, p, id string, reg *registry.Registry) []string {
	set := map[string]bool{}
	for _, ag := range []*agreement.Agreement{old, new} {
		pa, ok := ag.Party(p)
		if !ok {
			continue
		}
		for i := range pa.Instruments {
			in := &pa.Instruments[i]
			// A measure that names the instrument (a safeguard's quota)
			// reaches what it covers too.
			if in.ID != id && in.Quota != id {
				continue
			}
			switch {
			case in.Mineral != "":
				set[in.Mineral] = true
			case len(in.HS) > 0:
				for _, line := range in.HS {
					for _, m := range lineMinerals(reg, line) {
						set[m] = true
					}
				}
				set[anyMineral] = true
			default:
				set[anyMineral] = true
			}
		}
	}
	return slices.Sorted(func(yield func(string) bool) {
		for k := range set {
			if !yield(k) {
				return
			}
		}
	})
}

// anyMineral stands for every mineral in the keys of Touched: an instrument
// that names tariff lines may reach declarations of a line whose mineral the
// registry does not know from the line alone, so every declaration of the
// party is re-assessed.
const anyMineral = "*"

// lineMinerals are the minerals the registry maps a tariff line (or the
// codes under it) to.
func lineMinerals(reg *registry.Registry, line string) []string {
	var out []string
	for _, c := range reg.HSLines() {
		if (strings.HasPrefix(c.Code, line) || strings.HasPrefix(line, c.Code)) && !slices.Contains(out, c.Mineral) {
			out = append(out, c.Mineral)
		}
	}
	return out
}

// reachesDuty reports whether the duty of party p's declarations of
// mineral m may change.
func (t *Touched) reachesDuty(p, m string) bool {
	if len(t.All) > 0 || len(t.Zone) > 0 || p == "" {
		return true
	}
	if _, ok := t.Minerals[m]; ok {
		if _, ok := t.PartyMinerals[p+"/"+m]; ok {
			return true
		}
		// A path under minerals[m] reaches every party.
		for _, path := range t.Minerals[m] {
			if strings.HasPrefix(path, "minerals[") {
				return true
			}
		}
	}
	_, ok := t.PartyMinerals[p+"/"+anyMineral]
	return ok
}

// reachesScenario reports whether a scenario of mineral m may change.
func (t *Touched) reachesScenario(m string) bool {
	if len(t.All) > 0 || len(t.Zone) > 0 {
		return true
	}
	if _, ok := t.Minerals[m]; ok {
		return true
	}
	_, ok := t.Minerals[anyMineral]
	return ok
}

// reachesFloor reports whether the floor of mineral at stage may change.
func (t *Touched) reachesFloor(mineral, stage string) bool {
	if len(t.All) > 0 {
		return true
	}
	_, ok := t.Floors[mineral+"/"+stage]
	return ok
}

// Nothing reports whether the change reaches nothing computed here.
func (t *Touched) Nothing() bool {
	return len(t.All) == 0 && len(t.Zone) == 0 && len(t.Minerals) == 0 && len(t.PartyMinerals) == 0 && len(t.Floors) == 0
}

func addPath(m map[string][]string, k string, paths ...string) {
	cur, ok := m[k]
	if !ok {
		cur = []string{}
	}
	for _, p := range paths {
		if !slices.Contains(cur, p) {
			cur = append(cur, p)
		}
	}
	m[k] = cur
}

// splitPath cuts the first element off a diff path: "a[x].b.c" → "a[x]", "b.c".
func splitPath(p string) (string, string) {
	depth := 0
	for i, r := range p {
		switch r {
		case '[':
			depth++
		case ']':
			depth--
		case '.':
			if depth == 0 {
				return p[:i], p[i+1:]
			}
		}
	}
	return p, ""
}

// splitKey cuts "name[key]" into name and key.
func splitKey(s string) (string, string) {
	i := strings.IndexByte(s, '[')
	if i < 0 || !strings.HasSuffix(s, "]") {
		return s, ""
	}
	return s[:i], s[i+1 : len(s)-1]
}
