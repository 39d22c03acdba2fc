package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/costcurve"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/design"
	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/mineralpact/mineralpact/internal/market"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/scenarios"
)

// Designs: POST /v1/designs:compare compares a new version of the agreement
// with a base (default the served agreement) over a workload, through the
// design package's Comparer (docs/design.md, docs/studio.md); the answer is
// saved under an id, the hash of both versions and the workload, so that
// GET /v1/designs/{id} gives it back: a link anyone with access can open.
//
// The design package returns the comparison whole, so the answer is one JSON
// object, not a stream. Saved designs are kept in this server's memory (the
// store has no key-value place), the most recent DesignConfig.Saved of them:
// a link outlives an edit but not a restart.

// DesignConfig is the workload the design routes run on and how many
// designs they keep.
type DesignConfig struct {
	// Declarations is how many ILLUSTRATIVE declarations are generated (by
	// declgen, for the served agreement, over a year from the workload's
	// first date) and re-assessed; default DefaultDesignDeclarations.
	Declarations int
	// Seed is the generator's seed (default design.DefaultSeed).
	Seed uint64
	// Paths overrides each scenario's Monte Carlo paths when > 0.
	Paths int
	// Saved is how many comparisons GET /v1/designs/{id} can give back
	// (default 200); Workloads how many workloads keep a warm Comparer
	// (default 2).
	Saved, Workloads int
}

// DefaultDesignDeclarations is the design routes' default workload: a tenth
// of the command line's million, so that the first comparison after a start
// (generating, then computing the served agreement whole) takes seconds; an
// edit after it is answered from the warm Comparer.
const DefaultDesignDeclarations = 100_000

// SetDesign sets the design routes' workload; call it before serving.
func (s *Server) SetDesign(c DesignConfig) {
	if c.Declarations <= 0 {
		c.Declarations = DefaultDesignDeclarations
	}
	if c.Seed == 0 {
		c.Seed = design.DefaultSeed
	}
	if c.Saved <= 0 {
		c.Saved = 200
	}
	if c.Workloads <= 0 {
		c.Workloads = 2
	}
	s.studio = &studio{cfg: c, comparers: map[string]*design.Comparer{}, decls: map[date.Date][]duty.Declaration{},
		saved: map[string][]byte{}, texts: map[string][]byte{}}
}

// studio holds the design routes' state: a warm Comparer per workload, the
// generated declarations, the saved comparisons and the agreement texts
// compared (so that a later request may name one as its base by hash).
type studio struct {
	cfg DesignConfig

	cmu       sync.Mutex                  // guards comparers, corder and decls
	comparers map[string]*design.Comparer // by workload key
	corder    []string                    // least recently used first
	decls     map[date.Date][]duty.Declaration

	mu     sync.Mutex        // guards the rest
	saved  map[string][]byte // comparison answers by id
	sorder []string
	texts  map[string][]byte // agreement texts by hash
	torder []string
}

// designRequest is the body of POST /v1/designs:compare.
type designRequest struct {
	Agreement string         `json:"agreement"`      // the new version's text
	Base      string         `json:"base,omitempty"` // the old version: a text or a hash; default the served agreement
	Workload  designWorkload `json:"workload"`
}

type designWorkload struct {
	From      string   `json:"from,omitempty"`
	To        string   `json:"to,omitempty"`
	Scenarios []string `json:"scenarios,omitempty"` // shipped scenario names; default all
}

// workloadBody is the workload as the answer reports it.
type workloadBody struct {
	From         date.Date `json:"from"`
	To           date.Date `json:"to"`
	Scenarios    []string  `json:"scenarios"`
	Declarations int       `json:"declarations"`
	Seed         uint64    `json:"seed"`
	Paths        int       `json:"paths,omitempty"`
}

// designBody is a comparison as the API answers it.
type designBody struct {
	ID         string             `json:"id"`
	ElapsedMS  int64              `json:"elapsed_ms"`
	Workload   workloadBody       `json:"workload"`
	Comparison *design.Comparison `json:"comparison"`
	Tables     []tableBody        `json:"tables"`
	// Agreement is the new version's text, so that a saved comparison's
	// link opens the design studio on it.
	Agreement string `json:"agreement"`
}

type tableBody struct {
	Name    string     `json:"name"`
	Columns []string   `json:"columns"`
	Rows    [][]string `json:"rows"`
}

var hexHash = regexp.MustCompile(`^[0-9a-f]{64}$`)
var designID = regexp.MustCompile(`^[0-9a-f]{32}$`)

