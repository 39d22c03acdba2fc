package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/store"
)

// RunDuty runs the conformance cases of the quota ledger (duty.QuotaLedger)
// and of recorded assessments. open must return a fresh, empty, migrated
// store for each call and arrange for it to be closed (t.Cleanup).
func RunDuty(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		run  func(t *testing.T, s store.Store)
	}{
		{"ledger first come", testLedgerFirstCome},
		{"ledger pro rata", testLedgerProRata},
		{"ledger idempotent", testLedgerIdempotent},
		{"ledger repeat in one batch", testLedgerRepeatInBatch},
		{"ledger volume from first use", testLedgerFirstVolume},
		{"ledger usage of an unused period", testLedgerUnused},
		{"ledger invalid batch", testLedgerInvalid},
		{"ledger same as MemLedger", testLedgerSameAsMem},
		{"ledger 16 goroutines on one quota", testLedgerConcurrent},
		{"assessments put get totals", testAssessments},
		{"assessments unknown agreement", testAssessmentsUnknownAgreement},
		{"assessments concurrent put", testAssessmentsConcurrent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.run(t, open(t))
		})
	}
}

func d(s string) dec.Decimal { return dec.MustParse(s) }

// quotaBatch is a quota period of the given volume in tonnes, critical at 90 %.
func quotaBatch(volume string, proRata bool) duty.QuotaBatch {
	return duty.QuotaBatch{Quota: "EU/eu-trq-test", PeriodStart: date.MustParse("2026-07-01"), Day: date.MustParse("2026-07-02"),
		Volume: d(volume), Unit: "t", CriticalAt: d("0.9"), ProRata: proRata}
}

func reqs(kv ...string) []duty.Request {
	var out []duty.Request
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, duty.Request{DeclarationID: kv[i], Quantity: d(kv[i+1]), Seq: int64(i / 2)})
	}
	return out
}

func allocate(t *testing.T, l duty.QuotaLedger, b duty.QuotaBatch, rs []duty.Request) []duty.Grant {
	t.Helper()
	g, err := l.Allocate(ctx(t), b, rs)
	if err != nil {
		t.Fatalf("Allocate(%s, %d requests) error: %v", b.Quota, len(rs), err)
	}
	if len(g) != len(rs) {
		t.Fatalf("Allocate(%s, %d requests) = %d grants, want one per request", b.Quota, len(rs), len(g))
	}
	return g
}

// wantGrants compares grants by value: decimals by Cmp, so 3.0 equals 3.
func wantGrants(t *testing.T, call string, got, want []duty.Grant) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s = %d grants, want %d", call, len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.DeclarationID != w.DeclarationID || g.Granted.Cmp(w.Granted) != 0 || g.Status != w.Status || g.Balance.Cmp(w.Balance) != 0 || g.Repeat != w.Repeat {
			t.Errorf("%s grant %d = {%s granted %s %s balance %s repeat %t}, want {%s granted %s %s balance %s repeat %t}", call, i,
				g.DeclarationID, g.Granted, g.Status, g.Balance, g.Repeat, w.DeclarationID, w.Granted, w.Status, w.Balance, w.Repeat)
		}
	}
}

func grant(id, granted string, status duty.QuotaStatus, balance string, repeat bool) duty.Grant {
	return duty.Grant{DeclarationID: id, Granted: d(granted), Status: status, Balance: d(balance), Repeat: repeat}
}

func wantUsage(t *testing.T, l duty.QuotaLedger, b duty.QuotaBatch, volume, used string, status duty.QuotaStatus) {
	t.Helper()
	u, err := l.Usage(ctx(t), b.Quota, b.PeriodStart)
	if err != nil {
		t.Fatalf("Usage(%s, %s) error: %v", b.Quota, b.PeriodStart, err)
	}
	if u.Volume.Cmp(d(volume)) != 0 || u.Used.Cmp(d(used)) != 0 || u.Status != status || u.Quota != b.Quota || !u.PeriodStart.Equal(b.PeriodStart) {
		t.Errorf("Usage(%s, %s) = {volume %s used %s %s}, want {volume %s used %s %s}", b.Quota, b.PeriodStart, u.Volume, u.Used, u.Status, volume, used, status)
	}
}

