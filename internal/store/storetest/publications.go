package storetest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/store"
)

// publicationTests are the cases of the Publications interface; Run runs them
// with the others.
var publicationTests = []struct {
	name string
	run  func(t *testing.T, s store.Store)
}{
	{"publication roundtrip", testPublicationRoundtrip},
	{"publication idempotent", testPublicationIdempotent},
	{"publication correction", testPublicationCorrection},
	{"publication current and list", testPublicationCurrent},
	{"publication history", testPublicationHistory},
	{"publication unknown agreement", testPublicationUnknownAgreement},
	{"invalid publication", testInvalidPublication},
	{"concurrent publish", testConcurrentPublish},
	{"floor source", testFloorSource},
	{"floor precision", testFloorPrecision},
}

// publication returns a floor as refprice would publish it, whose inputs hash
// is the digest of inputs.
func publication(agreementHash, mineral, stage, from, to, price, inputs string) store.Publication {
	sum := sha256.Sum256([]byte(inputs))
	p := store.Publication{
		AgreementHash: agreementHash, Mineral: mineral, Stage: stage,
		ValidFrom: date.MustParse(from), Price: dec.MustParse(price), Currency: "USD", Unit: "t",
		Method: "market_average", InputsHash: hex.EncodeToString(sum[:]),
		Body:        []byte(fmt.Sprintf(`{"mineral": %q, "price": %q,  "inputs": [{"name": "x", "value": %q}]}`, mineral, price, inputs)),
		PublishedAt: base,
	}
	if to != "" {
		p.ValidTo = date.MustParse(to)
	}
	return p
}

// agreementFor stores an agreement version for publications to refer to.
func agreementFor(t *testing.T, s store.Store) string {
	t.Helper()
	v := version("pact", base)
	put(t, s, v)
	return v.Hash
}

func publish(t *testing.T, s store.Store, p store.Publication) (store.Publication, bool) {
	t.Helper()
	got, created, err := s.PutPublication(ctx(t), p)
	if err != nil {
		t.Fatalf("PutPublication(%s/%s %s) error: %v", p.Mineral, p.Stage, p.ValidFrom, err)
	}
	return got, created
}

// samePublication fails unless got is want as stored: the same fields, the
// price digit for digit, the body byte for byte, the time in UTC.
func samePublication(t *testing.T, call string, got, want store.Publication) {
	t.Helper()
	if got.ID != want.ID || got.AgreementHash != want.AgreementHash || got.Mineral != want.Mineral || got.Stage != want.Stage ||
		!got.ValidFrom.Equal(want.ValidFrom) || !got.ValidTo.Equal(want.ValidTo) || got.Price.String() != want.Price.String() ||
		got.Currency != want.Currency || got.Unit != want.Unit || got.Method != want.Method || got.InputsHash != want.InputsHash ||
		got.Illustrative != want.Illustrative || got.Supersedes != want.Supersedes || got.SupersededBy != want.SupersededBy {
		t.Errorf("%s = %+v,\nwant %+v", call, summary(got), summary(want))
	}
	if !bytes.Equal(got.Body, want.Body) {
		t.Errorf("%s.Body = %s, want exactly %s", call, got.Body, want.Body)
	}
	if !got.PublishedAt.Equal(store.Time(want.PublishedAt)) || got.PublishedAt.Location() != time.UTC {
		t.Errorf("%s.PublishedAt = %v, want %v in UTC", call, got.PublishedAt, store.Time(want.PublishedAt))
	}
}

func summary(p store.Publication) string {
	return fmt.Sprintf("{id %d %s/%s [%s, %s) %s %s/%s %s inputs %.8s illustrative %t supersedes %d superseded by %d}",
		p.ID, p.Mineral, p.Stage, p.ValidFrom, p.ValidTo, p.Price, p.Currency, p.Unit, p.Method, p.InputsHash, p.Illustrative, p.Supersedes, p.SupersededBy)
}

