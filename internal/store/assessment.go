package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// AssessmentRecord is one recorded duty assessment: at most one per
// declaration and agreement version.
type AssessmentRecord struct {
	// ID is assigned by the store, increasing in recording order.
	ID int64
	// AgreementHash is the agreement version the declaration was assessed
	// under; that version must be stored first.
	AgreementHash string
	// DeclarationID is the declaration's id.
	DeclarationID string
	// Body is the assessment as JSON (duty.Result, with its trace when the
	// caller asked for one); it reads back byte for byte.
	Body []byte
	// TotalDuty is the duty to pay in Currency, as rounded by the party.
	TotalDuty dec.Decimal
	Currency  string
	// CreatedAt is set by the caller; kept to Precision, in UTC.
	CreatedAt time.Time
	// Actor is who recorded it (a token's actor, or a command): kept in the
	// row's audit record, not in the row, and not read back.
	Actor string
}

// NewAssessmentRecord is the record of an assessment under the agreement
// version hash, made by actor at the adapter's time at: its body is r as JSON
// (with its trace, when r has one), its total and currency r's.
func NewAssessmentRecord(hash string, r *duty.Result, actor string, at time.Time) (AssessmentRecord, error) {
	body, err := json.Marshal(r)
	if err != nil {
		return AssessmentRecord{}, err
	}
	total, err := dec.Parse(r.TotalDuty)
	if err != nil {
		return AssessmentRecord{}, problem.Errorf(problem.Internal, "store: assessment %s: total_duty %q: %v", r.ID, r.TotalDuty, err)
	}
	return AssessmentRecord{AgreementHash: hash, DeclarationID: r.ID, Body: body, TotalDuty: total, Currency: r.Currency, CreatedAt: at, Actor: actor}, nil
}

// AssessmentTotal is the duty recorded under one agreement version in one
// currency.
type AssessmentTotal struct {
	Currency string
	Count    int64
	Total    dec.Decimal
}

// Assessments keeps duty assessments.
type Assessments interface {
	// PutAssessments records rs in one transaction. It is idempotent on
	// (AgreementHash, DeclarationID): a declaration already recorded keeps its
	// first record and created[i] is false. An AgreementHash not stored is a
	// problem.NotFound error, and nothing is recorded.
	PutAssessments(ctx context.Context, rs []AssessmentRecord) (created []bool, err error)
	// GetAssessment returns the record of a declaration under an agreement
	// version, or a problem.NotFound error naming the declaration.
	GetAssessment(ctx context.Context, agreementHash, declarationID string) (AssessmentRecord, error)
	// AssessmentTotals returns how many assessments are recorded under an
	// agreement version and their total duty, per currency, ordered by currency.
	AssessmentTotals(ctx context.Context, agreementHash string) ([]AssessmentTotal, error)
}

// CheckAssessment reports what is wrong with r before a store writes it.
func CheckAssessment(r AssessmentRecord) error {
	if err := CheckHash(r.AgreementHash); err != nil {
		return err
	}
	switch {
	case r.DeclarationID == "":
		return &problem.Error{Code: problem.Invalid, Field: "declaration_id", Message: "store: assessment: declaration id is empty"}
	case len(r.Body) == 0 || !json.Valid(r.Body):
		return &problem.Error{Code: problem.Invalid, Field: "body", Message: "store: assessment " + r.DeclarationID + ": body is not valid JSON"}
	case r.Currency == "":
		return &problem.Error{Code: problem.Invalid, Field: "currency", Message: "store: assessment " + r.DeclarationID + ": currency is empty"}
	case r.CreatedAt.IsZero():
		return &problem.Error{Code: problem.Invalid, Field: "created_at", Message: "store: assessment " + r.DeclarationID + ": created-at time is not set"}
	case r.Actor == "":
		return &problem.Error{Code: problem.Invalid, Field: "actor", Message: "store: assessment " + r.DeclarationID + ": no actor: who recorded it goes into its audit record"}
	}
	return nil
}

// CheckQuotaBatch reports what is wrong with a ledger batch before a store
// allocates it.
func CheckQuotaBatch(b duty.QuotaBatch, reqs []duty.Request) error {
	switch {
	case b.Quota == "":
		return problem.Errorf(problem.Invalid, "store: quota batch names no quota")
	case b.PeriodStart.IsZero():
		return problem.Errorf(problem.Invalid, "store: quota %s: period start is not set", b.Quota)
	case b.Volume.Sign() < 0:
		return problem.Errorf(problem.Invalid, "store: quota %s: negative volume %s", b.Quota, b.Volume)
	}
	for _, r := range reqs {
		if r.DeclarationID == "" {
			return problem.Errorf(problem.Invalid, "store: quota %s: a request names no declaration", b.Quota)
		}
		if r.Quantity.Sign() < 0 {
			return problem.Errorf(problem.Invalid, "store: quota %s: negative request %s for %s", b.Quota, r.Quantity, r.DeclarationID)
		}
	}
	return nil
}
