package duty

import (
	"testing"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/declgen"
	"github.com/mineralpact/mineralpact/internal/exact"
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

// TestRequestRational: the rational a request carries for MemLedger is its
// decimal Quantity exactly, on generated declarations that draw on quotas.
func TestRequestRational(t *testing.T) {
	a := exampleAssessor(t)
	n := 0
	for _, x := range generatedDecls(t, a, declgen.Options{N: 3000, Seed: 21}) {
		as := new(Assessment)
		if a.prepareInto(&x, as) != nil || as.quota == nil {
			continue
		}
		n++
		if r := as.quota.Request; !r.hasQ || r.q.Cmp(exact.FromDecimal(r.Quantity)) != 0 {
			t.Fatalf("%s: the request's rational %s is not its Quantity %s", x.id, r.q, r.Quantity)
		}
	}
	if n == 0 {
		t.Fatal("no generated declaration drew on a quota")
	}
}
