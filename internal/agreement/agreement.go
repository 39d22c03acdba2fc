// Package agreement is the agreement as code: the types of an agreement file,
// its strict YAML decoding, its validation, the agreement in force on a date
// (AsOf), what changed between two versions (Diff), its canonical form and hash,
// and the JSON Schema generated from these types.
//
// Struct tags drive decoding, the schema and docs/agreement.md alike:
// `yaml` names a field, `doc` says what it means, `required:"true"` and
// `enum:"a|b"` constrain it.
package agreement

import (
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// FormatVersion is the only agreement format version this build reads.
const FormatVersion = 1

// Agreement is one agreement file, as written or as in force on a date.
type Agreement struct {
	Version        int            `yaml:"version" json:"version" required:"true" doc:"Format version of the file; must be 1."`
	ID             string         `yaml:"id" json:"id" required:"true" doc:"Short identifier of the agreement, e.g. pact-2026."`
	Title          string         `yaml:"title" json:"title" required:"true" doc:"Full title."`
	Illustrative   bool           `yaml:"illustrative" json:"illustrative" doc:"True when the text is an illustration, not a negotiated text; shown wherever the agreement is shown."`
	Notice         string         `yaml:"notice" json:"notice,omitzero" doc:"A notice shown with the agreement (e.g. why it is illustrative)."`
	Currency       string         `yaml:"currency" json:"currency" required:"true" doc:"ISO 4217 currency of reference prices and of the agreement's amounts."`
	SignedOn       date.Date      `yaml:"signed_on" json:"signed_on,omitzero" doc:"Date of signature."`
	EntryIntoForce date.Date      `yaml:"entry_into_force" json:"entry_into_force" required:"true" doc:"Date the agreement enters into force; nothing applies before it."`
	LaterVintages  string         `yaml:"later_vintages" json:"later_vintages,omitzero" enum:"refuse|flag" doc:"What a reference price does when an input it needs was released after the revision's data cut-off and no earlier vintage ships: refuse (the default, also when omitted) makes the floor a problem naming the input, its release and the cut-off; flag computes it from the later vintage and flags it after_cut_off wherever it is shown. See docs/prices.md, Vintages."`
	Articles       []Article      `yaml:"articles" json:"articles" required:"true" doc:"The legal text: every instrument and price rule names one of these articles as its basis."`
	Parties        []Party        `yaml:"parties" json:"parties" required:"true" doc:"The parties, each with its accession date and border instruments."`
	Minerals       []Mineral      `yaml:"minerals" json:"minerals" required:"true" doc:"The minerals in scope, with their stages, HS codes and reference-price rules."`
	MineralGroups  []MineralGroup `yaml:"mineral_groups" json:"mineral_groups,omitzero" doc:"Groups of co-occurring or related minerals that the agreement treats together."`
	Stockpiles     []Stockpile    `yaml:"stockpiles" json:"stockpiles,omitzero" doc:"The stockholding and crisis-response regime, one per mineral and stage: obligations, countable forms, triggers, coordinated release, limits and replenishment (docs/stockpile.md)."`
	Screening      []Screening    `yaml:"screening" json:"screening,omitzero" doc:"Investment-screening rules of the parties for critical-mineral facilities in their territory (docs/ownership.md)."`
	Membership     *Membership    `yaml:"membership" json:"membership,omitzero" doc:"The accession criteria a candidate must meet, each with its legal basis (docs/agreement.md, Membership; package scope evaluates them)."`
	Amendments     []Amendment    `yaml:"amendments" json:"amendments,omitzero" doc:"Amendments, each applied from its effective date."`
}

// Article is one provision of the legal text; Basis fields elsewhere name its ID.
type Article struct {
	ID    string `yaml:"id" json:"id" required:"true" doc:"Article identifier as cited, e.g. Art. 5.2."`
	Title string `yaml:"title" json:"title" required:"true" doc:"Heading of the article."`
	Text  string `yaml:"text" json:"text" required:"true" doc:"Text of the article."`
}

// Mineral is a mineral in scope and the stages at which the agreement sets a floor.
type Mineral struct {
	ID     string       `yaml:"id" json:"id" required:"true" doc:"Mineral id from the registry (USGS 2025 list), e.g. lithium."`
	Name   string       `yaml:"name" json:"name,omitzero" doc:"Display name; defaults to the registry's name."`
	Stages []StageScope `yaml:"stages" json:"stages" required:"true" doc:"The production stages in scope for this mineral."`
}

// StageScope is one mineral at one stage: its HS codes, price unit and price rule.
type StageScope struct {
	Stage registry.Stage `yaml:"stage" json:"stage" required:"true" enum:"mined|processed|derivative|scrap" doc:"Production stage."`
	HS    []string       `yaml:"hs" json:"hs,omitzero" doc:"HS codes (6 to 10 digits) covered; when omitted, every code the registry maps to this mineral and stage."`
	Unit  string         `yaml:"unit" json:"unit" required:"true" doc:"Unit of contained mineral in which the floor is quoted (t, kg, lb, troy_oz, ...)."`
	Price PriceRule      `yaml:"price" json:"price" required:"true" doc:"How the reference price (floor) is computed and revised."`
	Note  string         `yaml:"note" json:"note,omitzero" doc:"Free-text note, e.g. the product the floor refers to."`
}

// MineralGroup groups minerals the agreement treats together (co-occurrence,
// shared markets), as the USTR design questions (section A) ask.
type MineralGroup struct {
	ID       string      `yaml:"id" json:"id" required:"true" doc:"Group identifier."`
	Name     string      `yaml:"name" json:"name" required:"true" doc:"Display name."`
	Minerals []string    `yaml:"minerals" json:"minerals" required:"true" doc:"Minerals in scope that belong to the group."`
	Reason   GroupReason `yaml:"reason" json:"reason,omitzero" enum:"co_occurrence|market|supply_chain|geography" doc:"Why they are grouped."`
	Note     string      `yaml:"note" json:"note,omitzero" doc:"Free-text note."`
}

// Quantity is an amount of material with its unit and whether it counts the
// gross product or the contained mineral.
type Quantity struct {
	Value dec.Decimal   `yaml:"value" json:"value" required:"true" doc:"Amount (exact decimal)."`
	Unit  string        `yaml:"unit" json:"unit" required:"true" doc:"Unit (t, kg, lb, troy_oz, flask, dmtu, ...)."`
	Basis QuantityBasis `yaml:"basis" json:"basis,omitzero" enum:"gross|contained" doc:"gross: weight of the product; contained: weight of the mineral in it. Default contained."`
}
