package registry

import (
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// world returns the row of a chapter's world table for a country.
func world(t *testing.T, c *Commodity, country string) WorldProductionRow {
	t.Helper()
	for _, w := range c.World {
		if w.Country == country {
			return w
		}
	}
	t.Fatalf("MCS(%q) has no world row for %q", c.Slug, country)
	return WorldProductionRow{}
}

func TestMCSLithium(t *testing.T) {
	r := testRegistry(t)
	c, err := r.MCS("lithium")
	if err != nil {
		t.Fatalf("MCS(%q) error = %v", "lithium", err)
	}
	tests := []struct {
		country   string
		fig       func(WorldProductionRow) Figure
		col       string
		value     string
		known     bool
		marker    string
		wantTable string
	}{
		{"Chile", func(w WorldProductionRow) Figure { return w.Prod2025 }, "Prod2025", "56000", true, "", ""},
		{"Chile", func(w WorldProductionRow) Figure { return w.Reserves }, "Reserves", "9200000", true, "", ""},
		{"Australia", func(w WorldProductionRow) Figure { return w.Prod2024 }, "Prod2024", "82700", true, "", ""},
		{"Australia", func(w WorldProductionRow) Figure { return w.Prod2025 }, "Prod2025", "92000", true, "", ""},
		// Withheld: unknown, never zero.
		{"United States", func(w WorldProductionRow) Figure { return w.Prod2025 }, "Prod2025", "0", false, "W", ""},
		{"Other countries", func(w WorldProductionRow) Figure { return w.Prod2025 }, "Prod2025", "0", true, "", ""},
		{"World total (rounded)", func(w WorldProductionRow) Figure { return w.Prod2025 }, "Prod2025", "290000", true, "", ""},
	}
	for _, tt := range tests {
		w := world(t, c, tt.country)
		f := tt.fig(w)
		if f.Known != tt.known || f.Marker != tt.marker || f.Value.Cmp(dec.MustParse(tt.value)) != 0 {
			t.Errorf("MCS(lithium) %s %s = %+v, want %s known %v marker %q", tt.country, tt.col, f, tt.value, tt.known, tt.marker)
		}
		if w.Unit != "metric tons, lithium content" {
			t.Errorf("MCS(lithium) %s unit = %q, want lithium content", tt.country, w.Unit)
		}
	}
	if nir := c.NetImportReliance; !nir.Known || nir.Marker != ">" || nir.Value.Cmp(dec.FromInt(50)) != 0 {
		t.Errorf("MCS(lithium).NetImportReliance = %+v, want >50", nir)
	}
	var sawW, sawChile bool
	for _, s := range c.Salient {
		if s.Section == "Production" && s.Year == 2025 && s.Estimated {
			sawW = s.Value.Marker == "W" && !s.Value.Known
		}
	}
	for _, s := range c.ImportSources {
		if s.Country == "Chile" && s.SharePct.Value.Cmp(dec.FromInt(54)) == 0 {
			sawChile = true
		}
	}
	if !sawW {
		t.Errorf("MCS(lithium) salient: US production 2025e is not an unknown W")
	}
	if !sawChile {
		t.Errorf("MCS(lithium) import sources lack Chile 54%%: %+v", c.ImportSources)
	}
}

func TestMCSBounds(t *testing.T) {
	r := testRegistry(t)
	tests := []struct {
		id, country string
		value       string
		marker      string
	}{
		{"antimony", "World total (rounded)", "2000000", ">"},
		{"nickel", "World total (rounded)", "140000000", ">"},
		{"graphite", "Austria", "0", "( )"},
	}
	for _, tt := range tests {
		c, err := r.MCS(tt.id)
		if err != nil {
			t.Fatalf("MCS(%q) error = %v", tt.id, err)
		}
		f := world(t, c, tt.country).Reserves
		if f.Marker != tt.marker || f.Value.Cmp(dec.MustParse(tt.value)) != 0 {
			t.Errorf("MCS(%q) %s reserves = %+v, want %s%s", tt.id, tt.country, f, tt.marker, tt.value)
		}
	}
}

func TestMCSChapterOf(t *testing.T) {
	r := testRegistry(t)
	tests := []struct {
		id, slug string
	}{
		{"lithium", "lithium"},
		{"hafnium", "zirconium-and-hafnium"},
		{"neodymium", "rare-earths"},
		{RareEarths, "rare-earths"},
		{"palladium", "platinum-group-metals"},
		{"molybdenum", "molybdenum"}, // by slug: not a critical mineral
	}
	for _, tt := range tests {
		c, err := r.MCS(tt.id)
		if err != nil || c.Slug != tt.slug {
			t.Errorf("MCS(%q) = %v, %v, want chapter %s", tt.id, c, err, tt.slug)
		}
	}
	if got := len(r.MCSChapters()); got != 43 {
		t.Errorf("len(MCSChapters()) = %d, want 43", got)
	}
	// Every mineral but the two documented ones has a chapter.
	for _, m := range r.Minerals() {
		_, err := r.MCS(m.ID)
		missing := m.ID == "metallurgical_coal" || m.ID == "uranium"
		if (err != nil) != missing {
			t.Errorf("MCS(%q) error = %v, want an error: %v", m.ID, err, missing)
		}
	}
}

func TestMCSErrors(t *testing.T) {
	r := testRegistry(t)
	tests := []struct {
		id, contains string
	}{
		{"uranium", `no USGS MCS 2026 chapter for "uranium"`},
		{"litium", `(did you mean "lithium"?)`},
	}
	for _, tt := range tests {
		_, err := r.MCS(tt.id)
		if problem.CodeOf(err) != problem.NotFound || !strings.Contains(err.Error(), tt.contains) {
			t.Errorf("MCS(%q) error = %v, want not_found containing %q", tt.id, err, tt.contains)
		}
	}
}
