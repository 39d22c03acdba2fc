// Package storetest is the one conformance suite every store.Store must pass.
// Each adapter's tests call Run with a function that opens a fresh, empty,
// migrated store, so that SQLite and PostgreSQL are held to the same behaviour
// by the same cases.
package storetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/store"
)

// Run runs the conformance suite. open must return a fresh, empty, migrated
// store for each call and arrange for it to be closed and removed (t.Cleanup).
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		run  func(t *testing.T, s store.Store)
	}{
		{"put get roundtrip", testRoundtrip},
		{"idempotent put", testIdempotentPut},
		{"conflict", testConflict},
		{"concurrent put", testConcurrentPut},
		{"not found", testNotFound},
		{"invalid agreement", testInvalidAgreement},
		{"list order", testListOrder},
		{"audit append list", testAudit},
		{"audit limit and subject", testAuditFilter},
		{"invalid audit", testInvalidAudit},
		{"migrate twice", testMigrateTwice},
	}
	tests = append(tests, publicationTests...)
	tests = append(tests, simulationTests...)
	tests = append(tests, tokenTests...)
	tests = append(tests, designTests...)
	tests = append(tests, monitorTests...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.run(t, open(t))
		})
	}
}

// base is a fixed time with nanoseconds, below the stores' precision, so that
// the suite checks truncation too.
var base = time.Date(2026, 3, 1, 9, 30, 0, 123456789, time.FixedZone("CET", 3600))

// version returns an agreement version whose hash is the digest of its
// canonical form, as package agreement computes it.
func version(name string, at time.Time) store.AgreementVersion {
	canonical := []byte(fmt.Sprintf(`{"name":%q,"parties":["AU","CA","JP"]}`, name))
	sum := sha256.Sum256(canonical)
	return store.AgreementVersion{
		Hash:      hex.EncodeToString(sum[:]),
		Name:      name,
		Canonical: canonical,
		Source:    []byte("name: " + name + "\nparties: [AU, CA, JP]\n"),
		StoredAt:  at,
	}
}

func ctx(t *testing.T) context.Context {
	t.Helper()
	c, cancel := context.WithTimeout(acting(context.Background()), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// acting is c with the suite as the actor of its writes: a store refuses an
// allocation no one answers for.
func acting(c context.Context) context.Context {
	return store.WithActing(c, store.Acting{Actor: "storetest", At: base})
}

func put(t *testing.T, s store.Store, v store.AgreementVersion) bool {
	t.Helper()
	created, err := s.PutAgreement(ctx(t), v)
	if err != nil {
		t.Fatalf("PutAgreement(%s) error: %v", v.Name, err)
	}
	return created
}

// wantCode fails unless err is a problem of the given code whose message
// contains every one of want.
func wantCode(t *testing.T, call string, err error, code problem.Code, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s error = nil, want %s", call, code)
	}
	if got := problem.CodeOf(err); got != code {
		t.Fatalf("%s error code = %s (%v), want %s", call, got, err, code)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%s error = %q, want it to mention %q", call, err, w)
		}
	}
}

func testRoundtrip(t *testing.T, s store.Store) {
	noSource := version("no source", base)
	noSource.Source = nil
	tests := []struct {
		name string
		v    store.AgreementVersion
	}{
		{"with source", version("with source", base)},
		{"without source", noSource},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !put(t, s, tt.v) {
				t.Fatalf("PutAgreement(%s) created = false, want true", tt.v.Name)
			}
			got, err := s.GetAgreement(ctx(t), tt.v.Hash)
			if err != nil {
				t.Fatalf("GetAgreement(%s) error: %v", tt.v.Hash, err)
			}
			want := tt.v
			want.StoredAt = store.Time(tt.v.StoredAt)
			if got.Hash != want.Hash || got.Name != want.Name || !bytes.Equal(got.Canonical, want.Canonical) {
				t.Errorf("GetAgreement(%s) = {%s %s %s}, want {%s %s %s}", tt.v.Hash, got.Hash, got.Name, got.Canonical, want.Hash, want.Name, want.Canonical)
			}
			if !bytes.Equal(got.Source, want.Source) || (got.Source == nil) != (want.Source == nil) {
				t.Errorf("GetAgreement(%s).Source = %q (nil %t), want %q (nil %t)", tt.v.Hash, got.Source, got.Source == nil, want.Source, want.Source == nil)
			}
			if !got.StoredAt.Equal(want.StoredAt) || got.StoredAt.Location() != time.UTC {
				t.Errorf("GetAgreement(%s).StoredAt = %v, want %v in UTC", tt.v.Hash, got.StoredAt, want.StoredAt)
			}
		})
	}
}

