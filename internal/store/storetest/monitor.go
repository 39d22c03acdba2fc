package storetest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mineralpact/mineralpact/internal/monitor"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/store"
)

var monitorTests = []struct {
	name string
	run  func(t *testing.T, s store.Store)
}{
	{"monitor scan and alerts", testMonitorScan},
	{"monitor case lifecycle", testMonitorCase},
	{"monitor dismissed pattern suppressed until it regrows", testMonitorSuppression},
	{"monitor concurrent decisions on one case", testMonitorConcurrentDecisions},
}

// routingAlert is a routing alert through via with the given magnitude and
// score, over the window from..to (months of 2023–2024).
func routingAlert(via string, from, to int, magnitude, score float64) monitor.Alert {
	a := monitor.Alert{Detector: "routing", Importer: "US", Exporter: "CN", Via: via, HS: "811292",
		From: monitor.Period{Year: 2023 + (from-1)/12, Month: (from-1)%12 + 1}, To: monitor.Period{Year: 2023 + (to-1)/12, Month: (to-1)%12 + 1},
		Score: score, Magnitude: magnitude, Unit: "USD", Basis: "Art. 14", Summary: "imports through " + via + " rose",
		Evidence: monitor.Evidence{Series: []monitor.Series{{Name: "imports from " + via, Unit: "USD",
			Points: []monitor.Point{{Period: monitor.Period{Year: 2023, Month: 7}, Value: 10}, {Period: monitor.Period{Year: 2023, Month: 9}, Value: magnitude}}}}}}
	a.ID = a.ComputeID()
	return a
}

func scanOf(source string) store.Scan {
	return store.Scan{AsOf: "2024-06-30", Detectors: []string{"routing", "surge"}, Source: source, Margin: monitor.DefaultMargin, CreatedAt: base}
}

func putScan(t *testing.T, s store.Store, sc store.Scan, alerts ...monitor.Alert) store.Scan {
	t.Helper()
	got, err := s.PutScan(ctx(t), sc, alerts)
	if err != nil {
		t.Fatalf("PutScan(%s) error: %v", sc.Source, err)
	}
	return got
}

func alertIDs(as []store.StoredAlert) string {
	var ids []string
	for _, a := range as {
		ids = append(ids, a.Alert.Via+":"+a.Status())
	}
	return strings.Join(ids, " ")
}