func ids(ps []store.Publication) []int64 {
	var out []int64
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

func testPublicationRoundtrip(t *testing.T, s store.Store) {
	h := agreementFor(t, s)
	open := publication(h, "germanium", "processed", "2026-01-01", "", "2600.00", "negotiated 2600")
	open.Illustrative = true
	dated := publication(h, "copper", "processed", "2026-01-01", "2026-04-01", "7733.70", "copper window")
	for _, p := range []store.Publication{open, dated} {
		got, created := publish(t, s, p)
		if !created || got.ID <= 0 {
			t.Fatalf("PutPublication(%s) = id %d, created %t; want a new id, true", p.Mineral, got.ID, created)
		}
		want := p
		want.ID = got.ID
		samePublication(t, "PutPublication("+p.Mineral+")", got, want)
		read, err := s.GetPublication(ctx(t), got.ID)
		if err != nil {
			t.Fatalf("GetPublication(%d) error: %v", got.ID, err)
		}
		samePublication(t, fmt.Sprintf("GetPublication(%d)", got.ID), read, want)
	}
	_, err := s.GetPublication(ctx(t), 999999)
	wantCode(t, "GetPublication(999999)", err, problem.NotFound, "999999")
}

func testPublicationIdempotent(t *testing.T, s store.Store) {
	h := agreementFor(t, s)
	p := publication(h, "copper", "processed", "2026-01-01", "2026-04-01", "7733.75", "same inputs")
	first, _ := publish(t, s, p)
	again := p
	again.PublishedAt = base.Add(time.Hour)
	second, created := publish(t, s, again)
	if created {
		t.Errorf("PutPublication(same inputs) created = true, want false")
	}
	samePublication(t, "PutPublication(same inputs)", second, first)
	hist, err := s.PublicationHistory(ctx(t), h, "copper", "processed", p.ValidFrom, p.ValidFrom)
	if err != nil {
		t.Fatalf("PublicationHistory error: %v", err)
	}
	if len(hist) != 1 {
		t.Errorf("after publishing the same inputs twice, PublicationHistory = %v, want one publication", ids(hist))
	}
}

func testPublicationCorrection(t *testing.T, s store.Store) {
	h := agreementFor(t, s)
	first, _ := publish(t, s, publication(h, "copper", "processed", "2026-01-01", "2026-04-01", "7733.75", "first"))
	fix := publication(h, "copper", "processed", "2026-01-01", "2026-04-01", "7741.10", "corrected series")
	fix.PublishedAt = base.Add(24 * time.Hour)
	second, created := publish(t, s, fix)
	if !created || second.Supersedes != first.ID || second.ID == first.ID {
		t.Fatalf("PutPublication(other inputs, same revision) = %s, created %t; want a new publication superseding %d", summary(second), created, first.ID)
	}
	third, created := publish(t, s, publication(h, "copper", "processed", "2026-01-01", "2026-04-01", "7740.00", "second fix"))
	if !created || third.Supersedes != second.ID {
		t.Fatalf("a second correction = %s, created %t; want it to supersede %d", summary(third), created, second.ID)
	}
	// The original inputs again are the original publication: nothing new.
	back, created := publish(t, s, publication(h, "copper", "processed", "2026-01-01", "2026-04-01", "7733.75", "first"))
	if created || back.ID != first.ID {
		t.Errorf("republishing the first inputs = %s, created %t; want publication %d, false", summary(back), created, first.ID)
	}
	read, err := s.GetPublication(ctx(t), first.ID)
	if err != nil {
		t.Fatalf("GetPublication error: %v", err)
	}
	if read.SupersededBy != second.ID || read.Current() {
		t.Errorf("GetPublication(%d).SupersededBy = %d, want %d", first.ID, read.SupersededBy, second.ID)
	}
	cur, err := s.CurrentPublication(ctx(t), h, "copper", "processed", date.MustParse("2026-02-01"))
	if err != nil {
		t.Fatalf("CurrentPublication error: %v", err)
	}
	if cur.ID != third.ID || cur.Price.String() != "7740.00" || !cur.Current() {
		t.Errorf("CurrentPublication after corrections = %s, want publication %d at 7740.00", summary(cur), third.ID)
	}
	hist, err := s.PublicationHistory(ctx(t), h, "copper", "processed", date.MustParse("2026-01-01"), date.MustParse("2026-03-31"))
	if err != nil {
		t.Fatalf("PublicationHistory error: %v", err)
	}
	if want := []int64{first.ID, second.ID, third.ID}; !slices.Equal(ids(hist), want) {
		t.Errorf("PublicationHistory = %v, want %v (superseded ones included)", ids(hist), want)
	}
	list, err := s.ListPublications(ctx(t), h, date.MustParse("2026-01-01"))
	if err != nil {
		t.Fatalf("ListPublications error: %v", err)
	}
	if want := []int64{third.ID}; !slices.Equal(ids(list), want) {
		t.Errorf("ListPublications = %v, want only the current %v", ids(list), want)
	}
}

func testPublicationCurrent(t *testing.T, s store.Store) {
	h := agreementFor(t, s)
	other := version("other pact", base)
	put(t, s, other)
	q1, _ := publish(t, s, publication(h, "copper", "processed", "2026-01-01", "2026-04-01", "7733.75", "q1"))
	li, _ := publish(t, s, publication(h, "lithium", "mined", "2026-01-01", "", "67860.01", "li"))
	q2, _ := publish(t, s, publication(h, "copper", "processed", "2026-04-01", "2026-07-01", "7801.00", "q2"))
	publish(t, s, publication(other.Hash, "copper", "processed", "2026-01-01", "2026-04-01", "1.00", "other agreement"))
	tests := []struct {
		on   string
		want int64 // 0: not found
	}{
		{"2025-12-31", 0},
		{"2026-01-01", q1.ID},
		{"2026-03-31", q1.ID},
		{"2026-04-01", q2.ID},
		{"2026-06-30", q2.ID},
		{"2026-07-01", 0},
	}
	for _, tt := range tests {
		got, err := s.CurrentPublication(ctx(t), h, "copper", "processed", date.MustParse(tt.on))
		if tt.want == 0 {
			wantCode(t, "CurrentPublication(copper/processed, "+tt.on+")", err, problem.NotFound, "copper/processed", tt.on)
			continue
		}
		if err != nil || got.ID != tt.want {
			t.Errorf("CurrentPublication(copper/processed, %s) = %d, %v; want %d", tt.on, got.ID, err, tt.want)
		}
	}
	lists := []struct {
		on   string
		want []int64
	}{
		{"2025-12-31", nil},
		{"2026-02-01", []int64{q1.ID, li.ID}},
		{"2026-05-01", []int64{li.ID, q2.ID}},
		{"2030-01-01", []int64{li.ID}},
	}
	for _, tt := range lists {
		got, err := s.ListPublications(ctx(t), h, date.MustParse(tt.on))
		if err != nil {
			t.Fatalf("ListPublications(%s) error: %v", tt.on, err)
		}
		if !slices.Equal(ids(got), tt.want) {
			t.Errorf("ListPublications(%s) = %v, want %v", tt.on, ids(got), tt.want)
		}
	}
}

func testPublicationHistory(t *testing.T, s store.Store) {
	h := agreementFor(t, s)
	var want []int64
	for i, from := range []string{"2026-01-01", "2026-04-01", "2026-07-01", "2026-10-01"} {
		to := date.MustParse(from).AddMonths(3).String()
		p, _ := publish(t, s, publication(h, "tin", "mined", from, to, fmt.Sprintf("3365%d.30", i), "tin "+from))
		want = append(want, p.ID)
	}
	tests := []struct {
		from, to string
		want     []int64
	}{
		{"2026-01-01", "2026-12-31", want},
		{"2026-03-31", "2026-04-01", want[:2]},
		{"2026-05-01", "2026-08-01", want[1:3]},
		{"2027-01-01", "2027-12-31", nil},
	}
	for _, tt := range tests {
		got, err := s.PublicationHistory(ctx(t), h, "tin", "mined", date.MustParse(tt.from), date.MustParse(tt.to))
		if err != nil {
			t.Fatalf("PublicationHistory(%s, %s) error: %v", tt.from, tt.to, err)
		}
		if !slices.Equal(ids(got), tt.want) {
			t.Errorf("PublicationHistory(%s, %s) = %v, want %v", tt.from, tt.to, ids(got), tt.want)
		}
	}
	_, err := s.PublicationHistory(ctx(t), h, "tin", "mined", date.MustParse("2026-02-01"), date.MustParse("2026-01-01"))
	wantCode(t, "PublicationHistory(to before from)", err, problem.Invalid, "before")
}

func testPublicationUnknownAgreement(t *testing.T, s store.Store) {
	missing := version("never stored", base).Hash
	_, created, err := s.PutPublication(ctx(t), publication(missing, "copper", "processed", "2026-01-01", "", "1.00", "x"))
	wantCode(t, "PutPublication(unknown agreement)", err, problem.NotFound, missing)
	if created {
		t.Errorf("PutPublication(unknown agreement) created = true")
	}
}

func testInvalidPublication(t *testing.T, s store.Store) {
	h := agreementFor(t, s)
	valid := publication(h, "copper", "processed", "2026-01-01", "2026-04-01", "7733.75", "x")
	tests := []struct {
		name   string
		change func(p *store.Publication)
		want   string
	}{
		{"bad agreement hash", func(p *store.Publication) { p.AgreementHash = "abc" }, "64"},
		{"no mineral", func(p *store.Publication) { p.Mineral = "" }, "mineral"},
		{"no valid-from", func(p *store.Publication) { p.ValidFrom = date.Date{} }, "valid-from"},
		{"valid-to before valid-from", func(p *store.Publication) { p.ValidTo = date.MustParse("2025-01-01") }, "not after"},
		{"bad inputs hash", func(p *store.Publication) { p.InputsHash = "XYZ" }, "inputs hash"},
		{"body not JSON", func(p *store.Publication) { p.Body = []byte("{oops") }, "JSON"},
		{"no time", func(p *store.Publication) { p.PublishedAt = time.Time{} }, "published-at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := valid
			tt.change(&p)
			_, _, err := s.PutPublication(ctx(t), p)
			wantCode(t, "PutPublication("+tt.name+")", err, problem.Invalid, tt.want)
		})
	}
}

