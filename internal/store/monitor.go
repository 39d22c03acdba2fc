package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/mineralpact/mineralpact/internal/monitor"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// The monitor's rows (issue 13, part 4): scans, the alerts they found, and
// the secretariat's cases on them. Every row is written once and never
// rewritten: a case's status is the one its last event left, so each row
// has one audit record, appended in its transaction, and audit verify holds
// it against the row like the others.

// Scan is one recorded monitoring scan: what was scanned, when, by whom, and
// what became of its alerts.
type Scan struct {
	ID int64 `json:"id"` // assigned by the store
	// AsOf is the scan's as-of date, as the caller writes it (YYYY-MM-DD).
	AsOf string `json:"as_of"`
	// Detectors are the detectors run (empty: all).
	Detectors []string `json:"detectors"`
	// Source says what was scanned (file names, a data set), for people.
	Source string `json:"source"`
	// Margin is the suppression margin the alerts were screened with.
	Margin float64 `json:"margin"`
	// Alerts is how many alerts the scan found; Stored how many were new to
	// the store (an alert already stored, by id, keeps its first row);
	// Suppressed and Regrown how many of those screening suppressed or
	// raised again.
	Alerts     int       `json:"alerts"`
	Stored     int       `json:"stored"`
	Suppressed int       `json:"suppressed"`
	Regrown    int       `json:"regrown"`
	Actor      string    `json:"actor"`
	CreatedAt  time.Time `json:"created_at"`
}

// StoredAlert is an alert as a store keeps it.
type StoredAlert struct {
	Alert monitor.Alert `json:"alert"`
	Scan  int64         `json:"scan"`
	// State is what screening made of it when stored: new, suppressed or
	// regrown; StateCase is the dismissed case behind the last two.
	State     string `json:"state"`
	StateCase int64  `json:"state_case,omitempty"`
	// Case is the case the alert is in (0: none) and CaseStatus its status.
	Case       int64  `json:"case,omitempty"`
	CaseStatus string `json:"case_status,omitempty"`
}

// Status is the alert's status for a reader: its case's, if it is in one,
// else its screening state.
func (a StoredAlert) Status() string {
	if a.Case != 0 {
		return a.CaseStatus
	}
	return a.State
}

// MarshalJSON writes the alert with its status.
func (a StoredAlert) MarshalJSON() ([]byte, error) {
	type plain StoredAlert
	return json.Marshal(struct {
		plain
		Status string `json:"status"`
	}{plain(a), a.Status()})
}

// AlertFilter narrows ListAlerts; empty fields match everything.
type AlertFilter struct {
	Detector, Importer, Exporter, HS string
	// Status is new, suppressed, regrown (alerts in no case) or open,
	// confirmed, dismissed (alerts in a case of that status); "all" is
	// every alert. Empty is every alert but the suppressed ones: a
	// dismissed pattern is not raised again unless it grows.
	Status string
	// Limit bounds the answer (0: no bound).
	Limit int
}

// AlertStatuses are the statuses AlertFilter.Status may name.
var AlertStatuses = []string{monitor.StateNew, monitor.StateSuppressed, monitor.StateRegrown,
	monitor.StatusOpen, monitor.StatusConfirmed, monitor.StatusDismissed}

// AllAlerts is the status filter of every alert, the suppressed included.
const AllAlerts = "all"

// Check reports a status filter that names no status.
func (f AlertFilter) Check() error {
	if f.Status == "" || f.Status == AllAlerts {
		return nil
	}
	for _, s := range AlertStatuses {
		if s == f.Status {
			return nil
		}
	}
	return &problem.Error{Code: problem.Invalid, Field: "status",
		Message: fmt.Sprintf("%q: want one of %s, or all", f.Status, strings.Join(AlertStatuses, ", "))}
}