// testMonitorScan: a scan's alerts read back whole, ranked by score and
// filtered; an alert found again keeps its first row.
func testMonitorScan(t *testing.T, s store.Store) {
	vn, my, th := routingAlert("VN", 9, 15, 2e6, 4), routingAlert("MY", 9, 15, 1e6, 7.5), routingAlert("TH", 9, 15, 5e5, 1.2)
	th.Detector, th.HS = "surge", "250410"
	th.ID = th.ComputeID()
	sc := putScan(t, s, scanOf("one.csv"), vn, my, th, vn)
	if sc.ID == 0 || sc.Alerts != 4 || sc.Stored != 3 || sc.Actor != "storetest" || !sc.CreatedAt.Equal(store.Time(base)) {
		t.Fatalf("PutScan = %+v; want an id, 4 alerts of which 3 stored (one twice), by storetest", sc)
	}
	if got, err := s.GetScan(ctx(t), sc.ID); err != nil || got.Stored != 3 || strings.Join(got.Detectors, ",") != "routing,surge" || got.Source != "one.csv" {
		t.Errorf("GetScan(%d) = %+v, %v", sc.ID, got, err)
	}
	all, err := s.ListAlerts(ctx(t), store.AlertFilter{})
	if err != nil || alertIDs(all) != "MY:new VN:new TH:new" {
		t.Fatalf("ListAlerts() = %s, %v; want MY VN TH by score, all new", alertIDs(all), err)
	}
	got, err := s.GetAlert(ctx(t), vn.ID)
	if err != nil || got.Scan != sc.ID || got.Alert.Summary != vn.Summary || len(got.Alert.Evidence.Series) != 1 ||
		got.Alert.Evidence.Series[0].Points[1].Value != 2e6 || got.Alert.From != vn.From || got.Alert.Magnitude != vn.Magnitude {
		t.Errorf("GetAlert(%s) = %+v, %v; want it as put", vn.ID, got, err)
	}
	for _, c := range []struct {
		f    store.AlertFilter
		want string
	}{
		{store.AlertFilter{Detector: "surge"}, "TH:new"},
		{store.AlertFilter{HS: "811292"}, "MY:new VN:new"},
		{store.AlertFilter{Exporter: "CN", Importer: "US", Limit: 1}, "MY:new"},
		{store.AlertFilter{Importer: "EU"}, ""},
		{store.AlertFilter{Status: "open"}, ""},
	} {
		got, err := s.ListAlerts(ctx(t), c.f)
		if err != nil || alertIDs(got) != c.want {
			t.Errorf("ListAlerts(%+v) = %q, %v; want %q", c.f, alertIDs(got), err, c.want)
		}
	}
	again := putScan(t, s, scanOf("two.csv"), vn)
	if again.Stored != 0 || again.Alerts != 1 {
		t.Errorf("the same alert scanned again: %+v; want found, not stored", again)
	}
	if got, _ := s.GetAlert(ctx(t), vn.ID); got.Scan != sc.ID {
		t.Errorf("the alert found again names scan %d, want its first, %d", got.Scan, sc.ID)
	}
	_, err = s.GetAlert(ctx(t), "0000000000000000")
	wantCode(t, "GetAlert(unknown)", err, problem.NotFound, "0000000000000000")
	_, err = s.ListAlerts(ctx(t), store.AlertFilter{Status: "closed"})
	wantCode(t, "ListAlerts(status closed)", err, problem.Invalid, "closed")
	bad := vn
	bad.ID = "feedfeedfeedfeed"
	_, err = s.PutScan(ctx(t), scanOf("bad"), []monitor.Alert{bad})
	wantCode(t, "PutScan(alert with a forged id)", err, problem.Invalid, "alerts[0].id")
	if _, err := s.PutScan(context.Background(), scanOf("anon"), []monitor.Alert{my}); err == nil {
		t.Error("a scan without an actor was stored; want it refused")
	}
}

