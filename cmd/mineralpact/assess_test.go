package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mineralpact/mineralpact/internal/duty"
)

const dutyTestAgreement = "../../internal/duty/testdata/agreement.yaml"

func TestAssessGolden(t *testing.T) {
	errsPath := filepath.Join(t.TempDir(), "errors.csv")
	out, stderr, code := runCLI(t, "assess", "--agreement", dutyTestAgreement, "--in", "testdata/assess-small.csv", "--errors", errsPath, "--duties")
	if code != exitOK {
		t.Fatalf("assess = exit %d: %s", code, stderr)
	}
	golden(t, "assess-small.csv.golden", out)
	// Without --duties: the same rows less the duties column.
	plain, stderr, code := runCLI(t, "assess", "--agreement", dutyTestAgreement, "--in", "testdata/assess-small.csv", "--errors", filepath.Join(t.TempDir(), "e.csv"))
	if code != exitOK {
		t.Fatalf("assess without --duties = exit %d: %s", code, stderr)
	}
	withDuties, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	cw := csv.NewWriter(&want)
	at := slices.Index(withDuties[0], "duties")
	if at < 0 {
		t.Fatalf("assess --duties: no duties column in %q", withDuties[0])
	}
	for _, rec := range withDuties {
		cw.Write(slices.Delete(rec, at, at+1))
	}
	cw.Flush()
	if plain != want.String() {
		t.Errorf("assess without --duties:\n%s\nwant the --duties output less its duties column:\n%s", plain, want.String())
	}
	errs, err := os.ReadFile(errsPath)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "assess-small.errors.golden", string(errs))
	if !strings.Contains(stderr, "rows read 7, assessed 5, rejected 2") {
		t.Errorf("summary: %q", stderr)
	}
	if strings.Contains(stderr, "\r") {
		t.Errorf("progress written to a pipe: %q", stderr)
	}
}

func TestAssessUnusableInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("id,when\n1,2\n"), 0o644)
	_, stderr, code := runCLI(t, "assess", "--agreement", dutyTestAgreement, "--in", bad)
	if code != exitInvalid || !strings.Contains(stderr, `unknown column "when"`) {
		t.Errorf("assess bad header = exit %d, %q", code, stderr)
	}
	_, stderr, code = runCLI(t, "assess")
	if code != exitUsage || !strings.Contains(stderr, "--in is required") {
		t.Errorf("assess without --in = exit %d, %q", code, stderr)
	}
}

func TestGenDeclarationsDeterministic(t *testing.T) {
	a, stderr, code := runCLI(t, "gen", "declarations", "--n", "200", "--seed", "4", "--bad-rate", "0.1")
	if code != exitOK {
		t.Fatalf("gen = exit %d: %s", code, stderr)
	}
	b, _, _ := runCLI(t, "gen", "declarations", "--n", "200", "--seed", "4", "--bad-rate", "0.1")
	if a != b || strings.Count(a, "\n") != 201 {
		t.Fatalf("gen is not deterministic or has %d lines", strings.Count(a, "\n"))
	}
	in := filepath.Join(t.TempDir(), "d.csv")
	os.WriteFile(in, []byte(a), 0o644)
	_, stderr, code = runCLI(t, "assess", "--in", in, "--out", filepath.Join(t.TempDir(), "o.csv"), "--errors", filepath.Join(t.TempDir(), "e.csv"))
	if code != exitOK || !strings.Contains(stderr, "rows read 200") {
		t.Fatalf("assess of generated = exit %d: %s", code, stderr)
	}
}

