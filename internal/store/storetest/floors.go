package storetest

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/store"
)

// floorPublication is p with a body that is the whole floor, as refprice
// publishes it.
func floorPublication(t *testing.T, p store.Publication) store.Publication {
	t.Helper()
	f := refprice.Floor{Mineral: p.Mineral, Stage: p.Stage, ValidFrom: p.ValidFrom, ValidTo: p.ValidTo, CutOff: p.ValidFrom.AddDays(-1), Price: p.Price,
		Currency: p.Currency, Unit: p.Unit, Method: "market_average", InputsHash: p.InputsHash, Agreement: "pact"}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	p.Body = b
	return p
}

// testFloorSource checks the floor source engines read: the publication in
// force, with its id, a correction at once, and a clear error for a date
// with nothing published or a body that disagrees with its record.
func testFloorSource(t *testing.T, s store.Store) {
	h := agreementFor(t, s)
	src := store.NewFloorSource(s, h, -1)           // asks the store every time
	cached := store.NewFloorSource(s, h, time.Hour) // trusts an answer for an hour
	first, _ := publish(t, s, floorPublication(t, publication(h, "copper", "processed", "2026-01-01", "2026-04-01", "7733.75", "first")))
	if f, err := cached.Floor("copper", "processed", date.MustParse("2026-02-10")); err != nil || f.Publication.ID != first.ID {
		t.Fatalf("cached Floor = %v, %v; want publication %d", f, err, first.ID)
	}
	f, err := src.Floor("copper", "processed", date.MustParse("2026-02-10"))
	if err != nil {
		t.Fatalf("Floor error: %v", err)
	}
	if f.Price.String() != "7733.75" || f.Publication == nil || f.Publication.ID != first.ID || f.Publication.Supersedes != 0 {
		t.Errorf("Floor = %s, publication %v; want 7733.75 from publication %d", f.Price, f.Publication, first.ID)
	}
	fix, _ := publish(t, s, floorPublication(t, publication(h, "copper", "processed", "2026-01-01", "2026-04-01", "7741.10", "corrected")))
	f, err = src.Floor("copper", "processed", date.MustParse("2026-02-10"))
	if err != nil {
		t.Fatalf("Floor after a correction: %v", err)
	}
	if f.Price.String() != "7741.10" || f.Publication.ID != fix.ID || f.Publication.Supersedes != first.ID {
		t.Errorf("Floor after a correction = %s, publication %v; want 7741.10 from %d correcting %d", f.Price, f.Publication, fix.ID, first.ID)
	}
	if f, _ := cached.Floor("copper", "processed", date.MustParse("2026-02-10")); f.Publication.ID != first.ID {
		t.Errorf("a source that trusts its answers for an hour saw the correction at once: publication %d, want %d until it refreshes", f.Publication.ID, first.ID)
	}
	if f, _ := cached.Floor("copper", "processed", date.MustParse("2026-02-11")); f.Publication.ID != fix.ID {
		t.Errorf("a date not asked before: publication %d, want the correction %d", f.Publication.ID, fix.ID)
	}
	if got := f.Publication.String(); !strings.Contains(got, "corrects") {
		t.Errorf("Publication.String() = %q, want it to name what it corrects", got)
	}
	list, err := src.Floors(ctx(t), date.MustParse("2026-01-01"))
	if err != nil || len(list) != 1 || list[0].Publication.ID != fix.ID {
		t.Errorf("Floors = %v, %v; want the correction only", list, err)
	}
	hist, err := src.History(ctx(t), "copper", "processed", date.MustParse("2026-01-01"), date.MustParse("2026-12-31"))
	if err != nil || len(hist) != 2 {
		t.Errorf("History = %d floors, %v; want the publication and its correction", len(hist), err)
	}

	_, err = src.Floor("copper", "processed", date.MustParse("2026-04-01"))
	if problem.CodeOf(err) != problem.NotFound || !strings.Contains(err.Error(), "copper/processed") || !strings.Contains(err.Error(), "2026-04-01") {
		t.Errorf("Floor with nothing published = %v, want not found naming copper/processed and 2026-04-01", err)
	}

	bad := floorPublication(t, publication(h, "nickel", "processed", "2026-01-01", "", "15000", "nickel"))
	bad.Price = dec.MustParse("15001") // the record says one price, the body another
	publish(t, s, bad)
	if _, err := src.Floor("nickel", "processed", date.MustParse("2026-01-02")); problem.CodeOf(err) != problem.Internal {
		t.Errorf("Floor of a body that disagrees with its record = %v, want an internal error", err)
	}
}

// testFloorPrecision checks that a publication keeps a floor's exact price and
// the rounding its rule set (docs/prices.md, "Precision"), digit for digit,
// and that the floor source reads them back and accepts the body.
func testFloorPrecision(t *testing.T, s store.Store) {
	h := agreementFor(t, s)
	tests := []struct {
		mineral, price, exact string
		rounding              agreement.Precision
	}{
		{"gallium", "157.03", "157.0305", agreement.DefaultPrecision},
		{"germanium", "157.0305", "157.0305", agreement.Precision{Places: 4, Mode: dec.HalfUp}},
		{"indium", "157.030", "157.03050000", agreement.Precision{Places: 3, Mode: dec.Down}},
	}
	for _, tt := range tests {
		p := publication(h, tt.mineral, "processed", "2026-01-01", "", tt.price, tt.mineral)
		f := refprice.Floor{Mineral: p.Mineral, Stage: p.Stage, ValidFrom: p.ValidFrom, CutOff: p.ValidFrom, Price: p.Price,
			ExactPrice: dec.MustParse(tt.exact), Rounding: &tt.rounding, Currency: p.Currency, Unit: "kg", Method: "negotiated", InputsHash: p.InputsHash, Agreement: "pact"}
		b, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		p.Body = b
		stored, _ := publish(t, s, p)
		back, err := s.GetPublication(ctx(t), stored.ID)
		if err != nil {
			t.Fatalf("GetPublication(%d) error: %v", stored.ID, err)
		}
		samePublication(t, "GetPublication", back, stored)
		got, err := store.NewFloorSource(s, h, -1).Floor(tt.mineral, "processed", date.MustParse("2026-01-01"))
		if err != nil {
			t.Fatalf("Floor(%s/processed) error: %v", tt.mineral, err)
		}
		if got.Price.String() != tt.price || got.ExactPrice.String() != tt.exact || got.Rounding == nil || *got.Rounding != tt.rounding {
			t.Errorf("Floor(%s/processed) = price %s, exact %s, rounding %v; want %s, %s, %v", tt.mineral, got.Price, got.ExactPrice, got.Rounding, tt.price, tt.exact, tt.rounding)
		}
	}
	// A floor published before the rounding was recorded reads back without it.
	old, _ := publish(t, s, floorPublication(t, publication(h, "tin", "processed", "2026-01-01", "", "25115.41", "tin")))
	if bytes.Contains(old.Body, []byte("exact_price")) {
		t.Fatalf("floorPublication wrote exact_price: %s", old.Body)
	}
	got, err := store.NewFloorSource(s, h, -1).Floor("tin", "processed", date.MustParse("2026-01-01"))
	if err != nil || !got.ExactPrice.IsZero() || got.Rounding != nil {
		t.Errorf("Floor of an older body = %v, %v; want no exact price and no rounding", got, err)
	}
}