// testMonitorCase: a case opened from alerts, noted, dismissed; its history
// reads back in order, and the alerts take its status.
func testMonitorCase(t *testing.T, s store.Store) {
	vn, my := routingAlert("VN", 9, 15, 2e6, 4), routingAlert("MY", 9, 15, 1e6, 7.5)
	putScan(t, s, scanOf("one.csv"), vn, my)
	c, err := monitor.NewCase("Routing through VN", []string{vn.ID}, "sec-1", base)
	if err != nil {
		t.Fatal(err)
	}
	opened, err := s.OpenCase(ctx(t), c)
	if err != nil || opened.ID == 0 || opened.Status != monitor.StatusOpen || len(opened.Events) != 1 || opened.Events[0].ID == 0 {
		t.Fatalf("OpenCase = %+v, %v; want an id and its open event", opened, err)
	}
	again, _ := monitor.NewCase("", []string{my.ID, vn.ID}, "sec-2", base)
	_, err = s.OpenCase(ctx(t), again)
	wantCode(t, "OpenCase(an alert already in a case)", err, problem.Conflict, vn.ID, "alerts[1]")
	missing, _ := monitor.NewCase("", []string{"0000000000000000"}, "sec-2", base)
	_, err = s.OpenCase(ctx(t), missing)
	wantCode(t, "OpenCase(an alert not stored)", err, problem.NotFound, "0000000000000000")
	steps := []monitor.Event{
		{Kind: monitor.EventNote, Actor: "sec-1", At: base.Add(time.Hour), Text: "asked VN customs"},
		{Kind: monitor.EventDismiss, Actor: "sec-2", At: base.Add(2 * time.Hour), Text: "a new VN refinery explains it"},
	}
	for _, e := range steps {
		if _, err := s.AddCaseEvent(ctx(t), opened.ID, e); err != nil {
			t.Fatalf("AddCaseEvent(%s) error: %v", e.Kind, err)
		}
	}
	_, err = s.AddCaseEvent(ctx(t), opened.ID, monitor.Event{Kind: monitor.EventConfirm, Actor: "sec-1", At: base.Add(3 * time.Hour), Text: "no"})
	wantCode(t, "AddCaseEvent(confirm a dismissed case)", err, problem.Conflict, "dismissed")
	_, err = s.AddCaseEvent(ctx(t), opened.ID, monitor.Event{Kind: monitor.EventNote, Actor: "sec-1", At: base.Add(3 * time.Hour)})
	wantCode(t, "AddCaseEvent(empty note)", err, problem.Invalid, "text")
	_, err = s.AddCaseEvent(ctx(t), 999, steps[0])
	wantCode(t, "AddCaseEvent(unknown case)", err, problem.NotFound, "999")
	got, err := s.GetCase(ctx(t), opened.ID)
	if err != nil || got.Status != monitor.StatusDismissed || got.Title != "Routing through VN" || len(got.Events) != 3 ||
		got.Events[2].Actor != "sec-2" || !got.Events[1].At.Equal(store.Time(base.Add(time.Hour))) || got.Events[1].Text != "asked VN customs" ||
		len(got.Alerts) != 1 || got.Alerts[0] != vn.ID || !got.OpenedAt.Equal(store.Time(base)) {
		t.Fatalf("GetCase(%d) = %+v, %v; want dismissed after open, note, dismiss", opened.ID, got, err)
	}
	if _, err := monitor.Replay(got); err != nil {
		t.Errorf("the stored history does not replay: %v", err)
	}
	second, _ := monitor.NewCase("", []string{my.ID}, "sec-2", base.Add(time.Minute))
	if _, err := s.OpenCase(ctx(t), second); err != nil {
		t.Fatal(err)
	}
	for status, want := range map[string]int{"": 2, "open": 1, "dismissed": 1, "confirmed": 0} {
		cs, err := s.ListCases(ctx(t), status)
		if err != nil || len(cs) != want {
			t.Errorf("ListCases(%q) = %d cases, %v; want %d", status, len(cs), err, want)
		}
	}
	if cs, _ := s.ListCases(ctx(t), ""); len(cs) == 2 && (cs[0].ID < cs[1].ID || len(cs[0].Events) != 1) {
		t.Errorf("ListCases() = %+v; want newest first, each with its history", cs)
	}
	_, err = s.ListCases(ctx(t), "closed")
	wantCode(t, "ListCases(closed)", err, problem.Invalid, "closed")
	if as, err := s.ListAlerts(ctx(t), store.AlertFilter{}); err != nil || alertIDs(as) != "MY:open VN:dismissed" || as[1].Case != opened.ID {
		t.Errorf("ListAlerts() = %s, %v; want the alerts with their cases' statuses", alertIDs(as), err)
	}
	if audit, err := s.ListAudit(ctx(t), store.CaseSubject(opened.ID), 0); err != nil || len(audit) != 1 || audit[0].Actor != "sec-1" || audit[0].Action != store.ActionCaseOpen {
		t.Errorf("the case's audit = %+v, %v; want its opening by sec-1", audit, err)
	}
}

