package examples_test

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/examples"
	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/exampletest"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// load loads the embedded example against the shipped registry; any problem
// fails the test with every message.
func load(t *testing.T) (*agreement.Agreement, *registry.Registry) {
	t.Helper()
	reg, a := exampletest.Load(t)
	return a, reg
}

func TestPact2026Loads(t *testing.T) {
	a, _ := load(t)
	if a.ID != "pact-2026" || a.Version != 1 || a.Currency != "USD" {
		t.Errorf("id, version, currency = %q, %d, %q; want pact-2026, 1, USD", a.ID, a.Version, a.Currency)
	}
	if !a.Illustrative {
		t.Error("illustrative = false, want true: the example is not a negotiated text")
	}
	for _, want := range []string{"mineralpact", "not a negotiated or official text", "HTS"} {
		if !strings.Contains(a.Notice, want) {
			t.Errorf("notice does not mention %q: %q", want, a.Notice)
		}
	}
	if !strings.HasPrefix(string(examples.Pact2026), "# ILLUSTRATION") {
		t.Error("the file does not open with the ILLUSTRATION comment")
	}
	if a.EntryIntoForce != date.MustParse("2026-01-01") || a.SignedOn != date.MustParse("2025-12-15") {
		t.Errorf("signed_on, entry_into_force = %s, %s; want 2025-12-15, 2026-01-01", a.SignedOn, a.EntryIntoForce)
	}
	if n := len(a.Minerals); n < 15 {
		t.Errorf("%d minerals in scope, want at least 15", n)
	}
	if n := len(a.Articles); n < 15 || n > 30 {
		t.Errorf("%d articles, want 15 to 30", n)
	}
	if len(a.MineralGroups) < 2 {
		t.Errorf("%d mineral groups, want at least 2", len(a.MineralGroups))
	}
	if n := len(a.Stockpiles); n < 2 || n > 4 {
		t.Errorf("%d stockpiles, want 2 to 4", n)
	}
}

// TestPact2026Coverage checks that the example uses every instrument type,
// every rate kind and every price method, so that it shows the whole format.
func TestPact2026Coverage(t *testing.T) {
	a, _ := load(t)
	types, kinds, methods := map[agreement.InstrumentType]bool{}, map[agreement.RateKind]bool{}, map[agreement.PriceMethod]bool{}
	for _, p := range a.Parties {
		for _, in := range p.Instruments {
			types[in.Type] = true
			for _, r := range []*agreement.Rate{in.Rate, in.Cap} {
				if r != nil {
					kinds[r.Kind] = true
				}
			}
		}
	}
	for _, m := range a.Minerals {
		for _, s := range m.Stages {
			methods[s.Price.Method] = true
		}
	}
	for _, want := range agreement.InstrumentTypes {
		if !types[want] {
			t.Errorf("no instrument of type %s", want)
		}
	}
	for _, want := range agreement.RateKinds {
		if !kinds[want] {
			t.Errorf("no rate of kind %s", want)
		}
	}
	for _, want := range agreement.PriceMethods {
		if !methods[want] {
			t.Errorf("no price rule with method %s", want)
		}
	}
	if len(a.Amendments) < 1 {
		t.Error("no amendment")
	}
}