// TestFourEntryPoints runs the same declarations through the four ways in:
// assess on a CSV file, assess on a JSON Lines file, POST /v1/assessments and
// the /duty form of a running server. Codes are written in lower case and
// padded, as people type them; every entry point must read them with the one
// normaliser and give the same assessment, or reject the same field for the
// same reason. (Before, importer=us assessed in bulk and was refused by the
// API and the portal.)
func TestFourEntryPoints(t *testing.T) {
	decls := []map[string]string{
		{"id": "LC-1", "accepted_on": "2026-03-02", "importer": " us", "origin": "cl", "hs_code": "283691", "quantity": "20",
			"unit": "T", "customs_value": "150000", "currency": "usd", "incoterm": "fob"},
		{"id": "LC-2", "accepted_on": "2026-07-02", "importer": "de", "origin": "za", "hs_code": "2836.91", "quantity": "50",
			"unit": "t", "customs_value": "400000", "currency": "eur", "incoterm": "cif", "freight": "1200"},
		{"id": "LC-3", "accepted_on": "2026-03-02", "importer": "us", "origin": "cl", "hs_code": "28369", "quantity": "20",
			"unit": "t", "customs_value": "150000", "currency": "usd", "incoterm": "Fob"},
	}
	dir := t.TempDir()
	var csvIn, jsonIn strings.Builder
	csvIn.WriteString(strings.Join(duty.InputColumns, ",") + "\n")
	for _, d := range decls {
		row := make([]string, len(duty.InputColumns))
		for i, c := range duty.InputColumns {
			row[i] = d[c]
		}
		csvIn.WriteString(`"` + strings.Join(row, `","`) + "\"\n")
		b, _ := json.Marshal(d)
		jsonIn.Write(append(b, '\n'))
	}
	csvPath, jsonPath := filepath.Join(dir, "d.csv"), filepath.Join(dir, "d.jsonl")
	os.WriteFile(csvPath, []byte(csvIn.String()), 0o644)
	os.WriteFile(jsonPath, []byte(jsonIn.String()), 0o644)

	// 1. CLI, CSV.
	out, stderr, code := runCLI(t, "assess", "--in", csvPath, "--duties", "--errors", filepath.Join(dir, "e.csv"))
	if code != exitOK {
		t.Fatalf("assess CSV = exit %d: %s", code, stderr)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	fromCSV := map[string]duty.Result{}
	for _, rec := range recs[1:] {
		r, err := duty.ResultFromCSV(recs[0], rec)
		if err != nil {
			t.Fatal(err)
		}
		fromCSV[r.ID] = r
	}
	errRows, _ := os.ReadFile(filepath.Join(dir, "e.csv"))
	csvErrs, _ := csv.NewReader(bytes.NewReader(errRows)).ReadAll()
	if len(fromCSV) != 2 || len(csvErrs) != 2 || csvErrs[1][2] != "LC-3" || csvErrs[1][3] != "hs_code" {
		t.Fatalf("assess CSV assessed %v and rejected %v; want LC-1 and LC-2 assessed, LC-3 rejected on hs_code", fromCSV, csvErrs)
	}
	reason := csvErrs[1][4]

	// 2. CLI, JSON Lines with the trace.
	out, stderr, code = runCLI(t, "assess", "--in", jsonPath, "--trace", "--errors", filepath.Join(dir, "e.jsonl"))
	if code != exitOK {
		t.Fatalf("assess JSON Lines = exit %d: %s", code, stderr)
	}
	fromJSONL := map[string]duty.Result{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var r duty.Result
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		fromJSONL[r.ID] = r
	}

	// 3 and 4: a server, its API and its portal.
	db := filepath.Join(dir, "serve.db")
	// A customs officer assesses for its own party only (docs/access.md).
	officer := map[string]string{"us": issueToken(t, db, "customs", "US"), "de": issueToken(t, db, "customs", "EU")}
	base := startServer(t, db)
	for _, d := range decls {
		id := d["id"]
		body, _ := json.Marshal(d)
		req, _ := http.NewRequest(http.MethodPost, base+"/v1/assessments", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+officer[strings.TrimSpace(d["importer"])])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		answer, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		q := url.Values{}
		for k, v := range d {
			q.Set(k, v)
		}
		page := get(t, base+"/duty?"+q.Encode())

		if id == "LC-3" {
			var e struct {
				Error struct{ Field, Message string }
			}
			json.Unmarshal(answer, &e)
			if resp.StatusCode != http.StatusBadRequest || e.Error.Field != "hs_code" || !strings.Contains(e.Error.Message, reason) {
				t.Errorf("API on %s = %d %s; want 400 on hs_code with %q, as assess rejects it", id, resp.StatusCode, answer, reason)
			}
			if msg := elementText(page, `id="f-hs_code-error"`); msg != reason {
				t.Errorf("portal on %s shows %q beside hs_code; want %q, as assess rejects it", id, msg, reason)
			}
			continue
		}
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("API on %s = %d %s; want 201", id, resp.StatusCode, answer)
		}
		var api duty.Result
		if err := json.Unmarshal(answer, &api); err != nil {
			t.Fatal(err)
		}
		csvR, jsonR := fromCSV[id], fromJSONL[id]
		trace := jsonR.Trace
		jsonR.Trace = nil
		if !reflect.DeepEqual(jsonR, csvR) {
			t.Errorf("%s: assess JSON Lines = %+v, assess CSV = %+v", id, jsonR, csvR)
		}
		apiTrace := api.Trace
		api.Trace = nil
		if !reflect.DeepEqual(api, csvR) {
			t.Errorf("%s: POST /v1/assessments = %+v, assess CSV = %+v", id, api, csvR)
		}
		// The traces agree step by step; only the floor's publication may
		// differ, between a file run and a server that publishes.
		portal := cellTexts(page, `<td class="result">`)
		if len(trace) != len(apiTrace) || len(portal) != len(trace) {
			t.Fatalf("%s: traces of %d (assess), %d (API) and %d (portal) steps", id, len(trace), len(apiTrace), len(portal))
		}
		for i := range trace {
			a, b := trace[i], apiTrace[i]
			if a.Step == "floor" {
				a.Inputs, b.Inputs = nil, nil
			}
			if !reflect.DeepEqual(a, b) || portal[i] != a.Result {
				t.Errorf("%s: step %d: assess %+v, API %+v, portal %q", id, i, a, b, portal[i])
			}
		}
		if csvR.Party != map[string]string{"LC-1": "US", "LC-2": "EU"}[id] {
			t.Errorf("%s: assessed under %s", id, csvR.Party)
		}
	}
}