// testConcurrentPublish is several nodes publishing at once: the same inputs
// are stored once, and different inputs for one revision form one chain of
// corrections with exactly one current publication.
func testConcurrentPublish(t *testing.T, s store.Store) {
	h := agreementFor(t, s)
	const n = 6
	var wg sync.WaitGroup
	created := make([]bool, n)
	errs := make([]error, n)
	same := publication(h, "nickel", "mined", "2026-01-01", "2026-04-01", "17392.23", "same")
	for i := range n {
		wg.Go(func() { _, created[i], errs[i] = s.PutPublication(ctx(t), same) })
	}
	wg.Wait()
	count := 0
	for i := range n {
		if errs[i] != nil {
			t.Errorf("PutPublication #%d error: %v", i, errs[i])
		}
		if created[i] {
			count++
		}
	}
	if count != 1 {
		t.Errorf("%d concurrent publications of the same inputs created %d, want 1", n, count)
	}
	for i := range n {
		wg.Go(func() {
			_, _, errs[i] = s.PutPublication(ctx(t), publication(h, "tin", "mined", "2026-01-01", "2026-04-01", fmt.Sprintf("3365%d.00", i), fmt.Sprint("inputs ", i)))
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Errorf("PutPublication(tin #%d) error: %v", i, errs[i])
		}
	}
	hist, err := s.PublicationHistory(ctx(t), h, "tin", "mined", date.MustParse("2026-01-01"), date.MustParse("2026-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	current, roots := 0, 0
	for _, p := range hist {
		if p.Current() {
			current++
		}
		if p.Supersedes == 0 {
			roots++
		}
	}
	if len(hist) != n || current != 1 || roots != 1 {
		t.Errorf("%d concurrent corrections: %d publications, %d current, %d first; want %d, 1, 1", n, len(hist), current, roots, n)
	}
}
