package ownership

import (
	"fmt"
	"slices"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// Bounds is an interest with its lower and upper bounds (equal when exact).
type Bounds struct {
	Min float64 `json:"min"`
	Max float64 `json:"max"`
}

// Trigger is one reason for a decision: what crossed which threshold, and
// the ownership paths that carry it.
type Trigger struct {
	Kind      string                   `json:"kind"` // interest, aggregate, control or government
	Level     agreement.ScreeningLevel `json:"level"`
	Holder    string                   `json:"holder"`
	Class     Class                    `json:"class,omitzero"`
	Country   string                   `json:"country,omitzero"`
	Interest  Bounds                   `json:"interest"`
	Threshold string                   `json:"threshold"`
	// Possible is true when only the upper bounds of the shares reach the
	// threshold: listed, and not counted in the decision.
	Possible bool   `json:"possible,omitzero"`
	Paths    []Path `json:"paths"`
}

// Offer is a right of first refusal opened by a transaction.
type Offer struct {
	OfferedTo []string `json:"offered_to"`
	Days      int      `json:"days"`
	Basis     string   `json:"basis"`
}

// Decision is the screening of one facility on one date.
type Decision struct {
	Facility   string                   `json:"facility"`
	Name       string                   `json:"name,omitzero"`
	Country    string                   `json:"country"`
	Party      string                   `json:"party,omitzero"`
	Mineral    string                   `json:"mineral,omitzero"`
	Stage      string                   `json:"stage,omitzero"`
	Rule       string                   `json:"rule,omitzero"`
	Basis      string                   `json:"basis,omitzero"`
	Decision   agreement.ScreeningLevel `json:"decision"`
	NonParty   Bounds                   `json:"non_party_interest"`
	Government Bounds                   `json:"non_party_government_interest"`
	Controller string                   `json:"controller,omitzero"`
	CtlClass   Class                    `json:"controller_class,omitzero"`
	Triggers   []Trigger                `json:"triggers"`
	Offer      *Offer                   `json:"first_refusal,omitzero"`
	Note       string                   `json:"note,omitzero"`
}

// Screen is everything the decisions of one date need, computed once: the
// effective interests, control, attribution and the non-party aggregates.
type Screen struct {
	Reg   *Register
	On    date.Date
	in    *agreement.InForce
	X     *Interests
	Ctl   *Control
	Attr  []Attribution
	npLo  []float64
	npHi  []float64
	govLo []float64
	govHi []float64
	zone  Zone
	// Members lists the minerals of a registry group (rare_earths): a
	// facility of the group is covered by a rule that covers one of them.
	// Nil: groups are not expanded.
	Members func(group string) []string
}

// GroupMembers returns the members of each registry group among minerals
// (registry.Registry.Minerals), for Screen.Members.
func GroupMembers(minerals []registry.Mineral) func(string) []string {
	m := map[string][]string{}
	for _, x := range minerals {
		if x.Group != "" {
			m[x.Group] = append(m[x.Group], x.ID)
		}
	}
	return func(g string) []string { return m[g] }
}

// rule is the screening rule of party covering mineral at stage, or, for a
// registry group, covering one of its members.
func (s *Screen) rule(party, mineral string, stage registry.Stage) *agreement.Screening {
	if r := s.in.ScreeningRule(party, mineral, stage); r != nil || s.Members == nil {
		return r
	}
	for _, m := range s.Members(mineral) {
		if r := s.in.ScreeningRule(party, m, stage); r != nil {
			return r
		}
	}
	return nil
}

// NewScreen computes the interests, control and attribution of r on the
// date of in (the agreement in force, whose zone z is).
func NewScreen(r *Register, in *agreement.InForce, z Zone) (*Screen, error) {
	s := &Screen{Reg: r, On: in.AsOf, in: in, zone: z}
	var err error
	if s.X, err = Effective(r, in.AsOf); err != nil {
		return nil, err
	}
	s.Ctl = Controllers(r, in.AsOf)
	s.Attr = Attribute(r, s.Ctl, z)
	g := s.X.Graph()
	if s.npLo, s.npHi, err = Aggregate(g, func(i int) bool { return s.Attr[i].Class.NonPartyClass() }); err != nil {
		return nil, err
	}
	if s.govLo, s.govHi, err = Aggregate(g, func(i int) bool { return s.Attr[i].Class == NonPartyGovt }); err != nil {
		return nil, err
	}
	return s, nil
}

// NonParty returns the aggregate non-party interest in node j.
func (s *Screen) NonParty(j int) Bounds { return Bounds{s.npLo[j], s.npHi[j]} }

// level is the decision thresholds call for at interest x.
func level(rule *agreement.Screening, x float64) (agreement.ScreeningLevel, string) {
	for _, t := range []struct {
		l agreement.ScreeningLevel
		v interface {
			IsZero() bool
			Float64() float64
			String() string
		}
	}{{agreement.Prohibit, rule.Prohibit}, {agreement.Review, rule.Review}, {agreement.Notify, rule.Notify}} {
		if !t.v.IsZero() && x >= t.v.Float64()-1e-12 {
			return t.l, fmt.Sprintf("%s from %s (%s)", t.l, t.v.String(), rule.ID)
		}
	}
	return agreement.NoScreening, ""
}

// maxTriggerPaths bounds the paths listed for one trigger.
const maxTriggerPaths = 8

// Facility screens facility f as it stands: the rule of the party it lies
// in that covers its mineral and stage; each trigger with its paths.
func (s *Screen) Facility(f int) Decision {
	n := &s.Reg.Nodes[f]
	d := Decision{Facility: n.ID, Name: n.Name, Country: n.Jurisdiction, Mineral: n.Commodity, Stage: n.Stage,
		NonParty: s.NonParty(f), Government: Bounds{s.govLo[f], s.govHi[f]}, Triggers: []Trigger{}}
	if u := s.Ctl.Controller[f]; u >= 0 {
		d.Controller, d.CtlClass = s.Reg.Nodes[u].ID, s.Attr[u].Class
	}
	party, ok := s.zone.PartyOf(n.Jurisdiction)
	if !ok {
		d.Note = fmt.Sprintf("%s is not in the territory of a party in force on %s: no screening rule applies", n.Jurisdiction, s.On)
		return d
	}
	d.Party = party
	rule := s.rule(party, n.Commodity, registry.Stage(n.Stage))
	if rule == nil {
		d.Note = fmt.Sprintf("party %s has no screening rule covering %s at stage %s", party, n.Commodity, n.Stage)
		return d
	}
	d.Rule, d.Basis = rule.ID, rule.Basis
	add := func(t Trigger) {
		if !t.Possible && t.Level.Rank() > d.Decision.Rank() {
			d.Decision = t.Level
		}
		d.Triggers = append(d.Triggers, t)
	}
	// Interests against the thresholds.
	if rule.Aggregate {
		np := s.NonParty(f)
		if l, thr := level(rule, np.Min); l != "" {
			add(Trigger{Kind: "aggregate", Level: l, Holder: "all non-party holders", Interest: np, Threshold: thr, Paths: s.cutPaths(f, func(c Class) bool { return c.NonPartyClass() })})
		} else if l, thr := level(rule, np.Max); l != "" {
			add(Trigger{Kind: "aggregate", Level: l, Holder: "all non-party holders", Interest: np, Threshold: thr, Possible: true, Paths: s.cutPaths(f, func(c Class) bool { return c.NonPartyClass() })})
		}
	} else {
		for _, h := range s.X.Of(f) {
			a := s.Attr[h.Holder]
			if !a.Class.NonPartyClass() {
				continue
			}
			possible := false
			l, thr := level(rule, h.Low)
			if l == "" {
				if l, thr = level(rule, h.High); l == "" {
					continue
				}
				possible = true
			}
			add(Trigger{Kind: "interest", Level: l, Holder: s.Reg.Nodes[h.Holder].ID, Class: a.Class, Country: a.Country,
				Interest: Bounds{h.Low, h.High}, Threshold: thr, Possible: possible, Paths: s.paths(int(h.Holder), f)})
		}
	}
	// Control through chains.
	if rule.Control != "" {
		for _, u := range []int32{s.Ctl.Controller[f], s.Ctl.Possible[f]} {
			if u < 0 || !s.Attr[u].Class.NonPartyClass() {
				continue
			}
			h, _ := s.X.Between(int(u), f)
			t := Trigger{Kind: "control", Level: rule.Control, Holder: s.Reg.Nodes[u].ID, Class: s.Attr[u].Class, Country: s.Attr[u].Country,
				Interest: Bounds{h.Low, h.High}, Threshold: fmt.Sprintf("%s on non-party control (%s)", rule.Control, rule.ID), Possible: u != s.Ctl.Controller[f]}
			if t.Possible {
				t.Paths = s.paths(int(u), f)
			} else {
				for _, c := range s.Ctl.Chains(f) {
					t.Paths = append(t.Paths, product(c))
				}
			}
			add(t)
		}
	}
	// Any interest of a non-party government.
	if rule.Government != "" && s.govHi[f] > 0 {
		g := Bounds{s.govLo[f], s.govHi[f]}
		add(Trigger{Kind: "government", Level: rule.Government, Holder: "non-party governments", Class: NonPartyGovt, Interest: g,
			Threshold: fmt.Sprintf("%s on any non-party government interest (%s)", rule.Government, rule.ID), Possible: g.Min <= 0,
			Paths: s.cutPaths(f, func(c Class) bool { return c == NonPartyGovt })})
	}
	return d
}

func product(hops []Hop) Path {
	p := Path{Hops: hops, Low: 1, High: 1}
	for _, h := range hops {
		p.Low *= h.Low
		p.High *= h.High
	}
	return p
}

func (s *Screen) paths(h, f int) []Path {
	p := s.X.Paths(h, f)
	if len(p) > maxTriggerPaths {
		p = p[:maxTriggerPaths]
	}
	return p
}

// cutPaths lists the paths an aggregate counts: from each holder of the
// kind, through holders not of the kind, to f.
func (s *Screen) cutPaths(f int, kind func(Class) bool) []Path {
	var out []Path
	for _, h := range s.X.Of(f) {
		if !kind(s.Attr[h.Holder].Class) {
			continue
		}
		for _, p := range s.X.Paths(int(h.Holder), f) {
			through := false
			for _, hop := range p.Hops[1:] {
				if i, _ := s.Reg.Lookup(hop.Holder); kind(s.Attr[i].Class) {
					through = true
					break
				}
			}
			if !through {
				out = append(out, p)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Path) int {
		switch {
		case a.High > b.High:
			return -1
		case a.High < b.High:
			return 1
		}
		return 0
	})
	if len(out) > maxTriggerPaths {
		out = out[:maxTriggerPaths]
	}
	return out
}

// Transaction is a proposed acquisition: Buyer acquires Share (a fraction)
// of Target on On.
type Transaction struct {
	Buyer  string    `json:"buyer"`
	Target string    `json:"target"`
	Share  float64   `json:"share"`
	On     date.Date `json:"on"`
}

// TransactionResult is the screening of a transaction: for every facility
// the target holds (or is), the decision before and after, and what the
// transaction itself calls for.
type TransactionResult struct {
	Transaction Transaction              `json:"transaction"`
	Buyer       Attribution              `json:"buyer_attribution"`
	Decision    agreement.ScreeningLevel `json:"decision"`
	Facilities  []TransactionFacility    `json:"facilities"`
	Warnings    []string                 `json:"warnings,omitzero"`
}

// TransactionFacility is one facility a transaction reaches.
type TransactionFacility struct {
	Facility string                   `json:"facility"`
	Before   agreement.ScreeningLevel `json:"before"`
	Decision agreement.ScreeningLevel `json:"decision"`
	After    Decision                 `json:"after"`
	Offer    *Offer                   `json:"first_refusal,omitzero"`
}

// Evaluate screens tx against r on tx.On: the buyer's new shareholding (and
// its votes) is added from that date, every facility the target is or
// holds is screened before and after, and a facility's decision is the
// one after when the transaction raises it or the buyer is among its
// triggers. A right of first refusal opens when the buyer is a non-party
// and the decision reaches the rule's level (review by default); it is
// offered to the rule's parties but the buyer's own.
func Evaluate(r *Register, tx Transaction, in *agreement.InForce, z Zone, members func(string) []string) (*TransactionResult, error) {
	b, ok := r.Find(tx.Buyer)
	if !ok {
		return nil, &problem.Error{Code: problem.NotFound, Field: "buyer", Message: fmt.Sprintf("no holder %q in the register", tx.Buyer)}
	}
	t, ok := r.Find(tx.Target)
	if !ok {
		return nil, &problem.Error{Code: problem.NotFound, Field: "target", Message: fmt.Sprintf("no entity or facility %q in the register", tx.Target)}
	}
	if !(tx.Share > 0 && tx.Share <= 1) {
		return nil, &problem.Error{Code: problem.Invalid, Field: "share", Message: fmt.Sprintf("the share acquired must be above 0 and at most 100%%, got %v%%", tx.Share*100)}
	}
	if b == t {
		return nil, &problem.Error{Code: problem.Invalid, Field: "buyer", Message: "the buyer cannot acquire itself"}
	}
	before, err := NewScreen(r, in, z)
	if err != nil {
		return nil, err
	}
	before.Members = members
	after := *r
	after.Edges = append(slices.Clip(r.Edges), Edge{Statement: "transaction", Holder: b, Subject: t, Type: Shareholding,
		Share: Share{Low: tx.Share, High: tx.Share, Known: true}, Start: tx.On, Source: "proposed transaction"})
	as, err := NewScreen(&after, in, z)
	if err != nil {
		return nil, err
	}
	as.Members = members
	res := &TransactionResult{Transaction: tx, Buyer: as.Attr[b], Facilities: []TransactionFacility{}}
	sum := 0.0
	for _, a := range as.X.Graph().In(t) {
		sum += a.low
	}
	if sum > 1+1e-9 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("after the transaction the recorded shares of %s sum to %.6g%%: the seller's holding is not reduced by the register", tx.Target, sum*100))
	}
	reached := r.Facilities()
	if r.Nodes[t].Kind != Facility {
		// An entity acquired into is screened itself too (in its
		// jurisdiction), for a register without facilities (BODS).
		reached = append([]int{t}, reached...)
	}
	for _, f := range reached {
		if _, reach := as.X.Between(t, f); f != t && !reach {
			continue
		}
		bd, ad := before.Facility(f), as.Facility(f)
		tf := TransactionFacility{Facility: r.Nodes[f].ID, Before: bd.Decision, After: ad}
		buyerTriggers := slices.ContainsFunc(ad.Triggers, func(tr Trigger) bool {
			if tr.Possible {
				return false
			}
			for _, p := range tr.Paths {
				for _, h := range p.Hops {
					if h.Holder == tx.Buyer || h.Statement0() == "transaction" {
						return true
					}
				}
			}
			return tr.Holder == tx.Buyer
		})
		if ad.Decision.Rank() > bd.Decision.Rank() || buyerTriggers {
			tf.Decision = ad.Decision
		}
		if rule := as.rule(ad.Party, ad.Mineral, registry.Stage(ad.Stage)); rule != nil && rule.FirstRefusal != nil && res.Buyer.Class.NonPartyClass() {
			from := rule.FirstRefusal.From
			if from == "" {
				from = agreement.Review
			}
			if tf.Decision.Rank() >= from.Rank() && tf.Decision != "" {
				o := &Offer{Days: rule.FirstRefusal.Days, Basis: rule.Basis, OfferedTo: []string{}}
				for _, p := range rule.FirstRefusal.OfferedTo {
					if p != res.Buyer.Party && slices.ContainsFunc(in.Agreement.Parties, func(x agreement.Party) bool { return x.ID == p }) {
						o.OfferedTo = append(o.OfferedTo, p)
					}
				}
				tf.Offer = o
			}
		}
		if tf.Decision.Rank() > res.Decision.Rank() {
			res.Decision = tf.Decision
		}
		res.Facilities = append(res.Facilities, tf)
	}
	return res, nil
}

// Statement0 is the first statement behind a hop.
func (h Hop) Statement0() string {
	if len(h.Statements) == 0 {
		return ""
	}
	return h.Statements[0]
}
