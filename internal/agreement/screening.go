package agreement

import (
	"fmt"
	"slices"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// Screening is one party's investment-screening rule for critical-mineral
// facilities in its territory: which minerals and stages it covers, the
// non-party interests from which an investment must be notified, is
// reviewed or is prohibited, whether the interests of non-party holders are
// added together, what non-party control and a non-party government's
// interest call for, and the right of first refusal. The USTR notice
// (section E) asks how parties would treat "critical mineral assets and
// facilities that are located in a party's territory but fully or partly
// owned by a non-party"; package ownership applies the rule
// (docs/ownership.md).
type Screening struct {
	ID           string           `yaml:"id" json:"id" required:"true" doc:"Identifier of the rule, e.g. au-fdi."`
	Party        string           `yaml:"party" json:"party" required:"true" doc:"Party whose territory the rule covers (facilities located there)."`
	Minerals     []string         `yaml:"minerals" json:"minerals,omitzero" doc:"Minerals in scope the rule covers; every mineral in scope when omitted."`
	Stages       []registry.Stage `yaml:"stages" json:"stages,omitzero" enum:"mined|processed|derivative|scrap" doc:"Stages covered (a mine is mined, a smelter or refinery processed); every stage when omitted."`
	Notify       dec.Decimal      `yaml:"notify" json:"notify,omitzero" doc:"Non-party effective interest (a fraction: 0.1 is 10%) from which an investment must be notified; none when omitted."`
	Review       dec.Decimal      `yaml:"review" json:"review,omitzero" doc:"Non-party effective interest from which it is reviewed; above notify."`
	Prohibit     dec.Decimal      `yaml:"prohibit" json:"prohibit,omitzero" doc:"Non-party effective interest from which it is prohibited; above review."`
	Aggregate    bool             `yaml:"aggregate" json:"aggregate,omitzero" doc:"True: the interests of all non-party holders are added together against the thresholds (as OFAC's 50% rule aggregates blocked persons); false: each holder on its own."`
	Control      ScreeningLevel   `yaml:"control" json:"control,omitzero" enum:"notify|review|prohibit" doc:"The decision when a non-party controls the facility through a majority chain or board rights (an entity it controls counts as it, as 31 CFR 800.208 does); none when omitted."`
	Government   ScreeningLevel   `yaml:"government" json:"government,omitzero" enum:"notify|review|prohibit" doc:"The decision when a non-party government (a state body, or an entity one controls) holds any interest (EU Regulation 2019/452, Art. 4(2)(a), names it a factor without a threshold); none when omitted."`
	FirstRefusal *FirstRefusal    `yaml:"first_refusal" json:"first_refusal,omitzero" doc:"The right of first refusal on a transfer to a non-party; none when omitted."`
	Basis        string           `yaml:"basis" json:"basis" required:"true" doc:"Article that creates the rule."`
}

// FirstRefusal is who is offered a stake a non-party would acquire, and for
// how long.
type FirstRefusal struct {
	OfferedTo []string       `yaml:"offered_to" json:"offered_to" required:"true" doc:"Parties offered the stake, in order; the buyer's own party is passed over."`
	Days      int            `yaml:"days" json:"days" required:"true" doc:"Days within which an offered party may accept."`
	From      ScreeningLevel `yaml:"from" json:"from,omitzero" enum:"notify|review|prohibit" doc:"The least decision on a transaction that opens the right (default review)."`
}

// ScreeningLevel is a screening decision, in increasing order of weight.
type ScreeningLevel string

// The decisions.
const (
	NoScreening ScreeningLevel = ""
	Notify      ScreeningLevel = "notify"
	Review      ScreeningLevel = "review"
	Prohibit    ScreeningLevel = "prohibit"
)

// Rank orders the levels: none 0, notify 1, review 2, prohibit 3; −1 for
// an unknown level.
func (l ScreeningLevel) Rank() int {
	switch l {
	case NoScreening:
		return 0
	case Notify:
		return 1
	case Review:
		return 2
	case Prohibit:
		return 3
	}
	return -1
}

// Covers reports whether the rule covers mineral at stage. An empty mineral
// or stage (an entity screened without a facility's commodity or asset
// type) is covered by every rule: the screening of a holding company asks
// whether any rule of the party applies.
func (s *Screening) Covers(mineral string, stage registry.Stage) bool {
	return (mineral == "" || len(s.Minerals) == 0 || slices.Contains(s.Minerals, mineral)) &&
		(stage == "" || len(s.Stages) == 0 || slices.Contains(s.Stages, stage))
}

// ScreeningRule returns the rule of party (a party in force on the date of
// in) that covers mineral at stage: the first in the text; nil when none
// does, or when party is not in force.
func (in *InForce) ScreeningRule(party, mineral string, stage registry.Stage) *Screening {
	a := in.Agreement
	if !slices.ContainsFunc(a.Parties, func(p Party) bool { return p.ID == party }) {
		return nil
	}
	for i := range a.Screening {
		if s := &a.Screening[i]; s.Party == party && s.Covers(mineral, stage) {
			return s
		}
	}
	return nil
}

// screening validates the screening rules: known parties and articles,
// minerals and stages in scope, thresholds between 0 and 100% and rising
// from notify to review to prohibit, a right of first refusal offered to
// parties for a positive number of days.
func (v *validator) screening() {
	ids := map[string]bool{}
	for i, s := range v.a.Screening {
		p := fmt.Sprintf("screening[%d]", i)
		if s.ID != "" && ids[s.ID] {
			v.add(p+".id", "duplicate screening id %q", s.ID)
		}
		ids[s.ID] = true
		if s.Party != "" && !v.parties[s.Party] {
			v.add(p+".party", "party %q is not a party to the agreement%s", s.Party, didYouMean(s.Party, keys(v.parties)))
		}
		for j, m := range s.Minerals {
			if v.scope[m] == nil {
				v.add(fmt.Sprintf("%s.minerals[%d]", p, j), "mineral %q is not in scope of the agreement%s", m, didYouMean(m, keys(v.scope)))
			}
		}
		v.basis(p+".basis", s.Basis)
		prev, prevName := dec.Decimal{}, ""
		for _, t := range []struct {
			name string
			x    dec.Decimal
		}{{"notify", s.Notify}, {"review", s.Review}, {"prohibit", s.Prohibit}} {
			if t.x.IsZero() {
				continue
			}
			if t.x.Sign() < 0 || t.x.Cmp(dec.FromInt(1)) > 0 {
				v.add(p+"."+t.name, "a threshold is a fraction between 0 and 1 (100%%), got %s", t.x)
				continue
			}
			if prevName != "" && t.x.Cmp(prev) <= 0 {
				v.add(p+"."+t.name, "must be above %s (%s), got %s", prevName, prev, t.x)
			}
			prev, prevName = t.x, t.name
		}
		for _, l := range []struct {
			name string
			x    ScreeningLevel
		}{{"control", s.Control}, {"government", s.Government}} {
			if l.x.Rank() < 0 {
				v.add(p+"."+l.name, "want notify, review or prohibit, got %q", l.x)
			}
		}
		if s.Notify.IsZero() && s.Review.IsZero() && s.Prohibit.IsZero() && s.Control == "" && s.Government == "" {
			v.add(p, "the rule sets no threshold and no decision on control or government: it would never apply")
		}
		if fr := s.FirstRefusal; fr != nil {
			fp := p + ".first_refusal"
			for j, o := range fr.OfferedTo {
				if !v.parties[o] {
					v.add(fmt.Sprintf("%s.offered_to[%d]", fp, j), "party %q is not a party to the agreement%s", o, didYouMean(o, keys(v.parties)))
				}
			}
			if len(fr.OfferedTo) == 0 {
				v.add(fp+".offered_to", "offered to no party")
			}
			if fr.Days <= 0 {
				v.add(fp+".days", "must be > 0, got %d", fr.Days)
			}
			if fr.From.Rank() < 0 {
				v.add(fp+".from", "want notify, review or prohibit, got %q", fr.From)
			}
		}
	}
}
