package duty

import (
	"testing"

	"github.com/mineralpact/mineralpact/internal/dec"
)

// TestMemLedgerRepeatInBatch: a declaration named twice in one batch is
// granted once, as the stores' ledgers grant it.
func TestMemLedgerRepeatInBatch(t *testing.T) {
	l := NewMemLedger()
	b := QuotaBatch{Quota: "US/q", Volume: dec.MustParse("10"), CriticalAt: dec.MustParse("0.9")}
	reqs := []Request{{DeclarationID: "A", Quantity: dec.MustParse("4")}, {DeclarationID: "A", Quantity: dec.MustParse("4")}}
	gs, err := l.Allocate(t.Context(), b, reqs)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := l.Usage(t.Context(), "US/q", b.PeriodStart)
	if gs[1].Repeat != true || u.Used.String() != "4" {
		t.Errorf("Allocate(A, A) = %+v, used %s; want A granted once (used 4) and the second a repeat", gs, u.Used)
	}
}
