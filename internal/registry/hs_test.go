package registry

import (
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
)

func TestClassify(t *testing.T) {
	r := testRegistry(t)
	tests := []struct {
		code     string
		wantCode string // the map line matched
		mineral  string
		stage    Stage
		content  string
	}{
		{"2836910000", "283691", "lithium", Processed, "0.1879"},
		{"2836.91.00.00", "283691", "lithium", Processed, "0.1879"},
		{"283691", "283691", "lithium", Processed, "0.1879"},
		{"2836 91", "283691", "lithium", Processed, "0.1879"},
		{"2846902000", "28469020", RareEarths, Processed, "0.85"}, // the 8-digit line wins
		{"28469040", "28469040", "yttrium", Processed, "0.4095"},
	}
	for _, tt := range tests {
		got, err := r.Classify(tt.code)
		if err != nil || len(got) != 1 {
			t.Errorf("Classify(%q) = %+v, %v, want one line", tt.code, got, err)
			continue
		}
		l := got[0]
		if l.Code != tt.wantCode || l.Mineral != tt.mineral || l.Stage != tt.stage || l.Content.Cmp(dec.MustParse(tt.content)) != 0 {
			t.Errorf("Classify(%q) = %s %s %s %s, want %s %s %s %s", tt.code, l.Code, l.Mineral, l.Stage, l.Content, tt.wantCode, tt.mineral, tt.stage, tt.content)
		}
	}
}

func TestClassifySeveralMinerals(t *testing.T) {
	r := testRegistry(t)
	// 2846.90.90 has no 8-digit line, so it falls back to the 6-digit lines
	// of 284690: one per mineral.
	got, err := r.Classify("2846909000")
	if err != nil {
		t.Fatalf("Classify(%q) error = %v", "2846909000", err)
	}
	minerals := map[string]bool{}
	for _, l := range got {
		if l.Code != "284690" {
			t.Errorf("Classify(%q) matched %s, want 284690", "2846909000", l.Code)
		}
		minerals[l.Mineral] = true
	}
	for _, m := range []string{RareEarths, "scandium", "yttrium"} {
		if !minerals[m] {
			t.Errorf("Classify(%q) lacks %s: %+v", "2846909000", m, got)
		}
	}
}

func TestClassifyErrors(t *testing.T) {
	r := testRegistry(t)
	tests := []struct {
		code     string
		kind     problem.Code
		contains string
	}{
		{"28369", problem.Invalid, `HS code must have 6 to 10 digits, got 5: "28369"`},
		{"28369100001", problem.Invalid, "got 11"},
		{"2836ab", problem.Invalid, "must be digits"},
		{"2836990000", problem.NotFound, "283691"}, // near codes under heading 2836
		{"0101210000", problem.NotFound, `HS code "0101210000" is not in the mineral map`},
	}
	for _, tt := range tests {
		_, err := r.Classify(tt.code)
		if problem.CodeOf(err) != tt.kind || err == nil || !strings.Contains(err.Error(), tt.contains) {
			t.Errorf("Classify(%q) error = %v, want %s containing %q", tt.code, err, tt.kind, tt.contains)
		}
	}
}

func TestHS(t *testing.T) {
	r := testRegistry(t)
	got, err := r.HS("850511")
	if err != nil || len(got) < 5 {
		t.Fatalf("HS(%q) = %d lines, %v, want the magnet's minerals", "850511", len(got), err)
	}
	for _, l := range got {
		if l.Code != "850511" || l.Stage != Derivative {
			t.Errorf("HS(%q) line %+v, want code 850511 at stage derivative", "850511", l)
		}
	}
	if _, err := r.HS("2836910000"); problem.CodeOf(err) != problem.NotFound {
		t.Errorf("HS(%q) error = %v, want not_found (HS matches exactly)", "2836910000", err)
	}
}

func TestHSDescription(t *testing.T) {
	r := testRegistry(t)
	tests := []struct {
		code     string
		ok       bool
		contains string
	}{
		{"28", true, "Inorganic chemicals"},
		{"2836", true, "Carbonates"},
		{"283691", true, "lithium carbonate"},
		{"8549", true, ""}, // HS 2022 only
		{"810510", false, ""},
		{"999999", false, ""}, // a UN Comtrade aggregate, not an HS code
		{"28369", false, ""},
	}
	for _, tt := range tests {
		got, ok := r.HSDescription(tt.code)
		if ok != tt.ok || !strings.Contains(strings.ToLower(got), strings.ToLower(tt.contains)) {
			t.Errorf("HSDescription(%q) = %q, %v, want %v containing %q", tt.code, got, ok, tt.ok, tt.contains)
		}
	}
}

func TestHSCodesFor(t *testing.T) {
	r := testRegistry(t)
	tests := []struct {
		mineral  string
		stage    Stage
		wantCode string
		wantMin  string
	}{
		{"lithium", Processed, "283691", "lithium"},
		{"neodymium", Derivative, "850511", "neodymium"},
		{"neodymium", Processed, "280530", RareEarths}, // through its group
		{"platinum", "", "711011", "platinum"},
	}
	for _, tt := range tests {
		got := r.HSCodesFor(tt.mineral, tt.stage)
		found := false
		for _, l := range got {
			if tt.stage != "" && l.Stage != tt.stage {
				t.Errorf("HSCodesFor(%q, %q) has a line at stage %s", tt.mineral, tt.stage, l.Stage)
			}
			if l.Code == tt.wantCode && l.Mineral == tt.wantMin {
				found = true
			}
		}
		if !found {
			t.Errorf("HSCodesFor(%q, %q) = %d lines without %s/%s", tt.mineral, tt.stage, len(got), tt.wantCode, tt.wantMin)
		}
	}
	if got := r.HSCodesFor("unobtainium", ""); len(got) != 0 {
		t.Errorf("HSCodesFor(%q) = %v, want none", "unobtainium", got)
	}
}

func FuzzClassify(f *testing.F) {
	r := testRegistry(f)
	for _, s := range []string{"2836910000", "2836.91", "28369", "", "2846 90 20 00", "..........", "９９９９９９"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		lines, err := r.Classify(code)
		if err != nil {
			if k := problem.CodeOf(err); k != problem.Invalid && k != problem.NotFound {
				t.Errorf("Classify(%q) error code = %s, want invalid or not_found", code, k)
			}
			return
		}
		c := normalizeCode(code)
		for _, l := range lines {
			if !strings.HasPrefix(c, l.Code) {
				t.Errorf("Classify(%q) matched %s, which is not a prefix of %s", code, l.Code, c)
			}
		}
	})
}