func testLedgerFirstCome(t *testing.T, s store.Store) {
	b := quotaBatch("100", false)
	got := allocate(t, s, b, reqs("a", "30", "b", "50", "c", "40"))
	wantGrants(t, "Allocate(first come 30, 50, 40 of 100)", got, []duty.Grant{
		grant("a", "30", duty.QuotaExhausted, "0", false), grant("b", "50", duty.QuotaExhausted, "0", false), grant("c", "20", duty.QuotaExhausted, "0", false)})
	wantUsage(t, s, b, "100", "100", duty.QuotaExhausted)
	got = allocate(t, s, b, reqs("d", "5"))
	wantGrants(t, "Allocate(5 of an exhausted quota)", got, []duty.Grant{grant("d", "0", duty.QuotaExhausted, "0", false)})

	b2 := b
	b2.Quota = "US/us-trq-test"
	got = allocate(t, s, b2, reqs("a", "89.5"))
	wantGrants(t, "Allocate(89.5 of 100)", got, []duty.Grant{grant("a", "89.5", duty.QuotaOpen, "10.5", false)})
	got = allocate(t, s, b2, reqs("e", "0.5"))
	wantGrants(t, "Allocate(0.5 more: 90 %)", got, []duty.Grant{grant("e", "0.5", duty.QuotaCritical, "10", false)})
	wantUsage(t, s, b2, "100", "90", duty.QuotaCritical)
}

func testLedgerProRata(t *testing.T, s store.Store) {
	b := quotaBatch("10", true)
	got := allocate(t, s, b, reqs("a", "5", "b", "5", "c", "5"))
	// 10 × 5 ÷ 15 = 3.3333… rounded down to 3 places; 0.001 t stays.
	wantGrants(t, "Allocate(pro rata 5, 5, 5 of 10)", got, []duty.Grant{
		grant("a", "3.333", duty.QuotaCritical, "0.001", false), grant("b", "3.333", duty.QuotaCritical, "0.001", false), grant("c", "3.333", duty.QuotaCritical, "0.001", false)})
	wantUsage(t, s, b, "10", "9.999", duty.QuotaCritical)

	b2 := quotaBatch("10", true)
	b2.Quota = "GB/gb-trq-test"
	got = allocate(t, s, b2, reqs("a", "2", "b", "3"))
	wantGrants(t, "Allocate(pro rata 2, 3 of 10: fits)", got, []duty.Grant{grant("a", "2", duty.QuotaOpen, "5", false), grant("b", "3", duty.QuotaOpen, "5", false)})
}

func testLedgerIdempotent(t *testing.T, s store.Store) {
	b := quotaBatch("100", false)
	first := allocate(t, s, b, reqs("a", "60"))
	allocate(t, s, b, reqs("b", "35"))
	again := allocate(t, s, b, reqs("a", "60", "c", "10"))
	wantGrants(t, "Allocate(a again, c)", again, []duty.Grant{
		grant("a", "60", first[0].Status, first[0].Balance.String(), true), grant("c", "5", duty.QuotaExhausted, "0", false)})
	wantUsage(t, s, b, "100", "100", duty.QuotaExhausted)
	// Another quantity under the same id is still the earlier grant.
	again = allocate(t, s, b, reqs("a", "1"))
	wantGrants(t, "Allocate(a with another quantity)", again, []duty.Grant{grant("a", "60", duty.QuotaOpen, "40", true)})
	// The same declaration in another period is another allocation.
	b2 := b
	b2.PeriodStart = date.MustParse("2027-01-01")
	got := allocate(t, s, b2, reqs("a", "60"))
	wantGrants(t, "Allocate(a in the next period)", got, []duty.Grant{grant("a", "60", duty.QuotaOpen, "40", false)})
}

func testLedgerRepeatInBatch(t *testing.T, s store.Store) {
	b := quotaBatch("100", false)
	got := allocate(t, s, b, reqs("a", "30", "a", "30", "b", "10"))
	wantGrants(t, "Allocate(a, a, b)", got, []duty.Grant{
		grant("a", "30", duty.QuotaOpen, "60", false), grant("a", "30", duty.QuotaOpen, "60", true), grant("b", "10", duty.QuotaOpen, "60", false)})
	wantUsage(t, s, b, "100", "40", duty.QuotaOpen)
}

func testLedgerFirstVolume(t *testing.T, s store.Store) {
	b := quotaBatch("100", false)
	allocate(t, s, b, reqs("a", "50"))
	b.Volume = d("1000")
	got := allocate(t, s, b, reqs("b", "80"))
	wantGrants(t, "Allocate(80 with a larger volume named later)", got, []duty.Grant{grant("b", "50", duty.QuotaExhausted, "0", false)})
	wantUsage(t, s, b, "100", "100", duty.QuotaExhausted)
}

func testLedgerUnused(t *testing.T, s store.Store) {
	b := quotaBatch("100", false)
	u, err := s.Usage(ctx(t), b.Quota, b.PeriodStart)
	if err != nil {
		t.Fatalf("Usage(unused) error: %v", err)
	}
	if u.Status != duty.QuotaOpen || !u.Used.IsZero() || !u.Volume.IsZero() {
		t.Errorf("Usage(unused) = {volume %s used %s %s}, want {0 0 open}", u.Volume, u.Used, u.Status)
	}
}