// TestPact2026AsOf asks for the agreement in force on the entry into force and
// on the effective date of each amendment.
func TestPact2026AsOf(t *testing.T) {
	a, _ := load(t)
	in, err := a.AsOf(date.MustParse("2026-01-01"))
	if err != nil {
		t.Fatalf("AsOf(2026-01-01) = %v", err)
	}
	if len(in.Applied) != 0 {
		t.Errorf("AsOf(2026-01-01) applied %v, want no amendment", in.Applied)
	}
	if _, ok := in.Agreement.Party("US"); !ok {
		t.Error("the US is not a party on 2026-01-01")
	}
	if len(in.Agreement.Minerals) < 15 {
		t.Errorf("%d minerals in force on 2026-01-01, want at least 15", len(in.Agreement.Minerals))
	}
	for i, am := range a.Amendments {
		in, err := a.AsOf(am.Effective)
		if err != nil {
			t.Errorf("AsOf(%s) (amendment %s) = %v", am.Effective, am.ID, err)
			continue
		}
		if len(in.Applied) != i+1 || in.Applied[i] != am.ID {
			t.Errorf("AsOf(%s) applied %v, want the first %d amendments ending with %s", am.Effective, in.Applied, i+1, am.ID)
		}
		// Every change of the amendment shows in the difference between the
		// text the day before it takes effect and the text on that day.
		before, _, err := a.Amended(am.Effective.AddDays(-1))
		if err != nil {
			t.Fatalf("Amended(%s) = %v", am.Effective.AddDays(-1), err)
		}
		after, _, err := a.Amended(am.Effective)
		if err != nil {
			t.Fatalf("Amended(%s) = %v", am.Effective, err)
		}
		diffs, err := agreement.Diff(before, after)
		if err != nil {
			t.Fatalf("Diff = %v", err)
		}
		for _, c := range am.Changes {
			found := false
			for _, d := range diffs {
				found = found || strings.HasPrefix(d.Path, c.Path) || strings.HasPrefix(c.Path, d.Path)
			}
			if !found {
				t.Errorf("amendment %s: change %s %s makes no difference (differences: %v)", am.ID, c.Op, c.Path, diffs)
			}
		}
	}
}

// TestPact2026USMFNRates checks every US mfn line against the USITC HTS 2025
// general rate of its 8-digit code, and that no line is charged twice.
func TestPact2026USMFNRates(t *testing.T) {
	a, reg := load(t)
	us, ok := a.Party("US")
	if !ok {
		t.Fatal("no party US")
	}
	seen := map[string]string{}
	n := 0
	for _, in := range us.Instruments {
		if in.Type != agreement.MFN {
			continue
		}
		n++
		if len(in.HS) != 1 || len(in.HS[0]) != 8 {
			t.Errorf("%s: hs = %v, want one 8-digit HTS code", in.ID, in.HS)
			continue
		}
		code := in.HS[0]
		if other, dup := seen[code]; dup {
			t.Errorf("%s: HTS %s is already the line of %s (its duty would be charged twice)", in.ID, code, other)
		}
		seen[code] = in.ID
		l, err := reg.HTS(code)
		if err != nil {
			t.Errorf("%s: HTS(%s) = %v", in.ID, code, err)
			continue
		}
		if !l.MFNRateSet {
			t.Errorf("%s: HTS %s has no numeric general rate (%q)", in.ID, code, l.MFNText)
			continue
		}
		r := in.Rate
		if r.Text != l.MFNText {
			t.Errorf("%s: rate.text = %q, HTS %s says %q", in.ID, r.Text, code, l.MFNText)
		}
		av, sp := dec.Zero, dec.Zero
		switch r.Kind {
		case "ad_valorem":
			av = r.AdValorem
		case "specific":
			sp = r.Specific.Amount
		case "compound":
			av, sp = r.AdValorem, r.Specific.Amount
		default:
			t.Errorf("%s: rate kind %s has no HTS 2025 counterpart among these lines", in.ID, r.Kind)
			continue
		}
		if av.Cmp(l.MFNAdValorem) != 0 {
			t.Errorf("%s: ad valorem %s, HTS %s has %s", in.ID, av, code, l.MFNAdValorem)
		}
		if sp.Cmp(l.MFNSpecific) != 0 {
			t.Errorf("%s: specific %s, HTS %s has %s", in.ID, sp, code, l.MFNSpecific)
		}
		if !l.MFNOther.IsZero() {
			t.Errorf("%s: HTS %s has a second specific part %s the rate does not carry", in.ID, code, l.MFNOther)
		}
		if s := r.Specific; s != nil && (s.Currency != "USD" || s.Per != "kg") {
			t.Errorf("%s: specific part in %s per %s, want USD per kg as the HTS writes it", in.ID, s.Currency, s.Per)
		}
		if r.Minimum != nil || r.Maximum != nil || r.Combine != "" {
			t.Errorf("%s: the HTS general rate has no minimum, maximum or combine", in.ID)
		}
	}
	if n < 10 {
		t.Errorf("%d US mfn lines, want at least 10", n)
	}
}

