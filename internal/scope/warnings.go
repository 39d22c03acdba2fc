package scope

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// The kinds of scope warning.
const (
	// WarnHostOutOfScope: a by-product in scope whose host is not: its
	// supply follows the host's price, not its own floor.
	WarnHostOutOfScope = "byproduct_host_out_of_scope"
	// WarnCoProductMarket: a mineral whose floor is undermined by a
	// co-product's market: it is mined jointly with an exchange-traded
	// commodity the agreement sets no floor for, whose price decides the
	// joint output.
	WarnCoProductMarket = "coproduct_market"
	// WarnSharedHSLine: one HS line under two minerals (or stages) with
	// different floors: a declaration cannot say which floor applies.
	WarnSharedHSLine = "shared_hs_line"
)

// hostOutOfScopeShare is the share of a mineral's production from hosts
// out of scope at and above which WarnHostOutOfScope fires: then most of
// its supply answers to prices the agreement does not set.
const hostOutOfScopeShare = 0.50

// coProductShare is the smallest share of a mineral's production mined
// with a co-product for WarnCoProductMarket to fire, where a share is stated.
const coProductShare = 0.20

// Warning is one scope warning, with what it rests on.
type Warning struct {
	Kind    string         `json:"kind"`
	Mineral string         `json:"mineral"`
	Stage   registry.Stage `json:"stage,omitempty"`
	// Other is the host or co-product (host warnings) or the other mineral
	// (a shared HS line); OtherStage its stage; Line the shared HS line.
	Other      string         `json:"other"`
	OtherStage registry.Stage `json:"other_stage,omitempty"`
	Line       string         `json:"hs_line,omitempty"`
	Message    string         `json:"message"`
	Sources    []string       `json:"sources"`
}

// StageFloor is one mineral at one stage in an agreement's scope: its
// tariff lines and the rule that sets its floor. It is the agreement's own
// Floor (agreement.Agreement.Floors), so that the scope has one reading.
type StageFloor = agreement.Floor

// Warnings checks an agreement's scope (agreement.Agreement.Floors) against the host links and
// markets: every warning, in the order of the scope. docs/scope.md gives
// each rule and its thresholds.
func Warnings(floors []StageFloor, rel *Relations) []Warning {
	inScope := map[string]bool{}
	for _, f := range floors {
		inScope[f.Mineral] = true
	}
	var out []Warning
	done := map[string]bool{}
	for _, f := range floors {
		if done[f.Mineral] {
			continue
		}
		done[f.Mineral] = true
		out = append(out, hostWarnings(f, floors, rel, inScope)...)
	}
	return append(out, sharedLines(floors)...)
}

func covered(hosts []string, inScope map[string]bool) bool {
	return slices.ContainsFunc(hosts, func(h string) bool { return inScope[h] })
}

func hostWarnings(f StageFloor, floors []StageFloor, rel *Relations, inScope map[string]bool) []Warning {
	// The largest hosts first, so that a warning names the host that
	// matters first (tellurium: copper 77%, then lead 8%).
	links := slices.Clone(rel.hostsOf(f.Mineral))
	slices.SortStableFunc(links, func(a, b HostLink) int {
		switch {
		case a.Share != nil && b.Share != nil:
			return cmp.Compare(*b.Share, *a.Share)
		case a.Share != nil:
			return -1
		case b.Share != nil:
			return 1
		}
		return 0
	})
	var out []Warning
	// A by-product whose hosts are out of scope: with shares, when the
	// hosts out of scope give hostOutOfScopeShare or more of its
	// production; without, when none of its by-product hosts is in scope.
	var outShare float64
	var outHosts, srcs []string
	stated, anyByIn, anyBy := true, false, false
	for _, l := range links {
		if l.Share == nil {
			stated = false
		}
		if l.Relation == "by-product" {
			anyBy = true
			if covered(l.Hosts, inScope) {
				anyByIn = true
			}
		}
		if !covered(l.Hosts, inScope) && (l.Relation == "by-product" || l.Share != nil) {
			if l.Share != nil {
				outShare += *l.Share
			}
			outHosts = append(outHosts, l.Host)
			srcs = append(srcs, l.Source)
		}
	}
	fired := map[string]bool{}
	switch {
	case len(outHosts) == 0:
	case stated && outShare >= hostOutOfScopeShare:
		out = append(out, Warning{Kind: WarnHostOutOfScope, Mineral: f.Mineral, Other: strings.Join(outHosts, ", "),
			Message: fmt.Sprintf("%s is in scope but %s of its mine production comes from %s, not in scope: that supply follows the host's price, not %s's floor",
				f.Mineral, pct(outShare), strings.Join(outHosts, " and "), f.Mineral), Sources: srcs})
	case !stated && anyBy && !anyByIn:
		out = append(out, Warning{Kind: WarnHostOutOfScope, Mineral: f.Mineral, Other: strings.Join(outHosts, ", "),
			Message: fmt.Sprintf("%s is in scope but is recovered as a by-product of %s, none of them in scope: its supply follows the host's price, not its own floor",
				f.Mineral, strings.Join(outHosts, " and ")), Sources: srcs})
	}
	if len(out) > 0 {
		for _, h := range outHosts {
			fired[h] = true
		}
	}
	// A co-product with an exchange price and no floor in the agreement.
	if f.Rule.Method == agreement.MarketAverage {
		return out // a floor that follows the market is not undermined by it
	}
	for _, l := range links {
		if fired[l.Host] || covered(l.Hosts, inScope) || (l.Share != nil && *l.Share < coProductShare) {
			continue
		}
		var ex []string
		for _, h := range l.Hosts {
			if mk, ok := rel.Markets[h]; ok && mk.Exchange() {
				ex = append(ex, h+" ("+mk.Venue+")")
			}
		}
		if len(ex) == 0 {
			continue
		}
		share := ""
		if l.Share != nil {
			share = pct(*l.Share) + " of "
		}
		out = append(out, Warning{Kind: WarnCoProductMarket, Mineral: f.Mineral, Other: l.Host,
			Message: fmt.Sprintf("%s's floor (%s) can be undermined by %s's market: %sits mine production is mined with %s, exchange-traded and not in scope, whose price decides the joint output",
				f.Mineral, f.Rule.Method, l.Host, share, strings.Join(ex, ", ")),
			Sources: []string{l.Source, rel.Markets[l.Hosts[0]].Source}})
	}
	return out
}

