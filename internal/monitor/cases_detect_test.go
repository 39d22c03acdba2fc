package monitor

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/examples"
	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// The hand-built cases of testdata/<detector>/: fires.csv raises the
// detector's alert, under.csv is just under its threshold. Each folder's
// README.md holds the hand computation the figures below check.

func readFlowsFile(t *testing.T, path string, asOf date.Date) *Flows {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := ReadComtrade(strings.NewReader(string(b)), path, asOf)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func readDeclFile(t *testing.T, path string, asOf date.Date) []Declaration {
	t.Helper()
	r, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ds, err := ReadDeclarations(r, path, asOf)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func exampleAgreement(t *testing.T) *agreement.Agreement {
	t.Helper()
	reg, err := registry.Default()
	if err != nil {
		t.Fatal(err)
	}
	a, _, err := agreement.Load(examples.Pact2026Name, examples.Pact2026, agreement.RegistryCatalog(reg))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// fakeCatalog knows one line (gallium, all content) and Viet Nam's and
// China's gallium production.
type fakeCatalog struct{}

func (fakeCatalog) Line(hs string) (string, string, float64, bool) {
	if strings.HasPrefix(hs, "8112") {
		return "gallium", "processed", 1, true
	}
	return "", "", 0, false
}

func (fakeCatalog) Production(mineral, iso2 string) (float64, string, bool) {
	switch iso2 {
	case "CN":
		return 900, "test: China 900 t", true
	case "VN":
		return 0, "test: Viet Nam none", true
	}
	return 0, "", false
}

func scanCase(t *testing.T, in *Input, opt Options, detector string) []Alert {
	t.Helper()
	opt.Detectors = nil // every detector: the case must not raise another by mistake
	al, err := Scan(context.Background(), in, opt)
	if err != nil {
		t.Fatal(err)
	}
	var out []Alert
	for _, a := range al {
		if a.Detector == detector {
			out = append(out, a)
		}
	}
	return out
}

func figure(a Alert, name string) float64 {
	for _, f := range a.Evidence.Figures {
		if f.Name == name {
			return f.Value
		}
	}
	return math.NaN()
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-3*math.Max(1, math.Abs(b)) }

func TestCaseSurge(t *testing.T) {
	asOf := date.MustParse("2024-06-30")
	m, _ := ParseMeasure("test measure=2020-01-01:811292")
	for _, c := range []struct {
		file  string
		fires bool
		ratio float64
	}{{"fires", true, 3.0792}, {"under", false, 0}} {
		f := readFlowsFile(t, filepath.Join("testdata/surge", c.file+".csv"), asOf)
		al := scanCase(t, &Input{Flows: f, Measures: []MeasureDef{m}}, Options{AsOf: asOf}, Surge)
		if !c.fires {
			if len(al) != 0 {
				t.Errorf("surge/%s: %d alerts, want none: %s", c.file, len(al), al[0].Summary)
			}
			continue
		}
		if len(al) != 1 {
			t.Fatalf("surge/%s: %d alerts, want 1", c.file, len(al))
		}
		a := al[0]
		if a.From.String() != "2020" || a.Importer != "USA" || a.Exporter != "CHN" || !near(figure(a, "ratio"), c.ratio) || a.Measure == nil || a.Measure.Name != "test measure" {
			t.Errorf("surge/%s: %+v", c.file, a)
		}
		// The strong gate (|t| ≥ 5, a factor ≥ 2.5) scores it highest: |t|
		// is far past 5, so the factor decides.
		if !near(a.Score, math.Log(c.ratio)/math.Log(2.5)) {
			t.Errorf("surge/%s: score %v, want log(%v)/log(2.5)", c.file, a.Score, c.ratio)
		}
	}
}

func TestCaseMirrorGap(t *testing.T) {
	asOf := date.MustParse("2024-06-30")
	for _, c := range []struct {
		file  string
		fires bool
		z     float64
	}{{"fires", true, 0.6745 * math.Log(0.75) / 0.05}, {"under", false, 0}} {
		f := readFlowsFile(t, filepath.Join("testdata/mirror_gap", c.file+".csv"), asOf)
		al := scanCase(t, &Input{Flows: f}, Options{AsOf: asOf}, MirrorGap)
		if !c.fires {
			if len(al) != 0 {
				t.Errorf("mirror_gap/%s: %d alerts, want none", c.file, len(al))
			}
			continue
		}
		if len(al) != 1 {
			t.Fatalf("mirror_gap/%s: %d alerts, want 1", c.file, len(al))
		}
		a := al[0]
		if a.From.String() != "2023-01" || a.To.String() != "2023-03" || !near(figure(a, "max modified z"), math.Abs(c.z)) || !near(a.Magnitude, 3*250000) ||
			!near(figure(a, "run z"), math.Sqrt(3)*math.Abs(c.z)) || !near(a.Score, math.Sqrt(3)*math.Abs(c.z)/5.5) {
			t.Errorf("mirror_gap/%s: from %s to %s, z %v (want %v), gap %v", c.file, a.From, a.To, figure(a, "max modified z"), c.z, a.Magnitude)
		}
	}
}

func TestCaseRouting(t *testing.T) {
	asOf := date.MustParse("2024-06-30")
	codes := GenCodes()
	for _, c := range []struct {
		file  string
		fires bool
	}{{"fires", true}, {"under", false}} {
		f := readFlowsFile(t, filepath.Join("testdata/routing", c.file+".csv"), asOf)
		al := scanCase(t, &Input{Flows: f}, Options{AsOf: asOf, Catalog: fakeCatalog{}, Countries: codes}, Routing)
		if !c.fires {
			if len(al) != 0 {
				t.Errorf("routing/%s: %d alerts, want none", c.file, len(al))
			}
			continue
		}
		if len(al) != 1 {
			t.Fatalf("routing/%s: %d alerts, want 1", c.file, len(al))
		}
		a := al[0]
		if a.Importer != "US" || a.Exporter != "CN" || a.Via != "VN" || a.From.String() != "2022-07" ||
			!near(figure(a, "increase of VN's exports to US"), 7.2) || !near(figure(a, "production of VN"), 0) {
			t.Errorf("routing/%s: %+v", c.file, a)
		}
		// The legs' breaks are part of the routing, not surges of their own.
		if s := scanCase(t, &Input{Flows: f}, Options{AsOf: asOf, Catalog: fakeCatalog{}, Countries: codes}, Surge); len(s) != 0 {
			t.Errorf("routing/%s: %d surges besides the routing: %s", c.file, len(s), s[0].Summary)
		}
	}
}

func TestCaseCodeShift(t *testing.T) {
	asOf := date.MustParse("2024-06-30")
	for _, c := range []struct {
		file  string
		fires bool
	}{{"fires", true}, {"under", false}} {
		f := readFlowsFile(t, filepath.Join("testdata/code_shift", c.file+".csv"), asOf)
		al := scanCase(t, &Input{Flows: f}, Options{AsOf: asOf}, CodeShift)
		if !c.fires {
			if len(al) != 0 {
				t.Errorf("code_shift/%s: %d alerts, want none", c.file, len(al))
			}
			continue
		}
		if len(al) != 1 {
			t.Fatalf("code_shift/%s: %d alerts, want 1", c.file, len(al))
		}
		a := al[0]
		if a.HS != "811292" || a.ToHS != "811299" || a.From.String() != "2022-07" || !near(figure(a, "share of the fall taken up"), 0.8) {
			t.Errorf("code_shift/%s: %+v", c.file, a)
		}
	}
}

func TestCaseBelowFloor(t *testing.T) {
	asOf := date.MustParse("2026-06-30")
	for _, c := range []struct {
		file  string
		fires bool
	}{{"fires", true}, {"under", false}} {
		ds := readDeclFile(t, filepath.Join("testdata/below_floor", c.file+".csv"), asOf)
		al := scanCase(t, &Input{Declarations: ds}, Options{AsOf: asOf}, BelowFloor)
		if !c.fires {
			if len(al) != 0 {
				t.Errorf("below_floor/%s: %d alerts, want none", c.file, len(al))
			}
			continue
		}
		if len(al) != 1 {
			t.Fatalf("below_floor/%s: %d alerts, want 1", c.file, len(al))
		}
		a := al[0]
		if a.Exporter != "CN-EXP-1" || figure(a, "below the floor") != 3 || !near(a.Magnitude, 12000) || !near(figure(a, "share below"), 0.75) || !near(a.Score, 1.5) {
			t.Errorf("below_floor/%s: %+v", c.file, a)
		}
	}
}

func TestCaseUndertakingBreach(t *testing.T) {
	asOf := date.MustParse("2026-06-30")
	ag := exampleAgreement(t)
	for _, c := range []struct {
		file  string
		fires bool
	}{{"fires", true}, {"under", false}} {
		ds := readDeclFile(t, filepath.Join("testdata/undertaking_breach", c.file+".csv"), asOf)
		al := scanCase(t, &Input{Declarations: ds}, Options{AsOf: asOf, Agreement: ag}, UndertakingBreach)
		if !c.fires {
			if len(al) != 0 {
				t.Errorf("undertaking_breach/%s: %d alerts, want none", c.file, len(al))
			}
			continue
		}
		if len(al) != 1 {
			t.Fatalf("undertaking_breach/%s: %d alerts, want 1", c.file, len(al))
		}
		a := al[0]
		if a.Exporter != "CL-EXP-0417" || a.Basis != "Art. 8.5" || !near(a.Score, 1) || !near(figure(a, "value below"), 1140000) ||
			!near(figure(a, "variable duty on withdrawal"), 4406070) || !strings.Contains(a.Summary, "us-vd-li-processed") {
			t.Errorf("undertaking_breach/%s: %+v", c.file, a)
		}
	}
}

func TestBadInput(t *testing.T) {
	asOf := date.MustParse("2024-12-31")
	cb, _ := os.ReadFile("testdata/bad/baci-codes.csv")
	codes, err := ReadBACICountryCodes(strings.NewReader(string(cb)), "baci-codes.csv")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		file, want string
	}{
		{"comtrade-missing-column.csv", "comtrade-missing-column.csv: row 1, column primaryValue: missing column primaryValue"},
		{"comtrade-future.csv", "comtrade-future.csv: row 3, column period: period 2027-01 is after the as-of date 2024-12-31"},
		{"comtrade-negative.csv", "comtrade-negative.csv: row 3, column primaryValue: primaryValue: negative value -5"},
		{"comtrade-bad-hs.csv", `comtrade-bad-hs.csv: row 2, column cmdCode: HS code "8112": want 6 to 10 digits`},
		{"baci-unknown-code.csv", "baci-unknown-code.csv: row 3, column j: unknown country code 999 (not in the country-code file)"},
		{"baci-negative.csv", "baci-negative.csv: row 2, column v: value: negative value -1.500"},
	} {
		b, _ := os.ReadFile(filepath.Join("testdata/bad", c.file))
		var err error
		if strings.HasPrefix(c.file, "baci") {
			_, err = ReadBACI(strings.NewReader(string(b)), c.file, codes, asOf)
		} else {
			_, err = ReadComtrade(strings.NewReader(string(b)), c.file, asOf)
		}
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: got %v\nwant %s", c.file, err, c.want)
		}
	}
}