// Where is the SQL condition and arguments of f's indexed fields, each
// placeholder written by ph (1-based), and the LIMIT a query may apply
// itself (0 when the status, computed from the case, is filtered after).
// Only the fields given are in the condition, so that a query on one
// importer uses its index.
func (f AlertFilter) Where(ph func(n int) string) (where string, args []any, limit int) {
	var conds []string
	for _, c := range []struct{ col, v string }{{"a.detector", f.Detector}, {"a.importer", f.Importer}, {"a.exporter", f.Exporter}, {"a.hs", f.HS}} {
		if c.v != "" {
			args = append(args, c.v)
			conds = append(conds, c.col+" = "+ph(len(args)))
		}
	}
	if f.Status == "" {
		conds = append(conds, "(a.state <> 'suppressed' OR ca.case_id IS NOT NULL)")
	}
	where = "TRUE"
	if len(conds) > 0 {
		where = strings.Join(conds, " AND ")
	}
	if f.Status == "" || f.Status == AllAlerts {
		limit = f.Limit
	}
	return where, args, limit
}

// Match reports whether a matches f's status (the other fields, and the
// default's leaving out the suppressed, are matched by the store's query).
func (f AlertFilter) Match(a StoredAlert) bool {
	return f.Status == "" || f.Status == AllAlerts || a.Status() == f.Status
}

// Monitor keeps scans, alerts and cases (issue 13, part 4). Its writes read
// who writes from the context (WithActing) and append each row's audit
// record in the row's transaction.
type Monitor interface {
	// PutScan records a scan and its alerts: each alert is screened against
	// the patterns of dismissed cases (monitor.Screen, with sc.Margin) and
	// stored unless its id is already stored. It returns the scan as stored,
	// with its id and counts.
	PutScan(ctx context.Context, sc Scan, alerts []monitor.Alert) (Scan, error)
	// GetScan returns a scan, or a problem.NotFound error.
	GetScan(ctx context.Context, id int64) (Scan, error)
	// ListAlerts returns the stored alerts f matches, ranked by score (highest
	// first, then by id).
	ListAlerts(ctx context.Context, f AlertFilter) ([]StoredAlert, error)
	// GetAlert returns one alert, or a problem.NotFound error.
	GetAlert(ctx context.Context, id string) (StoredAlert, error)
	// OpenCase stores c (from monitor.NewCase) with its open event and
	// returns it with its id. An alert not stored is a problem.NotFound
	// error; an alert already in a case a problem.Conflict error.
	OpenCase(ctx context.Context, c monitor.Case) (monitor.Case, error)
	// AddCaseEvent appends e (a note, a confirmation, a dismissal) to case
	// id's history if it may follow it (monitor.Case.Next; otherwise a
	// problem.Invalid error, or problem.Conflict for a decided case) and
	// returns the case after it.
	AddCaseEvent(ctx context.Context, id int64, e monitor.Event) (monitor.Case, error)
	// GetCase returns a case with its alerts' ids and its history, or a
	// problem.NotFound error.
	GetCase(ctx context.Context, id int64) (monitor.Case, error)
	// ListCases returns the cases of a status (empty: all), newest first,
	// each with its alerts' ids and history.
	ListCases(ctx context.Context, status string) ([]monitor.Case, error)
}

// Audit actions of the monitor's rows.
const (
	ActionScan      = "monitor.scan"
	ActionAlert     = "monitor.alert"
	ActionCaseOpen  = "case.open"
	ActionCaseEvent = "case.event"
)

// CheckScan reports what is wrong with sc before a store writes it.
func CheckScan(sc Scan) error {
	var l problem.List
	if len(sc.AsOf) != 10 {
		l.Add(problem.Pos{}, "as_of", "store: scan: as-of date %q: want YYYY-MM-DD", sc.AsOf)
	}
	if sc.Margin < 0 {
		l.Add(problem.Pos{}, "margin", "store: scan: margin %v: want 0 or more", sc.Margin)
	}
	if sc.CreatedAt.IsZero() {
		l.Add(problem.Pos{}, "created_at", "store: scan: created-at time is not set")
	}
	return l.Err()
}

// CheckAlert reports what is wrong with an alert before a store writes it:
// its id must be its pattern's and window's (monitor.Alert.ComputeID).
func CheckAlert(i int, a monitor.Alert) error {
	if a.ID == "" || a.ID != a.ComputeID() {
		return &problem.Error{Code: problem.Invalid, Field: fmt.Sprintf("alerts[%d].id", i),
			Message: fmt.Sprintf("store: alert %d: id %q is not its pattern's and window's (%s)", i, a.ID, a.ComputeID())}
	}
	if a.Detector == "" || a.HS == "" {
		return &problem.Error{Code: problem.Invalid, Field: fmt.Sprintf("alerts[%d]", i),
			Message: fmt.Sprintf("store: alert %d (%s): detector and hs are required", i, a.ID)}
	}
	return nil
}

