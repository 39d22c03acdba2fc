package service

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mineralpact/mineralpact/examples"
	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/mineralpact/mineralpact/internal/exampletest"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/registry"
	"github.com/mineralpact/mineralpact/internal/store"
	"github.com/mineralpact/mineralpact/internal/store/sqlite"
)

// started is the services over the example agreement and a fresh SQLite
// store, as serve starts them on 2026-12-06.
func started(t *testing.T) (*Services, *sqlite.Store, *refprice.Engine) {
	t.Helper()
	reg, a := exampletest.Load(t)
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "svc.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	live := refprice.New(a, exampletest.Sources(reg))
	svc, unpublished, err := Start(ctx, config(reg, st, a, live))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(svc.Close)
	// The monthly averages stop with the shipped Pink Sheet (2025-12): their
	// later revisions cannot be computed, and stay unpublished.
	if len(unpublished) == 0 {
		t.Errorf("Start: every revision through 2026-12-06 published; want the market averages past the Pink Sheet unpublished")
	}
	return svc, st, live
}

func config(reg *registry.Registry, st store.Store, a *agreement.Agreement, live *refprice.Engine) Config {
	return Config{Registry: reg, Store: st, Agreement: a, AgreementFile: examples.Pact2026Name, Prices: live,
		Today: date.MustParse("2026-12-06"), Now: time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC), Actor: "serve",
		FloorRefresh: floorRefresh}
}

// floorRefresh is how long the tests' nodes trust a floor they read: short,
// so that a correction's arrival on a running node is tested in a test's time.
const floorRefresh = 50 * time.Millisecond

