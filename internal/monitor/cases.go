package monitor

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// A case is the secretariat's file on one or more alerts (issue 13, part 4):
// opened from alerts, documented with notes, and closed by confirming or
// dismissing it. Its history is a list of events, each with its actor and
// time, passed in by the caller: nothing here reads the wall clock. The rows
// a store keeps are append-only (the case once, each event once), and the
// case's status is the one its last confirm or dismiss event left.

// Case statuses.
const (
	StatusOpen      = "open"
	StatusConfirmed = "confirmed"
	StatusDismissed = "dismissed"
)

// Case event kinds.
const (
	EventOpen    = "open"
	EventNote    = "note"
	EventConfirm = "confirm"
	EventDismiss = "dismiss"
)

// Case is a case with its history.
type Case struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
	// Status is open, confirmed or dismissed: the one the last event left.
	Status string `json:"status"`
	// Alerts are the ids of the alerts the case was opened from, in order.
	Alerts   []string  `json:"alerts"`
	OpenedBy string    `json:"opened_by"`
	OpenedAt time.Time `json:"opened_at"`
	Events   []Event   `json:"events"`
}

// Event is one step of a case's history.
type Event struct {
	ID    int64     `json:"id,omitempty"` // assigned by the store
	Kind  string    `json:"kind"`         // open, note, confirm, dismiss
	Actor string    `json:"actor"`
	At    time.Time `json:"at"`
	Text  string    `json:"text,omitempty"`
}

// NewCase opens a case from alerts: at least one, each named once. The open
// event is the case's first.
func NewCase(title string, alerts []string, actor string, at time.Time) (Case, error) {
	title = strings.TrimSpace(title)
	switch {
	case len(alerts) == 0:
		return Case{}, fmt.Errorf("alerts: a case is opened from at least one alert")
	case actor == "":
		return Case{}, fmt.Errorf("actor: a case is opened by someone")
	case at.IsZero():
		return Case{}, fmt.Errorf("at: the time the case is opened is not set")
	case len(title) > 200:
		return Case{}, fmt.Errorf("title: at most 200 characters, got %d", len(title))
	}
	seen := map[string]bool{}
	for i, id := range alerts {
		if id == "" {
			return Case{}, fmt.Errorf("alerts[%d]: empty alert id", i)
		}
		if seen[id] {
			return Case{}, fmt.Errorf("alerts[%d]: alert %s named twice", i, id)
		}
		seen[id] = true
	}
	if title == "" {
		title = "Case on alert " + alerts[0]
		if len(alerts) > 1 {
			title += fmt.Sprintf(" and %d more", len(alerts)-1)
		}
	}
	c := Case{Title: title, Status: StatusOpen, Alerts: append([]string(nil), alerts...), OpenedBy: actor, OpenedAt: at}
	c.Events = []Event{{Kind: EventOpen, Actor: actor, At: at}}
	return c, nil
}

// Next checks that e may follow c's history and returns the status after it.
// Notes may be added at any time; confirm and dismiss close an open case and
// need a reason (the text), since a decision is documented; a closed case is
// not decided again (open a new case from the alerts that regrow).
func (c Case) Next(e Event) (string, error) {
	if e.Actor == "" {
		return "", fmt.Errorf("actor: an event is someone's")
	}
	if e.At.IsZero() {
		return "", fmt.Errorf("at: the event's time is not set")
	}
	if len(e.Text) > 10000 {
		return "", fmt.Errorf("text: at most 10000 characters, got %d", len(e.Text))
	}
	switch e.Kind {
	case EventNote:
		if strings.TrimSpace(e.Text) == "" {
			return "", fmt.Errorf("text: a note says something")
		}
		return c.Status, nil
	case EventConfirm, EventDismiss:
		if c.Status != StatusOpen {
			return "", fmt.Errorf("case %d is %s: only an open case is confirmed or dismissed", c.ID, c.Status)
		}
		if strings.TrimSpace(e.Text) == "" {
			return "", fmt.Errorf("text: a %s says why", e.Kind)
		}
		if e.Kind == EventConfirm {
			return StatusConfirmed, nil
		}
		return StatusDismissed, nil
	}
	return "", fmt.Errorf("kind: %q is not note, confirm or dismiss", e.Kind)
}

// Apply appends e to c's history if it may follow it (Next).
func (c *Case) Apply(e Event) error {
	s, err := c.Next(e)
	if err != nil {
		return err
	}
	c.Status = s
	c.Events = append(c.Events, e)
	return nil
}

