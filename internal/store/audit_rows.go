package store

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"

	"github.com/mineralpact/mineralpact/internal/auth"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// Every assessment, quota allocation, publication and token change a store
// writes is an audit record of its own, appended in the same transaction as
// the row (issue 12, part 2): who, when, the row's subject and the digest of
// its fields. The audit trail is a hash chain, so a record cannot be edited
// or removed unnoticed; and audit verify holds each row against its record,
// so a row edited (an assessment's total, a published floor, a token's
// role), deleted or written behind the store's back is named too.

// Audit actions of the rows.
const (
	ActionAssessment  = "assessment.record"
	ActionAllocation  = "quota.allocate"
	ActionPublication = "publication.put"
	ActionTokenCreate = "token.create"
	ActionTokenRevoke = "token.revoke" // the token's row again, with its revocation
)

// rowKinds names the kind of row each action writes, in faults.
var rowKinds = map[string]string{
	ActionAssessment:  "assessment",
	ActionAllocation:  "allocation",
	ActionPublication: "publication",
	ActionTokenCreate: "token",
	ActionTokenRevoke: "token",
	ActionScan:        "scan",
	ActionAlert:       "alert",
	ActionCaseOpen:    "case",
	ActionCaseEvent:   "case event",
}

// Acting is who writes, and when, for a write whose rows do not carry it
// themselves (a quota allocation, a publication): the adapter that took the
// request puts it in the context (WithActing), and the store reads it.
type Acting struct {
	Actor string
	At    time.Time
}

type actingKey struct{}

// WithActing returns ctx carrying a.
func WithActing(ctx context.Context, a Acting) context.Context {
	return context.WithValue(ctx, actingKey{}, a)
}

// ActingFrom returns who writes in ctx, or an error saying the caller did not
// say: a store refuses to write a row no one answers for.
func ActingFrom(ctx context.Context) (Acting, error) {
	a, ok := ctx.Value(actingKey{}).(Acting)
	if !ok || a.Actor == "" || a.At.IsZero() {
		return a, problem.Errorf(problem.Internal, "store: a write without an actor or a time: the caller must say who writes (store.WithActing)")
	}
	return a, nil
}

// digest is the SHA-256, in lowercase hex, of body and fields, each written
// with its length before it (as AuditHash does), so that no two rows share
// one. The body is bytes so that an assessment's (kilobytes, with its trace)
// is hashed where it lies, not copied.
func digest(body []byte, fields ...string) string {
	h := sha256.New()
	var n [binary.MaxVarintLen64]byte
	h.Write(n[:binary.PutUvarint(n[:], uint64(len(body)))])
	h.Write(body)
	for _, f := range fields {
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(f)))])
		io.WriteString(h, f)
	}
	var sum [sha256.Size]byte
	return hex.EncodeToString(h.Sum(sum[:0]))
}

// AssessmentSubject is the audit subject of a declaration's assessment under
// an agreement version.
func AssessmentSubject(agreementHash, declarationID string) string {
	return "assessment:" + agreementHash + "/" + declarationID
}

// AssessmentDigest is the digest of an assessment row's fields, as a store
// keeps them: the body byte for byte, the total as written, the time to
// Precision.
func AssessmentDigest(r AssessmentRecord) string {
	return digest(r.Body, r.AgreementHash, r.DeclarationID, r.TotalDuty.String(), r.Currency, Time(r.CreatedAt).Format(time.RFC3339Nano))
}

// PublicationSubject is the audit subject of a publication.
func PublicationSubject(id int64) string { return "publication:" + strconv.FormatInt(id, 10) }

// PublicationDigest is the digest of a publication row's fields as a store
// keeps them (what it superseded included; what supersedes it is another
// row's).
func PublicationDigest(p Publication) string {
	to := ""
	if !p.ValidTo.IsZero() {
		to = p.ValidTo.String()
	}
	return digest(p.Body, p.AgreementHash, p.Mineral, p.Stage, p.ValidFrom.String(), to, p.Price.String(), p.Currency, p.Unit,
		p.Method, p.InputsHash, strconv.FormatBool(p.Illustrative), strconv.FormatInt(p.Supersedes, 10), Time(p.PublishedAt).Format(time.RFC3339Nano))
}

// PublicationAudit is the audit record of a publication row (p as stored,
// with its id), published by who.
func PublicationAudit(p Publication, who Acting) AuditRecord {
	d, _ := json.Marshal(rowDetail{Digest: PublicationDigest(p), Price: p.Price.String(), Currency: p.Currency})
	return AuditRecord{At: p.PublishedAt, Actor: who.Actor, Action: ActionPublication, Subject: PublicationSubject(p.ID), Detail: d}
}

