package api

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mineralpact/mineralpact/internal/auth"
)

// batchClient bounds each batch of the tests in time (the largest takes
// a few seconds).
var batchClient = &http.Client{Timeout: 3 * time.Minute}

// batchServer serves s over a real socket, with serve's timeouts but a read
// timeout of readTimeout, so that a batch that outlives it shows the server
// extends the deadline.
func batchServer(t *testing.T, s *Server, readTimeout time.Duration) *httptest.Server {
	t.Helper()
	hs := httptest.NewUnstartedServer(s)
	hs.Config.ReadHeaderTimeout = 10 * time.Second
	hs.Config.ReadTimeout = readTimeout
	hs.Config.IdleTimeout = 2 * time.Minute
	hs.Start()
	t.Cleanup(hs.Close)
	return hs
}

// batchInput is a batch of about size bytes: declarations with ids
// <prefix>-<n>, every 97th line not JSON and, past 200 KB, every 1000th
// line padded past the 64 KiB a line may have. Lines are padded with spaces
// inside the object so that large batches stay a few thousand assessments.
// It returns the body and, per line, the id answered or "" for an error line.
func batchInput(prefix string, size int) ([]byte, []string) {
	var b bytes.Buffer
	var want []string
	pad := 0
	if size > 1<<20 {
		pad = 16 << 10 // 16 KiB a line: 50 MB is about 3,000 lines
	}
	for n := 1; b.Len() < size; n++ {
		switch {
		case n%97 == 0:
			b.WriteString(`{"id": "broken`)
			want = append(want, "")
		case size > 200<<10 && n%1000 == 0:
			b.WriteString(`{"id": "long", "x": "` + strings.Repeat("x", maxDeclarationBytes) + `"}`)
			want = append(want, "")
		default:
			id := fmt.Sprintf("%s-%d", prefix, n)
			d := declaration(id, "US")
			b.WriteString(d[:len(d)-1] + strings.Repeat(" ", pad) + "}")
			want = append(want, id)
		}
		b.WriteByte('\n')
	}
	return b.Bytes(), want
}

// checkAnswers holds the answer lines to want: one line per input line, in
// order, the assessment of the id or the line's error, and nothing else.
func checkAnswers(t *testing.T, what string, answer []byte, want []string) {
	t.Helper()
	lines := bytes.Split(bytes.TrimSuffix(answer, []byte("\n")), []byte("\n"))
	if len(answer) == 0 {
		lines = nil
	}
	if len(lines) != len(want) {
		t.Errorf("%s: %d answer lines for %d lines sent, want one each", what, len(lines), len(want))
	}
	for i, l := range lines[:min(len(lines), len(want))] {
		var m struct {
			ID    string `json:"id"`
			Line  int    `json:"line"`
			Cut   bool   `json:"cut"`
			Error *struct {
				Code string `json:"code"`
			} `json:"error"`
		}
		if err := json.Unmarshal(l, &m); err != nil {
			t.Fatalf("%s: answer line %d %.200q: %v", what, i+1, l, err)
		}
		switch {
		case m.Cut:
			t.Fatalf("%s: answer line %d says the batch was cut: %.300s", what, i+1, l)
		case want[i] == "" && (m.Error == nil || m.Line != i+1):
			t.Fatalf("%s: answer line %d = %.200s, want the error of line %d", what, i+1, l, i+1)
		case want[i] != "" && m.ID != want[i]:
			t.Fatalf("%s: answer line %d = %.300s, want the assessment of %s", what, i+1, l, want[i])
		}
	}
}