func testIdempotentPut(t *testing.T, s store.Store) {
	v := version("pact", base)
	if !put(t, s, v) {
		t.Fatalf("first PutAgreement created = false, want true")
	}
	again := v
	again.Name = "renamed"
	again.Source = []byte("reformatted YAML")
	again.StoredAt = base.Add(time.Hour)
	if put(t, s, again) {
		t.Errorf("second PutAgreement of the same hash created = true, want false")
	}
	got, err := s.GetAgreement(ctx(t), v.Hash)
	if err != nil {
		t.Fatalf("GetAgreement error: %v", err)
	}
	if got.Name != v.Name || !bytes.Equal(got.Source, v.Source) || !got.StoredAt.Equal(store.Time(v.StoredAt)) {
		t.Errorf("after a second put, GetAgreement = {%s %q %v}, want the first {%s %q %v}", got.Name, got.Source, got.StoredAt, v.Name, v.Source, store.Time(v.StoredAt))
	}
	list, err := s.ListAgreements(ctx(t))
	if err != nil {
		t.Fatalf("ListAgreements error: %v", err)
	}
	if len(list) != 1 {
		t.Errorf("ListAgreements returned %d versions, want 1", len(list))
	}
}

func testConflict(t *testing.T, s store.Store) {
	v := version("pact", base)
	put(t, s, v)
	other := v
	other.Canonical = []byte(`{"name":"pact","parties":["AU"]}`)
	created, err := s.PutAgreement(ctx(t), other)
	wantCode(t, "PutAgreement(same hash, other bytes)", err, problem.Conflict, v.Hash)
	if created {
		t.Errorf("PutAgreement(same hash, other bytes) created = true, want false")
	}
	got, err := s.GetAgreement(ctx(t), v.Hash)
	if err != nil {
		t.Fatalf("GetAgreement error: %v", err)
	}
	if !bytes.Equal(got.Canonical, v.Canonical) {
		t.Errorf("after a conflict, Canonical = %s, want the first %s", got.Canonical, v.Canonical)
	}
}

// testConcurrentPut is several API nodes storing the same version at once:
// exactly one of them creates it.
func testConcurrentPut(t *testing.T, s store.Store) {
	v := version("pact", base)
	const n = 8
	var wg sync.WaitGroup
	created := make([]bool, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { created[i], errs[i] = s.PutAgreement(ctx(t), v) })
	}
	wg.Wait()
	count := 0
	for i := range n {
		if errs[i] != nil {
			t.Errorf("PutAgreement #%d error: %v", i, errs[i])
		}
		if created[i] {
			count++
		}
	}
	if count != 1 {
		t.Errorf("%d concurrent PutAgreement calls created %d versions, want 1", n, count)
	}
}

func testNotFound(t *testing.T, s store.Store) {
	put(t, s, version("pact", base))
	missing := strings.Repeat("ab", 32)
	_, err := s.GetAgreement(ctx(t), missing)
	wantCode(t, "GetAgreement(missing)", err, problem.NotFound, missing)
}