func testLedgerInvalid(t *testing.T, s store.Store) {
	b := quotaBatch("100", false)
	_, err := s.Allocate(ctx(t), b, reqs("a", "-1"))
	wantCode(t, "Allocate(negative request)", err, problem.Invalid, "negative")
	_, err = s.Allocate(ctx(t), b, []duty.Request{{Quantity: d("1")}})
	wantCode(t, "Allocate(no declaration id)", err, problem.Invalid, "declaration")
	wantUsage(t, s, b, "0", "0", duty.QuotaOpen)
}

// testLedgerSameAsMem allocates one seeded sequence of batches (first come and
// pro rata, repeats, several quotas and periods) through the store and through
// duty.MemLedger: every grant must be the same.
func testLedgerSameAsMem(t *testing.T, s store.Store) {
	rng := rand.New(rand.NewPCG(7, 11))
	mem := duty.NewMemLedger()
	quotas := []duty.QuotaBatch{quotaBatch("50", false), quotaBatch("40", true), quotaBatch("7.5", true)}
	quotas[1].Quota, quotas[2].Quota = "GB/gb-trq-test", "JP/jp-trq-test"
	quotas[2].CriticalAt = dec.Decimal{}
	n := 0
	for i := range 60 {
		b := quotas[rng.IntN(len(quotas))]
		if rng.IntN(4) == 0 {
			b.PeriodStart = date.MustParse("2027-01-01")
		}
		b.Day = b.PeriodStart.AddDays(i)
		var rs []duty.Request
		seen := map[string]bool{}
		for range 1 + rng.IntN(5) {
			id := fmt.Sprintf("d%d", n)
			n++
			if n > 5 && rng.IntN(5) == 0 {
				id = fmt.Sprintf("d%d", rng.IntN(n-1)) // a repeat of an earlier declaration
			}
			if seen[id] {
				continue
			}
			seen[id] = true
			q := dec.New(int64(1+rng.IntN(9000)), -3) // 0.001 … 9 t
			rs = append(rs, duty.Request{DeclarationID: id, Quantity: q})
		}
		want := allocate(t, mem, b, rs)
		got := allocate(t, s, b, rs)
		wantGrants(t, fmt.Sprintf("batch %d (%s %s pro rata %t)", i, b.Quota, b.PeriodStart, b.ProRata), got, want)
	}
	for _, b := range quotas {
		for _, start := range []string{"2026-07-01", "2027-01-01"} {
			b.PeriodStart = date.MustParse(start)
			m, _ := mem.Usage(ctx(t), b.Quota, b.PeriodStart)
			wantUsage(t, s, b, m.Volume.String(), m.Used.String(), m.Status)
		}
	}
}