// ScanSubject is the audit subject of a scan.
func ScanSubject(id int64) string { return "scan:" + strconv.FormatInt(id, 10) }

// ScanDigest is the digest of a scan row's fields as a store keeps them.
func ScanDigest(sc Scan) string {
	return digest(nil, strconv.FormatInt(sc.ID, 10), sc.AsOf, strings.Join(sc.Detectors, ","), sc.Source, ftoa(sc.Margin),
		strconv.Itoa(sc.Alerts), strconv.Itoa(sc.Stored), strconv.Itoa(sc.Suppressed), strconv.Itoa(sc.Regrown),
		sc.Actor, Time(sc.CreatedAt).Format(time.RFC3339Nano))
}

// ScanAudit is the audit record of a scan row.
func ScanAudit(sc Scan) AuditRecord {
	d, _ := json.Marshal(rowDetail{Digest: ScanDigest(sc), Status: fmt.Sprintf("%d alerts, %d stored", sc.Alerts, sc.Stored)})
	return AuditRecord{At: sc.CreatedAt, Actor: sc.Actor, Action: ActionScan, Subject: ScanSubject(sc.ID), Detail: d}
}

// AlertRow is a monitor_alerts row: the alert's JSON and the columns that
// index it.
type AlertRow struct {
	ID, Detector, Importer, Exporter, HS, From, To, Pattern, State string
	Scan, StateCase                                                int64
	Score, Magnitude                                               float64
	Body                                                           []byte
}

// NewAlertRow is the row of a screened alert found by scan.
func NewAlertRow(scan int64, s monitor.Screened) (AlertRow, error) {
	a := s.Alert
	body, err := json.Marshal(a)
	if err != nil {
		return AlertRow{}, problem.Errorf(problem.Invalid, "store: alert %s: %v", a.ID, err)
	}
	return AlertRow{ID: a.ID, Detector: a.Detector, Importer: a.Importer, Exporter: a.Exporter, HS: a.HS,
		From: a.From.String(), To: a.To.String(), Pattern: a.Pattern(), State: s.State, Scan: scan, StateCase: s.Case,
		Score: a.Score, Magnitude: a.Magnitude, Body: body}, nil
}

// Stored decodes the row.
func (r AlertRow) Stored() (StoredAlert, error) {
	var a monitor.Alert
	if err := json.Unmarshal(r.Body, &a); err != nil {
		return StoredAlert{}, fmt.Errorf("alert %s: body: %w", r.ID, err)
	}
	return StoredAlert{Alert: a, Scan: r.Scan, State: r.State, StateCase: r.StateCase}, nil
}

// Subject is the row's audit subject.
func (r AlertRow) Subject() string { return "alert:" + r.ID }

// Digest is the digest of the row's fields.
func (r AlertRow) Digest() string {
	return digest(r.Body, r.ID, r.Detector, r.Importer, r.Exporter, r.HS, r.From, r.To, r.Pattern, r.State,
		strconv.FormatInt(r.Scan, 10), strconv.FormatInt(r.StateCase, 10), ftoa(r.Score), ftoa(r.Magnitude))
}

// Audit is the row's audit record, written by who.
func (r AlertRow) Audit(who Acting) AuditRecord {
	d, _ := json.Marshal(rowDetail{Digest: r.Digest(), Status: r.State})
	return AuditRecord{At: who.At, Actor: who.Actor, Action: ActionAlert, Subject: r.Subject(), Detail: d}
}

// CaseSubject is the audit subject of a case.
func CaseSubject(id int64) string { return "case:" + strconv.FormatInt(id, 10) }

// CaseDigest is the digest of a case row and its alerts, as a store keeps
// them (the alerts in their order).
func CaseDigest(c monitor.Case) string {
	return digest(nil, append([]string{strconv.FormatInt(c.ID, 10), c.Title, c.OpenedBy, Time(c.OpenedAt).Format(time.RFC3339Nano)}, c.Alerts...)...)
}