// TokenSubject is the audit subject of an API token.
func TokenSubject(id string) string { return "token:" + id }

// TokenDigest is the digest of a token row's fields as a store keeps them:
// its secret's hash, holder, role, party, times and issuer.
func TokenDigest(t auth.Token) string {
	revoked := ""
	if t.Revoked() {
		revoked = Time(t.RevokedAt).Format(time.RFC3339Nano)
	}
	return digest(t.Hash, t.ID, t.Name, string(t.Role), t.Party, Time(t.CreatedAt).Format(time.RFC3339Nano),
		Time(t.ExpiresAt).Format(time.RFC3339Nano), revoked, t.CreatedBy)
}

// TokenAudit is the audit record of a token row after action (create or
// revoke) by actor at at; never its secret, which no store holds.
func TokenAudit(action string, t auth.Token, actor string, at time.Time) AuditRecord {
	d, _ := json.Marshal(rowDetail{Digest: TokenDigest(t), Role: string(t.Role), Party: t.Party, Name: t.Name})
	return AuditRecord{At: at, Actor: actor, Action: action, Subject: TokenSubject(t.ID), Detail: d}
}

// rowDetail is the detail of a row's audit record: the digest that audit
// verify holds the row against, and, for a reader of the trail, the figures
// that matter.
type rowDetail struct {
	Digest    string `json:"digest"`
	TotalDuty string `json:"total_duty,omitempty"`
	Currency  string `json:"currency,omitempty"`
	Quantity  string `json:"quantity,omitempty"`
	Status    string `json:"status,omitempty"`
	Price     string `json:"price,omitempty"`
	Name      string `json:"name,omitempty"`
	Role      string `json:"role,omitempty"`
	Party     string `json:"party,omitempty"`
}

// AssessmentAudit is the audit record of an assessment row.
func AssessmentAudit(r AssessmentRecord) AuditRecord {
	d, _ := json.Marshal(rowDetail{Digest: AssessmentDigest(r), TotalDuty: r.TotalDuty.String(), Currency: r.Currency})
	return AuditRecord{At: r.CreatedAt, Actor: r.Actor, Action: ActionAssessment, Subject: AssessmentSubject(r.AgreementHash, r.DeclarationID), Detail: d}
}

// AllocationRow is a quota_allocations row as a store keeps it (text
// columns).
type AllocationRow struct {
	Quota, PeriodStart, DeclarationID string
	Quantity, Status, Balance, Day    string
}

// Subject is the row's audit subject.
func (a AllocationRow) Subject() string {
	return "allocation:" + a.Quota + "/" + a.PeriodStart + "/" + a.DeclarationID
}

// Digest is the digest of the row's fields.
func (a AllocationRow) Digest() string {
	return digest(nil, a.Quota, a.PeriodStart, a.DeclarationID, a.Quantity, a.Status, a.Balance, a.Day)
}

// Audit is the row's audit record, written by who in ctx.
func (a AllocationRow) Audit(who Acting) AuditRecord {
	d, _ := json.Marshal(rowDetail{Digest: a.Digest(), Quantity: a.Quantity, Status: a.Status})
	return AuditRecord{At: who.At, Actor: who.Actor, Action: ActionAllocation, Subject: a.Subject(), Detail: d}
}

// rowKey is the key audit verify files a row's record under: the first 16
// bytes of its subject's SHA-256, so that a million rows take tens of
// megabytes, not hundreds.
type rowKey [16]byte

func keyOf(subject string) rowKey {
	s := sha256.Sum256([]byte(subject))
	return rowKey(s[:16])
}

type rowEntry struct {
	digest string
	audit  int64  // the record's id
	kind   string // "assessment" or "allocation"
	seen   bool   // a row was found for it
}

// RowsBefore is how far the rows predate their audit records: the highest
// assessment, allocation and publication ids, and the tokens, when the store
// began auditing rows (a store migrated from before keeps them in
// audit_rows_start and audit_tokens_before). Those rows have no record and
// are counted, not faulted.
type RowsBefore struct {
	Assessments, Allocations, Publications int64
	Tokens                                 map[string]bool // by id
}

// maxRowFaults bounds the faults listed: a store emptied by hand would
// otherwise list every row.
const maxRowFaults = 20

