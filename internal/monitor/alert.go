package monitor

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/mineralpact/mineralpact/internal/date"
)

// Period is a statistical period of trade data: a year (Month 0) or a month.
// Comtrade writes them YYYY and YYYYMM; BACI has years only. JSON and text
// use "2023" and "2023-08", which sort as they read.
type Period struct {
	Year  int
	Month int // 1–12; 0 for a whole year
}

// ParsePeriod reads "2023", "202308" or "2023-08".
func ParsePeriod(s string) (Period, error) {
	t := strings.ReplaceAll(strings.TrimSpace(s), "-", "")
	bad := fmt.Errorf("period %q: want YYYY, YYYYMM or YYYY-MM", s)
	if len(t) != 4 && len(t) != 6 {
		return Period{}, bad
	}
	y, err := strconv.Atoi(t[:4])
	if err != nil || y < 1900 {
		return Period{}, bad
	}
	p := Period{Year: y}
	if len(t) == 6 {
		m, err := strconv.Atoi(t[4:])
		if err != nil || m < 1 || m > 12 {
			return Period{}, bad
		}
		p.Month = m
	}
	return p, nil
}

// Monthly says whether p is a month rather than a year.
func (p Period) Monthly() bool { return p.Month != 0 }

// Start is the first day of the period.
func (p Period) Start() date.Date {
	m := p.Month
	if m == 0 {
		m = 1
	}
	return date.New(p.Year, timeMonth(m), 1)
}

// End is the last day of the period.
func (p Period) End() date.Date {
	if p.Month == 0 {
		return date.New(p.Year, 12, 31)
	}
	return date.New(p.Year, timeMonth(p.Month), 1).AddMonths(1).AddDays(-1)
}

// Index numbers periods of one frequency consecutively (months since year 0,
// or years), so that series can be laid on a grid.
func (p Period) Index() int {
	if p.Month == 0 {
		return p.Year
	}
	return p.Year*12 + p.Month - 1
}

// Less orders periods in time (a year before its months).
func (p Period) Less(q Period) bool {
	if p.Year != q.Year {
		return p.Year < q.Year
	}
	return p.Month < q.Month
}

func (p Period) String() string {
	if p.Month == 0 {
		return strconv.Itoa(p.Year)
	}
	return fmt.Sprintf("%04d-%02d", p.Year, p.Month)
}

// MarshalText writes "2023" or "2023-08".
func (p Period) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText reads what MarshalText writes (and YYYYMM).
func (p *Period) UnmarshalText(b []byte) error {
	q, err := ParsePeriod(string(b))
	if err != nil {
		return err
	}
	*p = q
	return nil
}

// Alert is one pattern a detector found, with the numbers that prove it. It
// is written as one JSON object per line (JSON Lines) and stored as a case's
// evidence; nothing in it depends on when or where the scan ran, so the same
// inputs give the same alerts, byte for byte, in the same order.
type Alert struct {
	// ID is a digest of the alert's pattern and window (see ComputeID): the
	// same finding in two scans has the same ID.
	ID       string `json:"id"`
	Detector string `json:"detector"` // mirror_gap, routing, code_shift, below_floor, undertaking_breach, surge
	Importer string `json:"importer"` // ISO alpha-2 of the importing country or party ("" if the series is the exporter's)
	Exporter string `json:"exporter"` // the partner, origin or exporter id the pattern is about
	// Via is the third country a routing alert runs through ("" otherwise).
	Via string `json:"via,omitempty"`
	// ImporterCode, ExporterCode and ViaCode are the countries as the trade
	// files name them (ISO alpha-3: Comtrade's reporterISO and partnerISO,
	// BACI's country_iso3), for flow alerts.
	ImporterCode string `json:"importer_code,omitempty"`
	ExporterCode string `json:"exporter_code,omitempty"`
	ViaCode      string `json:"via_code,omitempty"`
	HS           string `json:"hs"` // HS line, 6 digits or more
	// ToHS is the line trade moved to, for a code shift.
	ToHS string `json:"to_hs,omitempty"`
	From Period `json:"from"`
	To   Period `json:"to"`
	// Score ranks alerts across detectors: how far past its threshold the
	// pattern is (1 = just at the threshold); the detector's docs say how.
	Score float64 `json:"score"`
	// Magnitude is the size of the pattern in its detector's own unit (USD of
	// the gap, USD rerouted, the share below the undertaking): a dismissed
	// pattern is raised again only when its magnitude grows past the
	// dismissal's by the margin the case rules name.
	Magnitude float64 `json:"magnitude"`
	Unit      string  `json:"unit"` // of Magnitude: USD, share, t, ...
	// Direction is "up" or "down" for a surge (a rise or a collapse).
	Direction string `json:"direction,omitempty"`
	// Measure is the measure the pattern is tied to, if any.
	Measure *Measure `json:"measure,omitempty"`
	// Basis is the article of the agreement the pattern concerns.
	Basis string `json:"basis"`
	// Summary says in one sentence what was found.
	Summary  string   `json:"summary"`
	Evidence Evidence `json:"evidence"`
}

// Measure is a dated measure an alert is tied to: a floor duty taking effect,
// a surcharge on non-party origins, an export ban of a scenario.
type Measure struct {
	Name      string    `json:"name"`
	Effective date.Date `json:"effective"`
	Source    string    `json:"source,omitempty"` // the agreement path or the scenario that names it
}

// Evidence holds the numbers behind an alert, as data a page can chart.
type Evidence struct {
	// Series are the time series before and after (flows, prices, mirror
	// values), each with its unit.
	Series []Series `json:"series,omitempty"`
	// Figures are single numbers: thresholds, medians, MAD, production that
	// does not explain a flow, shares below a floor.
	Figures []Figure `json:"figures,omitempty"`
	// Distribution is a set of values against a line (unit prices against a
	// floor), for price detectors.
	Distribution *Distribution `json:"distribution,omitempty"`
}

// Series is one named series of an alert's evidence.
type Series struct {
	Name   string  `json:"name"`
	Unit   string  `json:"unit"`
	Points []Point `json:"points"`
}

// Point is one period's value of a series.
type Point struct {
	Period Period  `json:"period"`
	Value  float64 `json:"value"`
}

// Figure is one named number of an alert's evidence.
type Figure struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
	Unit  string  `json:"unit,omitempty"`
	Note  string  `json:"note,omitempty"`
}

// Distribution is a set of declared values and the line they are held
// against (a floor, an undertaking's minimum price).
type Distribution struct {
	Unit   string    `json:"unit"`
	Values []float64 `json:"values"`
	Line   float64   `json:"line"`
	Label  string    `json:"label"` // what the line is: "floor 2026-07-01", "undertaking U-3 minimum"
}

// Pattern is what a case is about: a detector's finding on a pair and line,
// whatever its window. A dismissed pattern is matched by this key.
func (a Alert) Pattern() string {
	return strings.Join([]string{a.Detector, a.Importer, a.Exporter, a.Via, a.HS, a.ToHS}, "|")
}

// ComputeID is the alert's ID: the first 16 hex digits of the SHA-256 of its
// pattern and window.
func (a Alert) ComputeID() string {
	h := sha256.Sum256([]byte(a.Pattern() + "|" + a.From.String() + "|" + a.To.String()))
	return hex.EncodeToString(h[:8])
}

func timeMonth(m int) time.Month { return time.Month(m) }
