package design

import (
	"github.com/mineralpact/mineralpact/internal/scope"
)

// ScopeChange is one mineral's criticality on the zone basis (docs/scope.md)
// under both versions, as in force on the last day of the range: the zone
// is the parties in force, so only a change of the parties moves it.
type ScopeChange struct {
	Mineral string   `json:"mineral"`
	Stage   string   `json:"stage,omitempty"` // the bottleneck stage (highest EU supply risk), under NEW
	OldEUSR *float64 `json:"old_eu_supply_risk"`
	NewEUSR *float64 `json:"new_eu_supply_risk"`
	OldUSGS *float64 `json:"old_usgs_supply_risk"`
	NewUSGS *float64 `json:"new_usgs_supply_risk"`
	Changed bool     `json:"changed"`
	Why     []string `json:"why,omitempty"`
}

// scopeOf scores the zone of v as in force on the range's last day.
func (c *Comparer) scopeOf(v *version) (*scope.Report, string) {
	if c.scopeData == nil && c.scopeErr == nil {
		c.scopeData, c.scopeErr = scope.Gather(c.opt.Registry)
	}
	if c.scopeErr != nil {
		return nil, c.scopeErr.Error()
	}
	card, err := c.scopeData.Card(v.ag, c.opt.Registry, c.w.To, scope.Zone, "")
	if err != nil {
		return nil, err.Error()
	}
	return card.Report, ""
}

func compareScope(o, n *scope.Report, t *Touched) []ScopeChange {
	if o == nil || n == nil {
		return nil
	}
	old := map[string]scope.Summary{}
	for _, r := range o.Minerals {
		for _, s := range r.Summary {
			if s.Basis == scope.Zone {
				old[r.Mineral] = s
			}
		}
	}
	var out []ScopeChange
	for _, r := range n.Minerals {
		for _, s := range r.Summary {
			if s.Basis != scope.Zone {
				continue
			}
			p := old[r.Mineral]
			ch := ScopeChange{Mineral: r.Mineral, Stage: string(s.Stage), OldEUSR: p.EUSR, NewEUSR: s.EUSR, OldUSGS: p.USGSSR, NewUSGS: s.USGSSR}
			ch.Changed = !sameFloat(p.EUSR, s.EUSR) || !sameFloat(p.USGSSR, s.USGSSR)
			if ch.Changed {
				ch.Why = append(append([]string{}, t.All...), t.Zone...)
			}
			out = append(out, ch)
		}
	}
	return out
}

func sameFloat(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
