package api

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"strings"

	"github.com/mineralpact/mineralpact/internal/auth"
	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// rule is who may call a route and what body it reads.
type rule struct {
	// roles may call the route; nil means everyone (public), without looking
	// at credentials at all.
	roles []auth.Role
	// media are the Content-Types the route reads (a request body with any
	// other is refused with 415); nil for routes without a body.
	media []string
	// strictJSON: the guard reads the body (at most maxBody bytes) and
	// refuses duplicate keys before the handler decodes it.
	strictJSON bool
	maxBody    int64
}

// Who may run and read the products of analysis: analysts, and the
// secretariat, which designs the amendments it proposes.
var analysis = []auth.Role{auth.Analyst, auth.Secretariat}

var (
	jsonBody  = []string{"application/json"}
	jsonLines = []string{"application/jsonl", "application/x-ndjson", "application/json-seq", "application/json"}
	yamlBody  = []string{"application/yaml", "application/x-yaml", "text/yaml", "text/plain"}
)

// Access is the one route → role table: New refuses to serve a route that
// is not in it, the guard enforces it, the tests cover each route × role
// from it, and docs/access.md shows it. GET reads of the agreement, the
// prices, the quotas and the reference data stay public. A customs officer
// is further limited to declarations whose importing party is the token's
// (checked per declaration, see mayAssess).
var Access = map[string]rule{
	"GET /v1/agreement":                        {},
	"GET /v1/agreement/schema":                 {},
	"GET /v1/parties":                          {},
	"GET /v1/minerals":                         {},
	"GET /v1/minerals/{id}":                    {},
	"GET /v1/hs/{code}":                        {},
	"GET /v1/prices":                           {},
	"GET /v1/prices/{mineral}/{stage}":         {},
	"GET /v1/prices/{mineral}/{stage}/explain": {},
	"GET /v1/prices/{mineral}/{stage}/history": {},
	"GET /v1/quotas":                           {},
	"GET /v1/quotas/{id}":                      {},
	"GET /v1/scope":                            {},
	"GET /v1/scope/groups":                     {},
	"GET /v1/scope/warnings":                   {},
	"GET /v1/members/candidates":               {},
	"GET /v1/members/evaluate":                 {},
	"GET /v1/members/heterogeneity":            {},
	"GET /openapi.json":                        {},
	"GET /healthz":                             {},
	"GET /readyz":                              {},
	"POST /v1/assessments":                     {roles: []auth.Role{auth.Customs}, media: jsonBody},
	"POST /v1/assessments:batch":               {roles: []auth.Role{auth.Customs}, media: jsonLines},
	"POST /v1/simulations":                     {roles: analysis, media: jsonBody}, // decodeStrict
	"GET /v1/simulations/{id}":                 {roles: analysis},
	"GET /v1/projects":                         {},
	"GET /v1/projects/{id}":                    {roles: analysis},
	"POST /v1/projects:value":                  {roles: analysis, media: jsonBody, strictJSON: true, maxBody: maxProjectRequest},
	"POST /v1/projects:rank":                   {roles: analysis, media: jsonBody, strictJSON: true, maxBody: maxProjectRequest},
	"GET /v1/projects/runs/{id}":               {roles: analysis},
	"GET /v1/stockpiles/compliance":            {}, // public, as the IEA publishes its members' stocks in days of net imports; the portal shows it too
	"POST /v1/stockpiles/responses":            {roles: analysis, media: jsonBody, strictJSON: true, maxBody: maxStockpileBody},
	"GET /v1/stockpiles/responses/{id}":        {roles: analysis},
	"GET /v1/ownership/facilities":             {},
	"GET /v1/ownership/facilities/{id}":        {},
	"POST /v1/ownership/transactions:evaluate": {roles: analysis, media: jsonBody, strictJSON: true, maxBody: maxOwnershipRequest},
	"POST /v1/agreements:validate":             {roles: analysis, media: yamlBody},
	"POST /v1/designs:compare":                 {roles: analysis, media: jsonBody, strictJSON: true, maxBody: 2 * maxAgreementText},
	"GET /v1/designs/{id}":                     {roles: analysis},
	"GET /v1/tokens":                           {roles: []auth.Role{auth.Administrator}},
	"POST /v1/tokens":                          {roles: []auth.Role{auth.Administrator}, media: jsonBody},
	"POST /v1/publications":                    {roles: []auth.Role{auth.Secretariat}, media: jsonBody, strictJSON: true, maxBody: maxPublicationRequest},
	"DELETE /v1/tokens/{id}":                   {roles: []auth.Role{auth.Administrator}},
	"GET /v1/alerts":                           {roles: analysis},
	"GET /v1/alerts/{id}":                      {roles: analysis},
	"GET /v1/cases":                            {roles: analysis},
	"GET /v1/cases/{id}":                       {roles: analysis},
	"POST /v1/cases":                           {roles: []auth.Role{auth.Secretariat}, media: jsonBody, strictJSON: true, maxBody: maxCaseRequest},
	"POST /v1/cases/{id}/notes":                {roles: []auth.Role{auth.Secretariat}, media: jsonBody, strictJSON: true, maxBody: maxCaseRequest},
	"POST /v1/cases/{id}":                      {roles: []auth.Role{auth.Secretariat}, media: jsonBody, strictJSON: true, maxBody: maxCaseRequest}, // {id}:confirm, {id}:dismiss
	"POST /v1/monitor/scans":                   {roles: []auth.Role{auth.Secretariat}, media: jsonBody, strictJSON: true, maxBody: maxMonitorScanRequest},
	"GET /v1/monitor/scans/{id}":               {roles: analysis},
}