func testInvalidAgreement(t *testing.T, s store.Store) {
	valid := version("pact", base)
	tests := []struct {
		name   string
		change func(v *store.AgreementVersion)
		want   string
	}{
		{"short hash", func(v *store.AgreementVersion) { v.Hash = "abc" }, "64"},
		{"upper-case hash", func(v *store.AgreementVersion) { v.Hash = strings.ToUpper(v.Hash) }, "lowercase"},
		{"empty canonical", func(v *store.AgreementVersion) { v.Canonical = nil }, "empty"},
		{"canonical not JSON", func(v *store.AgreementVersion) { v.Canonical = []byte("name: pact") }, "JSON"},
		{"no time", func(v *store.AgreementVersion) { v.StoredAt = time.Time{} }, "time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := valid
			tt.change(&v)
			_, err := s.PutAgreement(ctx(t), v)
			wantCode(t, "PutAgreement("+tt.name+")", err, problem.Invalid, tt.want)
		})
	}
	list, err := s.ListAgreements(ctx(t))
	if err != nil {
		t.Fatalf("ListAgreements error: %v", err)
	}
	if len(list) != 0 {
		t.Errorf("after invalid puts, ListAgreements returned %d versions, want 0", len(list))
	}
}

func testListOrder(t *testing.T, s store.Store) {
	list, err := s.ListAgreements(ctx(t))
	if err != nil {
		t.Fatalf("ListAgreements(empty store) error: %v", err)
	}
	if len(list) != 0 {
		t.Fatalf("ListAgreements(empty store) = %d versions, want 0", len(list))
	}
	// Put out of order, with two versions sharing a time (ordered by hash) and
	// one a microsecond apart (ordered by time, not hash).
	vs := []store.AgreementVersion{
		version("c", base.Add(2*time.Hour)),
		version("a", base),
		version("b", base),
		version("d", base.Add(time.Microsecond)),
		version("e", base.Add(-24*time.Hour)),
	}
	for _, v := range vs {
		put(t, s, v)
	}
	want := slices.Clone(vs)
	slices.SortFunc(want, func(x, y store.AgreementVersion) int {
		if c := store.Time(x.StoredAt).Compare(store.Time(y.StoredAt)); c != 0 {
			return c
		}
		return strings.Compare(x.Hash, y.Hash)
	})
	got, err := s.ListAgreements(ctx(t))
	if err != nil {
		t.Fatalf("ListAgreements error: %v", err)
	}
	if len(got) != len(want) {
		t.Fatalf("ListAgreements returned %d versions, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Hash != w.Hash || g.Name != w.Name || !g.StoredAt.Equal(store.Time(w.StoredAt)) {
			t.Errorf("ListAgreements()[%d] = {%s %s %v}, want {%s %s %v}", i, g.Name, g.Hash[:8], g.StoredAt, w.Name, w.Hash[:8], store.Time(w.StoredAt))
		}
		if g.Canonical != nil || g.Source != nil {
			t.Errorf("ListAgreements()[%d] carries bytes (canonical %d, source %d), want a summary without them", i, len(g.Canonical), len(g.Source))
		}
	}
}

func testAudit(t *testing.T, s store.Store) {
	recs := []store.AuditRecord{
		{At: base, Actor: "alice", Action: "agreement.put", Subject: "agreement:1", Detail: []byte(`{"name": "pact",  "created": true}`)},
		{At: base.Add(time.Second), Actor: "bob", Action: "price.publish", Subject: "publication:7"},
		{At: base.Add(2 * time.Second), Actor: "alice", Action: "agreement.get", Subject: "agreement:1", Detail: []byte(`[]`)},
	}
	var ids []int64
	for _, r := range recs {
		id, err := s.AppendAudit(ctx(t), r)
		if err != nil {
			t.Fatalf("AppendAudit(%s) error: %v", r.Action, err)
		}
		if len(ids) > 0 && id <= ids[len(ids)-1] {
			t.Errorf("AppendAudit(%s) id = %d, want more than the previous %d", r.Action, id, ids[len(ids)-1])
		}
		ids = append(ids, id)
	}
	got, err := s.ListAudit(ctx(t), "", 0)
	if err != nil {
		t.Fatalf("ListAudit(all) error: %v", err)
	}
	if len(got) != len(recs) {
		t.Fatalf("ListAudit(all) returned %d records, want %d", len(got), len(recs))
	}
	for i, g := range got {
		j := len(recs) - 1 - i // newest first
		w := recs[j]
		if g.ID != ids[j] || !g.At.Equal(store.Time(w.At)) || g.At.Location() != time.UTC || g.Actor != w.Actor || g.Action != w.Action || g.Subject != w.Subject {
			t.Errorf("ListAudit(all)[%d] = {%d %v %s %s %s}, want {%d %v %s %s %s} in UTC", i, g.ID, g.At, g.Actor, g.Action, g.Subject, ids[j], store.Time(w.At), w.Actor, w.Action, w.Subject)
		}
		if !bytes.Equal(g.Detail, w.Detail) || (g.Detail == nil) != (w.Detail == nil) {
			t.Errorf("ListAudit(all)[%d].Detail = %q, want exactly %q", i, g.Detail, w.Detail)
		}
	}
}

