package storetest

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/store"
)

var designTests = []struct {
	name string
	run  func(t *testing.T, s store.Store)
}{
	{"design put get", testDesignRoundtrip},
	{"design not found and invalid", testDesignInvalid},
	{"design concurrent put", testDesignConcurrentPut},
	{"design prune", testDesignPrune},
}

// designVersions stores two agreement versions and returns their hashes.
func designVersions(t *testing.T, s store.Store) (old, new string) {
	t.Helper()
	o, n := version("served", base), version("edited", base)
	put(t, s, o)
	put(t, s, n)
	return o.Hash, n.Hash
}

func design(id, old, new string, at time.Time) store.Design {
	return store.Design{ID: id, OldHash: old, NewHash: new, Workload: "2026-01-01..2026-12-31 n=2000 seed=1",
		Body: []byte(`{"id": "` + id + `", "comparison": {"floors": [{"mineral": "lithium", "old": "11380.51", "new": "12001.5"}]}}`), CreatedAt: at}
}

// designID is the i-th test id: 32 hex digits.
func designID(i int) string { return fmt.Sprintf("%032x", 0xd0000+i) }

// testDesignRoundtrip: a design reads back byte for byte with its time
// truncated; putting its id again keeps the first body.
func testDesignRoundtrip(t *testing.T, s store.Store) {
	old, nw := designVersions(t, s)
	d := design(designID(1), old, nw, base)
	created, err := s.PutDesign(ctx(t), d)
	if err != nil || !created {
		t.Fatalf("PutDesign = %v, %v; want created", created, err)
	}
	got, err := s.GetDesign(ctx(t), d.ID)
	if err != nil {
		t.Fatalf("GetDesign error: %v", err)
	}
	if got.ID != d.ID || got.OldHash != old || got.NewHash != nw || got.Workload != d.Workload || !bytes.Equal(got.Body, d.Body) || !got.CreatedAt.Equal(store.Time(base)) || got.CreatedAt.Location() != time.UTC {
		t.Errorf("GetDesign = %+v (body %s), want the design as put, at %v in UTC", got, got.Body, store.Time(base))
	}
	again := d
	again.Body = []byte(`{"id": "other"}`)
	again.CreatedAt = base.Add(time.Hour)
	created, err = s.PutDesign(ctx(t), again)
	if err != nil || created {
		t.Fatalf("PutDesign(same id) = %v, %v; want not created, no error", created, err)
	}
	if got, _ := s.GetDesign(ctx(t), d.ID); !bytes.Equal(got.Body, d.Body) || !got.CreatedAt.Equal(store.Time(base)) {
		t.Errorf("after a second put, GetDesign = %s at %v, want the first body and time", got.Body, got.CreatedAt)
	}
	// The reverse comparison is another design over the same versions.
	rev := design(designID(2), nw, old, base)
	if created, err := s.PutDesign(ctx(t), rev); err != nil || !created {
		t.Errorf("PutDesign(reverse) = %v, %v; want created", created, err)
	}
}

func testDesignInvalid(t *testing.T, s store.Store) {
	_, err := s.GetDesign(ctx(t), designID(9))
	wantCode(t, "GetDesign(unknown)", err, problem.NotFound, designID(9))
	bad := store.Design{ID: "XYZ", OldHash: "abc", NewHash: "", Body: []byte("{"), Workload: "w"}
	_, err = s.PutDesign(ctx(t), bad)
	wantCode(t, "PutDesign(invalid)", err, problem.Invalid, "design id", "agreement hash", "body", "created-at")
	// Both versions must be stored first.
	old, _ := designVersions(t, s)
	missing := version("never stored", base).Hash
	_, err = s.PutDesign(ctx(t), design(designID(3), old, missing, base))
	wantCode(t, "PutDesign(unstored version)", err, problem.Invalid, "not stored")
	if _, err := s.GetDesign(ctx(t), designID(3)); problem.CodeOf(err) != problem.NotFound {
		t.Errorf("after a refused put, GetDesign error = %v, want not found", err)
	}
}

// testDesignConcurrentPut: eight writers save the same id (two API nodes
// answering the same comparison): one creates it, none fails.
func testDesignConcurrentPut(t *testing.T, s store.Store) {
	old, nw := designVersions(t, s)
	var wg sync.WaitGroup
	var mu sync.Mutex
	createdN := 0
	for i := range 8 {
		wg.Go(func() {
			d := design(designID(4), old, nw, base.Add(time.Duration(i)*time.Second))
			created, err := s.PutDesign(ctx(t), d)
			if err != nil {
				t.Errorf("PutDesign #%d error: %v", i, err)
			}
			if created {
				mu.Lock()
				createdN++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if createdN != 1 {
		t.Errorf("%d of 8 concurrent puts created the design, want 1", createdN)
	}
}

// testDesignPrune: the bound on what is kept: by age, then by count (the
// most recent kept, ties by id).
func testDesignPrune(t *testing.T, s store.Store) {
	old, nw := designVersions(t, s)
	for i := range 6 {
		at := base.Add(time.Duration(i) * time.Minute)
		if i == 5 {
			at = base.Add(4 * time.Minute) // a tie with #4: the higher id is newer
		}
		if _, err := s.PutDesign(ctx(t), design(designID(10+i), old, nw, at)); err != nil {
			t.Fatal(err)
		}
	}
	kept := func() []int {
		var out []int
		for i := range 6 {
			if _, err := s.GetDesign(ctx(t), designID(10+i)); err == nil {
				out = append(out, 10+i)
			}
		}
		return out
	}
	if n, err := s.PruneDesigns(ctx(t), 0, time.Time{}); err != nil || n != 0 {
		t.Errorf("PruneDesigns(no bound) = %d, %v; want 0 deleted", n, err)
	}
	n, err := s.PruneDesigns(ctx(t), 0, base.Add(90*time.Second)) // before #12 (2 min)
	if err != nil || n != 2 {
		t.Errorf("PruneDesigns(before 1m30s) = %d, %v; want 2 deleted", n, err)
	}
	if got := kept(); fmt.Sprint(got) != "[12 13 14 15]" {
		t.Errorf("after pruning by age, kept %v, want [12 13 14 15]", got)
	}
	n, err = s.PruneDesigns(ctx(t), 2, time.Time{})
	if err != nil || n != 2 {
		t.Errorf("PruneDesigns(keep 2) = %d, %v; want 2 deleted", n, err)
	}
	if got := kept(); fmt.Sprint(got) != "[14 15]" {
		t.Errorf("after keeping 2, kept %v, want [14 15]", got)
	}
	n, err = s.PruneDesigns(ctx(t), 1, time.Time{})
	if err != nil || n != 1 {
		t.Errorf("PruneDesigns(keep 1) = %d, %v; want 1 deleted", n, err)
	}
	if got := kept(); fmt.Sprint(got) != "[15]" {
		t.Errorf("after keeping 1 of a tie, kept %v, want [15] (the higher id)", got)
	}
	// The versions stay.
	if _, err := s.GetAgreement(ctx(t), old); err != nil {
		t.Errorf("after pruning, GetAgreement(old) error: %v", err)
	}
}
