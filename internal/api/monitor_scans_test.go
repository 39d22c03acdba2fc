package api

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mineralpact/mineralpact/internal/auth"
)

// TestMonitorScanJob: the secretariat scans the shipped China export data
// as a job; once done its alerts are stored and listed, and the same scan
// again stores nothing new; an inline Comtrade file is read too; bad
// requests are errors at their fields; an analyst may not scan.
func TestMonitorScanJob(t *testing.T) {
	d := simDeps(t)
	s, v := New(d), simValidator(t)
	sec, analyst := bearer(t, s, auth.Secretariat, ""), bearer(t, s, auth.Analyst, "")
	call := apiCall(t, s, v)
	wait := func(loc string) map[string]any {
		t.Helper()
		for end := time.Now().Add(60 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
			if _, m := call(analyst, "GET", loc, ""); m["status"] == "done" || m["status"] == "failed" {
				return m
			}
		}
		t.Fatalf("scan %s did not finish", loc)
		return nil
	}
	w, m := call(sec, "POST", "/v1/monitor/scans", `{"as_of": "2024-12-31", "dataset": "china-exports"}`)
	if w.Code != 202 || m["status"] != "queued" || !strings.HasPrefix(w.Header().Get("Location"), "/v1/monitor/scans/") {
		t.Fatalf("POST /v1/monitor/scans = %d %v", w.Code, m)
	}
	run := wait(w.Header().Get("Location"))
	res, _ := run["result"].(map[string]any)
	if run["status"] != "done" || res == nil || res["alerts"].(float64) == 0 || res["stored"] != res["alerts"] || !strings.Contains(res["actor"].(string), "secretariat") {
		t.Fatalf("the China scan = %v", run)
	}
	_, list := call(analyst, "GET", "/v1/alerts?exporter=CN", "")
	if as := list["alerts"].([]any); float64(len(as)) != res["alerts"].(float64) {
		t.Errorf("GET /v1/alerts lists %d alerts, the scan stored %v", len(as), res["alerts"])
	}
	w, _ = call(sec, "POST", "/v1/monitor/scans", `{"as_of": "2024-12-31", "dataset": "china-exports"}`)
	if again := wait(w.Header().Get("Location"))["result"].(map[string]any); again["stored"] != float64(0) {
		t.Errorf("the same scan again stored %v alerts, want none", again["stored"])
	}

	// An inline Comtrade file: a US import series from CN that jumps.
	rows := "period,reporterISO,partnerISO,flowCode,cmdCode,primaryValue,netWgt\\n"
	for i := 0; i < 36; i++ {
		v := 100000 + (i%3)*1000
		if i >= 24 {
			v = 900000 + (i%3)*1000
		}
		rows += strconv.Itoa(2022+i/12) + twoDigits(i%12+1) + ",USA,CHN,M,811292," + strconv.Itoa(v) + ",1000\\n"
	}
	w, m = call(sec, "POST", "/v1/monitor/scans", `{"as_of": "2024-12-31", "detectors": ["surge"], "flows": [{"name": "us-gallium.csv", "format": "comtrade", "text": "`+rows+`"}]}`)
	if w.Code != 202 {
		t.Fatalf("POST an inline file = %d %v", w.Code, m)
	}
	if run := wait(w.Header().Get("Location")); run["status"] != "done" || !strings.Contains(run["run"].(string), "us-gallium.csv") {
		t.Errorf("the inline scan = %v", run)
	}

	for _, c := range []struct {
		who, body string
		status    int
		field     string
	}{
		{analyst, `{"as_of": "2024-12-31", "dataset": "china-exports"}`, 403, ""},
		{sec, `{"dataset": "china-exports"}`, 400, "as_of"},
		{sec, `{"as_of": "2024-12-31"}`, 400, "flows"},
		{sec, `{"as_of": "2024-12-31", "dataset": "nowhere"}`, 400, "dataset"},
		{sec, `{"as_of": "2024-12-31", "dataset": "china-exports", "detectors": ["hunch"]}`, 400, "detectors[0]"},
		{sec, `{"as_of": "2024-12-31", "flows": [{"format": "baci", "text": "t,i,j,k,v,q\n"}]}`, 400, "baci_codes"},
		{sec, `{"as_of": "2024-12-31", "flows": [{"format": "xlsx", "text": ""}]}`, 400, "flows[0].format"},
		{sec, `{"as_of": "2024-12-31", "dataset": "china-exports", "margin": -1}`, 400, "margin"},
	} {
		w, _ := call(c.who, "POST", "/v1/monitor/scans", c.body)
		if e := errorOf(w.Body.Bytes()); w.Code != c.status || e.Field != c.field {
			t.Errorf("POST /v1/monitor/scans %s = %d %s; want %d at %q", c.body, w.Code, w.Body, c.status, c.field)
		}
	}
	// A file that does not read fails the job, naming file, row and column.
	w, _ = call(sec, "POST", "/v1/monitor/scans", `{"as_of": "2024-12-31", "flows": [{"name": "bad.csv", "format": "comtrade", "text": "period,reporterISO\n202301,USA\n"}]}`)
	if run := wait(w.Header().Get("Location")); run["status"] != "failed" || !strings.Contains(run["error"].(string), "bad.csv") {
		t.Errorf("a scan of a bad file = %v, want failed naming the file", run)
	}
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
