package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mineralpact/mineralpact/internal/auth"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/store"
)

// memTokens is an in-memory auth.TokenStore for the API's tests.
type memTokens struct {
	mu       sync.Mutex
	tokens   map[string]auth.Token
	sessions map[string]auth.Session
}

func newMemTokens() *memTokens {
	return &memTokens{tokens: map[string]auth.Token{}, sessions: map[string]auth.Session{}}
}

func (m *memTokens) PutToken(_ context.Context, t auth.Token) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.tokens[t.ID]; ok {
		return problem.Errorf(problem.Conflict, "token %s exists", t.ID)
	}
	m.tokens[t.ID] = t
	return nil
}

func (m *memTokens) GetToken(_ context.Context, id string) (auth.Token, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tokens[id]
	if !ok {
		return auth.Token{}, problem.Errorf(problem.NotFound, "no token %s", id)
	}
	return t, nil
}

func (m *memTokens) ListTokens(context.Context) ([]auth.Token, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []auth.Token
	for _, t := range m.tokens {
		out = append(out, t)
	}
	return out, nil
}

func (m *memTokens) RevokeToken(_ context.Context, id string, at time.Time, _ string) (auth.Token, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tokens[id]
	if !ok {
		return auth.Token{}, problem.Errorf(problem.NotFound, "no token %s", id)
	}
	if t.RevokedAt.IsZero() {
		t.RevokedAt = at
		m.tokens[id] = t
	}
	return t, nil
}

func (m *memTokens) PutSession(_ context.Context, s auth.Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sessions[string(s.Hash)] = s
	return nil
}

func (m *memTokens) GetSession(_ context.Context, h []byte) (auth.Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[string(h)]
	if !ok {
		return auth.Session{}, problem.Errorf(problem.NotFound, "no session")
	}
	return s, nil
}

func (m *memTokens) DeleteSession(_ context.Context, h []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.sessions, string(h))
	return nil
}

// testTokens holds the token store each test server checks credentials
// against.
var testTokens sync.Map // *Server → *memTokens

// bearer issues a token of role (and party, for a customs officer) that s
// accepts and returns its "Bearer …" header value. It is the API tests' one
// way to authenticate: the first call gives s an in-memory token store.
func bearer(t testing.TB, s *Server, role auth.Role, party string) string {
	t.Helper()
	v, loaded := testTokens.LoadOrStore(s, newMemTokens())
	if !loaded {
		s.auth = auth.New(v.(*memTokens), time.Now)
	}
	secret, _, err := s.auth.Issue(context.Background(), "test "+string(role), role, party, time.Hour, "test")
	if err != nil {
		t.Fatalf("issuing a %s token: %v", role, err)
	}
	return "Bearer " + secret
}

// asRole serves s as a holder of role (and party): a request without an
// Authorization header gets one. Tests written before tokens existed wrap
// their server with it, e.g. asRole(t, New(simDeps(t)), auth.Analyst, "").
func asRole(t testing.TB, s *Server, role auth.Role, party string) http.Handler {
	t.Helper()
	h := bearer(t, s, role, party)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "" {
			r.Header.Set("Authorization", h)
		}
		s.ServeHTTP(w, r)
	})
}

// partyOfImporter is the party whose customs officer assesses a
// declaration imported into country (the EU's for its member states, in
// the tests' agreements).
func partyOfImporter(country string) string {
	switch country {
	case "DE", "FR", "IT", "NL", "ES", "BE":
		return "EU"
	case "":
		return "US"
	}
	return country
}

// customsOf is the Authorization header of a customs officer of the
// importing party of the first declaration in body.
func customsOf(t testing.TB, s *Server, body string) string {
	t.Helper()
	first, _, _ := strings.Cut(strings.TrimSpace(body), "\n")
	var d struct {
		Importer string `json:"importer"`
	}
	json.Unmarshal([]byte(first), &d)
	return bearer(t, s, auth.Customs, partyOfImporter(d.Importer))
}

// roleCase is one route asked by one kind of caller.
type roleCase struct {
	who    string
	header func(t *testing.T, s *Server) string
	role   auth.Role // public when no token
}