// guard wraps the handler of pattern with its rule: credentials, role,
// Content-Type and strict JSON, in that order, each refusal in the one
// error shape. The principal travels in the request's context (auth.From).
func (s *Server) guard(pattern string, h http.HandlerFunc) http.HandlerFunc {
	rl, ok := Access[pattern]
	if !ok {
		panic("api: route " + pattern + " is not in the access table (auth.go)")
	}
	if rl.roles == nil && rl.media == nil {
		return h
	}
	return func(w http.ResponseWriter, r *http.Request) {
		if rl.roles != nil {
			p, err := s.principal(r)
			if err != nil {
				w.Header().Set("WWW-Authenticate", `Bearer realm="mineralpact"`)
				writeError(w, r, err)
				return
			}
			if !p.May(rl.roles...) {
				writeError(w, r, forbidden(p, pattern, rl.roles))
				return
			}
			r = r.WithContext(auth.WithPrincipal(r.Context(), p))
		}
		if rl.media != nil {
			if err := checkMedia(r, rl.media); err != nil {
				writeError(w, r, err)
				return
			}
		}
		if rl.strictJSON {
			body, err := readBody(w, r, rl.maxBody)
			if err != nil {
				writeError(w, r, err)
				return
			}
			if err := checkDuplicateKeys(body); err != nil {
				writeError(w, r, err)
				return
			}
			r.Body = readerOf(body)
		}
		h(w, r)
	}
}

// principal authenticates r: a bearer token, else the session cookie (a
// change then needs the CSRF header), else nobody (401).
func (s *Server) principal(r *http.Request) (auth.Principal, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, secret, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") || secret == "" {
			return auth.Principal{}, problem.Errorf(problem.Unauthorized, "the Authorization header must be \"Bearer <token>\"")
		}
		return s.auth.TokenFrom(r.Context(), s.auth.ClientOf(r), strings.TrimSpace(secret))
	}
	if c, err := r.Cookie(auth.SessionCookie); err == nil && c.Value != "" {
		p, err := s.auth.Session(r.Context(), c.Value)
		if err != nil {
			return auth.Principal{}, err
		}
		if !safeMethod(r.Method) && !auth.CheckCSRF(c.Value, r.Header.Get(auth.CSRFHeader)) {
			return auth.Principal{}, problem.Errorf(problem.Forbidden, "a change made with a portal session needs the page's CSRF token in the %s header", auth.CSRFHeader)
		}
		return p, nil
	}
	return auth.Principal{}, problem.Errorf(problem.Unauthorized, "this route needs a token: send \"Authorization: Bearer <token>\" (an administrator issues tokens with `mineralpact token create`; docs/access.md)")
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// forbidden is the refusal of a principal whose role may not call pattern.
func forbidden(p auth.Principal, pattern string, roles []auth.Role) error {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	return problem.Errorf(problem.Forbidden, "%s needs the role %s; this token's role is %s", pattern, strings.Join(names, " or "), p.Role)
}

// mayAssess refuses a declaration that the request's customs officer may
// not assess: the declaration's importing party decides, so an officer of
// one party never assesses, records or allocates quota for another. A
// member state of a customs-union party belongs to the union's officers.
func (s *Server) mayAssess(ctx context.Context, d duty.Declaration) error {
	p := auth.From(ctx)
	if p.Role != auth.Customs {
		return problem.Errorf(problem.Forbidden, "only a customs officer assesses declarations")
	}
	importer := d.Importer()
	if importer == p.Party {
		return nil
	}
	if in, err := s.deps.Agreement.AsOf(d.AcceptedOn()); err == nil {
		if z, err := in.Zone(s.deps.Registry); err == nil {
			if party, ok := z.PartyOf(importer); ok && party == p.Party {
				return nil
			}
		}
	}
	msg := fmt.Sprintf("a customs officer of %s may not assess a declaration imported into %s", p.Party, importer)
	if id := d.ID(); id != "" {
		msg = "declaration " + id + ": " + msg
	}
	return &problem.Error{Code: problem.Forbidden, Field: "importer", BadValue: importer, Message: msg}
}

// checkMedia refuses a body whose Content-Type the route does not read.
func checkMedia(r *http.Request, want []string) error {
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err == nil {
		for _, w := range want {
			if mt == w {
				return nil
			}
		}
	}
	if ct == "" {
		ct = "none"
	}
	return problem.Errorf(unsupportedMedia, "Content-Type %s: %s %s reads %s", ct, r.Method, r.URL.Path, strings.Join(want, ", "))
}