// testMonitorSuppression: after a dismissal, the pattern found again over a
// later window is stored as suppressed; once it grows past the margin, as
// regrown, naming the dismissed case.
func testMonitorSuppression(t *testing.T, s store.Store) {
	first := routingAlert("VN", 9, 15, 1e6, 4)
	putScan(t, s, scanOf("2024-03"), first)
	c, _ := monitor.NewCase("", []string{first.ID}, "sec-1", base)
	opened, err := s.OpenCase(ctx(t), c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddCaseEvent(ctx(t), opened.ID, monitor.Event{Kind: monitor.EventDismiss, Actor: "sec-1", At: base, Text: "explained"}); err != nil {
		t.Fatal(err)
	}
	same, grown := routingAlert("VN", 9, 16, 1.2e6, 4), routingAlert("VN", 9, 17, 1.3e6, 4)
	other := routingAlert("MY", 9, 16, 1.2e6, 4)
	sc := putScan(t, s, scanOf("2024-04"), same, grown, other)
	if sc.Stored != 3 || sc.Suppressed != 1 || sc.Regrown != 1 {
		t.Errorf("the scan after the dismissal: %+v; want 3 stored, 1 suppressed, 1 regrown", sc)
	}
	for _, w := range []struct {
		id, state string
		cas       int64
	}{{same.ID, monitor.StateSuppressed, opened.ID}, {grown.ID, monitor.StateRegrown, opened.ID}, {other.ID, monitor.StateNew, 0}} {
		a, err := s.GetAlert(ctx(t), w.id)
		if err != nil || a.State != w.state || a.StateCase != w.cas {
			t.Errorf("GetAlert(%s) = %s case %d, %v; want %s case %d", w.id, a.State, a.StateCase, err, w.state, w.cas)
		}
	}
	if as, err := s.ListAlerts(ctx(t), store.AlertFilter{Status: monitor.StateRegrown}); err != nil || len(as) != 1 || as[0].Alert.ID != grown.ID {
		t.Errorf("ListAlerts(regrown) = %s, %v; want the grown alert", alertIDs(as), err)
	}
	// By default the suppressed alert is not raised; all and suppressed
	// show it.
	for status, want := range map[string]int{"": 3, store.AllAlerts: 4, monitor.StateSuppressed: 1} {
		if as, err := s.ListAlerts(ctx(t), store.AlertFilter{Status: status}); err != nil || len(as) != want {
			t.Errorf("ListAlerts(status %q) = %s, %v; want %d alerts", status, alertIDs(as), err, want)
		}
	}
}

// testMonitorConcurrentDecisions: eight secretaries confirm or dismiss one
// open case at once; exactly one decides it, the others are told it is
// decided (a conflict), and the history holds one decision.
func testMonitorConcurrentDecisions(t *testing.T, s store.Store) {
	a := routingAlert("VN", 9, 15, 1e6, 4)
	putScan(t, s, scanOf("one"), a)
	c, _ := monitor.NewCase("", []string{a.ID}, "sec-0", base)
	c, err := s.OpenCase(ctx(t), c)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			kind := monitor.EventConfirm
			if i%2 == 1 {
				kind = monitor.EventDismiss
			}
			_, errs[i] = s.AddCaseEvent(ctx(t), c.ID, monitor.Event{Kind: kind, Actor: fmt.Sprintf("sec-%d", i), At: base.Add(time.Minute), Text: "decided"})
		}()
	}
	wg.Wait()
	won := 0
	for i, err := range errs {
		switch {
		case err == nil:
			won++
		case problem.CodeOf(err) != problem.Conflict:
			t.Errorf("decision %d: %v, want a conflict or success", i, err)
		}
	}
	got, err := s.GetCase(ctx(t), c.ID)
	if won != 1 || err != nil || len(got.Events) != 2 || got.Status == monitor.StatusOpen {
		t.Fatalf("%d decisions won; the case: %+v, %v; want one decision in its history", won, got, err)
	}
	// A confirmed or dismissed case is noted still.
	if after, err := s.AddCaseEvent(ctx(t), c.ID, monitor.Event{Kind: monitor.EventNote, Actor: "sec-0", At: base.Add(time.Hour), Text: "filed"}); err != nil || after.Status != got.Status || len(after.Events) != 3 {
		t.Errorf("a note on the decided case: %+v, %v", after, err)
	}
}