func (s *Server) compareDesigns(w http.ResponseWriter, r *http.Request) {
	st := s.studio
	req, err := decodeDesignRequest(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	cat := agreement.RegistryCatalog(s.deps.Registry)
	nw, _, err := agreement.Load("agreement", []byte(req.Agreement), cat)
	if err != nil {
		writeError(w, r, agreementError("agreement", err))
		return
	}
	old, err := s.designBase(r.Context(), req.Base)
	if err != nil {
		writeError(w, r, err)
		return
	}
	wl, scs, err := s.designWorkload(req.Workload, nw)
	if err != nil {
		writeError(w, r, err)
		return
	}
	oh, _ := old.Hash()
	nh, err := nw.Hash()
	if err != nil {
		writeError(w, r, err)
		return
	}
	key := wl.key()
	sum := sha256.Sum256([]byte(oh + "\n" + nh + "\n" + key))
	id := hex.EncodeToString(sum[:16])
	st.remember(nh, []byte(req.Agreement))
	if b, ok := st.get(id); ok {
		w.Header().Set("Location", "/v1/designs/"+id)
		writeRaw(w, http.StatusOK, b)
		return
	}
	start := time.Now()
	c, err := s.comparer(key, wl, scs)
	if err != nil {
		writeError(w, r, err)
		return
	}
	cmp, err := c.Compare(r.Context(), old, nw)
	if err != nil {
		writeError(w, r, err)
		return
	}
	out := designBody{ID: id, ElapsedMS: time.Since(start).Milliseconds(), Workload: wl, Comparison: cmp, Agreement: req.Agreement}
	for _, t := range cmp.Tables() {
		rows := t.Rows
		if rows == nil {
			rows = [][]string{}
		}
		out.Tables = append(out.Tables, tableBody{Name: t.Name, Columns: t.Columns, Rows: rows})
	}
	b, err := json.Marshal(out)
	if err != nil {
		writeError(w, r, err)
		return
	}
	st.save(id, b)
	w.Header().Set("Location", "/v1/designs/"+id)
	writeRaw(w, http.StatusOK, b)
}

func (s *Server) getDesign(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !designID.MatchString(id) {
		writeError(w, r, &problem.Error{Code: problem.Invalid, Field: "id", Message: fmt.Sprintf("design id %q: want 32 lowercase hex digits", id)})
		return
	}
	b, ok := s.studio.get(id)
	if !ok {
		writeError(w, r, &problem.Error{Code: problem.NotFound, Field: "id", Message: fmt.Sprintf("no saved design %s: this server keeps the last %d comparisons in memory, until it restarts; compare again with POST /v1/designs:compare", id, s.studio.cfg.Saved)})
		return
	}
	writeRaw(w, http.StatusOK, b)
}

// decodeDesignRequest reads the body strictly.
func decodeDesignRequest(r *http.Request) (*designRequest, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 2*maxAgreementText+1))
	if err != nil {
		return nil, &problem.Error{Code: problem.Invalid, Message: "cannot read the request body"}
	}
	if len(body) > 2*maxAgreementText {
		return nil, &problem.Error{Code: problem.Invalid, Message: fmt.Sprintf("request body is larger than %d bytes", 2*maxAgreementText)}
	}
	var req designRequest
	d := json.NewDecoder(bytes.NewReader(body))
	d.DisallowUnknownFields()
	if err := d.Decode(&req); err != nil {
		return nil, &problem.Error{Code: problem.Invalid, Message: "request body: " + err.Error()}
	}
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		return nil, &problem.Error{Code: problem.Invalid, Message: "request body: data after the JSON object"}
	}
	if strings.TrimSpace(req.Agreement) == "" {
		return nil, &problem.Error{Code: problem.Invalid, Field: "agreement", Message: "agreement (the new version's text) is required"}
	}
	return &req, nil
}

// designBase resolves the base version: the served agreement, a version
// by its hash (the served one, one compared here before, or one in the
// store), or a text.
func (s *Server) designBase(ctx context.Context, base string) (*agreement.Agreement, error) {
	cat := agreement.RegistryCatalog(s.deps.Registry)
	base = strings.TrimSpace(base)
	switch {
	case base == "" || base == s.hash:
		return s.deps.Agreement, nil
	case hexHash.MatchString(base):
		text, ok := s.studio.text(base)
		if !ok && s.deps.Store != nil {
			if v, err := s.deps.Store.GetAgreement(ctx, base); err == nil {
				text, ok = v.Canonical, true
			}
		}
		if !ok {
			return nil, &problem.Error{Code: problem.NotFound, Field: "base", Message: fmt.Sprintf("no agreement version %s: give the served agreement's hash, one compared on this server, one in its store, or the base's text", base)}
		}
		a, _, err := agreement.Load("base", text, cat)
		if err != nil {
			return nil, agreementError("base", err)
		}
		return a, nil
	}
	a, _, err := agreement.Load("base", []byte(base), cat)
	if err != nil {
		return nil, agreementError("base", err)
	}
	return a, nil
}

