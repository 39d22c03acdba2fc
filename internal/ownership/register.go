// Package ownership reads ownership registers (BODS 0.4 JSON and a plain
// CSV), computes who holds what in whom (effective interests through chains
// and cycles, with bounds when shares are ranges), who controls whom, how a
// holder is attributed to the agreement's zone on a date, and the screening
// decisions the agreement's rules (agreement.Screening) call for on a
// facility as it stands or on a proposed transaction.
//
// The engine is pure: a Register and a date in, results out; no storage, no
// HTTP, no clock. docs/ownership.md gives the formulas and their sources.
package ownership

import (
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// Kind is what a node of the register is.
type Kind string

// The kinds of node. A state body (BODS entityType state or stateBody) is a
// kind of its own: it is a government, whatever it holds.
const (
	Entity   Kind = "entity"
	Person   Kind = "person"
	State    Kind = "state"
	Facility Kind = "facility"
)

// Node is an entity, a person, a state body or a facility.
type Node struct {
	ID            string   `json:"id"`
	Name          string   `json:"name,omitzero"`
	Kind          Kind     `json:"kind"`
	Jurisdiction  string   `json:"jurisdiction,omitzero"`  // ISO 3166-1 alpha-2 (a subdivision is cut to its country)
	Nationalities []string `json:"nationalities,omitzero"` // persons only
	Statement     string   `json:"statement,omitzero"`     // the statement (or file:line) that declared it
	Source        string   `json:"source,omitzero"`

	// Facilities only.
	Commodity string `json:"commodity,omitzero"` // mineral id of the registry
	Stage     string `json:"stage,omitzero"`     // mined or processed
	AssetType string `json:"asset_type,omitzero"`
}

// InterestType is a BODS 0.4 interestType code.
type InterestType string

// The interest types the engine reads; every other BODS code is kept and
// listed, and counts for neither interest nor control.
const (
	Shareholding       InterestType = "shareholding"
	VotingRights       InterestType = "votingRights"
	AppointmentOfBoard InterestType = "appointmentOfBoard"
)

// Share is a percentage share as a fraction in [0, 1]: Low = High when it is
// exact. Exclusive bounds are kept as flags; the engine computes with the
// bounds themselves (the infimum and supremum of the range).
type Share struct {
	Low, High         float64
	LowExcl, HighExcl bool
	Known             bool // false when the statement gave no share
}

// Exact reports whether the share is one number.
func (s Share) Exact() bool { return s.Known && s.Low == s.High && !s.LowExcl && !s.HighExcl }

// Edge is one interest of a holder in a subject.
type Edge struct {
	Statement string       `json:"statement"` // statementId, or file:line for CSV
	Holder    int          `json:"-"`
	Subject   int          `json:"-"`
	Type      InterestType `json:"type"`
	Direct    string       `json:"direct,omitzero"` // direct, indirect or unknown
	Share     Share        `json:"-"`
	Start     date.Date    `json:"start,omitzero"`
	End       date.Date    `json:"end,omitzero"` // the first day the interest no longer exists
	Source    string       `json:"source,omitzero"`
}

// Active reports whether the interest exists on d: from its start (if any)
// up to, not including, its end (BODS: "the date from which this interest
// ceased to exist").
func (e *Edge) Active(d date.Date) bool {
	if !e.Start.IsZero() && d.Before(e.Start) {
		return false
	}
	return e.End.IsZero() || d.Before(e.End)
}

// Register is a set of nodes and interests read from one or more files.
type Register struct {
	Nodes    []Node
	Edges    []Edge
	Warnings problem.List // problems that do not stop the engine, each naming its statement
	index    map[string]int
}

// NewRegister returns an empty register.
func NewRegister() *Register { return &Register{index: map[string]int{}} }

// Lookup returns the index of the node with id.
func (r *Register) Lookup(id string) (int, bool) {
	i, ok := r.index[id]
	return i, ok
}

// Find returns the index of the node with id, or of the node a statement
// with that id declared (a BODS statementId where a recordId is expected).
func (r *Register) Find(id string) (int, bool) {
	if i, ok := r.index[id]; ok {
		return i, true
	}
	for i := range r.Nodes {
		if r.Nodes[i].Statement == id {
			return i, true
		}
	}
	return 0, false
}

// Node returns the node with id, or nil.
func (r *Register) Node(id string) *Node {
	if i, ok := r.index[id]; ok {
		return &r.Nodes[i]
	}
	return nil
}

// add adds n, or completes the node of the same id with what n knows and it
// did not (a CSV of relationships names nodes an entity file describes).
func (r *Register) add(n Node) int {
	if i, ok := r.index[n.ID]; ok {
		m := &r.Nodes[i]
		if m.Name == "" {
			m.Name = n.Name
		}
		if m.Kind == "" || (m.Kind == Entity && n.Kind != Entity && n.Kind != "") {
			m.Kind = n.Kind
		}
		if m.Jurisdiction == "" {
			m.Jurisdiction = n.Jurisdiction
		}
		if len(m.Nationalities) == 0 {
			m.Nationalities = n.Nationalities
		}
		if m.Statement == "" {
			m.Statement = n.Statement
		}
		if m.Source == "" {
			m.Source = n.Source
		}
		if m.Commodity == "" {
			m.Commodity, m.Stage, m.AssetType = n.Commodity, n.Stage, n.AssetType
		}
		return i
	}
	r.index[n.ID] = len(r.Nodes)
	r.Nodes = append(r.Nodes, n)
	return len(r.Nodes) - 1
}

// AddNode adds a node (or completes the one of the same id) and returns its index.
func (r *Register) AddNode(n Node) int { return r.add(n) }

// AddEdge adds an interest between two nodes that exist.
func (r *Register) AddEdge(e Edge) { r.Edges = append(r.Edges, e) }

// Facilities returns the indices of the facility nodes, in register order.
func (r *Register) Facilities() []int {
	var out []int
	for i := range r.Nodes {
		if r.Nodes[i].Kind == Facility {
			out = append(out, i)
		}
	}
	return out
}