// TestBatchOneAnswerPerLine sends batches of 1 KB to 50 MB with the standard
// library's client (a known length, and chunked from a pipe) and with curl,
// to a server whose read timeout is shorter than the longest upload, and
// holds each answer to one line per line sent, in order, with the trailer
// saying the batch is complete (issue 12, part 3).
func TestBatchOneAnswerPerLine(t *testing.T) {
	s, _ := dutyServer(t)
	authz := bearer(t, s, auth.Customs, "US")
	hs := batchServer(t, s, 2*time.Second)
	sizes := []int{1 << 10, 66 << 10, 315 << 10, 1 << 20, 10 << 20, 50 << 20}
	if testing.Short() {
		sizes = sizes[:4]
	}
	curl, _ := exec.LookPath("curl")
	for _, size := range sizes {
		for _, client := range []string{"go", "go-chunked", "curl"} {
			name := fmt.Sprintf("%s/%dKB", client, size>>10)
			t.Run(name, func(t *testing.T) {
				body, want := batchInput(strings.ReplaceAll(name, "/", "-"), size)
				var answer []byte
				var status string
				switch client {
				case "go", "go-chunked":
					var rd io.Reader = bytes.NewReader(body)
					if client == "go-chunked" { // no Content-Length, sent slowly enough to outlive the read timeout when large
						pr, pw := io.Pipe()
						go func() {
							for b := body; len(b) > 0; {
								n := min(len(b), 1<<20)
								pw.Write(b[:n])
								b = b[n:]
								if size >= 10<<20 {
									time.Sleep(50 * time.Millisecond)
								}
							}
							pw.Close()
						}()
						rd = pr
					}
					req, _ := http.NewRequest("POST", hs.URL+"/v1/assessments:batch", rd)
					req.Header.Set("Authorization", authz)
					req.Header.Set("Content-Type", "application/jsonl")
					res, err := batchClient.Do(req)
					if err != nil {
						t.Fatal(err)
					}
					defer res.Body.Close()
					if res.StatusCode != 200 {
						b, _ := io.ReadAll(res.Body)
						t.Fatalf("status %d %s", res.StatusCode, b)
					}
					if answer, err = io.ReadAll(res.Body); err != nil {
						t.Fatalf("reading the answer: %v", err)
					}
					status = res.Trailer.Get(batchStatusTrailer)
					if n := res.Trailer.Get(batchLinesTrailer); n != strconv.Itoa(len(want)) {
						t.Errorf("trailer %s = %q, want %d", batchLinesTrailer, n, len(want))
					}
				case "curl":
					if curl == "" {
						t.Skip("no curl")
					}
					dir := t.TempDir()
					in := filepath.Join(dir, "in.jsonl")
					os.WriteFile(in, body, 0o600)
					out, hdr := filepath.Join(dir, "out.jsonl"), filepath.Join(dir, "headers")
					cmd := exec.Command(curl, "-sS", "--fail-with-body", "--max-time", "180", "-H", "Authorization: "+authz, "-H", "Content-Type: application/jsonl",
						"--data-binary", "@"+in, "-o", out, "-D", hdr, hs.URL+"/v1/assessments:batch")
					if b, err := cmd.CombinedOutput(); err != nil {
						t.Fatalf("curl: %v %s", err, b)
					}
					answer, _ = os.ReadFile(out)
					h, _ := os.ReadFile(hdr)
					for _, l := range strings.Split(string(h), "\n") {
						if k, v, ok := strings.Cut(l, ":"); ok && strings.EqualFold(k, batchStatusTrailer) {
							status = strings.TrimSpace(v)
						}
					}
				}
				checkAnswers(t, name, answer, want)
				if status != "complete" {
					t.Errorf("%s = %q, want complete", batchStatusTrailer, status)
				}
			})
		}
	}
}

// postBatch posts body (chunked when chunked) and returns the status, the
// answer and the batch status trailer.
func postBatch(t *testing.T, url, authz string, body io.Reader) (int, []byte, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", url+"/v1/assessments:batch", body)
	req.Header.Set("Authorization", authz)
	req.Header.Set("Content-Type", "application/jsonl")
	res, err := batchClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("reading the answer: %v", err)
	}
	return res.StatusCode, b, res.Trailer.Get(batchStatusTrailer)
}

// lastLine decodes the last answer line.
func lastLine(t *testing.T, b []byte) batchError {
	t.Helper()
	lines := bytes.Split(bytes.TrimSpace(b), []byte("\n"))
	var e batchError
	if err := json.Unmarshal(lines[len(lines)-1], &e); err != nil {
		t.Fatalf("last answer line %q: %v", lines[len(lines)-1], err)
	}
	return e
}

