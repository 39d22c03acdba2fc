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
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"strconv"
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
	"github.com/mineralpact/mineralpact/internal/store"
	"github.com/mineralpact/mineralpact/scenarios"
)

// Designs: POST /v1/designs:compare compares a new version of the agreement
// with a base (default the served agreement) over a workload, through the
// design package's Comparer (docs/design.md, docs/studio.md); the answer is
// saved under an id, the hash of both versions and the workload, so that
// GET /v1/designs/{id} gives it back: a link anyone with access can open.
//
// The answer is one JSON object, or, when the client asks for
// application/x-ndjson (Accept, or ?stream=1), one JSON line a part of the
// comparison as its engine finishes (design.Comparer.CompareStream), then a
// line {"part": "done", "id": ...}; an error after the first line is a line
// {"part": "error", "error": {...}} in the API's one error shape.
//
// Saved designs go to the store (store.Designs, with both agreement
// versions), so that a link opens after a restart and on every node over one
// PostgreSQL; the store keeps at most DesignConfig.StoredMax of them, none
// older than DesignConfig.StoredFor. The most recent DesignConfig.Saved are
// also kept in this server's memory (the only place without a store).

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
	// Saved is how many comparisons this server keeps in memory for GET
	// /v1/designs/{id} (default 200; without a store, the only ones it can
	// give back); Workloads how many workloads keep a warm Comparer
	// (default 2).
	Saved, Workloads int
	// StoredMax is how many comparisons the store keeps (default
	// DefaultStoredDesigns), the most recently saved; StoredFor how long
	// (default DefaultStoredFor). Each save prunes the rest. The agreement
	// versions they name stay in the store.
	StoredMax int
	StoredFor time.Duration
}

