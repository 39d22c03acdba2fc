package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/mineralpact/mineralpact/internal/monitor"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/store"
)

var _ store.Monitor = (*Store)(nil)

// caseStatus is the status a case's last event left.
const caseStatus = `(SELECT e.status FROM monitor_case_events e WHERE e.case_id = %s ORDER BY e.id DESC LIMIT 1)`

// alertColumns are read by scanAlert, in its order.
var alertColumns = `a.id, a.scan_id, a.detector, a.importer, a.exporter, a.hs, a.period_from, a.period_to, a.score, a.magnitude,
	a.pattern, a.state, a.state_case, a.body, coalesce(ca.case_id, 0), coalesce(` + fmt.Sprintf(caseStatus, "ca.case_id") + `, '')
	FROM monitor_alerts a LEFT JOIN monitor_case_alerts ca ON ca.alert_id = a.id`

func scanAlertRow(row scanner) (store.AlertRow, int64, string, error) {
	var r store.AlertRow
	var body string
	var cas int64
	var status string
	err := row.Scan(&r.ID, &r.Scan, &r.Detector, &r.Importer, &r.Exporter, &r.HS, &r.From, &r.To, &r.Score, &r.Magnitude,
		&r.Pattern, &r.State, &r.StateCase, &body, &cas, &status)
	r.Body = []byte(body)
	return r, cas, status, err
}

func scanAlert(row scanner) (store.StoredAlert, error) {
	r, cas, status, err := scanAlertRow(row)
	if err != nil {
		return store.StoredAlert{}, err
	}
	a, err := r.Stored()
	a.Case, a.CaseStatus = cas, status
	return a, err
}

