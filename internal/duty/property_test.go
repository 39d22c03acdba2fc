package duty

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/mineralpact/mineralpact/internal/declgen"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/exact"
)

// TestWorkersDoNotMatter: the same input gives the same bytes whatever the
// number of workers, quotas included. Each run has an Assessor built afresh
// (its own caches, views and ledger), so that nothing one run kept can make
// the next agree with it. The input is made to split a pro-rata quota: five
// EU imports of Chilean lithium carbonate, 5,000 t each, accepted on the
// first day of the EU quota's period and put first in the file (so the
// writer must hold every later row until that day is settled), together ask
// more than the quota's volume, which they must share.
func TestWorkersDoNotMatter(t *testing.T) {
	var in bytes.Buffer
	in.WriteString(strings.Join(InputColumns[:fMineral], ",") + "\n")
	for i := 1; i <= 5; i++ {
		fmt.Fprintf(&in, "Q%d,2026-07-01,DE,CL,,283691,5000,t,,150000,EUR,CIF,,,\n", i)
	}
	gen := generate(t, exampleAssessor(t), declgen.Options{N: 5000, Seed: 11, BadRate: 0.05})
	in.Write(gen[bytes.IndexByte(gen, '\n')+1:]) // without its header
	var first, firstErrs []byte
	for _, w := range []int{1, 2, 7} {
		var out, errs bytes.Buffer
		sum, err := newExampleAssessor(t).AssessStream(context.Background(), bytes.NewReader(in.Bytes()), &out, &errs, BulkOptions{Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Read != 5005 || sum.Assessed+sum.Rejected != sum.Read || sum.Rejected == 0 {
			t.Fatalf("workers=%d: summary %+v", w, sum)
		}
		if first == nil {
			first, firstErrs = out.Bytes(), errs.Bytes()
			continue
		}
		if !bytes.Equal(out.Bytes(), first) || !bytes.Equal(errs.Bytes(), firstErrs) {
			t.Fatalf("workers=%d: output differs from workers=1", w)
		}
	}
	got := readCSVByID(t, first, "id")
	asked := exact.Dec(9395, 1) // 5,000 t of lithium carbonate at the HS map's content: 939.5 t of lithium
	var shared exact.Q
	for i := 1; i <= 5; i++ {
		r := got[fmt.Sprintf("Q%d", i)]
		in, ok := exact.Parse([]byte(r["in_quota_quantity"]))
		if r["quota"] != "EU/eu-trq-li-cl" || !ok || in.Sign() <= 0 || in.Cmp(asked) >= 0 || (r["quota_status"] != "critical" && r["quota_status"] != "exhausted") {
			t.Fatalf("Q%d: quota %q, in quota %q, status %q; want a pro-rata share of EU/eu-trq-li-cl, less than the 939.5 t asked, and the quota critical or exhausted",
				i, r["quota"], r["in_quota_quantity"], r["quota_status"])
		}
		shared = shared.Add(in)
	}
	if shared.Cmp(exact.Int(2000)) > 0 {
		t.Fatalf("the five pro-rata requests were granted %s t together, more than the volume of 2000 t", shared)
	}
}

// TestProperties checks, over generated declarations: no duty is negative; a
// higher declared price never raises the variable duty; the total is the sum
// of its parts (each_duty) or the rounded sum (total); the rounding reports
// Inexact exactly when it changed a duty.
func TestProperties(t *testing.T) {
	a := exampleAssessor(t)
	r := rand.New(rand.NewPCG(1, 2))
	for i, x := range generatedDecls(t, a, declgen.Options{N: 3000, Seed: 12}) {
		var as Assessment
		if fe := a.prepareInto(&x, &as); fe != nil {
			t.Fatalf("row %d: %v", i+1, fe)
		}
		if as.quota != nil {
			a.Complete(&as, Grant{Granted: as.quota.Quantity, Status: QuotaOpen})
		}
		for name, v := range map[string]exact.Q{"base": as.base, "variable": as.vdParty, "surcharge": as.surcharge, "total": as.total} {
			if v.Sign() < 0 {
				t.Fatalf("%s: %s duty %s is negative", x.id, name, v)
			}
		}
		cp := as.party
		var other, otherExact exact.Q
		for _, l := range as.stack {
			if l.amount.Sign() < 0 {
				t.Fatalf("%s: %s duty %s is negative", x.id, l.ci.in.ID, l.amount)
			}
			other, otherExact = other.Add(l.r), otherExact.Add(l.amount)
		}
		if cp.eachDuty {
			if as.total.Cmp(as.baseR.Add(as.vdR).Add(as.surR).Add(other)) != 0 {
				t.Fatalf("%s: total %s ≠ %s + %s + %s + %s", x.id, as.total, as.baseR, as.vdR, as.surR, other)
			}
			// The duty lines add up to the total.
			var sum exact.Q
			for _, l := range as.Duties() {
				v, _ := exact.ParseString(l.Amount)
				sum = sum.Add(v)
			}
			if sum.Cmp(as.total) != 0 {
				t.Fatalf("%s: duty lines %v add up to %s, total %s", x.id, as.Duties(), sum, as.total)
			}
		} else if want, _ := as.base.Add(as.vdParty).Add(as.surcharge).Add(otherExact).Round(cp.places, cp.mode); as.total.Cmp(want) != 0 {
			t.Fatalf("%s: total %s ≠ round(%s)", x.id, as.total, want)
		}
		// The rounding reports what it changed: Inexact exactly when a duty
		// charged differs from its exact figure.
		changed := as.baseR.Cmp(as.base) != 0 || as.vdR.Cmp(as.vdParty) != 0 || as.surR.Cmp(as.surcharge) != 0 || other.Cmp(otherExact) != 0
		if !cp.eachDuty {
			changed = as.total.Cmp(as.totalExact) != 0
		}
		if as.Rounding().Inexact() != changed {
			t.Fatalf("%s: Rounding() = %v, but the rounding changed a duty: %v", x.id, as.Rounding(), changed)
		}
		// A higher price never raises the variable duty.
		y := x
		y.value = x.value.Mul(exact.Dec(uint64(1000+r.IntN(1000)), 3))
		var bs Assessment
		if fe := a.prepareInto(&y, &bs); fe != nil {
			t.Fatal(fe)
		}
		if bs.vdParty.Cmp(as.vdParty) > 0 {
			t.Fatalf("%s: value %s → %s raised the variable duty %s → %s", x.id, x.value, y.value, as.vdParty, bs.vdParty)
		}
	}
}

// TestMemLedgerConcurrent: many goroutines never allocate more than the volume,
// and a repeated declaration is not allocated twice.
func TestMemLedgerConcurrent(t *testing.T) {
	l := NewMemLedger()
	b := QuotaBatch{Quota: "US/q", PeriodStart: date.MustParse("2026-01-01"), Volume: dec.MustParse("1000"), Unit: "t", CriticalAt: dec.MustParse("0.9")}
	var mu sync.Mutex
	total := dec.Zero
	var wg sync.WaitGroup
	for g := 0; g < 64; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				id := fmt.Sprintf("D%d", (g*50+i)%1500) // some ids repeat
				grants, err := l.Allocate(context.Background(), b, []Request{{DeclarationID: id, Quantity: dec.MustParse("0.7")}})
				if err != nil {
					t.Error(err)
					return
				}
				if !grants[0].Repeat {
					mu.Lock()
					total = total.Add(grants[0].Granted)
					mu.Unlock()
				}
			}
		}(g)
	}
	wg.Wait()
	u, _ := l.Usage(context.Background(), "US/q", b.PeriodStart)
	if total.Cmp(dec.MustParse("1000")) > 0 || u.Used.Cmp(total) != 0 {
		t.Fatalf("granted %s, used %s; want at most 1000 and equal", total, u.Used)
	}
	if u.Status != QuotaExhausted {
		t.Fatalf("status %s, want exhausted (1500 × 0.7 > 1000)", u.Status)
	}
}

func TestProRata(t *testing.T) {
	l := NewMemLedger()
	b := QuotaBatch{Quota: "EU/q", PeriodStart: date.MustParse("2026-01-01"), Volume: dec.MustParse("10"), Unit: "t", ProRata: true}
	g, err := l.Allocate(context.Background(), b, []Request{{DeclarationID: "a", Quantity: dec.MustParse("10")}, {DeclarationID: "b", Quantity: dec.MustParse("5")}})
	if err != nil {
		t.Fatal(err)
	}
	if g[0].Granted.String() != "6.666" || g[1].Granted.String() != "3.333" {
		t.Fatalf("grants %s, %s; want 6.666, 3.333", g[0].Granted, g[1].Granted)
	}
	again, _ := l.Allocate(context.Background(), b, []Request{{DeclarationID: "a", Quantity: dec.MustParse("10")}})
	if !again[0].Repeat || again[0].Granted.String() != "6.666" {
		t.Fatalf("repeat = %+v", again[0])
	}
}
