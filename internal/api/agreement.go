package api

import (
	"net/http"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
)

// agreementResponse is the agreement in force on a date, with the content
// address of the version it comes from.
type agreementResponse struct {
	Hash         string `json:"hash"`
	File         string `json:"file,omitempty"`
	Illustrative bool   `json:"illustrative"`
	*agreement.InForce
}

// inForce parses the as_of query parameter and returns the agreement in force
// on it. Without as_of it is an error when required, else the entry into force.
func (s *Server) inForce(r *http.Request, required bool) (*agreement.InForce, error) {
	raw := r.URL.Query().Get("as_of")
	var d date.Date
	if raw == "" && !required {
		d = s.deps.Agreement.EntryIntoForce
	} else {
		var err error
		if d, err = agreement.ParseAsOf(raw); err != nil {
			return nil, err
		}
	}
	return s.deps.Agreement.AsOf(d)
}

func (s *Server) getAgreement(w http.ResponseWriter, r *http.Request) {
	in, err := s.inForce(r, true)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, agreementResponse{
		Hash:         s.hash,
		File:         s.agreementFile(),
		Illustrative: in.Agreement.Illustrative,
		InForce:      in,
	})
}

func (s *Server) getAgreementSchema(w http.ResponseWriter, r *http.Request) {
	b, err := agreement.Schema()
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/schema+json")
	w.Write(b)
}

// partySummary is one party in force, with its instruments counted by type.
type partySummary struct {
	ID          string                           `json:"id"`
	Name        string                           `json:"name"`
	Accession   date.Date                        `json:"accession"`
	Withdrawal  date.Date                        `json:"withdrawal,omitzero"`
	Producer    bool                             `json:"producer"`
	Currency    string                           `json:"currency"`
	Valuation   agreement.ValuationBase          `json:"valuation"`
	Rounding    roundingRule                     `json:"rounding"`
	Instruments map[agreement.InstrumentType]int `json:"instruments"`
}

type roundingRule struct {
	Scope  agreement.RoundingScope `json:"scope"`
	Mode   dec.Mode                `json:"mode"`
	Places int                     `json:"places"`
}

type partiesResponse struct {
	AsOf    date.Date      `json:"as_of"`
	Hash    string         `json:"hash"`
	Parties []partySummary `json:"parties"`
}

func (s *Server) listParties(w http.ResponseWriter, r *http.Request) {
	in, err := s.inForce(r, true)
	if err != nil {
		writeError(w, r, err)
		return
	}
	out := partiesResponse{AsOf: in.AsOf, Hash: s.hash, Parties: []partySummary{}}
	for _, p := range in.Agreement.Parties {
		counts := make(map[agreement.InstrumentType]int, len(agreement.InstrumentTypes))
		for _, t := range agreement.InstrumentTypes {
			counts[t] = 0
		}
		for _, ins := range p.Instruments {
			counts[ins.Type]++
		}
		out.Parties = append(out.Parties, partySummary{
			ID: p.ID, Name: p.Name, Accession: p.Accession, Withdrawal: p.Withdrawal,
			Producer: p.Producer, Currency: p.Currency, Valuation: p.Valuation.Base,
			Rounding:    roundingRule{Scope: p.Rounding.Scope, Mode: p.Rounding.Mode, Places: p.Rounding.Places},
			Instruments: counts,
		})
	}
	writeJSON(w, http.StatusOK, out)
}