// PutScan records a scan and its new alerts, screened against the
// dismissed cases; see store.Monitor.
func (s *Store) PutScan(ctx context.Context, sc store.Scan, alerts []monitor.Alert) (store.Scan, error) {
	if err := store.CheckScan(sc); err != nil {
		return store.Scan{}, err
	}
	for i, a := range alerts {
		if err := store.CheckAlert(i, a); err != nil {
			return store.Scan{}, err
		}
	}
	who, err := store.ActingFrom(ctx)
	if err != nil {
		return store.Scan{}, err
	}
	const op = "put scan"
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return store.Scan{}, s.fail(op, err)
	}
	defer tx.Rollback()
	covered, err := queryCovered(ctx, tx)
	if err != nil {
		return store.Scan{}, s.fail(op, err)
	}
	screened, err := monitor.Screen(alerts, monitor.Dismissals(covered), sc.Margin)
	if err != nil {
		return store.Scan{}, &problem.Error{Code: problem.Invalid, Field: "margin", Message: err.Error()}
	}
	var fresh []monitor.Screened
	seen := map[string]bool{}
	for _, x := range screened {
		if seen[x.Alert.ID] {
			continue
		}
		seen[x.Alert.ID] = true
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM monitor_alerts WHERE id = ?`, x.Alert.ID).Scan(&n); err != nil {
			return store.Scan{}, s.fail(op, err)
		}
		if n == 0 {
			fresh = append(fresh, x)
		}
	}
	sc = store.ScanCounts(sc, who, len(alerts), fresh)
	if err := tx.QueryRowContext(ctx, `INSERT INTO monitor_scans (as_of, detectors, source, margin, alerts, stored, suppressed, regrown, actor, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, sc.AsOf, strings.Join(sc.Detectors, ","), sc.Source, sc.Margin,
		sc.Alerts, sc.Stored, sc.Suppressed, sc.Regrown, sc.Actor, formatTime(sc.CreatedAt)).Scan(&sc.ID); err != nil {
		return store.Scan{}, s.fail(op, err)
	}
	recs := []store.AuditRecord{store.ScanAudit(sc)}
	for _, x := range fresh {
		r, err := store.NewAlertRow(sc.ID, x)
		if err != nil {
			return store.Scan{}, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO monitor_alerts (id, scan_id, detector, importer, exporter, hs, period_from, period_to,
			score, magnitude, pattern, state, state_case, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ID, r.Scan, r.Detector, r.Importer, r.Exporter, r.HS, r.From, r.To, r.Score, r.Magnitude, r.Pattern, r.State, r.StateCase, string(r.Body)); err != nil {
			return store.Scan{}, s.fail(op, err)
		}
		recs = append(recs, r.Audit(who))
	}
	if _, err := s.appendAudit(ctx, tx, recs); err != nil {
		return store.Scan{}, s.fail(op, err)
	}
	if err := tx.Commit(); err != nil {
		return store.Scan{}, s.fail(op, err)
	}
	return sc, nil
}

// queryCovered reads the alerts of the dismissed cases.
func queryCovered(ctx context.Context, q querier) ([]monitor.Covered, error) {
	rows, err := q.QueryContext(ctx, `SELECT ca.case_id, a.pattern, a.magnitude, a.score
		FROM monitor_case_alerts ca JOIN monitor_alerts a ON a.id = ca.alert_id
		WHERE `+fmt.Sprintf(caseStatus, "ca.case_id")+` = 'dismissed' ORDER BY ca.case_id, ca.position`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []monitor.Covered
	for rows.Next() {
		var c monitor.Covered
		if err := rows.Scan(&c.Case, &c.Pattern, &c.Magnitude, &c.Score); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

const scanColumns = `id, as_of, detectors, source, margin, alerts, stored, suppressed, regrown, actor, created_at FROM monitor_scans`

func scanScan(row scanner) (store.Scan, error) {
	var sc store.Scan
	var detectors, at string
	if err := row.Scan(&sc.ID, &sc.AsOf, &detectors, &sc.Source, &sc.Margin, &sc.Alerts, &sc.Stored, &sc.Suppressed, &sc.Regrown, &sc.Actor, &at); err != nil {
		return sc, err
	}
	sc.Detectors = store.SplitDetectors(detectors)
	var err error
	sc.CreatedAt, err = parseTime(at)
	return sc, err
}

// GetScan returns a scan; see store.Monitor.
func (s *Store) GetScan(ctx context.Context, id int64) (store.Scan, error) {
	sc, err := scanScan(s.db.QueryRowContext(ctx, `SELECT `+scanColumns+` WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return sc, problem.Errorf(problem.NotFound, "scan %d not found", id)
	}
	if err != nil {
		return sc, s.fail("get scan", err)
	}
	return sc, nil
}

// ListAlerts returns the alerts f matches, ranked by score; see
// store.Monitor.
func (s *Store) ListAlerts(ctx context.Context, f store.AlertFilter) ([]store.StoredAlert, error) {
	if err := f.Check(); err != nil {
		return nil, err
	}
	where, args, limit := f.Where(func(int) string { return "?" })
	q := `SELECT ` + alertColumns + ` WHERE ` + where + ` ORDER BY a.score DESC, a.id`
	if limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", limit)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, s.fail("list alerts", err)
	}
	defer rows.Close()
	var out []store.StoredAlert
	for rows.Next() {
		a, err := scanAlert(rows)
		if err != nil {
			return nil, s.fail("list alerts", err)
		}
		if !f.Match(a) {
			continue
		}
		out = append(out, a)
		if f.Limit > 0 && len(out) == f.Limit {
			break
		}
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail("list alerts", err)
	}
	return out, nil
}

// GetAlert returns one alert; see store.Monitor.
func (s *Store) GetAlert(ctx context.Context, id string) (store.StoredAlert, error) {
	a, err := scanAlert(s.db.QueryRowContext(ctx, `SELECT `+alertColumns+` WHERE a.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, &problem.Error{Code: problem.NotFound, Field: "id", Message: fmt.Sprintf("alert %s not found", id)}
	}
	if err != nil {
		return a, s.fail("get alert", err)
	}
	return a, nil
}

// OpenCase stores a new case and its open event; see store.Monitor.
func (s *Store) OpenCase(ctx context.Context, c monitor.Case) (monitor.Case, error) {
	if err := store.CheckNewCase(c); err != nil {
		return c, err
	}
	const op = "open case"
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return c, s.fail(op, err)
	}
	defer tx.Rollback()
	for i, id := range c.Alerts {
		var n int
		var in sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT count(*), max(ca.case_id) FROM monitor_alerts a LEFT JOIN monitor_case_alerts ca ON ca.alert_id = a.id WHERE a.id = ?`, id).Scan(&n, &in); err != nil {
			return c, s.fail(op, err)
		}
		if err := store.CaseAlertFree(i, id, n > 0, in.Int64); err != nil {
			return c, err
		}
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO monitor_cases (title, opened_by, opened_at) VALUES (?, ?, ?) RETURNING id`,
		c.Title, c.OpenedBy, formatTime(c.OpenedAt)).Scan(&c.ID); err != nil {
		return c, s.fail(op, err)
	}
	c.OpenedAt = store.Time(c.OpenedAt)
	for i, id := range c.Alerts {
		if _, err := tx.ExecContext(ctx, `INSERT INTO monitor_case_alerts (alert_id, case_id, position) VALUES (?, ?, ?)`, id, c.ID, i); err != nil {
			return c, s.fail(op, err)
		}
	}
	recs := []store.AuditRecord{store.CaseAudit(c)}
	ev, err := insertEvent(ctx, tx, c.ID, monitor.StatusOpen, c.Events[0])
	if err != nil {
		return c, s.fail(op, err)
	}
	c.Events = []monitor.Event{ev.Event}
	recs = append(recs, ev.Audit())
	if _, err := s.appendAudit(ctx, tx, recs); err != nil {
		return c, s.fail(op, err)
	}
	if err := tx.Commit(); err != nil {
		return c, s.fail(op, err)
	}
	return c, nil
}

func insertEvent(ctx context.Context, tx *sql.Tx, cas int64, status string, e monitor.Event) (store.CaseEventRow, error) {
	e.At = store.Time(e.At)
	err := tx.QueryRowContext(ctx, `INSERT INTO monitor_case_events (case_id, kind, status, actor, at, text) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		cas, e.Kind, status, e.Actor, formatTime(e.At), e.Text).Scan(&e.ID)
	return store.CaseEventRow{Case: cas, Status: status, Event: e}, err
}

// AddCaseEvent appends an event to a case's history; see store.Monitor. The
// transaction holds SQLite's write lock from its start, so two decisions on
// one case are serialized and the second sees the first.
func (s *Store) AddCaseEvent(ctx context.Context, id int64, e monitor.Event) (monitor.Case, error) {
	op := fmt.Sprintf("case %d event", id)
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return monitor.Case{}, s.fail(op, err)
	}
	defer tx.Rollback()
	c, err := s.getCase(ctx, tx, id)
	if err != nil {
		return c, err
	}
	status, err := c.Next(e)
	if err != nil {
		return c, store.CaseEventProblem(c, err)
	}
	ev, err := insertEvent(ctx, tx, id, status, e)
	if err != nil {
		return c, s.fail(op, err)
	}
	if _, err := s.appendAudit(ctx, tx, []store.AuditRecord{ev.Audit()}); err != nil {
		return c, s.fail(op, err)
	}
	if err := tx.Commit(); err != nil {
		return c, s.fail(op, err)
	}
	c.Status = status
	c.Events = append(c.Events, ev.Event)
	return c, nil
}

// GetCase returns a case with its alerts and history; see store.Monitor.
func (s *Store) GetCase(ctx context.Context, id int64) (monitor.Case, error) {
	return s.getCase(ctx, s.db, id)
}

func (s *Store) getCase(ctx context.Context, q querier, id int64) (monitor.Case, error) {
	cs, err := queryCases(ctx, q, id, "")
	if err != nil {
		return monitor.Case{}, s.fail("read case", err)
	}
	if len(cs) == 0 {
		return monitor.Case{}, &problem.Error{Code: problem.NotFound, Field: "id", Message: fmt.Sprintf("case %d not found", id)}
	}
	return cs[0], nil
}

// ListCases returns the cases of a status, newest first; see store.Monitor.
func (s *Store) ListCases(ctx context.Context, status string) ([]monitor.Case, error) {
	if err := store.CheckCaseStatus(status); err != nil {
		return nil, err
	}
	cs, err := queryCases(ctx, s.db, 0, status)
	if err != nil {
		return nil, s.fail("list cases", err)
	}
	return cs, nil
}

// queryCases reads case id (0: every case) of status (empty: any), with
// their alerts and events, in three queries.
func queryCases(ctx context.Context, q querier, id int64, status string) ([]monitor.Case, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.id, c.title, c.opened_by, c.opened_at FROM monitor_cases c
		WHERE (? = 0 OR c.id = ?) AND (? = '' OR `+fmt.Sprintf(caseStatus, "c.id")+` = ?) ORDER BY c.id DESC`, id, id, status, status)
	if err != nil {
		return nil, err
	}
	var cs []monitor.Case
	at := map[int64]int{}
	for rows.Next() {
		var c monitor.Case
		var opened string
		if err := rows.Scan(&c.ID, &c.Title, &c.OpenedBy, &opened); err != nil {
			rows.Close()
			return nil, err
		}
		if c.OpenedAt, err = parseTime(opened); err != nil {
			rows.Close()
			return nil, err
		}
		at[c.ID] = len(cs)
		cs = append(cs, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, nil
	}
	arows, err := q.QueryContext(ctx, `SELECT case_id, alert_id FROM monitor_case_alerts WHERE ? = 0 OR case_id = ? ORDER BY case_id, position`, id, id)
	if err != nil {
		return nil, err
	}
	for arows.Next() {
		var cid int64
		var aid string
		if err := arows.Scan(&cid, &aid); err != nil {
			arows.Close()
			return nil, err
		}
		if i, ok := at[cid]; ok {
			cs[i].Alerts = append(cs[i].Alerts, aid)
		}
	}
	arows.Close()
	if err := arows.Err(); err != nil {
		return nil, err
	}
	erows, err := q.QueryContext(ctx, `SELECT id, case_id, kind, status, actor, at, text FROM monitor_case_events WHERE ? = 0 OR case_id = ? ORDER BY id`, id, id)
	if err != nil {
		return nil, err
	}
	defer erows.Close()
	for erows.Next() {
		r, err := scanEvent(erows)
		if err != nil {
			return nil, err
		}
		if i, ok := at[r.Case]; ok {
			cs[i].Events = append(cs[i].Events, r.Event)
			cs[i].Status = r.Status
		}
	}
	if err := erows.Err(); err != nil {
		return nil, err
	}
	return cs, nil
}

func scanEvent(row scanner) (store.CaseEventRow, error) {
	var r store.CaseEventRow
	var at string
	if err := row.Scan(&r.Event.ID, &r.Case, &r.Event.Kind, &r.Status, &r.Event.Actor, &at, &r.Event.Text); err != nil {
		return r, err
	}
	var err error
	r.Event.At, err = parseTime(at)
	return r, err
}

// verifyMonitor holds the monitor's rows against their audit records.
func verifyMonitor(ctx context.Context, q querier, c *store.AuditChain) error {
	srows, err := q.QueryContext(ctx, `SELECT `+scanColumns+` ORDER BY id`)
	if err != nil {
		return err
	}
	for srows.Next() {
		sc, err := scanScan(srows)
		if err != nil {
			srows.Close()
			return err
		}
		c.MonitorRow(fmt.Sprintf("scan row %d", sc.ID), store.ScanSubject(sc.ID), store.ScanDigest(sc))
	}
	srows.Close()
	if err := srows.Err(); err != nil {
		return err
	}
	arows, err := q.QueryContext(ctx, `SELECT `+alertColumns+` ORDER BY a.id`)
	if err != nil {
		return err
	}
	for arows.Next() {
		r, _, _, err := scanAlertRow(arows)
		if err != nil {
			arows.Close()
			return err
		}
		c.MonitorRow("alert row", r.Subject(), r.Digest())
	}
	arows.Close()
	if err := arows.Err(); err != nil {
		return err
	}
	cs, err := queryCases(ctx, q, 0, "")
	if err != nil {
		return err
	}
	for _, k := range cs {
		c.MonitorRow(fmt.Sprintf("case row %d", k.ID), store.CaseSubject(k.ID), store.CaseDigest(k))
	}
	erows, err := q.QueryContext(ctx, `SELECT id, case_id, kind, status, actor, at, text FROM monitor_case_events ORDER BY id`)
	if err != nil {
		return err
	}
	defer erows.Close()
	for erows.Next() {
		r, err := scanEvent(erows)
		if err != nil {
			return err
		}
		c.MonitorRow(fmt.Sprintf("case event row %d", r.Event.ID), r.Subject(), r.Digest())
	}
	return erows.Err()
}
