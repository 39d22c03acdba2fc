// Package api is mineralpact's JSON API over HTTP: it decodes a request, asks
// the registry, the agreement or the store, and encodes the answer. It holds no
// domain logic. Every route is described by the OpenAPI 3.1 document served at
// /openapi.json (openapi.json in this directory), and every error has one shape:
//
//	{"error": {"code": "invalid", "message": "...", "field": "as_of"}}
package api

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/mineralpact/mineralpact/internal/auth"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/service"
)

// Deps is what the API serves from: the services it shares with the portal.
// Registry and Agreement are required; Store may be nil, in which case /readyz
// reports the service not ready; without Floors the /v1/prices routes answer
// 503, without Assessor, Ledger and Recorder the /v1/assessments and
// /v1/quotas routes.
type Deps = service.Services

// Server is the API's http.Handler.
type Server struct {
	deps Deps
	hash string // content address of the agreement, computed once
	mux  *http.ServeMux

	routes []string // the patterns served, for the test that holds openapi.json to them

	studio *studio // the design routes' state (designs.go)

	auth *auth.Authenticator // who a request acts as (auth.go)

	batch BatchLimits // of POST /v1/assessments:batch (batch.go)

	refuse atomic.Pointer[string] // why writes are refused, or nil (RefuseWrites)

}

// Option changes how New builds the server.
type Option func(*Server)

// WithAuthenticator makes the server check credentials with a, which the
// portal shares, so that a sign-out or a revocation on this node takes
// effect at once on both. Without it New builds one over the Store's tokens.
func WithAuthenticator(a *auth.Authenticator) Option {
	return func(s *Server) { s.auth = a }
}

// fallbackPattern catches every request no route matches, so that 404 and 405
// answers have the API's error shape.
const fallbackPattern = "/"

// New returns the API server for d. It panics when d lacks the registry or the
// agreement, or when the agreement cannot be hashed: both are wiring mistakes
// found at start-up. Every route is guarded by its rule in Access (auth.go);
// without a store no credential is recognised, so only public routes answer.
func New(d Deps, opts ...Option) *Server {
	if d.Registry == nil || d.Agreement == nil {
		panic("api: New needs a Registry and an Agreement")
	}
	hash, err := d.Agreement.Hash()
	if err != nil {
		panic(fmt.Sprintf("api: hashing the agreement: %v", err))
	}
	s := &Server{deps: d, hash: hash, mux: http.NewServeMux(), batch: DefaultBatchLimits}
	for _, o := range opts {
		o(s)
	}
	if s.auth == nil {
		s.auth = auth.New(d.Store, time.Now) // the adapter's clock; a nil Store is a nil TokenStore
	}
	s.SetDesign(DesignConfig{})
	for _, r := range []struct {
		pattern string
		handler http.HandlerFunc
	}{
		{"GET /v1/agreement", s.getAgreement},
		{"GET /v1/agreement/schema", s.getAgreementSchema},
		{"GET /v1/parties", s.listParties},
		{"GET /v1/minerals", s.listMinerals},
		{"GET /v1/minerals/{id}", s.getMineral},
		{"GET /v1/hs/{code}", s.classifyHS},
		{"GET /v1/prices", s.listPrices},
		{"GET /v1/prices/{mineral}/{stage}", s.getPrice},
		{"GET /v1/prices/{mineral}/{stage}/explain", s.explainPrice},
		{"GET /v1/prices/{mineral}/{stage}/history", s.priceHistory},
		{"POST /v1/simulations", s.postSimulation},
		{"GET /v1/simulations/{id}", s.getSimulation},
		{"GET /v1/projects", s.listProjects},
		{"GET /v1/projects/{id}", s.getProject},
		{"POST /v1/projects:value", s.valueProject},
		{"POST /v1/projects:rank", s.rankProjects},
		{"GET /v1/projects/runs/{id}", s.getProjectRun},
		{"GET /v1/stockpiles/compliance", s.stockpileCompliance},
		{"POST /v1/stockpiles/responses", s.submitStockpileResponse},
		{"GET /v1/stockpiles/responses/{id}", s.getStockpileResponse},
		{"GET /v1/ownership/facilities", s.listOwnershipFacilities},
		{"GET /v1/ownership/facilities/{id}", s.getOwnershipFacility},
		{"POST /v1/ownership/transactions:evaluate", s.evaluateOwnershipTransaction},
		{"POST /v1/assessments", s.postAssessment},
		{"POST /v1/assessments:batch", s.postAssessmentBatch},
		{"GET /v1/quotas", s.listQuotas},
		{"GET /v1/quotas/{id}", s.getQuota},
		{"GET /v1/scope", s.getScope},
		{"GET /v1/scope/groups", s.getScopeGroups},
		{"GET /v1/scope/warnings", s.getScopeWarnings},
		{"GET /v1/members/candidates", s.getMembersCandidates},
		{"GET /v1/members/evaluate", s.getMembersEvaluate},
		{"GET /v1/members/heterogeneity", s.getMembersHeterogeneity},
		{"POST /v1/agreements:validate", s.validateAgreement},
		{"POST /v1/designs:compare", s.compareDesigns},
		{"GET /v1/designs/{id}", s.getDesign},
		{"POST /v1/publications", s.postPublication},
		{"GET /v1/tokens", s.listTokens},
		{"POST /v1/tokens", s.createToken},
		{"DELETE /v1/tokens/{id}", s.revokeToken},
		{"GET /v1/alerts", s.listAlerts},
		{"GET /v1/alerts/{id}", s.getAlert},
		{"GET /v1/cases", s.listCases},
		{"POST /v1/cases", s.postCase},
		{"GET /v1/cases/{id}", s.getCase},
		{"POST /v1/cases/{id}/notes", s.postCaseNote},
		{"POST /v1/cases/{id}", s.postCaseAction},
		{"POST /v1/monitor/scans", s.postMonitorScan},
		{"GET /v1/monitor/scans/{id}", s.getMonitorScan},
		{"GET /openapi.json", s.getOpenAPI},
		{"GET /healthz", s.healthz},
		{"GET /readyz", s.readyz},
	} {
		s.mux.HandleFunc(r.pattern, s.guard(r.pattern, r.handler))
		s.routes = append(s.routes, r.pattern)
	}
	s.mux.HandleFunc(fallbackPattern, s.fallback)
	return s
}

// ServeHTTP routes r.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if why := s.refuse.Load(); why != nil && r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions {
		writeError(w, r, problem.Errorf(unavailable, "this server refuses writes: %s (reads go on; mineralpact audit verify names every fault)", *why))
		return
	}
	s.mux.ServeHTTP(w, r)
}

// RefuseWrites makes the server answer every write with unavailable, saying
// why, while reads go on: serve calls it when the store's invariants do not
// hold (issue 12, part 2), before serving or, for a row found not to match
// its audit record, while serving.
func (s *Server) RefuseWrites(reason string) { s.refuse.Store(&reason) }

// agreementFile is the base name of the agreement file: answers name the file
// without revealing the server's directories.
func (s *Server) agreementFile() string {
	if s.deps.AgreementFile == "" {
		return ""
	}
	return filepath.Base(s.deps.AgreementFile)
}

// writeJSON encodes v with the status. An encoding failure after the header is
// sent can only be logged.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		slog.Error("api: encoding a response", "err", err)
		status = http.StatusInternalServerError
		b = []byte(`{"error":{"code":"internal","message":"internal error"}}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}
