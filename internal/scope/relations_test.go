package scope

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/mineralpact/mineralpact/data"
	ownershipdata "github.com/mineralpact/mineralpact/data/ownership"
	scopedata "github.com/mineralpact/mineralpact/data/scope"
)

// ownFS is the shipped scope data with some files replaced.
func ownFS(t *testing.T, replace map[string]string) fstest.MapFS {
	t.Helper()
	fs := fstest.MapFS{}
	for _, name := range []string{"hosts.csv", "markets.csv", "frameworks.csv"} {
		b, err := scopedata.FS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		fs[name] = &fstest.MapFile{Data: b}
	}
	for name, text := range replace {
		fs[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return fs
}

// TestLoadRelationsBad checks that every fault of the grouping data is
// reported at once, each at its file, line and column.
func TestLoadRelationsBad(t *testing.T) {
	reg, _ := exampleRegistry(t)
	fs := ownFS(t, map[string]string{
		"frameworks.csv": "country,instrument,status,signed_on,source,source_date\n" +
			"JP,framework,signed,2025-10,a note,2026-02\n" +
			"XQ,framework,signed,2026-02-04,a note,2026-02\n" +
			"PE,,signed,2026-02-04,,2026-02\n" +
			"GB,MOU,rumoured,,a note,2026-02\n",
		"hosts.csv": "mineral,host,relation,source,retrieved\n" +
			"gallium,aluminum,by-product,MCS,2026-12-06\n" +
			"unobtainium,zinc,by-product,MCS,2026-12-06\n" +
			"indium,zinc,sidekick,,2026-12-06\n",
		"markets.csv": "mineral,formation,venue,contract,settlement,source,retrieved\n" +
			"tin,exchange,LME,LME Tin,physical,MCS,2026-12-06\n" +
			"gallium,otc,none,none,none,MCS,2026-12-06\n",
	})
	_, err := LoadRelations(reg, Sources{Data: data.FS, Scope: fs, Ownership: ownershipdata.FS})
	if err == nil {
		t.Fatal("LoadRelations accepted bad rows")
	}
	for _, want := range []string{
		`data/scope/frameworks.csv:3: country: "XQ" is not a country or customs union of the registry`,
		"data/scope/frameworks.csv:4: instrument: is empty",
		"data/scope/frameworks.csv:4: source: is empty",
		`data/scope/frameworks.csv:5: status: "rumoured": want signed, intended or announced`,
		`data/scope/hosts.csv:3: mineral: "unobtainium" is not a mineral of the 2025 list`,
		`data/scope/hosts.csv:4: relation: "sidekick": want by-product or co-product`,
		"data/scope/hosts.csv:4: source: is empty",
		`data/scope/markets.csv:3: formation: "otc"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("errors lack %q:\n%v", want, err)
		}
	}
	if strings.Contains(err.Error(), "frameworks.csv:2") || strings.Contains(err.Error(), "hosts.csv:2") {
		t.Errorf("a good row reported:\n%v", err)
	}
}

// TestLoadRelationsShipped checks what the shipped data hold.
func TestLoadRelationsShipped(t *testing.T) {
	rel := exampleRelations(t)
	if got := len(rel.Frameworks); got != 14 {
		t.Errorf("%d frameworks, want 14 (Japan, the 11 of 4 February 2026, the intended EU memorandum, the Mexico action plan)", got)
	}
	for _, f := range rel.Frameworks {
		if f.Source == "" || f.SourceDate == "" {
			t.Errorf("framework of %s without source or date", f.Country)
		}
	}
	for id, want := range map[string]string{"cobalt": "exchange", "lithium": "exchange_cash", "gallium": "assessed", "niobium": "unit_value", "cesium": "none"} {
		if got := rel.Markets[id].Formation; got != want {
			t.Errorf("market of %s = %q, want %q", id, got, want)
		}
	}
	if n := rel.pair("copper", "gold"); n != 561 {
		t.Errorf("copper and gold at %d facilities, want 561 (the ICMM counts)", n)
	}
	var te []string
	for _, l := range rel.hostsOf("tellurium") {
		te = append(te, l.Host)
	}
	if got := strings.Join(te, " "); got != "lead copper" && got != "copper lead" {
		t.Errorf("tellurium's hosts = %q, want copper once (GLOMBO's 77%%, citing hosts.csv too) and lead", got)
	}
	var cobalt []string
	for _, l := range rel.hostsOf("cobalt") {
		cobalt = append(cobalt, l.Host+":"+l.Relation+":"+fnum(*l.Share))
	}
	if got := strings.Join(cobalt, " "); got != "copper:co-product:0.35 nickel:by-product:0.5" {
		t.Errorf("cobalt's hosts = %q, want GLOMBO's copper 35%% (co-product) and nickel 50%% (by-product)", got)
	}
}
