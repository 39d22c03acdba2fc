package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/mineralpact/mineralpact/internal/auth"
	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/store"
)

// maxDeclarationBytes bounds the body of POST /v1/assessments.
const maxDeclarationBytes = 64 << 10

// batchGroup is how many lines of POST /v1/assessments:batch are recorded in
// one transaction at most; a group is also cut when no more input is buffered,
// so a slow stream is answered line by line.
const batchGroup = 256

// duty returns the assessor and recorder, or an unavailable problem when the
// server was started without them.
func (s *Server) duty() (*duty.Assessor, *store.Recorder, error) {
	if s.deps.Assessor == nil || s.deps.Recorder == nil || s.deps.Ledger == nil {
		return nil, nil, problem.Errorf(unavailable, "no duty assessor and store ledger configured")
	}
	return s.deps.Assessor, s.deps.Recorder, nil
}

// declarationProblem turns a declaration the engine cannot assess into the
// API's one error shape, naming the declaration and the field; other errors
// pass as they are.
func declarationProblem(err error) error {
	var fe *duty.FieldError
	if !errors.As(err, &fe) {
		return err
	}
	msg := fe.Err.Message
	if fe.Err.Field != "" {
		msg = fe.Err.Field + ": " + msg
	}
	if fe.ID != "" {
		msg = "declaration " + fe.ID + ": " + msg
	}
	return &problem.Error{Code: problem.Invalid, Field: fe.Err.Field, BadValue: fe.Err.BadValue, Message: msg}
}

// assessOne assesses one declaration (see assessLine) and records it.
func (s *Server) assessOne(ctx context.Context, a *duty.Assessor, rec *store.Recorder, line []byte) (body []byte, stored bool, err error) {
	x, stored, err := s.assessLine(ctx, a, rec, line)
	if err != nil || stored {
		return x.body, stored, err
	}
	created, err := rec.Record(ctx, x.rec)
	if err != nil {
		return nil, false, err
	}
	if !created { // another request recorded it first: answer with its record
		r, err := rec.Get(ctx, s.hash, x.rec.DeclarationID)
		if err != nil {
			return nil, false, err
		}
		return r.Body, true, nil
	}
	return x.body, false, nil
}

// postAssessment assesses one declaration: 201 with the assessment and its
// trace; 200 with the recorded assessment when the declaration was assessed
// before under this agreement.
func (s *Server) postAssessment(w http.ResponseWriter, r *http.Request) {
	a, rec, err := s.duty()
	if err != nil {
		writeError(w, r, err)
		return
	}
	b, err := readBody(w, r, maxDeclarationBytes)
	if err != nil {
		writeError(w, r, err)
		return
	}
	body, stored, err := s.assessOne(r.Context(), a, rec, b)
	if err != nil {
		writeError(w, r, err)
		return
	}
	status := http.StatusCreated
	if stored {
		status = http.StatusOK
		w.Header().Set("Mineralpact-Recorded", "earlier")
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}

// assessed is a line assessed but not yet recorded.
type assessed struct {
	body []byte
	rec  store.AssessmentRecord
}

// assessLine decodes and assesses one declaration without recording it (a
// batch records a group of lines in one transaction). A declaration with a
// repeated key is refused, and so is one the request's customs officer may
// not assess (another party's: mayAssess), before any record is read or
// quota allocated. A declaration already recorded under the served
// agreement is not assessed again: its record is returned with stored true,
// and no quota is allocated.
func (s *Server) assessLine(ctx context.Context, a *duty.Assessor, rec *store.Recorder, line []byte) (assessed, bool, error) {
	if err := checkDuplicateKeys(line); err != nil {
		return assessed{}, false, err
	}
	d, err := duty.DecodeDeclaration(line)
	if err != nil {
		return assessed{}, false, declarationProblem(err)
	}
	if err := s.mayAssess(ctx, d); err != nil {
		return assessed{}, false, err
	}
	if id := d.ID(); id != "" {
		if r, err := rec.Get(ctx, s.hash, id); err == nil {
			return assessed{body: r.Body}, true, nil
		} else if problem.CodeOf(err) != problem.NotFound {
			return assessed{}, false, err
		}
	}
	// Who assesses, and when: the quota allocation's audit record takes it
	// from the context, the assessment's from its record.
	who := store.Acting{Actor: auth.From(ctx).Actor(), At: time.Now()}
	as, err := a.Assess(store.WithActing(ctx, who), d)
	if err != nil {
		return assessed{}, false, declarationProblem(err)
	}
	res := as.Result(true)
	r, err := store.NewAssessmentRecord(s.hash, &res, who.Actor, who.At)
	if err != nil {
		return assessed{}, false, err
	}
	return assessed{body: r.Body, rec: r}, false, nil
}
