package registry

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/data"
	"github.com/mineralpact/mineralpact/internal/dec"
)

// TestMCSCoverageEvery2025Mineral is the promise of data/usgs-mcs2026/coverage.csv:
// every mineral of the 2025 list has its MCS 2026 figures (its own or its
// group's) or a stated reason why USGS publishes none.
func TestMCSCoverageEvery2025Mineral(t *testing.T) {
	r := testRegistry(t)
	counts := map[MCSStatus]int{}
	n := 0
	for _, m := range r.Minerals() {
		if !m.On2025 {
			continue
		}
		n++
		c, err := r.MCSCoverage(m.ID)
		if err != nil {
			t.Errorf("MCSCoverage(%q) error = %v, want a row", m.ID, err)
			continue
		}
		counts[c.Status]++
		if c.Source == "" {
			t.Errorf("MCSCoverage(%q).Source is empty", m.ID)
		}
		if !c.HasFigures() && c.Reason == "" {
			t.Errorf("MCSCoverage(%q) = %s with no reason", m.ID, c.Status)
		}
		ch, err := r.MCS(m.ID)
		switch {
		case c.HasFigures() && (err != nil || len(ch.World) == 0 || len(ch.Salient) == 0):
			t.Errorf("MCSCoverage(%q) = %s, but MCS() = %v, %v has no world and U.S. figures", m.ID, c.Status, ch, err)
		case c.Chapter == "" && err == nil:
			t.Errorf("MCSCoverage(%q) names no chapter, but MCS() = %s", m.ID, ch.Slug)
		case c.Chapter != "" && (err != nil || ch.Slug != c.Chapter):
			t.Errorf("MCSCoverage(%q).Chapter = %q, but MCS() = %v, %v", m.ID, c.Chapter, ch, err)
		}
	}
	if n != 60 {
		t.Errorf("the 2025 list has %d minerals, want 60", n)
	}
	want := map[MCSStatus]int{MCSFigures: 35, MCSGroup: 15, MCSPartial: 6, MCSNone: 4}
	for s, w := range want {
		if counts[s] != w {
			t.Errorf("%d minerals with status %s, want %d (all: %v)", counts[s], s, w, counts)
		}
	}
	for _, id := range []string{"uranium", "metallurgical_coal", "cesium", "rubidium"} {
		if c, _ := r.MCSCoverage(id); c.Status != MCSNone {
			t.Errorf("MCSCoverage(%q).Status = %q, want none", id, c.Status)
		}
	}
	for _, id := range []string{"germanium", "scandium", "hafnium"} {
		if c, _ := r.MCSCoverage(id); c.Status != MCSPartial || !strings.Contains(c.Reason, "world") {
			t.Errorf("MCSCoverage(%q) = %+v, want partial with a reason about world production", id, c)
		}
	}
	if got := len(r.MCSCoverages()); got != 60 {
		t.Errorf("len(MCSCoverages()) = %d, want 60", got)
	}
}

// TestMCSZirconiumNetImportReliance: the extraction labels the chapter's net
// import reliance rows "consumption" in metric tons; the loader reads them as
// what the chapter prints, a percentage: zirconium ores and concentrates <25
// in 2025e, hafnium NA.
func TestMCSZirconiumNetImportReliance(t *testing.T) {
	r := testRegistry(t)
	c, err := r.MCS("zirconium")
	if err != nil {
		t.Fatal(err)
	}
	if nir := c.NetImportReliance; !nir.Known || nir.Marker != "<" || nir.Value.Cmp(dec.FromInt(25)) != 0 || nir.Raw != "<25" {
		t.Errorf("MCS(zirconium).NetImportReliance = %+v, want <25", nir)
	}
	got := map[string]SalientRow{}
	for _, s := range c.Salient {
		if s.Section == "consumption" {
			t.Errorf("salient row %q %d keeps the mislabelled section %q", s.Statistic, s.Year, s.Section)
		}
		if strings.HasPrefix(s.Section, "Net import reliance") && s.Year == 2025 {
			got[s.Statistic] = s
		}
		if strings.HasSuffix(s.Statistic, "dollars per kilogram") && s.Unit != "dollars per kilogram" {
			t.Errorf("price %q unit = %q, want dollars per kilogram", s.Statistic, s.Unit)
		}
	}
	zr, hf := got["Zirconium ores and concentrates"], got["Hafnium"]
	if zr.Unit != "percent" || zr.Value.Raw != "<25" || !zr.Estimated {
		t.Errorf("zirconium net import reliance 2025e = %+v, want <25 percent", zr)
	}
	if hf.Unit != "percent" || hf.Value.Known || hf.Value.Marker != "NA" {
		t.Errorf("hafnium net import reliance 2025e = %+v, want NA percent", hf)
	}
	// 2022 printed "<50".
	for _, s := range c.Salient {
		if s.Statistic == "Zirconium ores and concentrates" && s.Unit == "percent" && s.Year == 2022 && s.Value.Raw != "<50" {
			t.Errorf("zirconium net import reliance 2022 = %+v, want <50", s.Value)
		}
	}
}

// TestMCSCoverageLoadErrors: the loader refuses a coverage table that omits a
// mineral of the 2025 list, claims figures a chapter does not have, or omits a
// reason.
func TestMCSCoverageLoadErrors(t *testing.T) {
	shipped, err := fs.ReadFile(data.FS, mcsCoverageFile)
	if err != nil {
		t.Fatal(err)
	}
	edit := func(mineral, replacement string) string {
		var out []string
		for _, line := range strings.SplitAfter(string(shipped), "\n") {
			if strings.HasPrefix(line, mineral+",") {
				line = replacement
			}
			out = append(out, line)
		}
		return strings.Join(out, "")
	}
	tests := []struct {
		name, text, want string
	}{
		{"a mineral missing", edit("uranium", ""), "no row for uranium of the 2025 list"},
		{"no reason", edit("uranium", "uranium,,none,,https://doi.org/10.5066/P1WKQ63T\n"), "needs the reason why USGS publishes no figures for uranium"},
		{"figures a chapter lacks", edit("cesium", "cesium,cesium,figures,,https://example.org\n"), `chapter "cesium" lacks a world production table`},
		{"none where there are figures", edit("lithium", "lithium,lithium,none,no reason,https://example.org\n"), `chapter "lithium" has figures`},
		{"the wrong chapter", edit("hafnium", "hafnium,hafnium,partial,why,https://example.org\n"), `is covered by chapter "zirconium-and-hafnium"`},
		{"no source", edit("rubidium", "rubidium,rubidium,none,why,\n"), "source: is empty"},
		{"group outside a group", edit("lithium", "lithium,lithium,group,why,https://example.org\n"), "belongs to no group"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(shippedWith(t, map[string]string{mcsCoverageFile: tt.text}))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load() error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}
