package store

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"time"
)

// AuditHash is the hash of an audit record in the chain: the SHA-256, in
// lowercase hex, of the previous record's hash ("" for the first) and the
// record's fields, each written with its length before it, so that no two
// records share an encoding. The time is taken as a store keeps it
// (Precision, UTC); the detail as stored (nil and empty differ).
func AuditHash(prev string, r AuditRecord) string {
	h := sha256.New()
	var n [binary.MaxVarintLen64]byte
	field := func(b []byte) {
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(b)))])
		h.Write(b)
	}
	field([]byte(prev))
	field([]byte(Time(r.At).Format(time.RFC3339Nano)))
	field([]byte(r.Actor))
	field([]byte(r.Action))
	field([]byte(r.Subject))
	if r.Detail == nil {
		h.Write([]byte{0xff}) // no detail: not a length a field can have written
	} else {
		field(r.Detail)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// AuditChecker walks the audit trail's chain (issue 12, part 2).
type AuditChecker interface {
	// VerifyAudit reads every record in order and returns the chain's
	// account: how many were checked, how many came before the chain began,
	// and the first broken record, if any. With rows it also holds every
	// assessment and allocation row against its record (audit_rows.go),
	// which reads every row: seconds for a store of a hundred thousand
	// assessments, where the chain alone takes a fraction of one.
	VerifyAudit(ctx context.Context, rows bool) (AuditChain, error)
}

// AuditChain is VerifyAudit's work, shared by the stores: each gives it its
// records in id order (Record), with the hash stored beside each ("" when
// none); Broken is the first record whose hash is not the chain's.
type AuditChain struct {
	Checked int    `json:"checked"` // records on the chain
	Before  int    `json:"before"`  // records appended before the chain began (no hash)
	Broken  string `json:"broken,omitempty"`

	// The rows held against their records (audit_rows.go): how many
	// assessment and allocation rows were read, how many predate their
	// records, and what is wrong with the others (the first maxRowFaults of
	// RowFaults).
	Assessments  int      `json:"assessments"`
	Allocations  int      `json:"allocations"`
	Publications int      `json:"publications"`
	Tokens       int      `json:"tokens"`
	Monitor      int      `json:"monitor"` // scans, alerts, cases and case events
	RowsBefore   int      `json:"rows_before"`
	RowFaults    int      `json:"row_faults"`
	Rows         []string `json:"rows,omitempty"`

	prev    string
	started bool
	rows    map[rowKey]*rowEntry
}

// Record checks one record and the hash stored with it.
func (c *AuditChain) Record(r AuditRecord, hash string) {
	if c.Broken != "" {
		return
	}
	switch {
	case hash == "" && !c.started:
		c.Before++
		return
	case hash == "":
		c.Broken = fmt.Sprintf("audit record %d (%s %s by %s) has no hash after the chain began: appended behind the store's back", r.ID, r.Action, r.Subject, r.Actor)
		return
	}
	c.started = true
	if want := AuditHash(c.prev, r); want != hash {
		c.Broken = fmt.Sprintf("audit record %d (%s %s by %s) does not hash to its stored hash: it, or the record before it, was edited, or a record between them deleted", r.ID, r.Action, r.Subject, r.Actor)
		return
	}
	c.prev = hash
	c.Checked++
	c.rowRecord(r)
}

// Intact reports whether nothing was found wrong: the chain holds and every
// row matches its record.
func (c *AuditChain) Intact() bool { return c.Broken == "" && c.RowFaults == 0 }
