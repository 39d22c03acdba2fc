package projects

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// mustPipeline decodes testdata/pipeline-illustrative.yaml.
func mustPipeline(t testing.TB) *Pipeline {
	t.Helper()
	data, err := os.ReadFile("testdata/pipeline-illustrative.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := DecodePipeline("pipeline-illustrative.yaml", data)
	if err != nil {
		t.Fatalf("DecodePipeline: %v", err)
	}
	return p
}

func TestDecodePipelineIllustrative(t *testing.T) {
	p := mustPipeline(t)
	if len(p.Projects) != 2 || p.Currency != "USD" || !p.Illustrative {
		t.Fatalf("DecodePipeline = %d projects, currency %q, illustrative %v", len(p.Projects), p.Currency, p.Illustrative)
	}
	li := p.Project("li-brine-mx")
	if li == nil || li.Capacity.PerYear != 20000 || li.Tax.DepreciationYears != 10 || li.Horizon() != 22 {
		t.Errorf("li-brine-mx = %+v", li)
	}
	if co := p.Project("co-refinery-us"); co == nil || len(co.Royalty.Sliding) != 2 || co.Royalty.Sliding[1].Rate != 0.05 {
		t.Errorf("co-refinery-us = %+v", co)
	}
}

// TestDecodePipelineBad decodes every testdata/bad/*.yaml and compares the
// problems reported with the file's `# want:` lines, all of them, in order.
// A file whose want line is `@` has its messages in the golden table below
// (long lists are easier to read there).
func TestDecodePipelineBad(t *testing.T) {
	golden := map[string][]string{
		"bad/strict.yaml": {
			`bad/strict.yaml:9:12: projects[0].stage: "minned" is not one of mined, processed, derivative, scrap`,
			`bad/strict.yaml:12:28: projects[0].capital.total: duplicate key "total" (first at line 12)`,
			`bad/strict.yaml:15:5: projects[0].royalties: unknown field "royalties" (did you mean "royalty"?) (known fields: id, name, mineral, stage, country, owner, owner_id, capacity, capital, unit_opex, sustaining_capex, life_years, lead_time_years, discount_rate, royalty, tax, support, sources)`,
		},
		"bad/many.yaml": {
			`bad/many.yaml:10:14: projects[0].country: must be an ISO 3166-1 alpha-2 code in capitals (MX), got "au"`,
			`bad/many.yaml:11:55: projects[0].capacity.ramp_up[1]: must be a share of capacity from 0 to 1, got 1.2`,
			`bad/many.yaml:12:38: projects[0].capital.schedule: shares must sum to 1, got 0.9`,
			`bad/many.yaml:13:16: projects[0].unit_opex: must be ≥ 0, got -1`,
			`bad/many.yaml:15:22: projects[0].lead_time_years: must be 0 to 30 years, got 40`,
			`bad/many.yaml:16:10: projects[0].tax.depreciation_years: required when tax.rate > 0: the years over which capital is depreciated`,
			`bad/many.yaml:17:9: projects[1].id: duplicate project id "p" (also projects[0])`,
		},
	}
	files, err := filepath.Glob("testdata/bad/*.yaml")
	if err != nil || len(files) < 5 {
		t.Fatalf("testdata/bad: %v files, %v", len(files), err)
	}
	for _, f := range files {
		name := strings.TrimPrefix(filepath.ToSlash(f), "testdata/")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, line := range strings.Split(string(data), "\n") {
				if w, ok := strings.CutPrefix(line, "# want: "); ok {
					want = append(want, w)
				}
			}
			if len(want) == 1 && strings.HasSuffix(want[0], ":@") {
				want = golden[name]
			}
			_, err = DecodePipeline(name, data)
			if err == nil {
				t.Fatalf("DecodePipeline(%s) = nil error, want %q", name, want)
			}
			got := strings.Split(err.Error(), "\n")
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("DecodePipeline(%s) problems:\n%s\nwant:\n%s", name, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}
