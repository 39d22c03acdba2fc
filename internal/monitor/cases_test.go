package monitor

import (
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)

func routing(via string, magnitude, score float64) Alert {
	a := Alert{Detector: "routing", Importer: "US", Exporter: "CN", Via: via, HS: "811292",
		From: Period{2023, 9}, To: Period{2024, 3}, Magnitude: magnitude, Unit: "USD", Score: score}
	a.ID = a.ComputeID()
	return a
}

func TestCaseLifecycle(t *testing.T) {
	c, err := NewCase("", []string{"a1", "a2"}, "sec", t0)
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != StatusOpen || c.Title != "Case on alert a1 and 1 more" || len(c.Events) != 1 || c.Events[0].Kind != EventOpen {
		t.Fatalf("NewCase = %+v", c)
	}
	steps := []struct {
		e      Event
		status string
		err    string
	}{
		{Event{Kind: EventNote, Actor: "sec", At: t0.Add(time.Hour), Text: "asked VN customs for the bills of lading"}, StatusOpen, ""},
		{Event{Kind: EventNote, Actor: "sec", At: t0.Add(time.Hour), Text: "  "}, "", "text: a note says something"},
		{Event{Kind: EventDismiss, Actor: "sec", At: t0.Add(2 * time.Hour)}, "", "text: a dismiss says why"},
		{Event{Kind: "reopen", Actor: "sec", At: t0.Add(2 * time.Hour), Text: "x"}, "", `kind: "reopen"`},
		{Event{Kind: EventConfirm, At: t0.Add(2 * time.Hour), Text: "x"}, "", "actor:"},
		{Event{Kind: EventDismiss, Actor: "sec", At: t0.Add(2 * time.Hour), Text: "new smelter in VN explains it"}, StatusDismissed, ""},
		{Event{Kind: EventConfirm, Actor: "sec", At: t0.Add(3 * time.Hour), Text: "x"}, "", "only an open case"},
		{Event{Kind: EventNote, Actor: "sec", At: t0.Add(3 * time.Hour), Text: "kept for the record"}, StatusDismissed, ""},
	}
	for i, s := range steps {
		err := c.Apply(s.e)
		switch {
		case s.err != "" && (err == nil || !strings.Contains(err.Error(), s.err)):
			t.Errorf("step %d: Apply(%+v) error = %v, want %q", i, s.e, err, s.err)
		case s.err == "" && err != nil:
			t.Errorf("step %d: Apply(%+v) error = %v", i, s.e, err)
		case s.err == "" && c.Status != s.status:
			t.Errorf("step %d: status = %s, want %s", i, c.Status, s.status)
		}
	}
	if len(c.Events) != 4 {
		t.Errorf("history has %d events, want open, note, dismiss, note", len(c.Events))
	}
	r, err := Replay(Case{ID: 3, Alerts: c.Alerts, Events: c.Events})
	if err != nil || r.Status != StatusDismissed {
		t.Errorf("Replay = %s, %v; want dismissed", r.Status, err)
	}
	bad := append([]Event(nil), c.Events...)
	bad = append(bad, Event{ID: 9, Kind: EventConfirm, Actor: "x", At: t0, Text: "y"})
	if _, err := Replay(Case{ID: 3, Events: bad}); err == nil || !strings.Contains(err.Error(), "event 9") {
		t.Errorf("Replay of a confirm after a dismiss: %v, want an error naming event 9", err)
	}
}

func TestNewCaseErrors(t *testing.T) {
	for _, c := range []struct {
		alerts []string
		actor  string
		want   string
	}{
		{nil, "sec", "alerts: a case is opened from at least one alert"},
		{[]string{"a", "a"}, "sec", "alerts[1]: alert a named twice"},
		{[]string{""}, "sec", "alerts[0]: empty alert id"},
		{[]string{"a"}, "", "actor:"},
	} {
		if _, err := NewCase("t", c.alerts, c.actor, t0); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("NewCase(%v, %q) error = %v, want %q", c.alerts, c.actor, err, c.want)
		}
	}
}

// TestScreen works the suppression rule by hand. Case 4 dismissed the
// routing pattern through VN at magnitude 1,000,000 USD (its larger alert;
// the other was 800,000) and score 3 (the larger of 3 and 2.5). With the
// default margin of 25%, the pattern comes back when |magnitude| exceeds
// 1,000,000 × 1.25 = 1,250,000 or its score exceeds 3:
//
//	1,250,000, score 3    → suppressed (not past the margin: equal)
//	1,250,001, score 3    → regrown
//	  900,000, score 3.01 → regrown (the score rose)
//	 -900,000, score 1    → suppressed (|−900,000| < 1,250,000)
//	any, via MY           → new (another pattern)
//
// Case 2, older, also dismissed the VN pattern at 5,000,000: the latest
// dismissal counts.
func TestScreen(t *testing.T) {
	big, small := routing("VN", 1_000_000, 2.5), routing("VN", 800_000, 3)
	small.From = Period{2023, 10}
	small.ID = small.ComputeID()
	old := routing("VN", 5_000_000, 9)
	old.From = Period{2022, 1}
	old.ID = old.ComputeID()
	// What a store reads: the alerts of dismissed cases.
	var covered []Covered
	for _, x := range []struct {
		cas int64
		a   Alert
	}{{2, old}, {4, big}, {4, small}} {
		covered = append(covered, Covered{Case: x.cas, Pattern: x.a.Pattern(), Magnitude: x.a.Magnitude, Score: x.a.Score})
	}
	ds := Dismissals(covered)
	if len(ds) != 1 || ds[0].Case != 4 || ds[0].Magnitude != 1_000_000 || ds[0].Score != 3 || ds[0].Pattern != big.Pattern() {
		t.Fatalf("Dismissals = %+v, want one: case 4, 1,000,000, score 3", ds)
	}
	in := []Alert{routing("VN", 1_250_000, 3), routing("VN", 1_250_001, 3), routing("VN", 900_000, 3.01), routing("VN", -900_000, 1), routing("MY", 1e9, 9)}
	got, err := Screen(in, ds, DefaultMargin)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		state string
		cas   int64
	}{{StateSuppressed, 4}, {StateRegrown, 4}, {StateRegrown, 4}, {StateSuppressed, 4}, {StateNew, 0}}
	for i, w := range want {
		if got[i].State != w.state || got[i].Case != w.cas {
			t.Errorf("Screen(%v, score %v) = %s case %d; want %s case %d", in[i].Magnitude, in[i].Score, got[i].State, got[i].Case, w.state, w.cas)
		}
	}
	// A margin of 0: anything larger regrows.
	if got, _ := Screen(in[:1], ds, 0); got[0].State != StateRegrown {
		t.Errorf("Screen(1,250,000, margin 0) = %s, want regrown", got[0].State)
	}
	if _, err := Screen(in, ds, -0.1); err == nil {
		t.Error("Screen with a negative margin: no error")
	}
}