var callers = []roleCase{
	{"public", nil, auth.Public},
	{"analyst", func(t *testing.T, s *Server) string { return bearer(t, s, auth.Analyst, "") }, auth.Analyst},
	{"customs US", func(t *testing.T, s *Server) string { return bearer(t, s, auth.Customs, "US") }, auth.Customs},
	{"secretariat", func(t *testing.T, s *Server) string { return bearer(t, s, auth.Secretariat, "") }, auth.Secretariat},
	{"administrator", func(t *testing.T, s *Server) string { return bearer(t, s, auth.Administrator, "") }, auth.Administrator},
}

// routeTarget fills a route pattern's wildcards and gives it a body of the
// right type, so that an allowed caller gets past the guard.
func routeTarget(pattern string) (method, target, contentType, body string) {
	method, path, _ := strings.Cut(pattern, " ")
	r := strings.NewReplacer("{id}", "0123456789abcdef0123456789abcdef", "{code}", "283691", "{mineral}", "lithium", "{stage}", "processed")
	target = r.Replace(path)
	if method != http.MethodPost {
		return method, target, "", ""
	}
	switch {
	case strings.HasSuffix(path, ":validate"):
		return method, target, "application/yaml", "id: x\n"
	case strings.HasSuffix(path, ":batch"):
		return method, target, "application/jsonl", declaration("R-1", "US") + "\n"
	case strings.HasSuffix(path, "assessments"):
		return method, target, "application/json", declaration("R-1", "US")
	}
	return method, target, "application/json", `{"unknown_field": 1}`
}

// TestAccessEveryRouteEveryRole asks each route of the table as each kind
// of caller: a caller whose role is not in the route's rule gets 401
// (public) or 403 (a token of another role) in the one error shape; every
// other caller gets past the guard (any answer but 401 and 403).
func TestAccessEveryRouteEveryRole(t *testing.T) {
	s, _ := dutyServer(t)
	served := map[string]bool{}
	for _, p := range s.routes {
		served[p] = true
		if _, ok := Access[p]; !ok {
			t.Errorf("route %s is not in the access table", p)
		}
	}
	for pattern, rl := range Access {
		if !served[pattern] {
			t.Errorf("access table names %s, which no route serves", pattern)
		}
		for _, c := range callers {
			t.Run(pattern+" as "+c.who, func(t *testing.T) {
				method, target, ct, body := routeTarget(pattern)
				req := httptest.NewRequest(method, target, strings.NewReader(body))
				if ct != "" {
					req.Header.Set("Content-Type", ct)
				}
				if c.header != nil {
					req.Header.Set("Authorization", c.header(t, s))
				}
				w := httptest.NewRecorder()
				s.ServeHTTP(w, req)
				allowed := rl.roles == nil || c.role != auth.Public && auth.Principal{Role: c.role}.May(rl.roles...)
				e := errorOf(w.Body.Bytes())
				switch {
				case allowed && (w.Code == 401 || w.Code == 403):
					t.Errorf("%s as %s = %d %s, want past the guard", pattern, c.who, w.Code, w.Body)
				case !allowed && c.role == auth.Public && (w.Code != 401 || e.Code != "unauthorized"):
					t.Errorf("%s as %s = %d %s, want 401 unauthorized", pattern, c.who, w.Code, w.Body)
				case !allowed && c.role != auth.Public && (w.Code != 403 || e.Code != "forbidden"):
					t.Errorf("%s as %s = %d %s, want 403 forbidden", pattern, c.who, w.Code, w.Body)
				}
			})
		}
	}
}

func errorOf(b []byte) errorDetail {
	var e errorBody
	json.Unmarshal(b, &e)
	return e.Error
}