// CaseAudit is the audit record of a case's opening.
func CaseAudit(c monitor.Case) AuditRecord {
	d, _ := json.Marshal(rowDetail{Digest: CaseDigest(c), Name: c.Title})
	return AuditRecord{At: c.OpenedAt, Actor: c.OpenedBy, Action: ActionCaseOpen, Subject: CaseSubject(c.ID), Detail: d}
}

// CaseEventRow is a monitor_case_events row: the event and the status the
// case had after it.
type CaseEventRow struct {
	Case   int64
	Status string
	Event  monitor.Event
}

// Subject is the row's audit subject.
func (r CaseEventRow) Subject() string { return "case_event:" + strconv.FormatInt(r.Event.ID, 10) }

// Digest is the digest of the row's fields.
func (r CaseEventRow) Digest() string {
	e := r.Event
	return digest([]byte(e.Text), strconv.FormatInt(e.ID, 10), strconv.FormatInt(r.Case, 10), e.Kind, r.Status, e.Actor, Time(e.At).Format(time.RFC3339Nano))
}

// Audit is the row's audit record.
func (r CaseEventRow) Audit() AuditRecord {
	d, _ := json.Marshal(rowDetail{Digest: r.Digest(), Status: r.Status})
	return AuditRecord{At: r.Event.At, Actor: r.Event.Actor, Action: ActionCaseEvent, Subject: r.Subject(), Detail: d}
}

// CheckCaseStatus reports a case status filter that names no status.
func CheckCaseStatus(s string) error {
	switch s {
	case "", monitor.StatusOpen, monitor.StatusConfirmed, monitor.StatusDismissed:
		return nil
	}
	return &problem.Error{Code: problem.Invalid, Field: "status", Message: fmt.Sprintf("%q: want open, confirmed or dismissed", s)}
}

// MonitorRow holds a scan, alert, case or case event row, named by label,
// against its audit record.
func (c *AuditChain) MonitorRow(label, subject, dig string) {
	c.Monitor++
	c.row(label, false, subject, dig)
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// ScanCounts is sc as a store writes it, by who, for a scan that found n
// alerts of which fresh are new to the store.
func ScanCounts(sc Scan, who Acting, n int, fresh []monitor.Screened) Scan {
	sc.Actor, sc.CreatedAt = who.Actor, Time(sc.CreatedAt)
	sc.Alerts, sc.Stored, sc.Suppressed, sc.Regrown = n, len(fresh), 0, 0
	for _, x := range fresh {
		switch x.State {
		case monitor.StateSuppressed:
			sc.Suppressed++
		case monitor.StateRegrown:
			sc.Regrown++
		}
	}
	if sc.Detectors == nil {
		sc.Detectors = []string{}
	}
	return sc
}

// SplitDetectors reads a scan's detectors column.
func SplitDetectors(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// CheckNewCase reports what is wrong with a case before a store opens it:
// it must be what monitor.NewCase returns.
func CheckNewCase(c monitor.Case) error {
	if c.ID != 0 || len(c.Events) != 1 || c.Events[0].Kind != monitor.EventOpen || c.Status != monitor.StatusOpen {
		return problem.Errorf(problem.Invalid, "store: a case is opened as monitor.NewCase returns it: no id, one open event")
	}
	if _, err := monitor.NewCase(c.Title, c.Alerts, c.OpenedBy, c.OpenedAt); err != nil {
		return &problem.Error{Code: problem.Invalid, Message: err.Error()}
	}
	return nil
}

// CaseAlertFree reports, for alerts[i] (id), an alert that is not stored
// (stored false) or is already in case in.
func CaseAlertFree(i int, id string, stored bool, in int64) error {
	field := fmt.Sprintf("alerts[%d]", i)
	if !stored {
		return &problem.Error{Code: problem.NotFound, Field: field, Message: fmt.Sprintf("alert %s not found", id)}
	}
	if in != 0 {
		return &problem.Error{Code: problem.Conflict, Field: field, Message: fmt.Sprintf("alert %s is already in case %d", id, in)}
	}
	return nil
}

// CaseEventProblem is the problem an event that may not follow case c's
// history is: a conflict for a decided case, else invalid.
func CaseEventProblem(c monitor.Case, err error) error {
	code := problem.Invalid
	if c.Status != monitor.StatusOpen && strings.HasPrefix(err.Error(), "case ") {
		code = problem.Conflict
	}
	return &problem.Error{Code: code, Message: err.Error()}
}
