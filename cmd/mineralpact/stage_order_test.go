package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/examples"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/service"
	"github.com/mineralpact/mineralpact/internal/store"
)

// invertedExample writes the example with tungsten processed chained at half
// a tonne of mined tungsten per tonne (below the mined band floor and the
// negotiated scrap floor: agreed figures only) and returns its path.
func invertedExample(t *testing.T) string {
	t.Helper()
	old := "          from: mined\n          input_per_output: 1.03\n"
	src := string(examples.Pact2026)
	if strings.Count(src, old) != 1 {
		t.Fatalf("the example no longer has %q once", old)
	}
	path := filepath.Join(t.TempDir(), "inverted.yaml")
	if err := os.WriteFile(path, []byte(strings.Replace(src, old, strings.Replace(old, "1.03", "0.5", 1), 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestStageOrderWarnings: prices compute and prices publish report floors out
// of stage order on stderr, as warnings: standard output and the exit status
// are those of the same run without them; the example has none.
func TestStageOrderWarnings(t *testing.T) {
	const wMined = "warning: stage order: tungsten on 2026-01-01: the processed floor 27500.00 USD/t (valid from 2026-01-01) is below the mined floor 38000.00 USD/t (valid from 2026-01-01) per t of contained tungsten; a floor chain that pays more for tungsten mined than processed rewards exporting it unprocessed\n"
	const wScrap = "warning: stage order: tungsten on 2026-01-01: the processed floor 27500.00 USD/t (valid from 2026-01-01) is below the scrap floor 30000.00 USD/t (valid from 2026-01-01) per t of contained tungsten; scrap is a secondary feed to refining, so a scrap floor above the processed one invites exporting scrap rather than refining it\n"
	inv := invertedExample(t)

	out, errs, code := runCLI(t, "prices", "compute", "--as-of", "2026-01-01", "--agreement", inv, "--format", "csv")
	if code != exitOK || errs != wMined+wScrap {
		t.Errorf("prices compute of the inverted example = exit %d, stderr\n%s\nwant exit 0 and the two tungsten warnings", code, errs)
	}
	if !strings.Contains(out, "tungsten,processed,27500.00,USD/t") {
		t.Errorf("prices compute of the inverted example: no tungsten processed floor in\n%s", out)
	}
	// Filtered to tungsten mined: the mined warning only; to copper: none.
	if _, errs, code := runCLI(t, "prices", "compute", "--as-of", "2026-01-01", "--agreement", inv, "--mineral", "tungsten", "--stage", "mined"); code != exitOK || errs != wMined {
		t.Errorf("prices compute --mineral tungsten --stage mined = exit %d, stderr %q; want the mined warning only", code, errs)
	}
	if _, errs, _ := runCLI(t, "prices", "compute", "--as-of", "2026-01-01", "--agreement", inv, "--mineral", "copper"); errs != "" {
		t.Errorf("prices compute --mineral copper: stderr %q, want none", errs)
	}
	if _, errs, code := runCLI(t, "prices", "compute", "--as-of", "2026-01-01"); code != exitOK || strings.Contains(errs, "stage order") {
		t.Errorf("prices compute of the example = exit %d, stderr %q; want no stage-order warning", code, errs)
	}

	db := "sqlite:" + filepath.Join(t.TempDir(), "p.db")
	if _, errs, code := runCLI(t, "prices", "publish", "--as-of", "2026-01-01", "--agreement", inv, "--db", db, "--format", "json"); code != exitOK || errs != wMined+wScrap {
		t.Errorf("prices publish --as-of of the inverted example = exit %d, stderr\n%s\nwant exit 0 and the two tungsten warnings", code, errs)
	}
	db = "sqlite:" + filepath.Join(t.TempDir(), "q.db")
	_, errs, code = runCLI(t, "prices", "publish", "--through", "2026-01-31", "--agreement", inv, "--db", db, "--format", "json")
	if code != exitOK || !strings.HasPrefix(errs, wMined+wScrap) {
		t.Errorf("prices publish --through of the inverted example = exit %d, stderr\n%s\nwant the two tungsten warnings first", code, errs)
	}
}

// TestServeStageOrder: what serve logs at start, from the store only: the
// published floors out of order, each pair once, on the first date a floor
// of the pair starts.
func TestServeStageOrder(t *testing.T) {
	ctx := context.Background()
	inv := invertedExample(t)
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "s.db")
	if _, errs, code := runCLI(t, "prices", "publish", "--through", "2026-12-31", "--agreement", inv, "--db", dsn, "--format", "json"); code != exitInvalid && code != exitOK {
		t.Fatalf("prices publish --through = exit %d: %s", code, errs)
	}
	env, err := loadEnv(inv)
	if err != nil {
		t.Fatal(err)
	}
	st, err := openStore(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	hash, err := env.agreement.Hash()
	if err != nil {
		t.Fatal(err)
	}
	svc := &service.Services{Floors: store.NewFloorSource(st, hash, 0)}
	got := publishedStageOrder(ctx, svc, env.reg, env.agreement, date.MustParse("2026-12-06"))
	// Tungsten's mined band and processed chain are revised quarterly, its
	// scrap floor half-yearly: each revision is a new pair.
	var msgs []string
	for _, w := range got {
		if w.Mineral != "tungsten" {
			t.Errorf("warning for %s: %s", w.Mineral, w.Message)
		}
		msgs = append(msgs, w.Date.String()+" "+w.Rule)
	}
	want := []string{
		"2026-01-01 downstream_below_upstream", "2026-01-01 scrap_above_refined",
		"2026-04-01 downstream_below_upstream", "2026-04-01 scrap_above_refined",
		"2026-07-01 downstream_below_upstream", "2026-07-01 scrap_above_refined",
		"2026-10-01 downstream_below_upstream", "2026-10-01 scrap_above_refined",
	}
	if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("serve's stage-order warnings:\n%s\nwant\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
}

// TestValidatePricesStageOrder: agreement validate --prices --as-of D warns
// of the floors of D out of stage order, on stderr, without changing the exit
// status; without --prices it reads no price data.
func TestValidatePricesStageOrder(t *testing.T) {
	inv := invertedExample(t)
	out, errs, code := runCLI(t, "agreement", "validate", "--prices", "--as-of", "2026-01-01", "example", inv)
	if code != exitOK {
		t.Fatalf("validate --prices = exit %d, stderr %s", code, errs)
	}
	if !strings.Contains(out, "example: ok: pact-2026 (illustrative)") || !strings.Contains(out, ", floors of 2026-01-01 in stage order\n") ||
		!strings.Contains(out, ", 2 stage-order warning(s) on 2026-01-01\n") {
		t.Errorf("validate --prices stdout:\n%s", out)
	}
	for _, want := range []string{
		inv + ": warning: stage order: tungsten on 2026-01-01: the processed floor 27500.00 USD/t (valid from 2026-01-01) is below the mined floor 38000.00 USD/t",
		inv + ": warning: stage order: tungsten on 2026-01-01: the processed floor 27500.00 USD/t (valid from 2026-01-01) is below the scrap floor 30000.00 USD/t",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("validate --prices stderr has no %q:\n%s", want, errs)
		}
	}
	if strings.Contains(errs, "example: warning") {
		t.Errorf("validate --prices warns about the example:\n%s", errs)
	}
	if out, errs, code := runCLI(t, "agreement", "validate", inv); code != exitOK || errs != "" || strings.Contains(out, "stage order") {
		t.Errorf("validate without --prices = exit %d, stdout %q, stderr %q; want ok and no stage order", code, out, errs)
	}
	for _, args := range [][]string{{"--prices", "example"}, {"--as-of", "2026-01-01", "example"}} {
		if _, _, code := runCLI(t, append([]string{"agreement", "validate"}, args...)...); code != exitUsage {
			t.Errorf("validate %v = exit %d, want %d", args, code, exitUsage)
		}
	}
	if _, errs, code := runCLI(t, "agreement", "validate", "--prices", "--as-of", "2025-06-01", "example"); code != exitInvalid || !strings.Contains(errs, "before its entry into force") {
		t.Errorf("validate --prices before the entry into force = exit %d, %q", code, errs)
	}
}
