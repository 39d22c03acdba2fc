package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/mineralpact/mineralpact/internal/auth"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// tokenActor is who manages tokens from the command line, in the audit
// trail: whoever can open the store is its administrator.
const tokenActor = "token (command line)"

// tokenRow is a token as `token list` and `token create` show it: never its
// secret (create prints that once, apart).
type tokenRow struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Role      string `json:"role"`
	Party     string `json:"party,omitempty"`
	Status    string `json:"status"`
	CreatedAt string `json:"created_at"`
	ExpiresAt string `json:"expires_at"`
	RevokedAt string `json:"revoked_at,omitempty"`
	CreatedBy string `json:"created_by"`
}

func rowOf(t auth.Token, now time.Time) tokenRow {
	r := tokenRow{ID: t.ID, Name: t.Name, Role: string(t.Role), Party: t.Party, Status: t.Status(now),
		CreatedAt: t.CreatedAt.UTC().Format(time.RFC3339), ExpiresAt: t.ExpiresAt.UTC().Format(time.RFC3339), CreatedBy: t.CreatedBy}
	if t.Revoked() {
		r.RevokedAt = t.RevokedAt.UTC().Format(time.RFC3339)
	}
	return r
}

// parseLifetime reads --expires-in: a number of days ("90d") or a Go
// duration ("12h").
func parseLifetime(s string) (time.Duration, error) {
	if d, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(d)
		if err != nil || n <= 0 {
			return 0, usagef("--expires-in %q: want days (90d) or a duration (12h)", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, usagef("--expires-in %q: want days (90d) or a duration (12h)", s)
	}
	return d, nil
}

// tokenCreateOptions are `token create`: a token for a named holder with a
// role (and a party, for a customs officer), written to the store --db names
// and printed once. It is how the first administrator is made: whoever can
// open the store may issue tokens.
type tokenCreateOptions struct {
	name, role, party, expiresIn string
	agreement                    string
	db                           *dbOption
	format                       formatOption
	ttl                          time.Duration
	r                            auth.Role
}

func (o *tokenCreateOptions) bind(fs *flag.FlagSet) {
	fs.StringVar(&o.name, "name", "", "who holds the token (a person or a system)")
	fs.StringVar(&o.role, "role", "", "analyst, customs, secretariat or administrator")
	fs.StringVar(&o.party, "party", "", "the party a customs officer acts for (a party of the agreement)")
	fs.StringVar(&o.expiresIn, "expires-in", "90d", "lifetime: days (90d) or a duration (12h), at most 366d")
	agreementFlag(fs, &o.agreement)
	o.db = dbFlag(fs)
	o.format.bind(fs, "text", "json")
}

func (o *tokenCreateOptions) validate(pos []string) error {
	if err := firstError(noArgs(pos), o.format.validate()); err != nil {
		return err
	}
	if o.name == "" || o.role == "" {
		return usagef("--name and --role are required")
	}
	var err error
	if o.r, err = auth.ParseRole(o.role); err != nil {
		return usagef("--role: %v", err)
	}
	if o.ttl, err = parseLifetime(o.expiresIn); err != nil {
		return err
	}
	return nil
}

func (o *tokenCreateOptions) run(ctx context.Context, s streams) error {
	if o.party != "" {
		env, err := loadEnv(o.agreement)
		if err != nil {
			return err
		}
		if _, ok := env.agreement.Party(o.party); !ok {
			ids := make([]string, len(env.agreement.Parties))
			for i, p := range env.agreement.Parties {
				ids[i] = p.ID
			}
			return &problem.Error{Code: problem.Invalid, Field: "party", BadValue: o.party, Message: fmt.Sprintf("--party %s is not a party of %s (parties: %s)", o.party, env.agreement.ID, strings.Join(ids, ", "))}
		}
	}
	st, err := openStore(ctx, o.db.dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	a := auth.New(st, time.Now) // the adapter's clock
	secret, t, err := a.Issue(ctx, o.name, o.r, o.party, o.ttl, tokenActor)
	if err != nil {
		return err
	}
	row := rowOf(t, a.Now())
	if o.format.name == "json" {
		return writeJSON(s.out, struct {
			Token string `json:"token"`
			tokenRow
		}{secret, row})
	}
	fmt.Fprintf(s.out, "%s\n", secret)
	fmt.Fprintf(s.err, "token %s for %s (%s%s), expires %s; this is the only time it is shown: keep it secret\n",
		t.ID, t.Name, t.Role, partySuffix(t.Party), row.ExpiresAt)
	return nil
}

func partySuffix(p string) string {
	if p == "" {
		return ""
	}
	return " of " + p
}

// tokenListOptions are `token list`: every token of the store, revoked and
// expired ones included, without secrets (the store has none).
type tokenListOptions struct {
	db     *dbOption
	format formatOption
}

func (o *tokenListOptions) bind(fs *flag.FlagSet) {
	o.db = dbFlag(fs)
	o.format.bind(fs, "table", "json", "csv")
}

func (o *tokenListOptions) validate(pos []string) error {
	return firstError(noArgs(pos), o.format.validate())
}

func (o *tokenListOptions) run(ctx context.Context, s streams) error {
	st, err := openStore(ctx, o.db.dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	ts, err := st.ListTokens(ctx)
	if err != nil {
		return err
	}
	now := time.Now() // the adapter's clock
	rows := make([]tokenRow, len(ts))
	for i, t := range ts {
		rows[i] = rowOf(t, now)
	}
	if o.format.name == "json" {
		return writeJSON(s.out, rows)
	}
	tb := table{header: []string{"id", "name", "role", "party", "status", "created_at", "expires_at", "revoked_at", "created_by"}}
	for _, r := range rows {
		tb.add(r.ID, r.Name, r.Role, r.Party, r.Status, r.CreatedAt, r.ExpiresAt, r.RevokedAt, r.CreatedBy)
	}
	if o.format.name == "csv" {
		return tb.writeCSV(s.out)
	}
	return tb.write(s)
}

// tokenRevokeOptions are `token revoke ID`: the token is refused from now on
// (by a running server within auth.CacheTTL) and its portal sessions end.
type tokenRevokeOptions struct {
	db *dbOption
	id string
}

func (o *tokenRevokeOptions) bind(fs *flag.FlagSet) { o.db = dbFlag(fs) }

func (o *tokenRevokeOptions) validate(pos []string) error {
	if len(pos) != 1 {
		return usagef("name one token id (tok_…; `mineralpact token list` shows them)")
	}
	if !auth.ValidID(pos[0]) {
		return usagef("%q is not a token id: want tok_ and 16 hex digits (the id, not the secret)", pos[0])
	}
	o.id = pos[0]
	return nil
}

func (o *tokenRevokeOptions) run(ctx context.Context, s streams) error {
	st, err := openStore(ctx, o.db.dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	a := auth.New(st, time.Now)               // the adapter's clock
	t, err := a.Revoke(ctx, o.id, tokenActor) // the store writes its audit record
	if err != nil {
		return err
	}
	fmt.Fprintf(s.out, "token %s (%s, %s) revoked at %s; running servers refuse it within %v\n", t.ID, t.Name, t.Role, t.RevokedAt.UTC().Format(time.RFC3339), auth.CacheTTL)
	return nil
}