// Replay rebuilds a case's status from its events, the first of which is
// its opening, and reports an event that could not have followed the ones
// before it (a history written behind the engine's back).
func Replay(c Case) (Case, error) {
	if len(c.Events) == 0 || c.Events[0].Kind != EventOpen {
		return c, fmt.Errorf("case %d: its history does not begin with its opening", c.ID)
	}
	r := c
	r.Status = StatusOpen
	r.Events = c.Events[:1:1]
	for _, e := range c.Events[1:] {
		if err := r.Apply(e); err != nil {
			return c, fmt.Errorf("case %d: event %d: %w", c.ID, e.ID, err)
		}
	}
	return r, nil
}

// DefaultMargin is how much a dismissed pattern's magnitude must grow, as a
// share of the dismissed magnitude, before it is raised again.
const DefaultMargin = 0.25

// Dismissal is a pattern a dismissed case covered, with the largest
// magnitude and score its alerts of that pattern had when it was dismissed.
type Dismissal struct {
	Pattern   string  `json:"pattern"`
	Case      int64   `json:"case"`
	Magnitude float64 `json:"magnitude"`
	Score     float64 `json:"score"`
}

// Covered is one alert of a dismissed case, as the dismissals need it: a
// store reads these from its rows without rebuilding the alerts.
type Covered struct {
	Case      int64
	Pattern   string
	Magnitude float64
	Score     float64
}

// Dismissals lists the patterns dismissed cases cover, one per pattern,
// from the alerts of the dismissed cases: where several dismissed cases
// cover one pattern, the latest (highest id) counts, since it judged the
// pattern at its latest size; within a case, the largest magnitude (by
// absolute value) and the highest score of its alerts of the pattern.
func Dismissals(covered []Covered) []Dismissal {
	by := map[string]*Dismissal{}
	for _, a := range covered {
		d := by[a.Pattern]
		switch {
		case d == nil || d.Case < a.Case:
			by[a.Pattern] = &Dismissal{Pattern: a.Pattern, Case: a.Case, Magnitude: math.Abs(a.Magnitude), Score: a.Score}
		case d.Case == a.Case:
			d.Magnitude = math.Max(d.Magnitude, math.Abs(a.Magnitude))
			d.Score = math.Max(d.Score, a.Score)
		}
	}
	out := make([]Dismissal, 0, len(by))
	for _, d := range by {
		out = append(out, *d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Pattern < out[j].Pattern })
	return out
}

// Alert states after screening.
const (
	StateNew        = "new"        // raised
	StateSuppressed = "suppressed" // its pattern was dismissed and has not grown
	StateRegrown    = "regrown"    // its pattern was dismissed and has grown past the margin: raised again
)

// Screened is an alert with what screening made of it.
type Screened struct {
	Alert Alert  `json:"alert"`
	State string `json:"state"`
	// Case is the dismissed case that suppressed the alert or that it
	// regrew from (0 for a new alert).
	Case int64 `json:"case,omitempty"`
}

// Screen holds alerts against the dismissed patterns: an alert whose
// pattern was dismissed is suppressed unless it grew, that is its magnitude
// exceeds the dismissed magnitude by more than margin (a share: 0.25 for
// 25%; magnitudes are compared by absolute value, since a gap may be either
// way) or its score exceeds the dismissed score; then it is raised again as
// regrown, with the dismissed case's id. A margin below zero is an error.
func Screen(alerts []Alert, dismissed []Dismissal, margin float64) ([]Screened, error) {
	if margin < 0 || math.IsNaN(margin) || math.IsInf(margin, 0) {
		return nil, fmt.Errorf("margin: want a share of 0 or more, got %v", margin)
	}
	by := make(map[string]Dismissal, len(dismissed))
	for _, d := range dismissed {
		by[d.Pattern] = d
	}
	out := make([]Screened, len(alerts))
	for i, a := range alerts {
		out[i] = Screened{Alert: a, State: StateNew}
		d, ok := by[a.Pattern()]
		if !ok {
			continue
		}
		out[i].Case = d.Case
		if math.Abs(a.Magnitude) > d.Magnitude*(1+margin) || a.Score > d.Score {
			out[i].State = StateRegrown
		} else {
			out[i].State = StateSuppressed
		}
	}
	return out, nil
}