// DefaultStoredDesigns and DefaultStoredFor bound the saved comparisons in
// the store: a comparison of the default workload is about 220 KB of JSON
// (docs/studio.md), so about 220 MB, plus the agreement versions edited.
const (
	DefaultStoredDesigns = 1000
	DefaultStoredFor     = 90 * 24 * time.Hour
)

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
	if c.StoredMax <= 0 {
		c.StoredMax = DefaultStoredDesigns
	}
	if c.StoredFor <= 0 {
		c.StoredFor = DefaultStoredFor
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
	Agreement string         `json:"agreement"`      // the new version: a text or a hash
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
	stream := wantsStream(r)
	req, err := decodeDesignRequest(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	nw, newText, err := s.designVersion(r.Context(), "agreement", req.Agreement)
	if err != nil {
		writeError(w, r, err)
		return
	}
	old, oldText, err := s.designBase(r.Context(), req.Base)
	if err != nil {
		writeError(w, r, err)
		return
	}
	wl, scs, err := s.designWorkload(req.Workload, nw)
	if err != nil {
		writeError(w, r, err)
		return
	}
	oh, err := old.Hash()
	if err != nil {
		writeError(w, r, err)
		return
	}
	nh, err := nw.Hash()
	if err != nil {
		writeError(w, r, err)
		return
	}
	key := wl.key()
	sum := sha256.Sum256([]byte(oh + "\n" + nh + "\n" + key))
	id := hex.EncodeToString(sum[:16])
	st.remember(nh, newText)
	if oldText != nil {
		st.remember(oh, oldText)
	}
	if b, ok := s.savedDesign(r.Context(), id); ok {
		w.Header().Set("Location", "/v1/designs/"+id)
		if stream {
			streamSaved(w, r, b)
			return
		}
		writeRaw(w, http.StatusOK, b)
		return
	}
	start := time.Now()
	c, err := s.comparer(key, wl, scs)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var lines *ndjson
	var cmp *design.Comparison
	if stream {
		w.Header().Set("Location", "/v1/designs/"+id)
		lines = startNDJSON(w)
		defer lines.end()
		cmp, err = c.CompareStream(r.Context(), old, nw, func(p design.Part) { lines.write(p) })
	} else {
		cmp, err = c.Compare(r.Context(), old, nw)
	}
	fail := func(err error) {
		if stream {
			lines.fail(r, err)
			return
		}
		writeError(w, r, err)
	}
	if err != nil {
		fail(err)
		return
	}
	out := designBody{ID: id, ElapsedMS: time.Since(start).Milliseconds(), Workload: wl, Comparison: cmp, Agreement: string(newText)}
	for _, t := range cmp.Tables() {
		rows := t.Rows
		if rows == nil {
			rows = [][]string{}
		}
		out.Tables = append(out.Tables, tableBody{Name: t.Name, Columns: t.Columns, Rows: rows})
	}
	b, err := json.Marshal(out)
	if err != nil {
		fail(err)
		return
	}
	s.saveDesign(r.Context(), id, key, old, oldText, nw, newText, b)
	if stream {
		lines.write(doneLine(id, out.ElapsedMS, wl, cmp))
		return
	}
	w.Header().Set("Location", "/v1/designs/"+id)
	writeRaw(w, http.StatusOK, b)
}

func (s *Server) getDesign(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !designID.MatchString(id) {
		writeError(w, r, &problem.Error{Code: problem.Invalid, Field: "id", Message: fmt.Sprintf("design id %q: want 32 lowercase hex digits", id)})
		return
	}
	b, ok := s.savedDesign(r.Context(), id)
	if !ok {
		cfg := s.studio.cfg
		where := fmt.Sprintf("the store keeps the last %d comparisons for %s", cfg.StoredMax, days(cfg.StoredFor))
		if s.deps.Store == nil {
			where = fmt.Sprintf("this server has no store and keeps the last %d comparisons in memory, until it restarts", cfg.Saved)
		}
		writeError(w, r, &problem.Error{Code: problem.NotFound, Field: "id", Message: fmt.Sprintf("no saved design %s: %s; compare again with POST /v1/designs:compare", id, where)})
		return
	}
	writeRaw(w, http.StatusOK, b)
}

func days(d time.Duration) string {
	return fmt.Sprintf("%d days", int(d.Hours()/24))
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

// designBase resolves the base version: the served agreement, or a version
// as designVersion resolves it. The text is nil for the served agreement.
func (s *Server) designBase(ctx context.Context, base string) (*agreement.Agreement, []byte, error) {
	base = strings.TrimSpace(base)
	if base == "" || base == s.hash {
		return s.deps.Agreement, nil, nil
	}
	return s.designVersion(ctx, "base", base)
}

// designVersion resolves a version named by field: by its hash (the served
// agreement, one compared on this server, or one in its store), or a text.
// It returns the version and its text.
func (s *Server) designVersion(ctx context.Context, field, v string) (*agreement.Agreement, []byte, error) {
	cat := agreement.RegistryCatalog(s.deps.Registry)
	if h := strings.TrimSpace(v); hexHash.MatchString(h) {
		text, ok := s.studio.text(h)
		if !ok && s.deps.Store != nil {
			if av, err := s.deps.Store.GetAgreement(ctx, h); err == nil && (h != s.hash || len(av.Source) > 0) {
				text, ok = av.Source, true
				if len(text) == 0 {
					text = av.Canonical
				}
			}
		}
		if h == s.hash {
			return s.deps.Agreement, text, nil // the text when known
		}
		if !ok {
			return nil, nil, &problem.Error{Code: problem.NotFound, Field: field, Message: fmt.Sprintf("no agreement version %s: give the served agreement's hash, one compared on this server, one in its store, or the %s's text", h, field)}
		}
		a, _, err := agreement.Load(field, text, cat)
		if err != nil {
			return nil, nil, agreementError(field, err)
		}
		return a, text, nil
	}
	a, _, err := agreement.Load(field, []byte(v), cat)
	if err != nil {
		return nil, nil, agreementError(field, err)
	}
	return a, []byte(v), nil
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

// wantsStream reports whether the client asked for the comparison as NDJSON:
// Accept: application/x-ndjson, or ?stream=1 (or true).
func wantsStream(r *http.Request) bool {
	switch r.URL.Query().Get("stream") {
	case "1", "true":
		return true
	}
	for _, a := range r.Header.Values("Accept") {
		for _, m := range strings.Split(a, ",") {
			mt, _, _ := strings.Cut(strings.TrimSpace(m), ";")
			if strings.EqualFold(strings.TrimSpace(mt), ndjsonType) {
				return true
			}
		}
	}
	return false
}

const ndjsonType = "application/x-ndjson"

// ndjson writes one JSON value a line, flushed at once, to a response whose
// status (200) is sent by startNDJSON. The lines are encoded by the caller
// and written by a goroutine of their own, so that a slow client never
// holds the design engine (and the warm Comparer every other request
// shares): a comparison has a handful of parts, fewer than the queue holds.
// end waits for the last line to be written; the handler calls it before
// it returns.
type ndjson struct {
	w     http.ResponseWriter
	rc    *http.ResponseController
	lines chan []byte
	done  chan struct{}
}

// streamQueue is how many lines wait for a slow client before write blocks:
// more than a comparison's parts (5 and one a scenario).
const streamQueue = 64

func startNDJSON(w http.ResponseWriter) *ndjson {
	w.Header().Set("Content-Type", ndjsonType)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no") // a proxy should pass each line on
	w.WriteHeader(http.StatusOK)
	l := &ndjson{w: w, rc: http.NewResponseController(w), lines: make(chan []byte, streamQueue), done: make(chan struct{})}
	l.rc.Flush()
	go func() {
		defer close(l.done)
		for b := range l.lines {
			if _, err := l.w.Write(b); err != nil {
				continue // the client went away: drain; the comparison's context stops it
			}
			l.rc.Flush()
		}
	}()
	return l
}

// write queues v as one line. An encoding failure becomes an error line.
func (l *ndjson) write(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		slog.Error("api: encoding a design stream line", "err", err)
		b = []byte(`{"part":"error","error":{"code":"internal","message":"internal error"}}`)
	}
	l.lines <- append(b, '\n')
}

// end writes the lines queued and returns when they are written.
func (l *ndjson) end() {
	close(l.lines)
	<-l.done
}

// streamError is an error line: the API's one error shape with the part
// "error".
type streamError struct {
	Part  string      `json:"part"`
	Error errorDetail `json:"error"`
}

// fail ends the stream with err as an error line; an internal error is
// logged and shown as "internal error", as writeError does.
func (l *ndjson) fail(r *http.Request, err error) {
	d := detailOf(err)
	if _, ok := statusOf[d.Code]; !ok || d.Code == problem.Internal {
		if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
			return // the client went away: nobody reads the line
		}
		if errors.Is(err, context.DeadlineExceeded) {
			l.write(streamError{Part: "error", Error: errorDetail{Code: unavailable, Message: "the comparison was stopped: the request's deadline passed; compare again"}})
			return
		}
		slog.Error("api: internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		d = errorDetail{Code: problem.Internal, Message: "internal error"}
	}
	l.write(streamError{Part: "error", Error: d})
}

// doneBody is the last line of a streamed comparison.
type doneBody struct {
	Part      string       `json:"part"` // "done"
	ID        string       `json:"id"`
	Link      string       `json:"link"` // GET it for the whole comparison, with its flat tables
	ElapsedMS int64        `json:"elapsed_ms"`
	Saved     bool         `json:"saved"` // answered from a saved comparison
	Workload  workloadBody `json:"workload"`
	Summary   summaryBody  `json:"summary"`
}

type summaryBody struct {
	Changes              int `json:"changes"`
	FloorsChanged        int `json:"floors_changed"`
	Floors               int `json:"floors"`
	Declarations         int `json:"declarations"`
	DeclarationsChanged  int `json:"declarations_changed"`
	ScenariosChanged     int `json:"scenarios_changed"`
	Scenarios            int `json:"scenarios"`
	DeclarationsReassess int `json:"declarations_reassessed"`
}

func doneLine(id string, ms int64, wl workloadBody, c *design.Comparison) doneBody {
	d := doneBody{Part: "done", ID: id, Link: "/v1/designs/" + id, ElapsedMS: ms, Workload: wl}
	sm := &d.Summary
	sm.Changes, sm.Floors, sm.Scenarios = len(c.Changes), len(c.Floors), len(c.Scenarios)
	for _, f := range c.Floors {
		if f.Changed {
			sm.FloorsChanged++
		}
	}
	for _, x := range c.Scenarios {
		if x.Changed {
			sm.ScenariosChanged++
		}
	}
	sm.Declarations, sm.DeclarationsChanged, sm.DeclarationsReassess = c.Duty.Declarations, c.Duty.Changed, c.Work.Reassessed
	return d
}

// streamSaved streams a saved comparison: the same parts, read from its
// answer, then the done line.
func streamSaved(w http.ResponseWriter, r *http.Request, b []byte) {
	var saved struct {
		ID         string       `json:"id"`
		ElapsedMS  int64        `json:"elapsed_ms"`
		Workload   workloadBody `json:"workload"`
		Comparison *struct {
			Changes   []json.RawMessage        `json:"changes"`
			Floors    []struct{ Changed bool } `json:"floors"`
			Duty      struct{ Declarations, Changed int }
			Scenarios []design.ScenarioChange `json:"scenarios"`
			Work      design.Work             `json:"work"`
		} `json:"comparison"`
	}
	var raw struct {
		Comparison map[string]json.RawMessage `json:"comparison"`
	}
	err := json.Unmarshal(b, &raw)
	if err == nil {
		err = json.Unmarshal(b, &saved)
	}
	if err != nil || saved.Comparison == nil {
		writeError(w, r, &problem.Error{Code: problem.Internal, Message: "a saved design cannot be read", Err: err})
		return
	}
	sc := saved.Comparison
	// What the done line counts, from the saved comparison.
	summary := &design.Comparison{Changes: make([]agreement.Difference, len(sc.Changes)), Floors: make([]design.FloorChange, len(sc.Floors)),
		Duty: design.DutyComparison{Declarations: sc.Duty.Declarations, Changed: sc.Duty.Changed}, Scenarios: sc.Scenarios, Work: sc.Work}
	for i, f := range sc.Floors {
		summary.Floors[i].Changed = f.Changed
	}
	lines := startNDJSON(w)
	defer lines.end()
	c := raw.Comparison
	// The parts as design.Part writes them, from the saved JSON: the same
	// fields under the same names.
	part := func(name string, fields ...string) map[string]json.RawMessage {
		m := map[string]json.RawMessage{"part": json.RawMessage(strconv.Quote(name))}
		for _, f := range fields {
			if v, ok := c[f]; ok {
				m[f] = v
			}
		}
		return m
	}
	lines.write(part(design.PartChanges, "old", "new", "changes", "touched", "range"))
	lines.write(part(design.PartFloors, "floors"))
	lines.write(part(design.PartScope, "scope", "scope_error"))
	lines.write(part(design.PartDuty, "duty"))
	for i := range sc.Scenarios {
		lines.write(design.Part{Name: design.PartScenario, Index: i, Scenario: &sc.Scenarios[i]})
	}
	lines.write(part(design.PartWork, "work"))
	d := doneLine(saved.ID, saved.ElapsedMS, saved.Workload, summary)
	d.Saved = true
	lines.write(d)
}

// savedDesign returns a saved comparison's answer: from memory, or from the
// store (and keeps it in memory).
func (s *Server) savedDesign(ctx context.Context, id string) ([]byte, bool) {
	if b, ok := s.studio.get(id); ok {
		return b, true
	}
	if s.deps.Store == nil {
		return nil, false
	}
	d, err := s.deps.Store.GetDesign(ctx, id)
	if err != nil {
		if problem.CodeOf(err) != problem.NotFound {
			slog.Warn("api: reading a saved design", "id", id, "err", err)
		}
		return nil, false
	}
	s.studio.save(id, d.Body)
	return d.Body, true
}

// saveDesign keeps a comparison's answer in memory and in the store, with
// both agreement versions, then prunes the store to DesignConfig's bounds.
// A store that fails is logged: the answer stands, and this server still
// gives it back from memory.
func (s *Server) saveDesign(ctx context.Context, id, workload string, old *agreement.Agreement, oldText []byte, nw *agreement.Agreement, newText, body []byte) {
	s.studio.save(id, body)
	if s.deps.Store == nil {
		return
	}
	now := time.Now().UTC() // the adapter's clock
	err := func() error {
		var hashes [2]string
		for i, v := range []struct {
			a    *agreement.Agreement
			text []byte
		}{{old, oldText}, {nw, newText}} {
			canon, err := v.a.Canonical()
			if err != nil {
				return err
			}
			if hashes[i], err = v.a.Hash(); err != nil {
				return err
			}
			if _, err := s.deps.Store.PutAgreement(ctx, store.AgreementVersion{Hash: hashes[i], Name: v.a.ID, Canonical: canon, Source: v.text, StoredAt: now}); err != nil {
				return err
			}
		}
		created, err := s.deps.Store.PutDesign(ctx, store.Design{ID: id, OldHash: hashes[0], NewHash: hashes[1], Workload: workload, Body: body, CreatedAt: now})
		if err != nil || !created {
			return err
		}
		_, err = s.deps.Store.PruneDesigns(ctx, s.studio.cfg.StoredMax, now.Add(-s.studio.cfg.StoredFor))
		return err
	}()
	if err != nil {
		slog.Warn("api: saving a design in the store: its link opens on this server only, until it restarts", "id", id, "err", err)
	}
}

// WarmDesign readies the design routes for the default workload (the served
// agreement's entry into force and a year, every shipped scenario): it
// generates the workload's declarations and computes the served agreement
// whole in its Comparer, so that the first comparison a studio asks for is
// answered warm. It saves nothing. serve runs it in the background at start;
// a request meanwhile waits for it rather than doing the work twice.
func (s *Server) WarmDesign(ctx context.Context) error {
	wl, scs, err := s.designWorkload(designWorkload{}, s.deps.Agreement)
	if err != nil {
		return err
	}
	c, err := s.comparer(wl.key(), wl, scs)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	_, err = c.Compare(ctx, s.deps.Agreement, s.deps.Agreement)
	return err
}