// TestBatchCut: a batch over a limit, or one whose client stops sending, is
// answered line by line up to where it stops, and then says it was cut,
// where, and why, in its last line and its trailer; refused before any
// answer, it has a status of its own.
func TestBatchCut(t *testing.T) {
	s, _ := dutyServer(t)
	authz := bearer(t, s, auth.Customs, "US")
	s.SetBatchLimits(BatchLimits{MaxLines: 50, MaxBytes: 1 << 20, Idle: 500 * time.Millisecond})
	hs := batchServer(t, s, time.Minute)

	t.Run("lines", func(t *testing.T) {
		body, want := batchInput("lines", 20<<10) // about 100 lines
		code, b, status := postBatch(t, hs.URL, authz, bytes.NewReader(body))
		if code != 200 || status != "cut at line 51" {
			t.Errorf("%d lines with 50 allowed = %d, trailer %q, want 200 and cut at line 51", len(want), code, status)
		}
		checkAnswers(t, "lines", b[:bytes.LastIndexByte(b[:len(b)-1], '\n')+1], want[:50])
		if e := lastLine(t, b); !e.Cut || e.Line != 51 || e.Error.Code != tooLarge || !strings.Contains(e.Error.Message, "at most 50 lines") {
			t.Errorf("last line = %+v, want cut at line 51, too_large, naming the 50 lines", e)
		}
	})
	t.Run("content-length", func(t *testing.T) {
		body, _ := batchInput("big", 2<<20)
		code, b, _ := postBatch(t, hs.URL, authz, bytes.NewReader(body))
		if e := errorOf(b); code != http.StatusRequestEntityTooLarge || e.Code != tooLarge {
			t.Errorf("a 2 MB batch with 1 MB allowed = %d %s, want 413 too_large", code, b)
		}
	})
	t.Run("bytes-chunked", func(t *testing.T) {
		s.SetBatchLimits(BatchLimits{MaxLines: 1 << 20, MaxBytes: 64 << 10, Idle: 500 * time.Millisecond})
		body, _ := batchInput("chunked", 200<<10)
		code, b, status := postBatch(t, hs.URL, authz, io.MultiReader(bytes.NewReader(body))) // no Content-Length
		e := lastLine(t, b)
		if code != 200 || !e.Cut || e.Error.Code != tooLarge || status != "cut at line "+strconv.Itoa(e.Line) {
			t.Errorf("a chunked batch past 64 KiB = %d, last line %+v, trailer %q, want cut, too_large, named in the trailer", code, e, status)
		}
	})
	t.Run("idle", func(t *testing.T) {
		s.SetBatchLimits(BatchLimits{Idle: 500 * time.Millisecond})
		pr, pw := io.Pipe()
		go func() {
			pw.Write([]byte(declaration("IDLE-1", "US") + "\n" + declaration("IDLE-2", "US") + "\n" + `{"id": "IDLE-3", `))
			time.Sleep(2 * time.Second) // the client stalls mid-line
			pw.Close()
		}()
		code, b, status := postBatch(t, hs.URL, authz, pr)
		e := lastLine(t, b)
		if code != 200 || !e.Cut || e.Line != 3 || e.Error.Code != timeout || status != "cut at line 3" {
			t.Errorf("a client stalled at line 3 = %d %s, trailer %q, want two answers and a cut at line 3 (timeout)", code, b, status)
		}
		checkAnswers(t, "idle", b[:bytes.LastIndexByte(b[:len(b)-1], '\n')+1], []string{"IDLE-1", "IDLE-2"})
	})
	t.Run("nothing-sent", func(t *testing.T) {
		pr, pw := io.Pipe()
		defer pw.Close()
		code, b, _ := postBatch(t, hs.URL, authz, pr)
		if e := errorOf(b); code != http.StatusRequestTimeout || e.Code != timeout {
			t.Errorf("a batch whose body never comes = %d %s, want 408 timeout", code, b)
		}
	})
}

// TestBatchWholeBodyFirst: a client that sends its whole batch before
// reading any answer (as many do) gets every answer: the server holds them
// while it reads.
func TestBatchWholeBodyFirst(t *testing.T) {
	s, _ := dutyServer(t)
	authz := bearer(t, s, auth.Customs, "US")
	hs := batchServer(t, s, time.Minute)
	body, want := batchInput("first", 1<<20) // 5,000 answers, 20 MB: more than the sockets hold
	c, err := net.Dial("tcp", hs.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(3 * time.Minute))
	fmt.Fprintf(c, "POST /v1/assessments:batch HTTP/1.1\r\nHost: x\r\nAuthorization: %s\r\nContent-Type: application/jsonl\r\nContent-Length: %d\r\n\r\n", authz, len(body))
	if _, err := c.Write(body); err != nil {
		t.Fatalf("writing the whole batch before reading: %v", err)
	}
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	checkAnswers(t, "whole body first", b, want)
	if st := res.Trailer.Get(batchStatusTrailer); st != "complete" {
		t.Errorf("trailer = %q, want complete", st)
	}
}

// TestBatchLongLine: a line of 8 MiB is one error line, read and dropped, and
// the lines around it are answered.
func TestBatchLongLine(t *testing.T) {
	s, _ := dutyServer(t)
	authz := bearer(t, s, auth.Customs, "US")
	hs := batchServer(t, s, time.Minute)
	body := declaration("LONG-1", "US") + "\n" + `{"id": "` + strings.Repeat("x", 8<<20) + "\n" + declaration("LONG-3", "US") + "\n"
	code, b, status := postBatch(t, hs.URL, authz, strings.NewReader(body))
	checkAnswers(t, "long line", b, []string{"LONG-1", "", "LONG-3"})
	if code != 200 || status != "complete" || !bytes.Contains(b, []byte(strconv.Itoa(8+8<<20)+" bytes long, more than the 65536")) {
		t.Errorf("a batch with an 8 MiB line = %d %s, trailer %q, want the line refused naming its length", code, b, status)
	}
}
