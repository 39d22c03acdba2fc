package projects

import (
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/registry"
)

func TestCheckRegistry(t *testing.T) {
	reg, err := registry.Default()
	if err != nil {
		t.Fatal(err)
	}
	p := mustPipeline(t)
	if err := p.CheckRegistry(reg); err != nil {
		t.Errorf("CheckRegistry(illustrative pipeline) = %v, want nil", err)
	}
	const bad = `version: 1
id: bad
currency: XYZ
projects:
  - id: p
    name: P
    mineral: lithum
    stage: mined
    country: ZZ
    capacity: {per_year: 100, unit: t}
    capital: {total: 1000}
    unit_opex: 10
    life_years: 5
`
	p, err = DecodePipeline("bad.yaml", []byte(bad))
	if err != nil {
		t.Fatal(err)
	}
	err = p.CheckRegistry(reg)
	if err == nil {
		t.Fatal("CheckRegistry(bad) = nil, want three problems")
	}
	got := strings.Split(err.Error(), "\n")
	want := []string{
		`bad.yaml:3:11: currency: unknown currency "XYZ"`,
		`bad.yaml:7:14: projects[0].mineral: unknown mineral "lithum"`,
		`bad.yaml:9:14: projects[0].country: unknown country code "ZZ"`,
	}
	if len(got) != len(want) {
		t.Fatalf("CheckRegistry(bad) =\n%v\nwant %d problems", err, len(want))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("CheckRegistry(bad) problem %d = %q, want prefix %q", i, got[i], want[i])
		}
	}
}
