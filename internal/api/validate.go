package api

import (
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/costcurve"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/refprice"
)

// maxAgreementText bounds an agreement text sent to the API (the example is
// about 80 kB).
const maxAgreementText = 2 << 20

// validationProblem is one problem of an agreement text, where it stands.
type validationProblem struct {
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Field    string `json:"field,omitempty"`
	Message  string `json:"message"`
	Severity string `json:"severity"` // error or warning
}

// validationResponse is the answer of POST /v1/agreements:validate.
type validationResponse struct {
	OK       bool                `json:"ok"`
	Hash     string              `json:"hash,omitempty"` // of the valid agreement
	Problems []validationProblem `json:"problems"`
}

// validateAgreement checks an agreement text as `agreement validate` does:
// every problem of the decoder and the validator (errors), and the figures
// stated more precisely than their rule publishes and the floors on the
// entry into force out of stage order (warnings). It answers
// 200 whether or not the text is valid: the problems are the answer. The
// design studio's editor calls it as the user types.
func (s *Server) validateAgreement(w http.ResponseWriter, r *http.Request) {
	text, err := readText(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	a, src, err := agreement.Load("agreement", text, agreement.RegistryCatalog(s.deps.Registry))
	out := validationResponse{OK: err == nil, Problems: problemsOf(err)}
	if out.Problems == nil {
		out.Problems = []validationProblem{}
	}
	if err == nil {
		out.Hash, _ = a.Hash()
		for _, pw := range agreement.PrecisionWarnings(a, src) {
			out.Problems = append(out.Problems, validationProblem{Line: max(pw.Pos.Line, 1), Column: max(pw.Pos.Column, 1), Field: pw.Field, Message: pw.Message, Severity: "warning"})
		}
		out.Problems = append(out.Problems, s.stageOrder(a, src)...)
	}
	writeJSON(w, http.StatusOK, out)
}

// problemsOf lists the problems of a failed load, each at its line and
// column (line 1, column 1 when the problem has no place).
func problemsOf(err error) []validationProblem {
	if err == nil {
		return nil
	}
	var list problem.List
	var one *problem.Error
	switch {
	case errors.As(err, &list):
	case errors.As(err, &one):
		list = problem.List{one}
	default:
		list = problem.List{{Code: problem.Invalid, Message: err.Error()}}
	}
	out := make([]validationProblem, 0, len(list))
	for _, e := range list {
		msg := e.Message
		if msg == "" && e.Err != nil {
			msg = e.Err.Error()
		}
		if e.Field != "" {
			msg = e.Field + ": " + msg
		}
		out = append(out, validationProblem{Line: max(e.Pos.Line, 1), Column: max(e.Pos.Column, 1), Field: e.Field, Message: msg, Severity: "error"})
	}
	return out
}

// agreementError is a bad agreement text as the API's one error shape: the
// first problem in the compiler's form (agreement:LINE:COLUMN: field:
// message), with how many more there are, and its field prefixed by which
// text it is (agreement or base).
func agreementError(which string, err error) error {
	ps := problemsOf(err)
	if len(ps) == 0 {
		return err
	}
	p := ps[0]
	msg := fmt.Sprintf("%s:%d:%d: %s", which, p.Line, p.Column, p.Message)
	if len(ps) > 1 {
		msg += fmt.Sprintf(" (and %d more problems: POST /v1/agreements:validate lists them all)", len(ps)-1)
	}
	field := which
	if p.Field != "" {
		field = which + "." + p.Field
	}
	return &problem.Error{Code: problem.Invalid, Field: field, Message: msg}
}

// readText reads a request body of at most maxAgreementText bytes.
func readText(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r.Body, maxAgreementText+1))
	if err != nil {
		return nil, &problem.Error{Code: problem.Invalid, Message: "cannot read the request body"}
	}
	if len(b) > maxAgreementText {
		return nil, &problem.Error{Code: problem.Invalid, Message: fmt.Sprintf("request body is larger than %d bytes", maxAgreementText)}
	}
	if len(b) == 0 {
		return nil, &problem.Error{Code: problem.Invalid, Field: "body", Message: "the body is empty: send the agreement file's text"}
	}
	return b, nil
}

// stageOrder computes the text's floors on its entry into force and warns
// of each pair out of stage order (refprice.StageOrder), at the
// downstream stage's price rule. It needs the data directory (cost curves);
// without it, or for a floor that cannot be computed, it says nothing: the
// floors' own errors are the design comparison's to report. It takes a few
// milliseconds once the cost curves are cached.
func (s *Server) stageOrder(a *agreement.Agreement, src *agreement.Source) []validationProblem {
	if s.deps.Data == nil {
		return nil
	}
	e := refprice.New(a, costcurve.PriceSources(s.deps.Registry, s.deps.Data))
	type place struct{ mineral, stage string }
	paths := map[place]string{}
	var floors []*refprice.Floor
	for i, m := range a.Minerals {
		for j, st := range m.Stages {
			paths[place{m.ID, string(st.Stage)}] = fmt.Sprintf("minerals[%d].stages[%d].price", i, j)
			if f, err := e.Floor(m.ID, string(st.Stage), a.EntryIntoForce); err == nil {
				floors = append(floors, f)
			}
		}
	}
	var out []validationProblem
	for _, w := range refprice.StageOrder(s.deps.Registry, a.EntryIntoForce, floors) {
		field := paths[place{w.Mineral, w.Downstream.Stage}]
		pos := src.Pos(field)
		out = append(out, validationProblem{Line: max(pos.Line, 1), Column: max(pos.Column, 1), Field: field, Message: w.Message, Severity: "warning"})
	}
	return out
}