// TestProbeAnonymousQuota is issue 12's probe: two anonymous POSTs used up a
// US tariff-rate quota, and anyone recorded an assessment under any id. Now
// an anonymous POST, a bad token, a customs officer of another party and a
// single or batch declaration of another party are all refused before any
// record or allocation.
func TestProbeAnonymousQuota(t *testing.T) {
	s, st := dutyServer(t)
	ctx := context.Background()
	post := func(path, authz, ct, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", path, strings.NewReader(body))
		req.Header.Set("Content-Type", ct)
		if authz != "" {
			req.Header.Set("Authorization", authz)
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		return w
	}
	us := declaration("SQUAT-1", "US", "quantity", "0.001")
	tests := []struct {
		name, authz, ct, body string
		status                int
		code                  string
	}{
		{"anonymous", "", "application/json", us, 401, "unauthorized"},
		{"not a bearer", "Basic YWRtaW46YWRtaW4=", "application/json", us, 401, "unauthorized"},
		{"a forged token", "Bearer mpt_0123456789abcdef_" + strings.Repeat("A", 43), "application/json", us, 401, "unauthorized"},
		{"an analyst", bearer(t, s, auth.Analyst, ""), "application/json", us, 403, "forbidden"},
		{"an administrator", bearer(t, s, auth.Administrator, ""), "application/json", us, 403, "forbidden"},
		{"customs of Japan for a US import", bearer(t, s, auth.Customs, "JP"), "application/json", us, 403, "forbidden"},
		{"customs of the EU for a US import", bearer(t, s, auth.Customs, "EU"), "application/json", us, 403, "forbidden"},
	}
	for _, tt := range tests {
		w := post("/v1/assessments", tt.authz, tt.ct, tt.body)
		if e := errorOf(w.Body.Bytes()); w.Code != tt.status || string(e.Code) != tt.code {
			t.Errorf("%s: POST /v1/assessments = %d %s, want %d %s", tt.name, w.Code, w.Body, tt.status, tt.code)
		}
	}
	// a batch of a JP officer: the US line refused in place, nothing recorded
	w := post("/v1/assessments:batch", bearer(t, s, auth.Customs, "JP"), "application/jsonl", us+"\n")
	if !strings.Contains(w.Body.String(), `"code":"forbidden"`) || !strings.Contains(w.Body.String(), `"line":1`) {
		t.Errorf("batch of another party's line = %d %s, want line 1 forbidden", w.Code, w.Body)
	}
	hash, _ := s.deps.Agreement.Hash()
	if _, err := st.GetAssessment(ctx, hash, "SQUAT-1"); problem.CodeOf(err) != problem.NotFound {
		t.Errorf("after the refused POSTs GetAssessment(SQUAT-1) error = %v, want not_found (nothing recorded)", err)
	}
	// the US officer records it; the EU officer assesses a German import
	if w := post("/v1/assessments", bearer(t, s, auth.Customs, "US"), "application/json", declaration("OK-1", "US")); w.Code != 201 {
		t.Errorf("US customs, US import = %d %s, want 201", w.Code, w.Body)
	}
	if w := post("/v1/assessments", bearer(t, s, auth.Customs, "EU"), "application/json", declaration("OK-2", "DE")); w.Code != 201 {
		t.Errorf("EU customs, German import = %d %s, want 201 (a member state belongs to the union)", w.Code, w.Body)
	}
}

// TestSessionNeedsCSRF: the portal's session cookie authenticates a read,
// and a change only with the session's CSRF token in the header.
func TestSessionNeedsCSRF(t *testing.T) {
	s, _ := dutyServer(t)
	bearer(t, s, auth.Analyst, "") // gives s its token store
	secret, _, err := s.auth.Issue(context.Background(), "Ana", auth.Customs, "US", time.Hour, "test")
	if err != nil {
		t.Fatal(err)
	}
	cookie, _, _, err := s.auth.SignIn(context.Background(), secret)
	if err != nil {
		t.Fatal(err)
	}
	post := func(csrf string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/v1/assessments", strings.NewReader(declaration("S-1", "US")))
		req.Header.Set("Content-Type", "application/json")
		req.AddCookie(&http.Cookie{Name: auth.SessionCookie, Value: cookie})
		if csrf != "" {
			req.Header.Set(auth.CSRFHeader, csrf)
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		return w
	}
	if w := post(""); w.Code != 403 || errorOf(w.Body.Bytes()).Code != "forbidden" {
		t.Errorf("session POST without CSRF = %d %s, want 403 forbidden", w.Code, w.Body)
	}
	if w := post(auth.CSRF("another session")); w.Code != 403 {
		t.Errorf("session POST with another session's CSRF = %d %s, want 403", w.Code, w.Body)
	}
	if w := post(auth.CSRF(cookie)); w.Code != 201 {
		t.Errorf("session POST with its CSRF = %d %s, want 201", w.Code, w.Body)
	}
}

// TestContentType: a body of a type the route does not read is 415 in the
// one error shape, naming the types it reads.
func TestContentType(t *testing.T) {
	s, _ := dutyServer(t)
	h := bearer(t, s, auth.Customs, "US")
	for _, ct := range []string{"", "application/x-www-form-urlencoded", "text/plain", "application/jsonx"} {
		req := httptest.NewRequest("POST", "/v1/assessments", strings.NewReader(declaration("CT-1", "US")))
		req.Header.Set("Authorization", h)
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if e := errorOf(w.Body.Bytes()); w.Code != 415 || e.Code != "unsupported_media_type" || !strings.Contains(e.Message, "application/json") {
			t.Errorf("POST with Content-Type %q = %d %s, want 415 unsupported_media_type naming application/json", ct, w.Code, w.Body)
		}
	}
	req := httptest.NewRequest("POST", "/v1/assessments", strings.NewReader(declaration("CT-2", "US")))
	req.Header.Set("Authorization", h)
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	if w.Code != 201 {
		t.Errorf("POST with application/json; charset=utf-8 = %d %s, want 201", w.Code, w.Body)
	}
}

// TestDuplicateKeys: a repeated key is refused, naming the key, on a
// declaration (single and batch) and on a strict JSON route.
func TestDuplicateKeys(t *testing.T) {
	s, _ := dutyServer(t)
	h := bearer(t, s, auth.Customs, "US")
	dup := strings.Replace(declaration("DUP-1", "US"), `"quantity":20`, `"quantity":20,"quantity":0.001`, 1)
	if !strings.Contains(dup, `"quantity":0.001`) {
		t.Fatalf("test declaration %s has no quantity to repeat", dup)
	}
	req := httptest.NewRequest("POST", "/v1/assessments", strings.NewReader(dup))
	req.Header.Set("Authorization", h)
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	if e := errorOf(w.Body.Bytes()); w.Code != 400 || e.Field != "quantity" || !strings.Contains(e.Message, `duplicate key "quantity"`) {
		t.Errorf("POST with a repeated key = %d %s, want 400 naming quantity", w.Code, w.Body)
	}
	req = httptest.NewRequest("POST", "/v1/assessments:batch", strings.NewReader(declaration("DUP-0", "US")+"\n"+dup+"\n"))
	req.Header.Set("Authorization", h)
	req.Header.Set("Content-Type", "application/jsonl")
	w = httptest.NewRecorder()
	s.ServeHTTP(w, req)
	if lines := strings.Split(strings.TrimSpace(w.Body.String()), "\n"); len(lines) != 2 || !strings.Contains(lines[1], `duplicate key`) || !strings.Contains(lines[1], `"line":2`) {
		t.Errorf("batch with a repeated key on line 2 = %s, want line 2 refused naming the key", w.Body)
	}
	sim := asRole(t, New(simDeps(t)), auth.Analyst, "")
	req = httptest.NewRequest("POST", "/v1/simulations", strings.NewReader(`{"scenario": "cobalt-drc-2025", "paths": 1, "workload": {"a": 1}, "paths": 2000}`))
	req.Header.Set("Content-Type", "application/json")
	w = httptest.NewRecorder()
	sim.ServeHTTP(w, req)
	if e := errorOf(w.Body.Bytes()); w.Code != 400 || !strings.Contains(e.Message, `duplicate key "paths"`) {
		t.Errorf("POST /v1/simulations with paths twice = %d %s, want 400 naming paths", w.Code, w.Body)
	}
}

func TestCheckDuplicateKeys(t *testing.T) {
	tests := []struct {
		in, field string // field "" when no duplicate
	}{
		{`{"a":1,"b":2}`, ""},
		{`{"a":1,"a":2}`, "a"},
		{`{"a":{"b":1,"c":{"d":[1,{"e":1,"e":2}]}}}`, "a.c.d[1].e"},
		{`{"a":"x\"y","a\"":1}`, ""},
		{`{"a":1,"\u0061":2}`, "a"},
		{`[{"a":1},{"a":1}]`, ""},
		{`{"a":[1,2,{"b":true,"c":null}],"b":{"a":1}}`, ""},
		{`{not json`, ""},
		{`{"a":1,"a"`, "a"}, // a duplicate before the text breaks off
		{strings.Repeat("[", 5000), ""},
	}
	for _, tt := range tests {
		err := checkDuplicateKeys([]byte(tt.in))
		var pe *problem.Error
		got := ""
		if err != nil {
			pe = err.(*problem.Error)
			got = pe.Field
		}
		if got != tt.field {
			t.Errorf("checkDuplicateKeys(%.40s) = %v, want a duplicate at %q", tt.in, err, tt.field)
		}
	}
	many := &bytes.Buffer{}
	many.WriteString("{")
	for i := range 100 {
		fmt.Fprintf(many, `"k%d":%d,`, i, i)
	}
	many.WriteString(`"k57":0}`)
	if err := checkDuplicateKeys(many.Bytes()); err == nil || !strings.Contains(err.Error(), `"k57"`) {
		t.Errorf("checkDuplicateKeys(100 keys, k57 twice) = %v, want k57 named", err)
	}
}

func BenchmarkCheckDuplicateKeys(b *testing.B) {
	d := []byte(declaration("B-1", "US", "origin", "CN", "hs_code", "28369100"))
	b.ReportAllocs()
	for b.Loop() {
		if err := checkDuplicateKeys(d); err != nil {
			b.Fatal(err)
		}
	}
}

// TestNoSocketAddressInErrors: a body cut by the connection is reported
// without the cause's text (a net.OpError names the server's address).
func TestNoSocketAddressInErrors(t *testing.T) {
	err := bodyReadError(&netError{})
	if strings.Contains(err.Error(), "10.1.2.3") {
		t.Errorf("bodyReadError = %q, shows the socket's address", err)
	}
}

type netError struct{}

func (*netError) Error() string { return "read tcp 10.1.2.3:8080->10.9.9.9:5555: i/o timeout" }

// TestAccessDoc holds the route table of docs/access.md to Access: one row
// per route, each role's cell what the guard does (yes, 401, 403, or own
// party for a customs officer).
func TestAccessDoc(t *testing.T) {
	b, err := os.ReadFile("../../docs/access.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "| `GET ") || strings.HasPrefix(line, "| `POST ") || strings.HasPrefix(line, "| `DELETE ") {
			route, rest, _ := strings.Cut(strings.TrimPrefix(line, "| `"), "` | ")
			rows[route] = strings.TrimSuffix(rest, " |")
		}
	}
	for pattern, rl := range Access {
		var cells []string
		for _, c := range callers {
			cell := "yes"
			switch {
			case rl.roles == nil:
			case c.role == auth.Public:
				cell = "401"
			case !auth.Principal{Role: c.role}.May(rl.roles...):
				cell = "403"
			case c.role == auth.Customs:
				cell = "own party"
			}
			if c.who == "customs US" || !strings.HasPrefix(c.who, "customs") {
				cells = append(cells, cell)
			}
		}
		if want := strings.Join(cells, " | "); rows[pattern] != want {
			t.Errorf("docs/access.md row %s = %q, want %q", pattern, rows[pattern], want)
		}
		delete(rows, pattern)
	}
	for r := range rows {
		t.Errorf("docs/access.md lists %s, which is not in Access", r)
	}
}

// TestTokenRoutes: an administrator issues a customs token through the API
// (its secret shown once, never listed), the token works, and once revoked
// it is refused at once on this node; each change is in the audit trail
// under the administrator's token.
func TestTokenRoutes(t *testing.T) {
	s, st := dutyServer(t)
	v := validatorFor(t)
	// Tokens kept by the store itself, as serve does, so that each token
	// change is written with its audit record.
	s.auth = auth.New(st, time.Now)
	secret, _, err := s.auth.Issue(context.Background(), "test administrator", auth.Administrator, "", time.Hour, "test")
	if err != nil {
		t.Fatal(err)
	}
	admin := "Bearer " + secret
	call := func(method, target, body string) *httptest.ResponseRecorder {
		t.Helper()
		req := httptest.NewRequest(method, target, strings.NewReader(body))
		req.Header.Set("Authorization", admin)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		vreq := httptest.NewRequest(method, target, strings.NewReader(body))
		vreq.Header.Set("Authorization", admin)
		if body != "" {
			vreq.Header.Set("Content-Type", "application/json")
		}
		if ok, errs := v.ValidateHttpResponse(vreq, w.Result()); !ok {
			for _, e := range errs {
				t.Errorf("%s %s → %d does not match openapi.json: %s: %s", method, target, w.Code, e.Message, e.Reason)
			}
		}
		return w
	}
	w := call("POST", "/v1/tokens", `{"name": "Long Beach", "role": "customs", "party": "US", "expires_in_days": 30}`)
	var created tokenBody
	if err := json.Unmarshal(w.Body.Bytes(), &created); w.Code != 201 || err != nil || !strings.HasPrefix(created.Secret, "mpt_") || created.Party != "US" {
		t.Fatalf("POST /v1/tokens = %d %s, want 201 with the secret", w.Code, w.Body)
	}
	for _, bad := range []string{`{"name": "x", "role": "customs", "party": "XX"}`, `{"name": "x", "role": "king"}`, `{"name": "x", "role": "analyst", "role": "administrator"}`, `{"name": "x", "role": "analyst", "expires_in_days": 999}`} {
		if w := call("POST", "/v1/tokens", bad); w.Code != 400 {
			t.Errorf("POST /v1/tokens %s = %d %s, want 400", bad, w.Code, w.Body)
		}
	}
	if w := call("GET", "/v1/tokens", ""); w.Code != 200 || strings.Contains(w.Body.String(), created.Secret) || !strings.Contains(w.Body.String(), created.ID) {
		t.Errorf("GET /v1/tokens = %d %s, want the token listed without its secret", w.Code, w.Body)
	}
	assess := func(id string) int {
		req := httptest.NewRequest("POST", "/v1/assessments", strings.NewReader(declaration(id, "US")))
		req.Header.Set("Authorization", "Bearer "+created.Secret)
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		return w.Code
	}
	if got := assess("TR-1"); got != 201 {
		t.Fatalf("assessing with the issued token = %d, want 201", got)
	}
	if w := call("DELETE", "/v1/tokens/"+created.ID, ""); w.Code != 200 || !strings.Contains(w.Body.String(), `"status":"revoked"`) {
		t.Fatalf("DELETE /v1/tokens/%s = %d %s, want 200 revoked", created.ID, w.Code, w.Body)
	}
	if got := assess("TR-2"); got != 401 {
		t.Errorf("assessing with the revoked token = %d, want 401 at once on this node", got)
	}
	if w := call("DELETE", "/v1/tokens/tok_ffffffffffffffff", ""); w.Code != 404 {
		t.Errorf("DELETE an unknown token = %d, want 404", w.Code)
	}
	audit, err := st.ListAudit(context.Background(), "token:"+created.ID, 0)
	if err != nil || len(audit) != 2 || audit[0].Action != store.ActionTokenRevoke || !strings.HasPrefix(audit[0].Actor, "token:tok_") || !strings.Contains(audit[0].Actor, "administrator") {
		t.Errorf("audit of %s = %+v, %v; want create and revoke by the administrator's token", created.ID, audit, err)
	}
	for _, a := range audit {
		if strings.Contains(string(a.Detail), created.Secret) {
			t.Errorf("the audit trail holds the secret")
		}
	}
}

// TestFailedTokensThrottled: a client that presents auth.MaxFailures
// tokens the server does not recognise is answered 429 too_many_requests,
// with Retry-After, without its next token being checked, even a good one;
// another client is not affected.
func TestFailedTokensThrottled(t *testing.T) {
	s, _ := dutyServer(t)
	good := bearer(t, s, auth.Customs, "US")
	get := func(client, authz string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", "/v1/tokens", nil)
		req.RemoteAddr = client + ":50000"
		req.Header.Set("Authorization", authz)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		return w
	}
	forged := "Bearer mpt_0123456789abcdef_" + strings.Repeat("A", 43)
	for i := 1; i <= auth.MaxFailures; i++ {
		if w := get("192.0.2.50", forged); w.Code != http.StatusUnauthorized {
			t.Fatalf("forged token %d = %d %s; want 401", i, w.Code, w.Body)
		}
	}
	w := get("192.0.2.50", good)
	if e := errorOf(w.Body.Bytes()); w.Code != http.StatusTooManyRequests || e.Code != problem.TooMany || w.Header().Get("Retry-After") == "" {
		t.Errorf("a good token after %d forged ones from one client = %d %s (Retry-After %q); want 429 too_many_requests with Retry-After",
			auth.MaxFailures, w.Code, w.Body, w.Header().Get("Retry-After"))
	}
	if w := get("192.0.2.51", good); w.Code != http.StatusForbidden {
		t.Errorf("the good token from another client = %d %s; want it checked (403: customs may not list tokens)", w.Code, w.Body)
	}
}