// rowRecord files a row's audit record, on the chain, to be held against its
// row. A token's revocation replaces its creation's digest: the row was
// rewritten, and its last record says how.
func (c *AuditChain) rowRecord(r AuditRecord) {
	kind, ok := rowKinds[r.Action]
	if !ok {
		return
	}
	var d rowDetail
	if err := json.Unmarshal(r.Detail, &d); err != nil || d.Digest == "" {
		c.rowFault(fmt.Sprintf("audit record %d (%s %s) has no digest of its row", r.ID, r.Action, r.Subject))
		return
	}
	if c.rows == nil {
		c.rows = map[rowKey]*rowEntry{}
	}
	k := keyOf(r.Subject)
	e := c.rows[k]
	switch {
	case r.Action == ActionTokenRevoke && e != nil:
		e.digest, e.audit = d.Digest, r.ID
	case r.Action == ActionTokenRevoke:
		c.rowFault(fmt.Sprintf("audit record %d revokes %s, which no record created", r.ID, r.Subject))
	case e != nil:
		c.rowFault(fmt.Sprintf("audit records %d and %d both record %s: a row is written once", e.audit, r.ID, r.Subject))
	default:
		c.rows[k] = &rowEntry{digest: d.Digest, audit: r.ID, kind: kind}
	}
}

func (c *AuditChain) rowFault(s string) {
	c.RowFaults++
	if len(c.Rows) < maxRowFaults {
		c.Rows = append(c.Rows, s)
	}
}

// Assessment holds a stored assessment row (id, as stored) against its audit
// record.
func (c *AuditChain) Assessment(id int64, r AssessmentRecord, before RowsBefore) {
	c.Assessments++
	c.row(fmt.Sprintf("assessment row %d", id), id <= before.Assessments, AssessmentSubject(r.AgreementHash, r.DeclarationID), AssessmentDigest(r))
}

// Allocation holds a stored allocation row against its audit record.
func (c *AuditChain) Allocation(id int64, a AllocationRow, before RowsBefore) {
	c.Allocations++
	c.row(fmt.Sprintf("allocation row %d", id), id <= before.Allocations, a.Subject(), a.Digest())
}

// Publication holds a stored publication row against its audit record.
func (c *AuditChain) Publication(p Publication, before RowsBefore) {
	c.Publications++
	c.row(fmt.Sprintf("publication row %d", p.ID), p.ID <= before.Publications, PublicationSubject(p.ID), PublicationDigest(p))
}

// Token holds a stored token row against its audit record.
func (c *AuditChain) Token(t auth.Token, before RowsBefore) {
	c.Tokens++
	c.row("token row", before.Tokens[t.ID], TokenSubject(t.ID), TokenDigest(t))
}

// row holds one row, named by label, against the record filed under its
// subject; predates says the row was written before rows were audited.
func (c *AuditChain) row(label string, predates bool, subject, dig string) {
	e := c.rows[keyOf(subject)]
	switch {
	case e == nil && predates:
		c.RowsBefore++
	case e == nil:
		c.rowFault(fmt.Sprintf("%s (%s) has no audit record: written behind the store's back", label, subject))
	case e.seen:
		c.rowFault(fmt.Sprintf("%s (%s) repeats a row already checked", label, subject))
	case e.digest != dig:
		e.seen = true
		c.rowFault(fmt.Sprintf("%s (%s) differs from what audit record %d recorded: edited after it was written", label, subject, e.audit))
	default:
		e.seen = true
	}
}

// Unreadable names a row whose fields cannot be read back (a total that is
// not a decimal): it was written by hand, since a store writes none such.
// Its record, if any, counts as seen.
func (c *AuditChain) Unreadable(kind string, id int64, subject string, err error) {
	if e := c.rows[keyOf(subject)]; e != nil {
		e.seen = true
	}
	c.rowFault(fmt.Sprintf("%s row %d (%s) cannot be read: %v: edited after it was written", kind, id, subject, err))
}

// FinishRows names every audited row that is gone: its record is on the
// chain, the row is not in the store.
func (c *AuditChain) FinishRows() {
	var gone []*rowEntry
	for _, e := range c.rows {
		if !e.seen {
			gone = append(gone, e)
		}
	}
	// In record order, so that the first named is the first deleted.
	sort.Slice(gone, func(i, j int) bool { return gone[i].audit < gone[j].audit })
	for _, e := range gone {
		c.rowFault(fmt.Sprintf("the %s row audit record %d recorded is gone from the store: deleted", e.kind, e.audit))
	}
	c.rows = nil
}