// TestPact2026InstrumentLines checks that every tariff line an instrument names
// falls under an HS code of its mineral and stage in the Schedule of Minerals,
// so that the file is coherent beyond what validation requires.
func TestPact2026InstrumentLines(t *testing.T) {
	a, _ := load(t)
	for _, p := range a.Parties {
		for _, in := range p.Instruments {
			if len(in.HS) == 0 || (in.Mineral == "" && in.Type.LineBased()) {
				// A measure of the party's own law on its tariff lines,
				// whatever the mineral: TestPact2026USPreferences checks
				// the US ones against the HTS.
				continue
			}
			m, ok := a.Mineral(in.Mineral)
			if !ok {
				t.Errorf("%s/%s: mineral %s not in scope", p.ID, in.ID, in.Mineral)
				continue
			}
			var stageHS []string
			for _, s := range m.Stages {
				if in.Stage == "" || s.Stage == in.Stage {
					stageHS = append(stageHS, s.HS...)
				}
			}
			for _, code := range in.HS {
				covered := false
				for _, h := range stageHS {
					if strings.HasPrefix(code, h) || strings.HasPrefix(h, code) {
						covered = true
					}
				}
				if !covered {
					t.Errorf("%s/%s: hs %s is not under any code of %s at stage %s (%v)", p.ID, in.ID, code, in.Mineral, in.Stage, stageHS)
				}
			}
		}
	}
}

// TestPact2026StageOrder checks that the example's floors are in stage order
// (docs/prices.md, "Stage order") on every publication date of 2026: the
// first of each month (the monthly floors are revised then) and every
// revision date of any floor. Per unit of contained mineral, mined ≤
// processed ≤ derivative and scrap ≤ processed. A floor that cannot be
// computed on a date (past the end of the shipped Pink Sheet) is not checked
// there.
func TestPact2026StageOrder(t *testing.T) {
	a, reg := load(t)
	eng := refprice.New(a, exampletest.Sources(reg))
	from, to := date.MustParse("2026-01-01"), date.MustParse("2026-12-31")
	dates := map[date.Date]bool{}
	for d := from; !d.After(to); d = d.AddMonths(1) {
		dates[d] = true
	}
	for _, m := range a.Minerals {
		for _, s := range m.Stages {
			hist, _ := eng.History(m.ID, string(s.Stage), from, to) // stops at the first revision it cannot compute
			for _, f := range hist {
				if !f.ValidFrom.Before(from) {
					dates[f.ValidFrom] = true
				}
			}
		}
	}
	checked := 0
	for _, d := range slices.SortedFunc(maps.Keys(dates), func(x, y date.Date) int { return x.Compare(y) }) {
		floors, _ := eng.Compute(d) // the floors that can be computed; the others are not checked
		if len(floors) == 0 {
			t.Errorf("%s: no floor computed", d)
		}
		checked += len(floors)
		for _, w := range eng.StageOrder(d, refprice.FloorRefs(floors)) {
			t.Errorf("%s", w.Message)
		}
	}
	if checked < 100 {
		t.Errorf("%d floors checked over %d dates, want at least 100", checked, len(dates))
	}
}

