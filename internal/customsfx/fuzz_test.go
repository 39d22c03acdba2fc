package customsfx

import (
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/exact"
)

// FuzzLoad: Load never panics; a table it accepts finds every row it read,
// on the row's first day, under rule day, and looks up any day under any
// rule without panicking.
func FuzzLoad(f *testing.F) {
	for _, s := range []string{
		uk, us, euTest,
		"date,currency,rate,period\n2025-03-01,EUR,\"1,23\",month\n",
		"date,currency,rate,period\n2025-03-03,EUR,1.2,week\n2025-03-09,EUR,1.25,day\n",
		"date,currency,rate,period,published,source\n2025-01-01,USD,1.2647,month,2024-12-19,x\n",
		"date,currency,rate,period\n1900-01-01,EUR,1,day\n2999-12-31,EUR,123456789012345678901234567890.5,day\n",
		"",
		"\"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		tab, err := Load("fuzz.csv", "GBP", strings.NewReader(in))
		if err != nil {
			if tab != nil {
				t.Fatalf("Load returned a table with its error %v", err)
			}
			return
		}
		for _, rw := range tab.rows {
			d := dateOf(rw.from)
			got, err := tab.Rate(rw.currency, d, RuleDay)
			if err != nil {
				t.Fatalf("Rate(%s, %s, day): %v", rw.currency, d, err)
			}
			if got.Line != int(rw.line) || got.Rate.Cmp(rw.rate) != 0 {
				t.Fatalf("Rate(%s, %s, day) = line %d, want line %d", rw.currency, d, got.Line, rw.line)
			}
			for _, rule := range Rules {
				tab.Rate(rw.currency, d.AddDays(17), rule)
				tab.Convert(exact.Int(10), rw.currency, "JPY", d, rule, true)
			}
		}
		tab.Rate("EUR", date.MustParse("2025-03-01"), RulePenultimateWednesday)
	})
}
