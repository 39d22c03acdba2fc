// Package duty assesses import declarations against the agreement's floors:
// classification, customs value, exchange rate, the base (MFN) duty, the
// floor-enforcing variable duty with its cap, phase-in and party-origin rule,
// the non-party surcharge, tariff-rate quotas, price undertakings and the
// party's rounding rule, each figure with its trace and legal basis.
//
// The engine is pure: it takes the agreement, the registry, a source of
// published floors and a quota ledger (an interface the stores implement), and
// never reads the clock. The rules are written out in docs/declarations.md.
package duty

import (
	"fmt"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/refprice"
)

// Floors is what the engine needs of the reference prices: the floor published
// for a mineral at a stage on a date. *refprice.Engine satisfies it.
type Floors interface {
	Floor(mineral, stage string, on date.Date) (*refprice.Floor, error)
}

var _ Floors = (*refprice.Engine)(nil)

// Declaration is one import declaration, as documented in docs/declarations.md.
// Content, Freight and Insurance are optional (nil: not declared).
type Declaration struct {
	ID            string       `json:"id"`
	AcceptedOn    date.Date    `json:"accepted_on"`
	Importer      string       `json:"importer"`
	Origin        string       `json:"origin"`
	ExporterID    string       `json:"exporter_id,omitempty"`
	HSCode        string       `json:"hs_code"`
	Quantity      dec.Decimal  `json:"quantity"`
	Unit          string       `json:"unit"`
	Content       *dec.Decimal `json:"content,omitempty"`
	CustomsValue  dec.Decimal  `json:"customs_value"`
	Currency      string       `json:"currency"`
	Incoterm      string       `json:"incoterm"`
	Freight       *dec.Decimal `json:"freight,omitempty"`
	Insurance     *dec.Decimal `json:"insurance,omitempty"`
	UndertakingID string       `json:"undertaking_id,omitempty"`
	// Mineral optionally names which mineral of a multi-mineral HS code the
	// goods carry (an extra column; empty: the one with the highest content).
	Mineral string `json:"mineral,omitempty"`
}

// FieldError is a declaration that cannot be assessed: which row (1 = the
// first data row), which declaration, which field, and why.
type FieldError struct {
	Row    int    `json:"row,omitempty"`
	Line   int    `json:"line,omitempty"`
	ID     string `json:"id"`
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

func (e *FieldError) Error() string {
	s := ""
	if e.Row > 0 {
		s = fmt.Sprintf("row %d: ", e.Row)
	}
	if e.ID != "" {
		s += fmt.Sprintf("declaration %s: ", e.ID)
	}
	return s + e.Field + ": " + e.Reason
}

func fieldErr(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// Step is one step of an assessment, as data: what was computed, from what,
// by which formula, with which result, under which article.
type Step struct {
	Step    string            `json:"step"`
	Inputs  map[string]string `json:"inputs,omitempty"`
	Formula string            `json:"formula"`
	Result  string            `json:"result"`
	Basis   string            `json:"basis,omitempty"`
}