// startServer runs `serve` on a free local port over a new SQLite store and
// returns its base URL once it answers.
func startServer(t *testing.T, db string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", addr, "--db", "sqlite:" + db}, streams{in: strings.NewReader(""), out: io.Discard, err: io.Discard})
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	base := "http://" + addr
	for range 200 {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			return base
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited with %d", code)
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatal("serve did not answer")
	return ""
}

func get(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d", u, resp.StatusCode)
	}
	return string(b)
}

// elementText is the text of the element whose opening tag holds attr.
func elementText(page, attr string) string {
	i := strings.Index(page, attr)
	if i < 0 {
		return ""
	}
	rest := page[i:]
	rest = rest[strings.IndexByte(rest, '>')+1:]
	return html.UnescapeString(strings.TrimSpace(rest[:strings.IndexByte(rest, '<')]))
}

// cellTexts lists the text of every cell that opens with open.
func cellTexts(page, open string) []string {
	var out []string
	for _, part := range strings.Split(page, open)[1:] {
		out = append(out, html.UnescapeString(part[:strings.Index(part, "</td>")]))
	}
	return out
}

// TestAssessWriteFailure: assess and gen declarations exit 3 when their
// output cannot be written (standard output, --out, --errors), and 1 when the
// declarations cannot be read.
func TestAssessWriteFailure(t *testing.T) {
	in := "testdata/assess-small.csv"
	for _, args := range [][]string{
		{"assess", "--agreement", dutyTestAgreement, "--in", in, "--errors", filepath.Join(t.TempDir(), "e.csv")},
		{"gen", "declarations", "--n", "20"},
	} {
		var errb bytes.Buffer
		code := run(context.Background(), args, streams{in: strings.NewReader(""), out: failingWriter{}, err: &errb})
		if code != exitInternal || !strings.Contains(errb.String(), "cannot write standard output") {
			t.Errorf("mineralpact %s to a failing writer = exit %d, stderr %q; want %d", strings.Join(args, " "), code, errb.String(), exitInternal)
		}
	}
	missing := filepath.Join(t.TempDir(), "no", "such", "dir", "x.csv")
	for _, args := range [][]string{
		{"assess", "--agreement", dutyTestAgreement, "--in", in, "--out", missing},
		{"assess", "--agreement", dutyTestAgreement, "--in", in, "--errors", missing},
	} {
		if _, stderr, code := runCLI(t, args...); code != exitInternal || !strings.Contains(stderr, "cannot write "+missing) {
			t.Errorf("mineralpact %s = exit %d, %q; want %d", strings.Join(args, " "), code, stderr, exitInternal)
		}
	}
	if _, stderr, code := runCLI(t, "assess", "--in", missing); code != exitInvalid {
		t.Errorf("assess of a missing file = exit %d, %q; want %d", code, stderr, exitInvalid)
	}
}

// TestAssessProgress: the progress line is drawn on standard error when it
// is a terminal and the rows go to a file, never on a pipe.
func TestAssessProgress(t *testing.T) {
	args := []string{"assess", "--agreement", dutyTestAgreement, "--in", "testdata/assess-small.csv", "--out", filepath.Join(t.TempDir(), "o.csv"), "--errors", filepath.Join(t.TempDir(), "e.csv")}
	if _, stderr, _ := runAs(t, false, args...); strings.Contains(stderr, "\r") {
		t.Errorf("progress drawn on a pipe: %q", stderr)
	}
	if _, stderr, _ := runAs(t, true, args...); !strings.Contains(stderr, "assessing") {
		t.Errorf("no progress on a terminal: %q", stderr)
	}
}
