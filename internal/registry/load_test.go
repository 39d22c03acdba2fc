package registry

import (
	"io/fs"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/mineralpact/mineralpact/data"
)

// testRegistry loads the shipped data once per test binary.
func testRegistry(t testing.TB) *Registry {
	t.Helper()
	r, err := Default()
	if err != nil {
		t.Fatalf("Default() error:\n%v", err)
	}
	return r
}

func TestLoadShippedData(t *testing.T) {
	r, err := Load(data.FS)
	if err != nil {
		t.Fatalf("Load(data.FS) error:\n%v", err)
	}
	if err := r.Check(); err != nil {
		t.Fatalf("Check() error:\n%v", err)
	}
}

// BenchmarkLoad measures Load, which parses every file but the two left for
// first use; BenchmarkLoad/check adds them.
func BenchmarkLoad(b *testing.B) {
	b.Run("load", func(b *testing.B) { benchmarkLoad(b, false) })
	b.Run("check", func(b *testing.B) { benchmarkLoad(b, true) })
}

func benchmarkLoad(b *testing.B, check bool) {
	b.ReportAllocs()
	for b.Loop() {
		r, err := Load(data.FS)
		if err != nil {
			b.Fatal(err)
		}
		if check {
			if err := r.Check(); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// shippedWith returns the shipped files with some replaced (or, for an empty
// text, removed).
func shippedWith(t *testing.T, files map[string]string) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(data.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(data.FS, path)
		m[path] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for path, text := range files {
		if text == "" {
			delete(m, path)
			continue
		}
		m[path] = &fstest.MapFile{Data: []byte(text)}
	}
	return m
}

const hsHeader = "code,mineral,stage,content,content_source,description\n"

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string // every line of the error, in order
	}{
		{"content not a decimal", map[string]string{
			"hs_map.csv": hsHeader + "283691,lithium,processed,0.1879,s,d\n283699,lithium,processed,x,s,d\n"},
			[]string{`data/hs_map.csv:3: content: "x" is not a decimal`}},
		{"content out of range", map[string]string{
			"hs_map.csv": hsHeader + "283691,lithium,processed,1.5,s,d\n"},
			[]string{`data/hs_map.csv:2: content: 1.5 is not a mass fraction in (0, 1]`}},
		{"every problem of a row and of the file", map[string]string{
			"hs_map.csv": hsHeader + "2836,litium,refined,0.1,s,d\n283691,lithium,processed,0.1879,s,d\n283691,lithium,processed,0.1879,s,d\n"},
			[]string{
				`data/hs_map.csv:2: code: "2836" is not 6 or 8 digits`,
				`data/hs_map.csv:2: mineral: unknown mineral "litium" (did you mean "lithium"?)`,
				`data/hs_map.csv:2: stage: unknown stage "refined"; want one of mined, processed, derivative, scrap`,
				`data/hs_map.csv:4: code: 283691 is mapped to lithium twice (first on line 3)`,
			}},
		{"code not in HS 2022", map[string]string{
			"hs_map.csv": hsHeader + "810510,cobalt,processed,1,s,d\n"},
			[]string{`data/hs_map.csv:2: code: "810510" is not in the HS 2022 nomenclature (no subheading 810510)`}},
		{"missing column", map[string]string{
			"minerals.csv": "mineral_id,name,symbol,on_2022_list,on_2025_list\nlithium,Lithium,Li,true,true\n"},
			[]string{`data/minerals.csv:1: header lacks column(s) group (has mineral_id,name,symbol,on_2022_list,on_2025_list)`}},
		{"wrong number of fields", map[string]string{
			"countries/groups.csv": "group,member_alpha2\nEU27,DE,FR\n"},
			[]string{`data/countries/groups.csv:2: wrong number of fields`}},
		{"fx country without series", map[string]string{
			"fred-exchange-rates/monthly.csv": "Date,Country,Exchange rate\n2024-01-01,Japan,146.2943\n2024-01-01,Narnia,2\n2024-02-15,Japan,150\n"},
			[]string{
				`data/fred-exchange-rates/monthly.csv:3: Country: "Narnia" has no row in data/fred-exchange-rates/series.csv`,
				`data/fred-exchange-rates/monthly.csv:4: Date: "2024-02-15" is not the first day of a month (YYYY-MM-01)`,
			}},
		{"MCS number disagrees with the printed cell", map[string]string{
			"usgs-mcs2026/us_import_sources.csv": "commodity_slug,category,country,share_pct,years\nlithium,all,Chile,54%,2021-24\nuranium,all,Canada,30,2021-24\n"},
			[]string{
				`data/usgs-mcs2026/us_import_sources.csv:2: share_pct: "54%" is not a number or a USGS marker`,
				`data/usgs-mcs2026/us_import_sources.csv:3: commodity_slug: "uranium" is not a chapter of data/usgs-mcs2026/commodities.csv`,
			}},
		{"missing file", map[string]string{"countries/groups.csv": ""},
			[]string{`data/countries/groups.csv: cannot read the file`}},
	}
	for _, tt := range tests {
		_, err := Load(shippedWith(t, tt.files))
		if err == nil {
			t.Errorf("%s: Load() error = nil, want %q", tt.name, tt.want)
			continue
		}
		got := strings.Split(err.Error(), "\n")
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: Load() error =\n%s\nwant\n%s", tt.name, err, strings.Join(tt.want, "\n"))
		}
	}
}

func TestCheckErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"pink sheet value", map[string]string{
			"worldbank-pinksheet/pinksheet_metals_minerals_monthly.csv": "period,year,month,code,commodity,unit,value\n1960M01,1960,01,COPPER,Copper,$/mt,…\n"},
			`data/worldbank-pinksheet/pinksheet_metals_minerals_monthly.csv:2: value: "…" is not a decimal`},
		{"wgi code", map[string]string{
			"worldbank-wgi/wgi_2012_2022_long.csv": "country,wgi_code,indicator,year,estimate,stderr,num_sources,pct_rank,pct_rank_lower,pct_rank_upper\nAtlantis,ATL,RL,2022,1,0.1,3,50,40,60\n"},
			`data/worldbank-wgi/wgi_2012_2022_long.csv:2: wgi_code: "ATL" is not an ISO alpha-3 code of countries.csv; map it in data/worldbank-wgi/code_map.csv`},
	}
	for _, tt := range tests {
		r, err := Load(shippedWith(t, tt.files))
		if err != nil {
			t.Fatalf("%s: Load() error = %v, want the problem left for first use", tt.name, err)
		}
		if err := r.Check(); err == nil || err.Error() != tt.want {
			t.Errorf("%s: Check() error = %v, want %q", tt.name, err, tt.want)
		}
	}
	// The problem comes back from the first use as well.
	r, _ := Load(shippedWith(t, tests[0].files))
	if _, err := r.PinkSheet("COPPER"); err == nil || err.Error() != tests[0].want {
		t.Errorf("PinkSheet(COPPER) error = %v, want %q", err, tests[0].want)
	}
}

func TestConcurrentFirstUse(t *testing.T) {
	r, err := Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := r.WGI("USA", "RL", 2022); err != nil {
				t.Errorf("WGI(USA, RL, 2022) error = %v", err)
			}
			if _, err := r.PinkSheet("COPPER"); err != nil {
				t.Errorf("PinkSheet(COPPER) error = %v", err)
			}
		})
	}
	wg.Wait()
}