// TestStartPublishes checks that start publishes the schedule once, as an
// audited action, and that the published floors are the live ones of that day.
func TestStartPublishes(t *testing.T) {
	svc, st, live := started(t)
	ctx := context.Background()
	hash, _ := svc.Agreement.Hash()
	jan, err := svc.Floors.Floors(ctx, date.MustParse("2026-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := live.Compute(date.MustParse("2026-01-01"))
	if len(jan) != len(want) || len(jan) != 35 {
		t.Fatalf("published floors on 2026-01-01: %d, live %d; want 35 of each", len(jan), len(want))
	}
	for _, f := range jan {
		if f.Publication == nil || f.Publication.ID == 0 || f.Publication.InProcess {
			t.Errorf("%s/%s: publication %v, want a stored one", f.Mineral, f.Stage, f.Publication)
		}
		w, err := live.Floor(f.Mineral, f.Stage, f.ValidFrom)
		if err != nil || w.Price.Cmp(f.Price) != 0 || w.InputsHash != f.InputsHash {
			t.Errorf("%s/%s: published %s (%s), live %v (%v)", f.Mineral, f.Stage, f.Price, f.InputsHash, w, err)
		}
	}
	audit, err := st.ListAudit(ctx, "agreement:"+hash, 0)
	if err != nil {
		t.Fatal(err)
	}
	var publishes int
	for _, r := range audit {
		if r.Action == "prices.publish" {
			publishes++
			var d map[string]any
			json.Unmarshal(r.Detail, &d)
			if d["schedule_through"] != "2026-12-06" || d[Published].(float64) < 35 {
				t.Errorf("audit detail = %s, want the schedule through 2026-12-06 and at least 35 created", r.Detail)
			}
		}
	}
	if publishes != 1 {
		t.Errorf("%d prices.publish audit records, want 1", publishes)
	}

	// A second start publishes nothing new and audits no publication.
	again, _, err := Start(ctx, config(svc.Registry, st, svc.Agreement, live))
	if err != nil {
		t.Fatal(err)
	}
	again.Close()
	audit2, _ := st.ListAudit(ctx, "agreement:"+hash, 0)
	for _, r := range audit2[:len(audit2)-len(audit)] {
		if r.Action == "prices.publish" {
			t.Errorf("second start audited a publication: %s", r.Detail)
		}
	}
}

// TestPublishedFloorWins changes the data a floor is computed from after it
// was published: the assessment applies the published figure and names its
// publication, and after a correction the correction, naming what it corrects.
func TestPublishedFloorWins(t *testing.T) {
	svc, st, live := started(t)
	ctx := context.Background()
	hash, _ := svc.Agreement.Hash()
	on := date.MustParse("2026-03-16")
	published, err := svc.Floors.Floor("lithium", "processed", on)
	if err != nil {
		t.Fatal(err)
	}

	// The data change: the same agreement over cost curves 40% dearer.
	src := exampletest.Sources(svc.Registry)
	curves := src.Curves
	src.Curves = func(name, mineral, stage string) (*refprice.CostCurve, error) {
		c, err := curves(name, mineral, stage)
		if err != nil {
			return nil, err
		}
		for i := range c.Producers {
			c.Producers[i].Cost = c.Producers[i].Cost.Mul(dec.MustParse("1.4"))
		}
		return c, nil
	}
	changed := refprice.New(svc.Agreement, src)
	recomputed, err := changed.Floor("lithium", "processed", on)
	if err != nil {
		t.Fatal(err)
	}
	if recomputed.Price.Cmp(published.Price) == 0 {
		t.Fatalf("the changed data give the same lithium/processed floor %s: the test changes nothing", published.Price)
	}

	decl := declaration(t, "PW-1", on.String())
	floorStep := func(as *duty.Assessment) (string, map[string]string) {
		t.Helper()
		r := as.Result(true)
		for _, s := range r.Trace {
			if s.Step == "floor" {
				return r.Floor, s.Inputs
			}
		}
		t.Fatalf("no floor step in the trace of %s", r.ID)
		return "", nil
	}
	as, err := svc.Assessor.Assess(ctx, decl)
	if err != nil {
		t.Fatal(err)
	}
	floor, in := floorStep(as)
	if dec.MustParse(floor).Cmp(published.Price) != 0 {
		t.Errorf("assessed against %s, want the published %s (the changed data give %s)", floor, published.Price, recomputed.Price)
	}
	if want := published.Publication.String(); in["publication"] != want {
		t.Errorf("trace publication = %q, want %q", in["publication"], want)
	}

	// The secretariat publishes a correction from the changed data.
	res, err := Publish(ctx, st, hash, []*refprice.Floor{recomputed}, time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC), "prices publish", nil)
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Outcome != Corrected || res[0].Publication.Supersedes != published.Publication.ID {
		t.Fatalf("publishing the changed floor: %s superseding %d, want corrected superseding %d", res[0].Outcome, res[0].Publication.Supersedes, published.Publication.ID)
	}
	// The running node applies the correction once its answer is older than
	// its refresh interval; a fresh node at once.
	time.Sleep(2 * floorRefresh)
	svc2, _, err := Start(ctx, config(svc.Registry, st, svc.Agreement, live))
	if err != nil {
		t.Fatal(err)
	}
	defer svc2.Close()
	decl = declaration(t, "PW-2", on.String())
	for _, a := range []*duty.Assessor{svc.Assessor, svc2.Assessor} {
		as, err := a.Assess(ctx, decl)
		if err != nil {
			t.Fatal(err)
		}
		floor, in := floorStep(as)
		if dec.MustParse(floor).Cmp(recomputed.Price) != 0 {
			t.Errorf("after the correction: assessed against %s, want the correction's %s", floor, recomputed.Price)
		}
		if want := res[0].Publication.ID; !strings.HasPrefix(in["publication"], strconv.FormatInt(want, 10)+" (corrects ") {
			t.Errorf("after the correction: trace publication = %q, want %d (corrects %d)", in["publication"], want, published.Publication.ID)
		}
	}
}

// TestUnpublishedFloor checks that a date with no publication is an error
// naming the mineral, stage and date, and that an assessment needing it is
// refused rather than computed live.
func TestUnpublishedFloor(t *testing.T) {
	svc, _, _ := started(t)
	_, err := svc.Floors.Floor("lithium", "processed", date.MustParse("2027-03-01"))
	if err == nil || !strings.Contains(err.Error(), "lithium/processed") || !strings.Contains(err.Error(), "2027-03-01") {
		t.Fatalf("Floor on an unpublished date = %v, want an error naming lithium/processed and 2027-03-01", err)
	}
	decl := declaration(t, "UP-1", "2027-03-01")
	if _, err := svc.Assessor.Assess(context.Background(), decl); err == nil || !strings.Contains(err.Error(), "published") {
		t.Errorf("Assess on an unpublished date = %v, want the floor refused as not published", err)
	}
}

// declaration is 25 t of lithium carbonate from Chile into the US at 7,200
// USD/t, accepted on on.
func declaration(t *testing.T, id, on string) duty.Declaration {
	t.Helper()
	d, err := duty.ReadDeclaration(map[string]string{"id": id, "accepted_on": on, "importer": "US", "origin": "CL", "hs_code": "283691",
		"quantity": "25", "unit": "t", "customs_value": "180000", "currency": "USD", "incoterm": "FOB"})
	if err != nil {
		t.Fatal(err)
	}
	return d
}