// sharedLines finds tariff lines of two stage scopes that overlap (one line
// covers the other, agreement.HSMatch) under different floors.
func sharedLines(floors []StageFloor) []Warning {
	var out []Warning
	for i, a := range floors {
		for _, b := range floors[i+1:] {
			for _, la := range a.HS {
				for _, lb := range b.HS {
					// line is the longer of the two (the goods both scopes
					// claim); wide the scope whose line covers it, if the two
					// lines differ.
					line, wide, narrow := "", "", ""
					switch {
					case agreement.HSMatch([]string{la}, lb) > 0:
						line, wide, narrow = lb, la, lb
					case agreement.HSMatch([]string{lb}, la) > 0:
						line, wide, narrow = la, lb, la
					default:
						continue
					}
					same, why := sameFloor(a, b)
					if same {
						continue
					}
					msg := fmt.Sprintf("HS %s is in scope for %s (%s, %s) and %s (%s, %s) with different floors (%s): a declaration under it cannot tell which floor applies",
						line, a.Mineral, a.Stage, a.Rule.Method, b.Mineral, b.Stage, b.Rule.Method, why)
					if wide != narrow {
						wm, ws, nm, ns := a, la, b, lb
						if ws != wide {
							wm, ws, nm, ns = b, lb, a, la
						}
						msg = fmt.Sprintf("HS %s of %s (%s, %s) covers %s of %s (%s, %s), with different floors (%s): goods under %s are in both scopes, and which floor they meet depends on the mineral declared",
							ws, wm.Mineral, wm.Stage, wm.Rule.Method, ns, nm.Mineral, nm.Stage, nm.Rule.Method, why, ns)
					}
					out = append(out, Warning{Kind: WarnSharedHSLine, Mineral: a.Mineral, Stage: a.Stage, Other: b.Mineral, OtherStage: b.Stage, Line: line,
						Message: msg, Sources: []string{"the agreement's minerals[].stages[].hs and price (HS lines filled from data/hs_map.csv where the text lists none)"}})
				}
			}
		}
	}
	return out
}

// sameFloor reports whether two stage scopes set the same floor: the same
// method with the same figures (negotiated price, band, the same market
// series and window, the same cost curve and percentile) and unit. A stage
// chain prices its own mineral's upstream stage, so two minerals' chains
// differ; so do any two methods.
func sameFloor(a, b StageFloor) (bool, string) {
	ra, rb := a.Rule, b.Rule
	if ra.Method != rb.Method {
		return false, "methods differ"
	}
	if a.Unit != b.Unit {
		return false, "units differ"
	}
	eq := func(x, y dec.Decimal) bool { return x.Cmp(y) == 0 }
	switch ra.Method {
	case agreement.Negotiated:
		if eq(ra.Price, rb.Price) {
			return true, ""
		}
		return false, "negotiated prices " + ra.Price.String() + " and " + rb.Price.String()
	case agreement.Band:
		if eq(ra.Floor, rb.Floor) && eq(ra.Ceiling, rb.Ceiling) {
			return true, ""
		}
		return false, "bands differ"
	case agreement.MarketAverage:
		if ra.Series == rb.Series && ra.Months == rb.Months && eq(ra.Factor, rb.Factor) && eq(ra.Discount, rb.Discount) {
			return true, ""
		}
		return false, "market averages of " + ra.Series + " and " + rb.Series
	case agreement.CostCurve:
		if ra.Curve == rb.Curve && eq(ra.Percentile, rb.Percentile) && ra.Producers == rb.Producers {
			return true, ""
		}
		return false, "cost curves " + ra.Curve + " and " + rb.Curve
	}
	if a.Mineral == b.Mineral && a.Stage == b.Stage {
		return true, ""
	}
	return false, "each stage chain prices its own mineral's upstream stage"
}

// ScopeWarnings is the warnings of an agreement as in force on a date: what
// the command line, the API and the portal give.
type ScopeWarnings struct {
	Agreement    string    `json:"agreement"`
	Illustrative bool      `json:"illustrative"`
	AsOf         date.Date `json:"as_of"`
	AsOfDefault  bool      `json:"as_of_is_entry_into_force,omitempty"`
	Warnings     []Warning `json:"warnings"`
}

// AgreementWarnings checks the scope of agreement a as amended on asOf (the
// entry into force when zero): the one path of every front end.
func AgreementWarnings(a *agreement.Agreement, rel *Relations, asOf date.Date) (*ScopeWarnings, error) {
	byDefault := asOf.IsZero()
	if byDefault {
		asOf = a.EntryIntoForce
	}
	in, err := a.AsOf(asOf)
	if err != nil {
		return nil, err
	}
	ws := Warnings(in.Agreement.Floors(), rel)
	if ws == nil {
		ws = []Warning{}
	}
	return &ScopeWarnings{Agreement: a.ID, Illustrative: a.Illustrative, AsOf: asOf, AsOfDefault: byDefault, Warnings: ws}, nil
}
