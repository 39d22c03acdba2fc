package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mineralpact/mineralpact/internal/dec"
)

// TestRowsAgainstRecords walks a chain by hand: rows up to the watermark
// without a record predate the audit; a later one without a record, a row
// whose record is gone, a second record of one row and an unreadable row
// are each one fault.
func TestRowsAgainstRecords(t *testing.T) {
	at := time.Date(2026, 12, 6, 14, 0, 0, 0, time.UTC)
	hash := strings.Repeat("ab", 32)
	rec := func(id string) AssessmentRecord {
		return AssessmentRecord{AgreementHash: hash, DeclarationID: id, Body: []byte(`{"id":"` + id + `"}`), TotalDuty: dec.MustParse("1.50"), Currency: "USD", CreatedAt: at, Actor: "token:t1"}
	}
	alloc := AllocationRow{Quota: "US/q", PeriodStart: "2026-01-01", DeclarationID: "D-5", Quantity: "2", Status: "open", Balance: "98", Day: "2026-01-02"}
	var c AuditChain
	prev := ""
	for i, r := range []AuditRecord{AssessmentAudit(rec("D-3")), AssessmentAudit(rec("D-4")), alloc.Audit(Acting{Actor: "token:t1", At: at}), AssessmentAudit(rec("D-3"))} {
		r.ID = int64(i + 1)
		prev = AuditHash(prev, r)
		c.Record(r, prev)
	}
	if c.Broken != "" || c.RowFaults != 1 || !strings.Contains(c.Rows[0], "audit records 1 and 4 both record") {
		t.Fatalf("a row recorded twice: %+v; want one fault naming records 1 and 4", c)
	}
	before := RowsBefore{Assessments: 2}
	c.Assessment(1, rec("D-1"), before) // before the audit: counted
	c.Assessment(2, rec("D-2"), before)
	c.Assessment(3, rec("D-3"), before) // matches record 1
	edited := rec("D-4")
	edited.TotalDuty = dec.MustParse("0")
	c.Assessment(4, edited, before)                                                                            // edited
	c.Assessment(5, rec("D-9"), before)                                                                        // no record, after the watermark
	c.Unreadable("assessment", 6, AssessmentSubject(hash, "D-8"), errors.New(`total_duty "x": not a decimal`)) // unreadable
	c.FinishRows()                                                                                             // the allocation's row is gone
	want := []string{
		"audit records 1 and 4 both record",
		"assessment row 4 (assessment:" + hash + "/D-4) differs from what audit record 2 recorded",
		"assessment row 5 (assessment:" + hash + "/D-9) has no audit record",
		"assessment row 6 (assessment:" + hash + "/D-8) cannot be read",
		"the allocation row audit record 3 recorded is gone",
	}
	if c.RowsBefore != 2 || c.Assessments != 5 || c.RowFaults != len(want) {
		t.Fatalf("%+v; want 2 rows before, 5 assessments read, %d faults", c, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(c.Rows[i], w) {
			t.Errorf("fault %d = %q; want it to start %q", i, c.Rows[i], w)
		}
	}
	if c.Intact() {
		t.Error("Intact() with row faults")
	}
}

// TestActingRequired: a store asks the context who writes, and a context
// that does not say is an error, not an anonymous row.
func TestActingRequired(t *testing.T) {
	if _, err := ActingFrom(context.Background()); err == nil {
		t.Fatal("ActingFrom(no actor) = nil error")
	}
	a := Acting{Actor: "token:t1", At: time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)}
	if got, err := ActingFrom(WithActing(context.Background(), a)); err != nil || got != a {
		t.Fatalf("ActingFrom = %+v, %v; want %+v", got, err, a)
	}
	// The digests change with every field a tamper would touch.
	r := AllocationRow{Quota: "q", PeriodStart: "p", DeclarationID: "d", Quantity: "1", Status: "open", Balance: "9", Day: "x"}
	moved := r
	moved.Quantity, moved.Status = "1o", "pen" // same bytes, split differently
	if r.Digest() == moved.Digest() {
		t.Error("two rows whose fields differ only in where one ends share a digest")
	}
}
