// Package refprice computes, explains and dates the agreement's reference
// prices: the floor of each mineral at each stage, by the method the agreement
// names (cost_curve, market_average, stage_chain, negotiated, band), on the
// agreement's revision schedule, with its collar and minimum.
//
// The engine is pure: it takes the agreement, its data sources and an explicit
// date, and returns floors that carry every input, every step and the article
// that makes them law. Formulas and their sources are in docs/prices.md.
package refprice

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
)

// Floor is one reference price as published: the price of a mineral at a
// stage, valid from a revision date until the next, with its derivation.
type Floor struct {
	Mineral   string      `json:"mineral"`
	Stage     string      `json:"stage"`
	ValidFrom date.Date   `json:"valid_from"`
	ValidTo   date.Date   `json:"valid_to,omitzero"` // exclusive; zero: until further notice
	CutOff    date.Date   `json:"data_cut_off"`
	Price     dec.Decimal `json:"price"`
	// ExactPrice is the price before the publication's rounding, exact, and
	// Rounding the rule that rounded it (the price rule's precision):
	// Price = ExactPrice rounded by Rounding. Publications made before they
	// were recorded have neither.
	ExactPrice   dec.Decimal           `json:"exact_price,omitzero"`
	Rounding     *agreement.Precision  `json:"rounding,omitempty"`
	Currency     string                `json:"currency"`
	Unit         string                `json:"unit"` // per unit of contained mineral
	Method       agreement.PriceMethod `json:"method"`
	Band         *Band                 `json:"band,omitempty"`
	Inputs       []Input               `json:"inputs"`
	Steps        []Step                `json:"steps"`
	InputsHash   string                `json:"inputs_hash"`
	Basis        Basis                 `json:"basis"`
	Illustrative bool                  `json:"illustrative"`
	// Provenance summarises the qualities of the data the price depends on,
	// inherited through a stage chain and a binding collar (see Quality).
	Provenance []Provenance `json:"provenance,omitempty"`
	// MarginalCost names where the marginal producer's cost comes from, for a
	// cost_curve floor and a floor chained to one.
	MarginalCost string `json:"marginal_cost_source,omitempty"`
	Backcast     bool   `json:"backcast,omitempty"` // computed for a date before the entry into force
	Agreement    string `json:"agreement"`          // id of the agreement
	// Publication names the publication the floor was read from; nil for a
	// floor computed live. It is not part of a publication's stored body.
	Publication *Publication `json:"publication,omitempty"`
}

// Input is one figure a floor is computed from, with where it comes from.
type Input struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Unit   string `json:"unit,omitempty"`
	Source string `json:"source"`
	Date   string `json:"date,omitempty"`
	// Quality is how the figure was obtained; empty for a floor (an upstream
	// or previous floor), whose own provenance the floor inherits.
	Quality Quality `json:"quality,omitempty"`
	// Released is the day the figure's vintage became public (YYYY-MM-DD),
	// where it is known: the floor uses it only if it is on or before the
	// data cut-off (docs/prices.md, "Vintages").
	Released string `json:"released,omitempty"`
	// inSeries marks a value of a series the floor's provenance names by its
	// "series" input, once, rather than month by month.
	inSeries bool
}

// Quality is how an input was obtained. docs/prices.md, "Provenance".
type Quality string

// The qualities of inputs, from the least to the most firmly grounded.
const (
	// Generated: drawn by a generator (the seeded illustrative cost curves);
	// a floor that depends on one is illustrative.
	Generated Quality = "generated"
	// Imputed: filled in by a model where no figure was reported (Busch et
	// al.'s regression and quantile costs).
	Imputed Quality = "imputed"
	// Estimated: a source's estimate or projection (USGS "e" figures, Busch et
	// al.'s 2025 production rates).
	Estimated Quality = "estimated"
	// NotDeflated: money of another year than the floor's, not brought to the
	// floor's money because no CPI-U deflator could be formed from data public
	// at the cut-off (the cost year incomplete, as 2025, or not yet public).
	NotDeflated Quality = "not_deflated"
	// Reported: a published figure (Pink Sheet prices, FRED rates, WGI scores,
	// costs a company reported).
	Reported Quality = "reported"
	// Agreed: a term of the agreement (percentile, rates, margins, prices).
	Agreed Quality = "agreed"
	// AfterCutOff: released after the floor's data cut-off, used only where
	// the agreement says later_vintages: flag, and always flagged; by default
	// the engine refuses such a floor.
	AfterCutOff Quality = "after_cut_off"
)

// qualityOrder is the order of a provenance list: the weakest first.
var qualityOrder = []Quality{AfterCutOff, Generated, Imputed, Estimated, NotDeflated, Reported, Agreed}

// Flagged reports whether a quality is one a reader must be told of where
// the floor is shown (everything but reported figures and agreed terms).
func (q Quality) Flagged() bool { return q != Reported && q != Agreed && q != "" }

// Provenance is one quality a floor's price depends on and the inputs that
// have it; inputs of an upstream floor are named "mineral/stage: input".
type Provenance struct {
	Quality Quality  `json:"quality"`
	Inputs  []string `json:"inputs"`
}

// Step is one step of a derivation, as data: a person can follow it and a
// program can check it.
type Step struct {
	Step    string            `json:"step"`
	Inputs  map[string]string `json:"inputs,omitempty"`
	Formula string            `json:"formula"`
	Output  string            `json:"output"`
	Basis   string            `json:"basis,omitempty"`
}

// Basis is the article that makes a floor law.
type Basis struct {
	Article string `json:"article"`
	Title   string `json:"title,omitempty"`
	Text    string `json:"text,omitempty"`
}

// Band is the floor and ceiling of a band rule with the International Tin
// Agreement's three sectors: the buffer stock may buy in the lower third and
// must sell in the upper third.
type Band struct {
	Floor       dec.Decimal `json:"floor"`
	Ceiling     dec.Decimal `json:"ceiling"`
	LowerTop    dec.Decimal `json:"lower_sector_top"`
	UpperBottom dec.Decimal `json:"upper_sector_bottom"`
}

// hashedInput is the part of an input that determines a floor: its quality is
// a description of the figure, not a figure, and leaves the hash as it was.
type hashedInput struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Unit   string `json:"unit,omitempty"`
	Source string `json:"source"`
	Date   string `json:"date,omitempty"`
}

// hashInputs returns the sha256 of the canonical form of what determines a
// floor: mineral, stage, revision, method and every input. The same inputs
// give the same hash, byte for byte.
func hashInputs(f *Floor) string {
	canon := struct {
		Mineral, Stage, ValidFrom, CutOff, Method, Currency, Unit string
		Inputs                                                    []hashedInput
		// Rounding is there only when it is not the default, so that the
		// hashes of floors rounded as before the precision was stated stay
		// as they were, and a change of precision is a change of inputs.
		Rounding string `json:",omitempty"`
	}{f.Mineral, f.Stage, f.ValidFrom.String(), f.CutOff.String(), string(f.Method), f.Currency, f.Unit, make([]hashedInput, len(f.Inputs)), ""}
	if f.Rounding != nil && *f.Rounding != agreement.DefaultPrecision {
		canon.Rounding = f.Rounding.String()
	}
	for i, in := range f.Inputs {
		canon.Inputs[i] = hashedInput{in.Name, in.Value, in.Unit, in.Source, in.Date}
	}
	b, _ := json.Marshal(canon)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