func testAuditFilter(t *testing.T, s store.Store) {
	for i := range 5 {
		subject := "agreement:1"
		if i%2 == 1 {
			subject = "agreement:2"
		}
		r := store.AuditRecord{At: base.Add(time.Duration(i) * time.Minute), Actor: "alice", Action: fmt.Sprintf("step%d", i), Subject: subject}
		if _, err := s.AppendAudit(ctx(t), r); err != nil {
			t.Fatalf("AppendAudit(step%d) error: %v", i, err)
		}
	}
	tests := []struct {
		subject string
		limit   int
		want    []string
	}{
		{"agreement:1", 0, []string{"step4", "step2", "step0"}},
		{"agreement:1", 2, []string{"step4", "step2"}},
		{"agreement:2", 10, []string{"step3", "step1"}},
		{"agreement:2", -1, []string{"step3", "step1"}},
		{"", 3, []string{"step4", "step3", "step2"}},
		{"agreement:9", 0, nil},
	}
	for _, tt := range tests {
		got, err := s.ListAudit(ctx(t), tt.subject, tt.limit)
		if err != nil {
			t.Fatalf("ListAudit(%q, %d) error: %v", tt.subject, tt.limit, err)
		}
		var actions []string
		for _, r := range got {
			actions = append(actions, r.Action)
		}
		if !slices.Equal(actions, tt.want) {
			t.Errorf("ListAudit(%q, %d) = %v, want %v", tt.subject, tt.limit, actions, tt.want)
		}
	}
}

func testInvalidAudit(t *testing.T, s store.Store) {
	valid := store.AuditRecord{At: base, Actor: "alice", Action: "agreement.put", Subject: "agreement:1"}
	tests := []struct {
		name   string
		change func(r *store.AuditRecord)
		want   string
	}{
		{"no time", func(r *store.AuditRecord) { r.At = time.Time{} }, "time"},
		{"no actor", func(r *store.AuditRecord) { r.Actor = "" }, "actor"},
		{"no action", func(r *store.AuditRecord) { r.Action = "" }, "action"},
		{"no subject", func(r *store.AuditRecord) { r.Subject = "" }, "subject"},
		{"detail not JSON", func(r *store.AuditRecord) { r.Detail = []byte("{oops") }, "JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := valid
			tt.change(&r)
			_, err := s.AppendAudit(ctx(t), r)
			wantCode(t, "AppendAudit("+tt.name+")", err, problem.Invalid, tt.want)
		})
	}
}

func testMigrateTwice(t *testing.T, s store.Store) {
	v := version("pact", base)
	put(t, s, v)
	for i := range 2 {
		if err := s.Migrate(ctx(t)); err != nil {
			t.Fatalf("Migrate #%d on a migrated store error: %v", i+1, err)
		}
	}
	if _, err := s.GetAgreement(ctx(t), v.Hash); err != nil {
		t.Errorf("after migrating again, GetAgreement error: %v (data lost?)", err)
	}
}