// TestStageOrderInverted inverts floors of the example and checks the
// warnings name the minerals, stages, date and figures: tungsten processed
// chained at half a tonne of mined tungsten per tonne (below the mined band
// floor and the negotiated scrap floor), copper scrap at the whole 12-month
// Pink Sheet average (above refined copper at 0.85 of 36 months). Both use
// only the agreement's own figures and the Pink Sheet, no cost curve.
func TestStageOrderInverted(t *testing.T) {
	reg, err := registry.Default()
	if err != nil {
		t.Fatal(err)
	}
	src := string(examples.Pact2026)
	for _, c := range [][2]string{
		{"          from: mined\n          input_per_output: 1.03\n", "          from: mined\n          input_per_output: 0.5\n"},
		{"          series: pinksheet:COPPER\n          months: 12\n          factor: 0.75\n", "          series: pinksheet:COPPER\n          months: 12\n          factor: 1.00\n"},
	} {
		if strings.Count(src, c[0]) != 1 {
			t.Fatalf("the example no longer has %q once", c[0])
		}
		src = strings.Replace(src, c[0], c[1], 1)
	}
	a, _, err := agreement.Load("inverted.yaml", []byte(src), agreement.RegistryCatalog(reg))
	if err != nil {
		t.Fatal(err)
	}
	eng := refprice.New(a, exampletest.Sources(reg))
	d := date.MustParse("2026-01-01")
	floors, _ := eng.Compute(d)
	got := eng.StageOrder(d, refprice.FloorRefs(floors))
	want := []string{
		"stage order: tungsten on 2026-01-01: the processed floor 27500.00 USD/t (valid from 2026-01-01) is below the mined floor 38000.00 USD/t (valid from 2026-01-01) per t of contained tungsten; a floor chain that pays more for tungsten mined than processed rewards exporting it unprocessed",
		"stage order: tungsten on 2026-01-01: the processed floor 27500.00 USD/t (valid from 2026-01-01) is below the scrap floor 30000.00 USD/t (valid from 2026-01-01) per t of contained tungsten; scrap is a secondary feed to refining, so a scrap floor above the processed one invites exporting scrap rather than refining it",
		"stage order: copper on 2026-01-01: the processed floor 7733.75 USD/t (valid from 2026-01-01) is below the scrap floor 9708.23 USD/t (valid from 2026-01-01) per t of contained copper; scrap is a secondary feed to refining, so a scrap floor above the processed one invites exporting scrap rather than refining it",
	}
	if len(got) != len(want) {
		t.Fatalf("%d warnings, want %d: %v", len(got), len(want), got)
	}
	for i, w := range got {
		if w.Message != want[i] {
			t.Errorf("warning %d =\n%s\nwant\n%s", i, w.Message, want[i])
		}
	}
	if w := got[0]; w.Mineral != "tungsten" || w.Rule != refprice.OrderDownstream || w.Upstream.Stage != "mined" || w.Downstream.Stage != "processed" || w.Date != d ||
		w.Upstream.Price.String() != "38000.00" || w.Downstream.Compared.String() != "27500.00" || w.Unit != "t" {
		t.Errorf("tungsten warning = %+v", w)
	}
	if w := got[2]; w.Mineral != "copper" || w.Rule != refprice.OrderScrap || w.Upstream.Stage != "scrap" || w.Downstream.Stage != "processed" {
		t.Errorf("copper warning = %+v", w)
	}
}

// TestPact2026USPreferences checks every US preference against the HTS 2025
// special column of its lines: the programme it is claimed under is listed
// there, at Free.
func TestPact2026USPreferences(t *testing.T) {
	a, reg := load(t)
	us, _ := a.Party("US")
	n := 0
	for _, in := range us.Instruments {
		if in.Type != agreement.Preference {
			continue
		}
		for _, code := range in.HS {
			l, err := reg.HTS(code)
			if err != nil {
				t.Errorf("%s: %v", in.ID, err)
				continue
			}
			progs := strings.FieldsFunc(strings.TrimSuffix(strings.TrimPrefix(l.SpecialText, "Free ("), ")"), func(r rune) bool { return r == ',' || r == ' ' })
			if !strings.HasPrefix(l.SpecialText, "Free (") || !slices.Contains(progs, in.Scheme) || in.Duty != "Free" {
				t.Errorf("%s: scheme %s at %q on %s, whose special column is %q", in.ID, in.Scheme, in.Duty, code, l.SpecialText)
			}
			n++
		}
	}
	if n < 4 {
		t.Errorf("%d US preference lines checked, want at least 4", n)
	}
}