// RunMonitorAudit holds the monitor's rows to their audit records: a scan,
// an alert, a case and its events edited, deleted or written behind the
// store's back are named by audit verify. open is as RunRowAudit's.
func RunMonitorAudit(t *testing.T, open func(t *testing.T) (store.Store, func(sql string) error)) {
	tampers := []struct {
		name string
		sql  []string
		want string
	}{
		{"honest", nil, ""},
		{"alert score raised", []string{`UPDATE monitor_alerts SET score = 99`}, "alert row (alert:"},
		{"alert body edited", []string{`UPDATE monitor_alerts SET body = replace(body, 'rose', 'fell')`}, "alert row (alert:"},
		{"alert state flipped", []string{`UPDATE monitor_alerts SET state = 'suppressed'`}, "differs from what audit record"},
		{"dismissal reworded", []string{`UPDATE monitor_case_events SET text = 'confirmed after all' WHERE kind = 'dismiss'`}, "case event row"},
		{"dismissal deleted", []string{`DELETE FROM monitor_case_events WHERE kind = 'dismiss'`}, "the case event row audit record"},
		{"case alert swapped", []string{`DELETE FROM monitor_case_alerts`}, "case row"},
		{"scan count edited", []string{`UPDATE monitor_scans SET stored = 0`}, "scan row"},
		{"note written behind the back", []string{`INSERT INTO monitor_case_events (case_id, kind, status, actor, at, text)
			SELECT case_id, 'note', status, actor, at, 'forged' FROM monitor_case_events WHERE kind = 'open'`}, "has no audit record"},
	}
	for _, tt := range tampers {
		t.Run(tt.name, func(t *testing.T) {
			c := acting(context.Background())
			st, exec := open(t)
			ac, ok := st.(store.AuditChecker)
			if !ok {
				t.Fatalf("%T does not verify its audit trail", st)
			}
			a := routingAlert("VN", 9, 15, 1e6, 4)
			if _, err := st.PutScan(c, scanOf("one"), []monitor.Alert{a}); err != nil {
				t.Fatal(err)
			}
			k, _ := monitor.NewCase("", []string{a.ID}, "sec-1", base)
			k, err := st.OpenCase(c, k)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := st.AddCaseEvent(c, k.ID, monitor.Event{Kind: monitor.EventDismiss, Actor: "sec-2", At: base, Text: "explained"}); err != nil {
				t.Fatal(err)
			}
			chain, err := ac.VerifyAudit(c, true)
			// A scan, an alert, a case, its open and dismiss events.
			if err != nil || !chain.Intact() || chain.Monitor != 5 {
				t.Fatalf("honest store: %+v, %v; want intact, 5 monitor rows checked", chain, err)
			}
			if tt.sql == nil {
				return
			}
			chain, err = tamper(t, c, ac, exec, tt.sql)
			if err != nil || chain.Broken != "" || chain.RowFaults == 0 || !strings.Contains(chain.Rows[0], tt.want) {
				t.Fatalf("after %s: %+v, %v; want a row fault: %s", tt.name, chain, err, tt.want)
			}
		})
	}
}

// PutAlerts stores the alerts of a JSON Lines file (a scan's output, such
// as internal/monitor/testdata/cases-sample.jsonl) as one scan, for the
// tests of the stores' consumers, and returns them.
func PutAlerts(t testing.TB, st store.Monitor, path string) []monitor.Alert {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	as, err := monitor.ReadAlerts(f, filepath.Base(path))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	c := store.WithActing(context.Background(), store.Acting{Actor: "test scan", At: at})
	if _, err := st.PutScan(c, store.Scan{AsOf: "2024-06-30", Source: filepath.Base(path), Margin: monitor.DefaultMargin, CreatedAt: at}, as); err != nil {
		t.Fatal(err)
	}
	return as
}
