package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mineralpact/mineralpact/internal/auth"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/mineralpact/mineralpact/internal/store"
)

// RunRowAudit holds a store's assessments, quota allocations, publications
// and tokens to their audit records (issue 12, part 2): each row written is
// a record on the chain, with its actor and the digest of its fields; audit
// verify finds a row edited (an assessment's total, with the balance kept
// consistent so the ledger's own check passes; a published floor; a token's
// role or its revocation), deleted, or written behind the store's back. open
// is as RunLedgerCheck's.
func RunRowAudit(t *testing.T, open func(t *testing.T) (store.Store, func(sql string) error)) {
	tampers := []struct {
		name string
		sql  []string
		want string
	}{
		{"honest", nil, ""},
		{"assessment total edited", []string{`UPDATE assessments SET total_duty = '0.00' WHERE declaration_id = 'A-1'`}, "differs from what audit record"},
		{"assessment body edited", []string{`UPDATE assessments SET body = '{"id": "A-2", "total_duty": "0"}' WHERE declaration_id = 'A-2'`}, "(assessment:"},
		{"assessment deleted", []string{`DELETE FROM assessments WHERE declaration_id = 'A-2'`}, "the assessment row audit record"},
		{"assessment inserted", []string{`INSERT INTO assessments (declaration_id, agreement_hash, body, total_duty, currency, created_at)
			SELECT 'A-9', agreement_hash, body, total_duty, currency, created_at FROM assessments WHERE declaration_id = 'A-1'`}, "has no audit record: written behind the store's back"},
		{"allocation cut with its balance", []string{
			`UPDATE quota_allocations SET quantity = '1' WHERE declaration_id = 'C2'`,
			`UPDATE quota_balances SET allocated = '8' WHERE quota_id = 'EU/eu-trq-rows'`}, "allocation row"},
		{"allocation deleted with its balance", []string{
			`DELETE FROM quota_allocations WHERE declaration_id = 'C2'`,
			`UPDATE quota_balances SET allocated = '7' WHERE quota_id = 'EU/eu-trq-rows'`}, "the allocation row audit record"},
		{"published floor lowered", []string{`UPDATE publications SET price = '9000.00' WHERE mineral = 'lithium'`}, "publication row"},
		{"publication inserted", []string{`INSERT INTO publications (agreement_hash, mineral, stage, valid_from, valid_to, price, currency, unit, method, inputs_hash, illustrative, body, supersedes, published_at)
			SELECT agreement_hash, mineral, stage, '2026-07-01', valid_to, '1.00', currency, unit, method, 'forged', illustrative, body, supersedes, published_at FROM publications WHERE mineral = 'lithium'`}, "has no audit record"},
		{"token promoted", []string{`UPDATE tokens SET role = 'administrator' WHERE id = 'tok_00000000000000c1'`}, "token row (token:tok_00000000000000c1) differs"},
		{"token revocation undone", []string{`UPDATE tokens SET revoked_at = NULL WHERE id = 'tok_00000000000000c2'`}, "token row (token:tok_00000000000000c2) differs"},
	}
	for _, tt := range tampers {
		t.Run(tt.name, func(t *testing.T) {
			c := acting(context.Background())
			st, exec := open(t)
			ac, ok1 := st.(store.AuditChecker)
			lc, ok2 := st.(store.LedgerChecker)
			if !ok1 || !ok2 {
				t.Fatalf("%T does not verify its audit trail and ledger", st)
			}
			hash := agreementFor(t, st)
			recs := []store.AssessmentRecord{assessment(hash, "A-1", "12.50"), assessment(hash, "A-2", "0.05")}
			recs[1].Actor = "token:customs-us"
			if _, err := st.PutAssessments(c, recs); err != nil {
				t.Fatal(err)
			}
			// Recorded again: kept once, and no second record.
			if created, err := st.PutAssessments(c, recs[:1]); err != nil || created[0] {
				t.Fatalf("recording A-1 again: created %v, %v; want kept, not created", created, err)
			}
			b := duty.QuotaBatch{Quota: "EU/eu-trq-rows", PeriodStart: date.MustParse("2026-07-01"), Day: date.MustParse("2026-07-02"),
				Volume: dec.MustParse("100"), Unit: "t"}
			if _, err := st.Allocate(c, b, []duty.Request{{DeclarationID: "C1", Quantity: dec.MustParse("7")}, {DeclarationID: "C2", Quantity: dec.MustParse("5")}}); err != nil {
				t.Fatal(err)
			}
			if _, err := st.Allocate(context.Background(), b, []duty.Request{{DeclarationID: "C3", Quantity: dec.MustParse("1")}}); err == nil {
				t.Fatal("an allocation without an actor was made; want it refused")
			}
			publish(t, st, publication(hash, "lithium", "processed", "2026-01-01", "", "12000.00", "inputs-1"))
			if _, _, err := st.PutPublication(context.Background(), publication(hash, "cobalt", "processed", "2026-01-01", "", "1.00", "x")); err == nil {
				t.Fatal("a publication without an actor was stored; want it refused")
			}
			for _, k := range []auth.Token{token("tok_00000000000000c1", auth.Analyst, "", base), token("tok_00000000000000c2", auth.Customs, "US", base)} {
				if err := st.PutToken(c, k); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := st.RevokeToken(c, "tok_00000000000000c2", base.Add(time.Hour), "storetest admin"); err != nil {
				t.Fatal(err)
			}
			chain, err := ac.VerifyAudit(c, true)
			if err != nil || !chain.Intact() || chain.Assessments != 2 || chain.Allocations != 2 || chain.Publications != 1 || chain.Tokens != 2 || chain.RowsBefore != 0 {
				t.Fatalf("honest store: %+v, %v; want intact, 2 assessments, 2 allocations, 1 publication and 2 tokens checked", chain, err)
			}
			if audit, err := st.ListAudit(c, store.TokenSubject("tok_00000000000000c2"), 0); err != nil || len(audit) != 2 || audit[0].Action != store.ActionTokenRevoke || audit[0].Actor != "storetest admin" {
				t.Fatalf("the revoked token's audit: %+v, %v; want its creation and its revocation by storetest admin", audit, err)
			}
			// Who wrote each row is in its record.
			audit, err := st.ListAudit(c, store.AssessmentSubject(hash, "A-2"), 0)
			if err != nil || len(audit) != 1 || audit[0].Actor != "token:customs-us" || audit[0].Action != store.ActionAssessment {
				t.Fatalf("A-2's audit: %+v, %v; want one assessment.record by token:customs-us", audit, err)
			}
			if tt.sql == nil {
				return
			}
			chain, err = tamper(t, c, ac, exec, tt.sql)
			if err != nil || chain.Broken != "" || chain.RowFaults != 1 || !strings.Contains(chain.Rows[0], tt.want) {
				t.Fatalf("after %s: %+v, %v; want one row fault: %s", tt.name, chain, err, tt.want)
			}
			if faults, _, _, err := lc.CheckLedger(c); err != nil || len(faults) != 0 {
				t.Fatalf("after %s the ledger's own check: %v, %v; want it to pass (the tamper kept it consistent)", tt.name, faults, err)
			}
		})
	}
}

// tamper runs sqls behind the store's back and verifies its audit trail
// again, rows included.
func tamper(t *testing.T, c context.Context, ac store.AuditChecker, exec func(string) error, sqls []string) (store.AuditChain, error) {
	t.Helper()
	for _, q := range sqls {
		if err := exec(q); err != nil {
			t.Fatal(err)
		}
	}
	return ac.VerifyAudit(c, true)
}
