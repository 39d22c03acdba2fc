// Package auth is who may do what: the roles of the agreement's users, the
// principal a request acts as, API tokens (random, shown once, kept only as
// SHA-256 hashes, scoped to a role and a party, expiring, revocable) and the
// portal's sessions. It reads the clock only through the Clock it is given
// and the store only through the small TokenStore it declares.
//
// The route → role table lives in package api (auth.go); docs/access.md
// renders it for people.
package auth

import (
	"fmt"
	"slices"
	"strings"
)

// Role is what a principal may do. The roles are not ranked: each is a job
// (least privilege), so an administrator, who manages tokens, does not
// assess declarations, and a customs officer does not publish prices.
type Role string

// The roles of issue 12.
const (
	// Public is everyone without a token: the agreement, the prices, the
	// quotas and the published documents.
	Public Role = "public"
	// Analyst runs simulations, design comparisons and scans.
	Analyst Role = "analyst"
	// Customs is a customs officer of one party: assesses declarations and
	// allocates quota for that party only (the declaration's importing party
	// decides).
	Customs Role = "customs"
	// Secretariat publishes prices, manages alerts and cases and amends the
	// agreement; it may also run what analysts run.
	Secretariat Role = "secretariat"
	// Administrator manages tokens and users.
	Administrator Role = "administrator"
)

// Roles lists the roles a token may carry, in the order docs list them
// (public is the absence of a token).
var Roles = []Role{Analyst, Customs, Secretariat, Administrator}

// ParseRole reads a token's role; public is not a token's role.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	if !slices.Contains(Roles, r) {
		return "", fmt.Errorf("role %q: want one of analyst, customs, secretariat, administrator", s)
	}
	return r, nil
}

// NeedsParty reports whether a token of the role must name a party: a
// customs officer acts for one party's customs service.
func (r Role) NeedsParty() bool { return r == Customs }

// Principal is who a request acts as: a token holder, or the public.
type Principal struct {
	// TokenID is the public id of the token ("tok_…"); empty for the public.
	TokenID string
	// Name is the token holder's name, for people and the audit trail.
	Name string
	Role Role
	// Party is the party a customs officer acts for; empty for other roles.
	Party string
	// Session is true when the principal signed in to the portal (a session
	// cookie) rather than sending a bearer token: such a request must also
	// carry the CSRF token to change anything.
	Session bool
}

// Anonymous is the principal of a request without credentials.
var Anonymous = Principal{Role: Public}

// Actor names the principal in the audit trail: "token:tok_…(name) role[/party]",
// or "public". Part 2's audit chain records it as who.
func (p Principal) Actor() string {
	if p.TokenID == "" {
		return string(Public)
	}
	s := "token:" + p.TokenID + " " + string(p.Role)
	if p.Party != "" {
		s += "/" + p.Party
	}
	if p.Name != "" {
		s += " (" + p.Name + ")"
	}
	return s
}

// May reports whether the principal holds one of the roles.
func (p Principal) May(roles ...Role) bool {
	return slices.Contains(roles, p.Role)
}