// designWorkload resolves the request's workload against the defaults: the
// new version's entry into force, a year, every shipped scenario.
func (s *Server) designWorkload(req designWorkload, nw *agreement.Agreement) (workloadBody, []*market.Scenario, error) {
	cfg := s.studio.cfg
	wl := workloadBody{Declarations: cfg.Declarations, Seed: cfg.Seed, Paths: cfg.Paths}
	var err error
	if req.From == "" {
		wl.From = nw.EntryIntoForce
	} else if wl.From, err = date.Parse(req.From); err != nil {
		return wl, nil, &problem.Error{Code: problem.Invalid, Field: "workload.from", Message: fmt.Sprintf("from %q: want a date YYYY-MM-DD", req.From)}
	}
	if req.To == "" {
		wl.To = wl.From.AddDays(364)
	} else if wl.To, err = date.Parse(req.To); err != nil {
		return wl, nil, &problem.Error{Code: problem.Invalid, Field: "workload.to", Message: fmt.Sprintf("to %q: want a date YYYY-MM-DD", req.To)}
	}
	if wl.To.Before(wl.From) {
		return wl, nil, &problem.Error{Code: problem.Invalid, Field: "workload.to", Message: fmt.Sprintf("to %s is before from %s", wl.To, wl.From)}
	}
	if wl.To.After(wl.From.AddDays(5 * 366)) {
		return wl, nil, &problem.Error{Code: problem.Invalid, Field: "workload.to", Message: "the floors' range is at most five years"}
	}
	wl.Scenarios = req.Scenarios
	if len(wl.Scenarios) == 0 {
		wl.Scenarios = scenarios.Names()
	}
	var scs []*market.Scenario
	for i, name := range wl.Scenarios {
		b, file, ok := scenarios.Get(name)
		if !ok {
			return wl, nil, &problem.Error{Code: problem.NotFound, Field: fmt.Sprintf("workload.scenarios[%d]", i), Message: fmt.Sprintf("no shipped scenario %q (shipped: %s)", name, strings.Join(scenarios.Names(), ", "))}
		}
		sc, err := market.DecodeScenario(file, b)
		if err != nil {
			return wl, nil, err
		}
		scs = append(scs, sc)
	}
	return wl, scs, nil
}

// key is the workload's identity: what the comparison's id and the warm
// Comparer are keyed by.
func (wl workloadBody) key() string {
	return fmt.Sprintf("%s..%s n=%d seed=%d paths=%d scenarios=%s", wl.From, wl.To, wl.Declarations, wl.Seed, wl.Paths, strings.Join(wl.Scenarios, ","))
}

// comparer returns the warm Comparer of a workload, making it (and
// generating its declarations) the first time.
func (s *Server) comparer(key string, wl workloadBody, scs []*market.Scenario) (*design.Comparer, error) {
	st := s.studio
	st.cmu.Lock()
	defer st.cmu.Unlock()
	if c, ok := st.comparers[key]; ok {
		st.corder = touchKey(st.corder, key)
		return c, nil
	}
	if s.deps.Data == nil {
		return nil, problem.Errorf(unavailable, "this server has no data directory for the design comparison's cost curves and scenarios")
	}
	opt := design.Options{Registry: s.deps.Registry, Prices: costcurve.PriceSources(s.deps.Registry, s.deps.Data), Data: s.deps.Data}
	ds, ok := st.decls[wl.From]
	src := design.GeneratedSource(s.deps.Agreement.ID, wl.Declarations, wl.Seed, wl.From)
	if !ok {
		var err error
		ds, src, err = design.Generate(s.deps.Agreement, opt, wl.Declarations, wl.Seed, wl.From)
		if err != nil {
			return nil, err
		}
		if len(st.decls) >= st.cfg.Workloads {
			clear(st.decls)
		}
		st.decls[wl.From] = ds
	}
	c, err := design.NewComparer(design.Workload{From: wl.From, To: wl.To, Declarations: ds, DeclarationsSource: src,
		DeclarationsIllustrative: true, Scenarios: scs, Paths: wl.Paths}, opt)
	if err != nil {
		return nil, err
	}
	st.comparers[key] = c
	st.corder = append(st.corder, key)
	for len(st.corder) > st.cfg.Workloads {
		delete(st.comparers, st.corder[0])
		st.corder = st.corder[1:]
	}
	return c, nil
}

func (st *studio) get(id string) ([]byte, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	b, ok := st.saved[id]
	return b, ok
}

func (st *studio) save(id string, b []byte) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if _, ok := st.saved[id]; !ok {
		st.sorder = append(st.sorder, id)
	}
	st.saved[id] = b
	for len(st.sorder) > st.cfg.Saved {
		delete(st.saved, st.sorder[0])
		st.sorder = st.sorder[1:]
	}
}

// remember keeps an agreement text under its hash, for a later base.
func (st *studio) remember(hash string, text []byte) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if _, ok := st.texts[hash]; ok {
		st.torder = touchKey(st.torder, hash)
		return
	}
	st.texts[hash] = text
	st.torder = append(st.torder, hash)
	for len(st.torder) > st.cfg.Saved {
		delete(st.texts, st.torder[0])
		st.torder = st.torder[1:]
	}
}

func (st *studio) text(hash string) ([]byte, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	b, ok := st.texts[hash]
	return b, ok
}

// touchKey moves k to the end of order (most recently used).
func touchKey(order []string, k string) []string {
	if i := slices.Index(order, k); i >= 0 {
		order = append(slices.Delete(order, i, i+1), k)
	}
	return order
}

// writeRaw writes an answer already encoded as JSON.
func writeRaw(w http.ResponseWriter, status int, b []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}
