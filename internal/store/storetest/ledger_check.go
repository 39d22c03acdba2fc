package storetest

import (
	"context"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/mineralpact/mineralpact/internal/store"
)

// RunLedgerCheck holds a store's CheckLedger (store.LedgerChecker) to the
// issue 12 probes: after honest allocations the ledger reconciles; a balance
// reset by hand, an allocation deleted, or a volume cut below what was
// granted is found, naming the quota and the period. open returns a fresh,
// migrated store and exec, which runs a statement on its database behind
// its back (the tampering; no placeholders, the same text on both stores).
func RunLedgerCheck(t *testing.T, open func(t *testing.T) (store.Store, func(sql string) error)) {
	tampers := []struct {
		name, sql, want string
	}{
		{"balance reset", `UPDATE quota_balances SET allocated = '0' WHERE quota_id = 'EU/eu-trq-check'`, "the balance says 0 allocated, its allocations sum to 12"},
		{"allocation deleted", `DELETE FROM quota_allocations WHERE declaration_id = 'C2'`, "its allocations sum to 7"},
		{"volume cut", `UPDATE quota_balances SET volume = '10' WHERE quota_id = 'EU/eu-trq-check'`, "12 allocated, beyond the volume 10"},
	}
	for _, tt := range tampers {
		t.Run(tt.name, func(t *testing.T) {
			ctx := acting(context.Background())
			st, exec := open(t)
			lc, ok := st.(store.LedgerChecker)
			if !ok {
				t.Fatalf("%T does not check its ledger", st)
			}
			b := duty.QuotaBatch{Quota: "EU/eu-trq-check", PeriodStart: date.MustParse("2026-07-01"), Day: date.MustParse("2026-07-02"),
				Volume: dec.MustParse("100"), Unit: "t"}
			if _, err := st.Allocate(ctx, b, []duty.Request{{DeclarationID: "C1", Quantity: dec.MustParse("7")}, {DeclarationID: "C2", Quantity: dec.MustParse("5")}}); err != nil {
				t.Fatal(err)
			}
			faults, periods, allocs, err := lc.CheckLedger(ctx)
			if err != nil || len(faults) != 0 || periods != 1 || allocs != 2 {
				t.Fatalf("honest ledger: faults %v, %d periods, %d allocations, %v; want none, 1, 2", faults, periods, allocs, err)
			}
			if err := exec(tt.sql); err != nil {
				t.Fatal(err)
			}
			faults, _, _, err = lc.CheckLedger(ctx)
			if err != nil || len(faults) != 1 || faults[0].Quota != "EU/eu-trq-check" || !strings.Contains(faults[0].Problem, tt.want) {
				t.Fatalf("after %s: faults %v, %v; want one on EU/eu-trq-check: %s", tt.name, faults, err, tt.want)
			}
		})
	}
}