// testLedgerConcurrent has 16 goroutines allocate against one quota at once,
// each its own declarations plus a set every goroutine asks for: the total
// granted is min(volume, demand), never more, and each declaration is granted
// once.
func testLedgerConcurrent(t *testing.T, s store.Store) {
	const workers, each, shared = 16, 25, 10
	b := quotaBatch("500", false)
	var mu sync.Mutex
	granted := map[string]dec.Decimal{}
	fresh := map[string]int{}
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			c := acting(context.Background())
			for k := range each + shared {
				id := fmt.Sprintf("w%d-%d", w, k)
				if k >= each {
					id = fmt.Sprintf("shared-%d", k-each)
				}
				bb := b
				bb.ProRata = k%3 == 0 // both rules against one balance
				g, err := s.Allocate(c, bb, []duty.Request{{DeclarationID: id, Quantity: d("1.5")}})
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				if prev, ok := granted[id]; ok && prev.Cmp(g[0].Granted) != 0 {
					errs <- fmt.Errorf("declaration %s granted %s and later %s", id, prev, g[0].Granted)
				}
				granted[id] = g[0].Granted
				if !g[0].Repeat {
					fresh[id]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("concurrent Allocate: %v", err)
	}
	total := dec.Decimal{}
	for id, g := range granted {
		total = total.Add(g)
		if fresh[id] != 1 {
			t.Errorf("declaration %s was allocated %d times, want once", id, fresh[id])
		}
	}
	demand := dec.FromInt(workers*each + shared).Mul(d("1.5")) // 610.5 t
	want := dec.Min(b.Volume, demand)
	if total.Cmp(want) != 0 {
		t.Errorf("%d goroutines: total granted %s, want min(volume %s, demand %s) = %s", workers, total, b.Volume, demand, want)
	}
	wantUsage(t, s, b, "500", want.String(), duty.QuotaExhausted)
}

func assessment(hash, id, total string) store.AssessmentRecord {
	return store.AssessmentRecord{AgreementHash: hash, DeclarationID: id, Body: []byte(fmt.Sprintf(`{"id": %q, "total_duty": %q}`, id, total)),
		TotalDuty: d(total), Currency: "USD", CreatedAt: base, Actor: "storetest"}
}

func testAssessments(t *testing.T, s store.Store) {
	hash := agreementFor(t, s)
	created, err := s.PutAssessments(ctx(t), []store.AssessmentRecord{assessment(hash, "A-1", "12.50"), assessment(hash, "A-2", "0.05")})
	if err != nil || len(created) != 2 || !created[0] || !created[1] {
		t.Fatalf("PutAssessments(A-1, A-2) = %v, %v; want [true true], nil", created, err)
	}
	changed := assessment(hash, "A-1", "99")
	eur := assessment(hash, "A-3", "7")
	eur.Currency = "EUR"
	created, err = s.PutAssessments(ctx(t), []store.AssessmentRecord{changed, eur})
	if err != nil || len(created) != 2 || created[0] || !created[1] {
		t.Fatalf("PutAssessments(A-1 again, A-3) = %v, %v; want [false true], nil", created, err)
	}
	got, err := s.GetAssessment(ctx(t), hash, "A-1")
	if err != nil {
		t.Fatalf("GetAssessment(A-1) error: %v", err)
	}
	want := assessment(hash, "A-1", "12.50")
	if string(got.Body) != string(want.Body) || got.TotalDuty.String() != "12.50" || got.Currency != "USD" || !got.CreatedAt.Equal(store.Time(base)) || got.ID == 0 {
		t.Errorf("GetAssessment(A-1) = {%d %s %s %s %v}, want the first record {%s 12.50 USD %v}", got.ID, got.Body, got.TotalDuty, got.Currency, got.CreatedAt, want.Body, store.Time(base))
	}
	_, err = s.GetAssessment(ctx(t), hash, "missing")
	wantCode(t, "GetAssessment(missing)", err, problem.NotFound, "missing")
	totals, err := s.AssessmentTotals(ctx(t), hash)
	if err != nil {
		t.Fatalf("AssessmentTotals error: %v", err)
	}
	if len(totals) != 2 || totals[0].Currency != "EUR" || totals[0].Count != 1 || totals[0].Total.Cmp(d("7")) != 0 ||
		totals[1].Currency != "USD" || totals[1].Count != 2 || totals[1].Total.Cmp(d("12.55")) != 0 {
		t.Errorf("AssessmentTotals = %+v, want [EUR 1 7] [USD 2 12.55]", totals)
	}
	_, err = s.PutAssessments(ctx(t), []store.AssessmentRecord{{AgreementHash: hash, DeclarationID: "x", Body: []byte("{"), Currency: "USD", CreatedAt: base}})
	wantCode(t, "PutAssessments(bad JSON body)", err, problem.Invalid, "JSON")
}

func testAssessmentsUnknownAgreement(t *testing.T, s store.Store) {
	hash := version("never stored", base).Hash
	_, err := s.PutAssessments(ctx(t), []store.AssessmentRecord{assessment(hash, "A-1", "1")})
	wantCode(t, "PutAssessments(unknown agreement)", err, problem.NotFound, hash)
}

// testAssessmentsConcurrent records the same declarations from 8 goroutines:
// each is recorded once.
func testAssessmentsConcurrent(t *testing.T, s store.Store) {
	hash := agreementFor(t, s)
	const workers, n = 8, 20
	var wg sync.WaitGroup
	var mu sync.Mutex
	createdBy := map[string]int{}
	for range workers {
		wg.Go(func() {
			for i := range n {
				id := fmt.Sprintf("C-%d", i)
				c, err := s.PutAssessments(context.Background(), []store.AssessmentRecord{assessment(hash, id, "1")})
				if err != nil {
					t.Errorf("PutAssessments(%s) error: %v", id, err)
					return
				}
				if c[0] {
					mu.Lock()
					createdBy[id]++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	for i := range n {
		if id := fmt.Sprintf("C-%d", i); createdBy[id] != 1 {
			t.Errorf("declaration %s was created %d times by %d concurrent writers, want once", id, createdBy[id], workers)
		}
	}
	totals, err := s.AssessmentTotals(ctx(t), hash)
	if err != nil || len(totals) != 1 || totals[0].Count != n {
		t.Errorf("AssessmentTotals = %+v, %v; want %d assessments", totals, err, n)
	}
}
