package projects

import (
	"fmt"
	"strings"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/ownership"
)

// Owner screening beside each ranked project (docs/projects.md, "Owner
// screening"). A project names its owner in the ownership register by
// owner_id; the project is then screened as a facility its owner holds in
// full (shares and votes), in the project's country, of its mineral and
// stage, by the ownership engine's own Screen.Facility: the decision, the
// non-party interest, the controller and the triggers are the ones
// `ownership screen` would give such a facility. Nothing is re-derived here.

// Owner screening statuses.
const (
	OwnerScreened    = "screened"
	OwnerNotInRegist = "owner not in the ownership register"
	OwnerNoRegister  = "not screened: no ownership register given"
)

// OwnerScreening is the owner screening flag of one ranked project.
type OwnerScreening struct {
	// Status is screened, or why not: the project names no owner in the
	// register (never taken as clean), or the ranking had no register.
	Status string `json:"status"`
	// Flag is the one line shown beside the project.
	Flag      string `json:"flag"`
	Owner     string `json:"owner,omitempty"` // the register's id (owner_id)
	OwnerName string `json:"owner_name,omitempty"`
	// Attribution is the owner's class on the date (party, party_government,
	// non_party, non_party_government, unattributed) and why.
	Attribution *ownership.Attribution `json:"attribution,omitempty"`
	// NonPartyInOwner is the aggregate non-party effective interest in the
	// owner (bounds when shares are ranges); the owner's own class is in
	// Attribution.
	NonPartyInOwner *ownership.Bounds `json:"non_party_interest_in_owner,omitempty"`
	// Decision is the screening decision ("" none); Screening the whole
	// decision of the project as a facility: its non-party interest, its
	// controller, the rule, every trigger with its paths.
	Decision  agreement.ScreeningLevel `json:"decision"`
	Screening *ownership.Decision      `json:"screening,omitempty"`
}

// Owners is what the owner screening of a ranking reads: the register the
// projects' owner_id name and the agreement in force on the ranking's date
// (its zone is RankOptions.Zone).
type Owners struct {
	Register *ownership.Register
	InForce  *agreement.InForce
	// Members expands a registry group's facility to its members
	// (ownership.GroupMembers), as the ownership screening does.
	Members func(group string) []string
}

// projectFacility is the id of the facility a project is screened as.
func projectFacility(id string) string { return "project:" + id }

// CheckOwners checks every owner_id against the register: it must name an
// entity, a state body or a person of the register (not a facility), each
// problem at its line and field.
func (p *Pipeline) CheckOwners(r *ownership.Register) error {
	ps := &problems{p: p}
	for i := range p.Projects {
		pr := &p.Projects[i]
		if pr.OwnerID == "" {
			continue
		}
		at := fmt.Sprintf("projects[%d].owner_id", i)
		if r == nil {
			ps.add(at, "owner_id %q cannot be checked: no ownership register", pr.OwnerID)
			continue
		}
		n := r.Node(pr.OwnerID)
		switch {
		case n == nil:
			ps.add(at, "unknown owner %q: no entity, state body or person of that id in the ownership register", pr.OwnerID)
		case n.Kind == ownership.Facility:
			ps.add(at, "%q is a facility of the ownership register; owner_id names the entity that owns the project", pr.OwnerID)
		}
	}
	return ps.l.Err()
}

