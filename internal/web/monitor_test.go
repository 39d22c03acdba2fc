package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/auth"
	"github.com/mineralpact/mineralpact/internal/monitor"
	"github.com/mineralpact/mineralpact/internal/store/sqlite"
	"github.com/mineralpact/mineralpact/internal/store/storetest"
)

// monitorPortal serves the portal over a store holding the monitor's three
// illustrative sample alerts (internal/monitor/testdata/cases-sample.jsonl).
func monitorPortal(t *testing.T) (*httptest.Server, *sqlite.Store, []monitor.Alert) {
	t.Helper()
	d, st := storeDeps(t)
	as := storetest.PutAlerts(t, st, "../monitor/testdata/cases-sample.jsonl")
	srv := httptest.NewServer(New(d))
	t.Cleanup(srv.Close)
	return srv, st, as
}

// signedIn is a client signed in to srv with a fresh token of role, and the
// CSRF token of its session's forms.
func signedIn(t *testing.T, srv *httptest.Server, st auth.TokenStore, role auth.Role, party string) (*http.Client, string) {
	t.Helper()
	c := client(t)
	resp, err := c.Get(srv.URL + "/signin")
	if err != nil {
		t.Fatal(err)
	}
	pre := csrfInput.FindStringSubmatch(body(t, resp))[1]
	resp, err = c.PostForm(srv.URL+"/signin", url.Values{"csrf": {pre}, "token": {issue(t, st, role, party)}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	resp, err = c.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	m := csrfInput.FindStringSubmatch(body(t, resp))
	if m == nil {
		t.Fatalf("signed in as %s: the home page has no sign-out form", role)
	}
	return c, m[1]
}

// TestMonitorPages: the public is sent to sign in, a customs officer is
// refused; an analyst reads the ranked alerts and an alert's evidence with
// no case forms; the secretariat opens a case, notes and dismisses it
// through the forms, which refuse a forged CSRF token; the history shows
// every step with its actor.
func TestMonitorPages(t *testing.T) {
	srv, st, as := monitorPortal(t)
	get := func(c *http.Client, target string) (int, string) {
		t.Helper()
		resp, err := c.Get(srv.URL + target)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, body(t, resp)
	}
	if code, b := get(client(t), "/monitor"); code != 401 || !strings.Contains(b, "/signin?next=%2Fmonitor") {
		t.Errorf("GET /monitor as the public = %d, want 401 with the way to sign in", code)
	}
	customs, _ := signedIn(t, srv, st, auth.Customs, "US")
	if code, _ := get(customs, "/monitor/alerts/"+as[0].ID); code != 403 {
		t.Errorf("GET an alert as customs = %d, want 403", code)
	}
	analyst, acsrf := signedIn(t, srv, st, auth.Analyst, "")
	code, b := get(analyst, "/monitor")
	if code != 200 || strings.Index(b, as[0].ID) > strings.Index(b, as[1].ID) || strings.Index(b, as[1].ID) > strings.Index(b, as[2].ID) || strings.Contains(b, `id="open-case"`) {
		t.Errorf("GET /monitor as an analyst = %d; want the alerts by score and no case form", code)
	}
	if code, b := get(analyst, "/monitor?detector=below_floor"); code != 200 || strings.Contains(b, as[0].ID) || !strings.Contains(b, as[2].ID) {
		t.Errorf("GET /monitor?detector=below_floor = %d; want the price alert only", code)
	}
	code, b = get(analyst, "/monitor/alerts/"+as[0].ID)
	for _, w := range []string{`id="chart-series"`, `"measure":1690848000`, "US imports from VN", "VN production (USGS MCS 2026)", "Art. 14", `id="no-case"`} {
		if !strings.Contains(b, w) {
			t.Errorf("the routing alert's page lacks %q", w)
		}
	}
	if code != 200 || strings.Contains(b, `id="open-form"`) {
		t.Errorf("an analyst's alert page = %d, with the secretariat's form", code)
	}
	if _, b := get(analyst, "/monitor/alerts/"+as[2].ID); !strings.Contains(b, `id="chart-distribution"`) || !strings.Contains(b, "7 of them below the floor 2026-07-01 at 11000") {
		t.Errorf("the price alert's page lacks its distribution against the floor")
	}
	post := func(c *http.Client, target string, form url.Values) (int, string) {
		t.Helper()
		resp, err := c.PostForm(srv.URL+target, form)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, resp.Header.Get("Location") + body(t, resp)
	}
	if code, _ := post(analyst, "/monitor/cases", url.Values{"csrf": {acsrf}, "alert": {as[0].ID}}); code != 403 {
		t.Errorf("an analyst opens a case = %d, want 403", code)
	}
	sec, csrf := signedIn(t, srv, st, auth.Secretariat, "")
	if code, _ := post(sec, "/monitor/cases", url.Values{"csrf": {"forged"}, "alert": {as[0].ID}}); code != 403 {
		t.Errorf("a case form with a forged CSRF token = %d, want 403", code)
	}
	if code, loc := post(sec, "/monitor/cases", url.Values{"csrf": {csrf}, "alert": {as[0].ID, as[1].ID}, "title": {"Gallium and graphite"}}); code != 303 || !strings.HasPrefix(loc, "/monitor/alerts/"+as[0].ID+"#case") {
		t.Fatalf("open a case = %d %q", code, loc)
	}
	for _, step := range []url.Values{
		{"kind": {"note"}, "text": {"asked VN customs"}, "alert": {as[1].ID}},
		{"kind": {"dismiss"}, "text": {"a new VN refinery explains it"}, "alert": {as[1].ID}},
	} {
		step.Set("csrf", csrf)
		if code, loc := post(sec, "/monitor/cases/1/events", step); code != 303 || !strings.HasPrefix(loc, "/monitor/alerts/"+as[1].ID) {
			t.Fatalf("%s = %d %q", step.Get("kind"), code, loc)
		}
	}
	if code, b := post(sec, "/monitor/cases/1/events", url.Values{"csrf": {csrf}, "kind": {"confirm"}, "text": {"x"}}); code != 409 || !strings.Contains(b, "only an open case") {
		t.Errorf("confirm a dismissed case = %d, want 409", code)
	}
	if code, _ := post(sec, "/monitor/cases/1/events", url.Values{"csrf": {csrf}, "kind": {"note"}, "text": {" "}}); code != 400 {
		t.Errorf("an empty note = %d, want 400", code)
	}
	_, b = get(sec, "/monitor/alerts/"+as[1].ID)
	for _, w := range []string{`id="case-status">dismissed`, "Gallium and graphite", "asked VN customs", "a new VN refinery explains it", `id="note-form"`} {
		if !strings.Contains(b, w) {
			t.Errorf("the case's history lacks %q", w)
		}
	}
	if strings.Contains(b, `id="decide-form"`) {
		t.Error("a dismissed case still offers confirm and dismiss")
	}
	if c, err := st.GetCase(context.Background(), 1); err != nil || c.Events[2].Actor == "" || !strings.Contains(c.Events[2].Actor, "secretariat") {
		t.Errorf("the dismissal's actor: %+v, %v; want the secretariat's token", c, err)
	}
}
