package customsfx

import (
	"testing"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/exact"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// TestConvertSpecificDutyDirect: a specific duty stated in EUR, applied by a
// GBP service, uses the EUR rate of the service's own table. GBP is the
// base, so this is direct: no cross rate is needed.
func TestConvertSpecificDutyDirect(t *testing.T) {
	tab := load(t, "uk.csv", "GBP", uk)
	on := date.MustParse("2025-03-14")
	// 12.50 EUR per 100 kg, March 2025, EUR rate of March 1.1853 EUR per
	// GBP: 12.50 ÷ 1.1853 = 125000/11853 GBP = 10.545853370…, exact.
	got, c, err := tab.Convert(q("12.50"), "EUR", "GBP", on, RuleMonth, false)
	if err != nil {
		t.Fatal(err)
	}
	if want := exact.Int(125000).Quo(exact.Int(11853)); got.Cmp(want) != 0 || c.Result.Cmp(want) != 0 {
		t.Errorf("Convert(12.50 EUR → GBP) = %s, want %s", got, want)
	}
	if c.NRates != 1 || c.Cross || c.Rates[0].Line != 2 || c.Rates[0].Currency != "EUR" {
		t.Errorf("Convert(12.50 EUR → GBP) used %+v", c.Quotes())
	}
	if f := c.Formula(); f != "12.50 EUR ÷ 1.1853 EUR/GBP = 10.545853... GBP" {
		t.Errorf("Formula() = %q", f)
	}
	if b := c.Basis(); b != "(1.1853 EUR per GBP, monthly rate of 2025-03 (uk line 2))" {
		t.Errorf("Basis() = %q", b)
	}

	// The other way: 100 GBP × 1.1853 = 118.53 EUR, a terminating decimal.
	got, c, err = tab.Convert(q("100"), "GBP", "EUR", on, RuleMonth, false)
	if err != nil || got.Cmp(q("118.53")) != 0 {
		t.Errorf("Convert(100 GBP → EUR) = %s, %v; want 118.53", got, err)
	}
	if f := c.Formula(); f != "100 GBP × 1.1853 EUR/GBP = 118.5300 EUR" {
		t.Errorf("Formula() = %q", f)
	}

	// The same currency: nothing to convert, no rate used.
	got, c, err = tab.Convert(q("7.5"), "GBP", "GBP", on, RuleMonth, false)
	if err != nil || got.Cmp(q("7.5")) != 0 || c.NRates != 0 {
		t.Errorf("Convert(7.5 GBP → GBP) = %s, %+v, %v", got, c, err)
	}
}

// eu is an EUR table of rates set on penultimate Wednesdays, made up:
// those of 19 February 2025 apply throughout March 2025.
const euTest = `date,currency,rate,period
2025-02-19,USD,1.0400,day
2025-02-19,GBP,0.8300,day
`

// TestConvertCross: an amount in USD converted to GBP by an EUR table needs
// the cross rate through EUR. Refused unless the party allows cross rates;
// exact when it does.
func TestConvertCross(t *testing.T) {
	tab := load(t, "eu.csv", "EUR", euTest)
	on := date.MustParse("2025-03-10")
	_, _, err := tab.Convert(q("100"), "USD", "GBP", on, RulePenultimateWednesday, false)
	wantErr(t, err, problem.Invalid, "converting USD to GBP needs a cross rate through EUR, the base of table eu, and the party does not allow cross rates")

	// 100 USD ÷ 1.0400 USD/EUR = 96.153846… EUR; × 0.8300 GBP/EUR =
	// 79.807692… GBP. Exactly: 100 × 0.83 ÷ 1.04 = 83 ÷ 1.04 = 8300/104 =
	// 2075/26.
	got, c, err := tab.Convert(q("100"), "USD", "GBP", on, RulePenultimateWednesday, true)
	if err != nil {
		t.Fatal(err)
	}
	if want := exact.Int(2075).Quo(exact.Int(26)); got.Cmp(want) != 0 {
		t.Errorf("Convert(100 USD → GBP, cross) = %s, want %s", got, want)
	}
	if !c.Cross || c.NRates != 2 || c.Rates[0].Currency != "USD" || c.Rates[1].Currency != "GBP" {
		t.Errorf("Convert(100 USD → GBP, cross) used %+v", c.Quotes())
	}
	if f := c.Formula(); f != "100 USD ÷ 1.0400 USD/EUR × 0.8300 GBP/EUR = 79.807692... GBP" {
		t.Errorf("Formula() = %q", f)
	}
	if b := c.Basis(); b != "(1.0400 USD per EUR, rate of 2025-02-19, for the month after 2025-02: penultimate Wednesday 2025-02-19 (eu line 2); "+
		"0.8300 GBP per EUR, rate of 2025-02-19, for the month after 2025-02: penultimate Wednesday 2025-02-19 (eu line 3); cross rate through EUR, which the party allows)" {
		t.Errorf("Basis() = %q", b)
	}

	// USD to EUR is direct in an EUR table, cross rates or not:
	// 104 USD ÷ 1.04 = 100 EUR.
	got, _, err = tab.Convert(q("104"), "USD", "EUR", on, RulePenultimateWednesday, false)
	if err != nil || got.Cmp(exact.Int(100)) != 0 {
		t.Errorf("Convert(104 USD → EUR) = %s, %v; want 100", got, err)
	}

	// A missing rate is the lookup's error: April 2025 wants the rate of
	// 19 March 2025 (March 2025: Wednesdays 5, 12, 19, 26), which the
	// table lacks.
	_, _, err = tab.Convert(q("100"), "USD", "GBP", date.MustParse("2025-04-02"), RulePenultimateWednesday, true)
	wantErr(t, err, problem.NotFound, "no rate of USD per EUR for 2025-04-02: rule penultimate_wednesday wants the rate set on 2025-03-19, the penultimate Wednesday of 2025-03, or in the 7 days before it, in table eu; the last before is a day rate from 2025-02-19 to 2025-02-19 (line 2)")
}

// TestConvertShipped: the shipped UK table converts a EUR duty in January
// 2026 with the rate derived from December 2025's FRED averages:
// EUR per GBP = 0.854 ÷ 0.747 = 1.143239… → 1.1432 (line 2+6×12+1 = 75).
// 25 EUR ÷ 1.1432 = 250000/11432 = 31250/1429 GBP.
func TestConvertShipped(t *testing.T) {
	tab := loadFile(t, "../../data/customs-rates/"+ukFile, "GBP")
	got, c, err := tab.Convert(q("25"), "EUR", "GBP", date.MustParse("2026-01-20"), RuleMonth, false)
	if err != nil {
		t.Fatal(err)
	}
	if want := exact.Int(31250).Quo(exact.Int(1429)); got.Cmp(want) != 0 {
		t.Errorf("Convert(25 EUR → GBP) = %s, want %s", got, want)
	}
	if c.Rates[0].Line != 75 || c.Rates[0].Table != "uk-hmrc-monthly-illustrative" || c.Rates[0].Published.String() != "2025-12-18" {
		t.Errorf("Convert(25 EUR → GBP) quote = %+v", c.Rates[0])
	}
}
