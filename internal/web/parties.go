package web

import (
	"net/http"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
)

// instrumentType is a column of the parties table: an instrument type with a
// short heading, and its full name when the heading abbreviates it.
type instrumentType struct {
	ID          agreement.InstrumentType
	Label, Full string
}

// instrumentTypes are the columns, in the order of agreement.InstrumentTypes
// (TestInstrumentColumns holds them to it).
var instrumentTypes = []instrumentType{
	{agreement.MFN, "MFN", "most-favoured-nation duty"},
	{agreement.VariableDuty, "Variable duty", ""},
	{agreement.NonPartySurcharge, "Surcharge", "non-party surcharge"},
	{agreement.TariffRateQuota, "TRQ", "tariff-rate quota"},
	{agreement.Undertaking, "Undertaking", ""},
	{agreement.PhaseIn, "Phase-in", ""},
	{agreement.Preference, "Preference", "preferential rate by origin"},
	{agreement.AdditionalDuty, "Additional", "additional duty (e.g. US Chapter 99)"},
	{agreement.AntiDumping, "AD", "anti-dumping duty"},
	{agreement.Countervailing, "CVD", "countervailing duty"},
	{agreement.Safeguard, "Safeguard", ""},
	{agreement.Fee, "Fee", "fee per entry"},
}

// partiesData is the parties page: the parties in force on a date.
type partiesData struct {
	AsOf    string // as the form shows it
	Error   string // what is wrong with the date asked for, if anything
	Types   []instrumentType
	Columns int // of the table: five, then one per instrument type
	Parties []partyRow
	Applied []string // amendments applied by AsOf
}

type partyRow struct {
	agreement.Party
	Counts []int // instruments in force, in the order of Types
}

// parties renders the parties in force on ?as_of=, by default the entry into
// force: a page never depends on the day it is read.
func (p *portal) parties(w http.ResponseWriter, r *http.Request) {
	a := p.deps.Agreement
	d := partiesData{AsOf: r.URL.Query().Get("as_of"), Types: instrumentTypes, Columns: 5 + len(instrumentTypes)}
	var on date.Date
	if d.AsOf == "" {
		on = a.EntryIntoForce
		d.AsOf = on.String()
	} else {
		var err error
		if on, err = agreement.ParseAsOf(d.AsOf); err != nil {
			d.Error = messageOf(err)
			p.render(w, r, statusOf(err), "parties", page{Title: "Parties", Nav: "parties", Data: d})
			return
		}
	}
	in, err := a.AsOf(on)
	if err != nil {
		d.Error = messageOf(err)
		p.render(w, r, statusOf(err), "parties", page{Title: "Parties", Nav: "parties", Data: d})
		return
	}
	d.Applied = in.Applied
	for _, party := range in.Agreement.Parties {
		row := partyRow{Party: party, Counts: make([]int, len(d.Types))}
		for _, ins := range party.Instruments {
			for i, t := range d.Types {
				if ins.Type == t.ID {
					row.Counts[i]++
				}
			}
		}
		d.Parties = append(d.Parties, row)
	}
	p.render(w, r, http.StatusOK, "parties", page{Title: "Parties", Nav: "parties", Data: d})
}