// screenOwners sets the owner screening of every ranked project.
func (p *Pipeline) screenOwners(rs []Ranked, o *Owners, zone Zone) error {
	if o == nil || o.Register == nil || o.InForce == nil {
		for i := range rs {
			rs[i].OwnerScreening = OwnerScreening{Status: OwnerNoRegister, Flag: OwnerNoRegister}
		}
		return nil
	}
	if err := p.CheckOwners(o.Register); err != nil {
		return err
	}
	// A copy of the register with one facility per ranked project that
	// names its owner, held in full by it.
	reg := ownership.NewRegister()
	for _, n := range o.Register.Nodes {
		reg.AddNode(n)
	}
	for _, e := range o.Register.Edges {
		reg.AddEdge(e)
	}
	byID := make(map[string]*Project, len(p.Projects))
	for i := range p.Projects {
		byID[p.Projects[i].ID] = &p.Projects[i]
	}
	at := make([]int, len(rs))
	for i := range rs {
		at[i] = -1
		pr := byID[rs[i].Project]
		if pr == nil || pr.OwnerID == "" {
			continue
		}
		owner, _ := reg.Lookup(pr.OwnerID)
		id := projectFacility(pr.ID)
		if _, taken := reg.Lookup(id); taken {
			return fmt.Errorf("ownership register already has a node %q", id)
		}
		f := reg.AddNode(ownership.Node{ID: id, Name: pr.Name, Kind: ownership.Facility, Jurisdiction: pr.Country,
			Commodity: pr.Mineral, Stage: string(pr.Stage), Statement: p.File(), Source: "pipeline " + p.ID + ", owner_id"})
		reg.AddEdge(ownership.Edge{Statement: "owner_id of " + pr.ID, Holder: owner, Subject: f, Type: ownership.Shareholding,
			Share: ownership.Share{Low: 1, High: 1, Known: true}, Source: "the pipeline's owner_id: the owner holds the project in full"})
		at[i] = f
	}
	sc, err := ownership.NewScreen(reg, o.InForce, zone)
	if err != nil {
		return err
	}
	sc.Members = o.Members
	for i := range rs {
		if at[i] < 0 {
			rs[i].OwnerScreening = OwnerScreening{Status: OwnerNotInRegist, Flag: OwnerNotInRegist}
			continue
		}
		pr := byID[rs[i].Project]
		owner, _ := reg.Lookup(pr.OwnerID)
		d := sc.Facility(at[i])
		a, np := sc.Attr[owner], sc.NonParty(owner)
		rs[i].OwnerScreening = OwnerScreening{Status: OwnerScreened, Owner: pr.OwnerID, OwnerName: reg.Nodes[owner].Name,
			Attribution: &a, NonPartyInOwner: &np, Decision: d.Decision, Screening: &d, Flag: ownerFlag(pr.OwnerID, a, d)}
	}
	return nil
}

// ownerFlag is the one line beside a screened project: the decision, or
// "clean" only when a rule applied and nothing triggered it.
func ownerFlag(owner string, a ownership.Attribution, d ownership.Decision) string {
	var b strings.Builder
	switch {
	case d.Rule == "":
		b.WriteString("not screened: " + d.Note)
	case d.Decision != "":
		fmt.Fprintf(&b, "%s (%s)", d.Decision, d.Rule)
	default:
		fmt.Fprintf(&b, "clean (%s)", d.Rule)
	}
	fmt.Fprintf(&b, "; owner %s (%s)", owner, a.Class)
	if d.NonParty.Max > 0 {
		fmt.Fprintf(&b, ", non-party interest %s", pctRange(d.NonParty))
	}
	if d.Controller != "" && d.Controller != owner {
		fmt.Fprintf(&b, ", controlled by %s (%s)", d.Controller, d.CtlClass)
	}
	for _, t := range d.Triggers {
		if t.Possible {
			fmt.Fprintf(&b, "; possible %s at the upper bounds (%s)", t.Level, t.Kind)
		}
	}
	return b.String()
}

// pctRange renders bounds as a percentage, a range as lo–hi.
func pctRange(x ownership.Bounds) string {
	f := func(v float64) string { return fmt.Sprintf("%.4g%%", v*100) }
	if x.Min == x.Max {
		return f(x.Min)
	}
	return f(x.Min) + "–" + f(x.Max)
}

// ScreenOwners is the owner screening of the named projects (all of them
// when ids is empty) without ranking them: the same flags a ranking shows
// (the portal's project pages), in the order asked.
func (p *Pipeline) ScreenOwners(ids []string, o *Owners, zone Zone) ([]OwnerScreening, error) {
	if len(ids) == 0 {
		for i := range p.Projects {
			ids = append(ids, p.Projects[i].ID)
		}
	}
	rs := make([]Ranked, len(ids))
	for i, id := range ids {
		if p.Project(id) == nil {
			return nil, fmt.Errorf("no project %q in pipeline %s", id, p.ID)
		}
		rs[i].Project = id
	}
	if err := p.screenOwners(rs, o, zone); err != nil {
		return nil, err
	}
	out := make([]OwnerScreening, len(rs))
	for i := range rs {
		out[i] = rs[i].OwnerScreening
	}
	return out, nil
}
