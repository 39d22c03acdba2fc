package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/internal/auth"
	"github.com/mineralpact/mineralpact/internal/monitor"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/service"
	"github.com/mineralpact/mineralpact/internal/store"
)

// The monitor's alerts and the secretariat's cases (issue 13, part 4):
// analysts and the secretariat read them; the secretariat opens, notes,
// confirms and dismisses cases, each step written with its audit record as
// the request's principal (docs/access.md).

// maxCaseRequest bounds the body of the case routes (a note is at most
// 10,000 characters; an opening names at most a few hundred alerts).
const maxCaseRequest = 64 << 10

// monitorStore is the store, or the unavailable error when none is served.
func (s *Server) monitorStore() (store.Monitor, error) {
	if s.deps.Store == nil {
		return nil, problem.Errorf(unavailable, "no store configured: no alerts or cases are kept")
	}
	return s.deps.Store, nil
}

// listAlerts answers the stored alerts ranked by score, filtered by the
// query's detector, importer, exporter, hs, status and limit.
func (s *Server) listAlerts(w http.ResponseWriter, r *http.Request) {
	st, err := s.monitorStore()
	if err != nil {
		writeError(w, r, err)
		return
	}
	q := r.URL.Query()
	f := store.AlertFilter{Detector: q.Get("detector"), Importer: q.Get("importer"), Exporter: q.Get("exporter"), HS: q.Get("hs"), Status: q.Get("status")}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 10000 {
			writeError(w, r, &problem.Error{Code: problem.Invalid, Field: "limit", BadValue: l, Message: "want a whole number from 1 to 10000"})
			return
		}
		f.Limit = n
	}
	as, err := st.ListAlerts(r.Context(), f)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if as == nil {
		as = []store.StoredAlert{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"alerts": as})
}

func (s *Server) getAlert(w http.ResponseWriter, r *http.Request) {
	st, err := s.monitorStore()
	if err != nil {
		writeError(w, r, err)
		return
	}
	a, err := st.GetAlert(r.Context(), r.PathValue("id"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

func (s *Server) listCases(w http.ResponseWriter, r *http.Request) {
	st, err := s.monitorStore()
	if err != nil {
		writeError(w, r, err)
		return
	}
	cs, err := st.ListCases(r.Context(), r.URL.Query().Get("status"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	if cs == nil {
		cs = []monitor.Case{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"cases": cs})
}

// caseIDOf reads a case id from the path.
func caseIDOf(v string) (int64, error) {
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, &problem.Error{Code: problem.Invalid, Field: "id", BadValue: v, Message: "a case id is a positive whole number"}
	}
	return id, nil
}

func (s *Server) getCase(w http.ResponseWriter, r *http.Request) {
	st, err := s.monitorStore()
	if err != nil {
		writeError(w, r, err)
		return
	}
	id, err := caseIDOf(r.PathValue("id"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	v, err := service.LoadCase(r.Context(), st, id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// caseRequest is the body of POST /v1/cases.
type caseRequest struct {
	Title  string   `json:"title"`
	Alerts []string `json:"alerts"`
}

func (s *Server) postCase(w http.ResponseWriter, r *http.Request) {
	st, err := s.monitorStore()
	if err != nil {
		writeError(w, r, err)
		return
	}
	var req caseRequest
	if err := s.readCaseBody(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	c, err := service.OpenCase(r.Context(), st, req.Title, req.Alerts, auth.From(r.Context()).Actor(), s.auth.Now().UTC())
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/v1/cases/"+strconv.FormatInt(c.ID, 10))
	writeJSON(w, http.StatusCreated, c)
}

func (s *Server) readCaseBody(w http.ResponseWriter, r *http.Request, v any) error {
	b, err := readBody(w, r, maxCaseRequest)
	if err != nil {
		return err
	}
	return decodeStrict(b, v)
}

// caseEventRequest is the body of a note (text) or a decision (reason).
type caseEventRequest struct {
	Text   string `json:"text"`
	Reason string `json:"reason"`
}

func (s *Server) postCaseNote(w http.ResponseWriter, r *http.Request) {
	id, err := caseIDOf(r.PathValue("id"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	s.caseEvent(w, r, id, monitor.EventNote, http.StatusCreated)
}

// postCaseAction is POST /v1/cases/{id}:confirm and :dismiss. Go's router
// matches a wildcard to a whole path segment, so the segment "7:confirm"
// is split here.
func (s *Server) postCaseAction(w http.ResponseWriter, r *http.Request) {
	seg := r.PathValue("id")
	v, action, ok := strings.Cut(seg, ":")
	if !ok || (action != monitor.EventConfirm && action != monitor.EventDismiss) {
		writeError(w, r, &problem.Error{Code: problem.NotFound, Field: "id", BadValue: seg, Message: "want /v1/cases/{id}:confirm or /v1/cases/{id}:dismiss"})
		return
	}
	id, err := caseIDOf(v)
	if err != nil {
		writeError(w, r, err)
		return
	}
	s.caseEvent(w, r, id, action, http.StatusOK)
}

func (s *Server) caseEvent(w http.ResponseWriter, r *http.Request, id int64, kind string, status int) {
	st, err := s.monitorStore()
	if err != nil {
		writeError(w, r, err)
		return
	}
	var req caseEventRequest
	if err := s.readCaseBody(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	text, field, other := req.Reason, "reason", req.Text
	if kind == monitor.EventNote {
		text, field, other = req.Text, "text", req.Reason
	}
	if other != "" {
		wrong := map[string]string{"text": "reason", "reason": "text"}[field]
		writeError(w, r, &problem.Error{Code: problem.Invalid, Field: wrong, Message: "a " + kind + " takes " + field + ", not " + wrong})
		return
	}
	if strings.TrimSpace(text) == "" {
		writeError(w, r, &problem.Error{Code: problem.Invalid, Field: field, Message: "a " + kind + " needs its " + field})
		return
	}
	c, err := service.CaseEvent(r.Context(), st, id, kind, text, auth.From(r.Context()).Actor(), s.auth.Now().UTC())
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, status, c)
}
