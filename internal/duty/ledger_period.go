package duty

import (
	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/exact"
)

// PeriodState is one quota period as a store keeps it, read under the lock
// that serialises its allocations: the volume, what is used, the share at
// which it turns critical, and the earlier grants of the declarations a batch
// names (a store loads only those).
type PeriodState struct {
	Volume, Used, CriticalAt dec.Decimal
	Grants                   map[string]Grant
}

// AllocatePeriod applies the QuotaLedger rules to the locked state st of the
// batch's period, with the same code as MemLedger, so that every ledger
// grants the same figures. It returns one grant per request and the period's
// new Used. A request whose grant has Repeat false is new and must be
// recorded; a declaration named twice in reqs is granted once, and its later
// requests get that grant back as a Repeat.
func AllocatePeriod(st PeriodState, b QuotaBatch, reqs []Request) ([]Grant, dec.Decimal, error) {
	ps := &periodState{volume: exact.FromDecimal(st.Volume), used: exact.FromDecimal(st.Used), criticalAt: exact.FromDecimal(st.CriticalAt), grants: make(map[string]Grant, len(st.Grants))}
	for id, g := range st.Grants {
		ps.grants[id] = g
	}
	grants, err := allocateOnce(ps, b, reqs)
	if err != nil {
		return nil, dec.Decimal{}, err
	}
	return grants, ps.used.Decimal(), nil
}

// PeriodStatus is the status of a period with volume, used and critical_at
// as the ledgers report it.
func PeriodStatus(volume, used, criticalAt dec.Decimal) QuotaStatus {
	st := &periodState{volume: exact.FromDecimal(volume), used: exact.FromDecimal(used), criticalAt: exact.FromDecimal(criticalAt)}
	return st.status()
}

// QuotaTerms is a tariff-rate quota in force on a date and the period of it
// that contains the date: what the quota pages and GET /v1/quotas show beside
// the ledger's usage.
type QuotaTerms struct {
	Quota       string // "PARTY/instrument-id", the ledger's key
	Party       string
	Instrument  string
	Mineral     string
	Stage       string
	HS          []string
	Origins     []string
	PeriodStart date.Date
	PeriodEnd   date.Date // last day of the period
	Length      string
	Volume      dec.Decimal
	Unit        string
	VolumeBasis string // contained or gross
	CriticalAt  dec.Decimal
	ProRata     bool
	InQuotaRate string // the in-quota rate as the schedule writes it
	Basis       string // the instrument's article
}

// Quotas lists the tariff-rate quotas in force on on, party by party in the
// agreement's order, each with the period that contains on. A quota whose
// first period starts after on is listed with that first period.
func (a *Assessor) Quotas(on date.Date) ([]QuotaTerms, error) {
	dy, pe := a.dayOf(on)
	if pe != nil {
		return nil, &FieldError{Err: pe}
	}
	var out []QuotaTerms
	for i := range dy.v.agreement.Parties {
		cp := dy.v.parties[dy.v.agreement.Parties[i].ID]
		if cp == nil {
			continue
		}
		for _, ci := range cp.instr {
			if ci.typ != agreement.TariffRateQuota || ci.period == nil || ci.in.Volume == nil {
				continue
			}
			out = append(out, quotaTerms(cp, ci, on))
		}
	}
	return out, nil
}

// QuotaPeriodOf returns the start of the period of p that contains d; a date
// before the first period gives the first period's start and false.
func QuotaPeriodOf(p *agreement.QuotaPeriod, d date.Date) (date.Date, bool) {
	s, _, ok := p.Containing(d)
	if !ok {
		return p.Start, false
	}
	return s, true
}

func quotaTerms(cp *cparty, ci *cinstr, on date.Date) QuotaTerms {
	start, _ := QuotaPeriodOf(ci.period, on)
	months := ci.period.Length.Months()
	t := QuotaTerms{Quota: cp.id + "/" + ci.in.ID, Party: cp.id, Instrument: ci.in.ID, Mineral: ci.mineral, Stage: string(ci.stage),
		HS: ci.hs, Origins: ci.origins, PeriodStart: start, PeriodEnd: start.AddMonths(months).AddDays(-1), Length: string(ci.period.Length),
		Volume: ci.in.Volume.Value, Unit: ci.volUnit.code, VolumeBasis: "contained", CriticalAt: ci.in.CriticalAt,
		ProRata: ci.proRata, Basis: ci.in.Basis}
	if !ci.volContained {
		t.VolumeBasis = "gross"
	}
	if ci.levy != nil {
		t.InQuotaRate = ci.levy.text
	}
	return t
}

// allocateOnce is allocate for a batch that may name a declaration twice: the
// declaration is granted once, and its later requests get that grant back as
// a Repeat. Every ledger allocates through it.
func allocateOnce(ps *periodState, b QuotaBatch, reqs []Request) ([]Grant, error) {
	uniq := reqs
	var first map[string]int // declaration → its first index in reqs, when reqs names one twice
	// A lone request (first come, in bulk) names no declaration twice.
	if len(reqs) > 1 {
		seen := make(map[string]bool, len(reqs))
		for _, r := range reqs {
			if seen[r.DeclarationID] {
				first = map[string]int{}
				uniq = nil
				for j, r := range reqs {
					if _, dup := first[r.DeclarationID]; !dup {
						first[r.DeclarationID] = j
						uniq = append(uniq, r)
					}
				}
				break
			}
			seen[r.DeclarationID] = true
		}
	}
	grants, err := allocate(ps, b, uniq)
	if err != nil {
		return nil, err
	}
	if first != nil {
		byID := make(map[string]Grant, len(grants))
		for _, g := range grants {
			byID[g.DeclarationID] = g
		}
		out := make([]Grant, len(reqs))
		for i, r := range reqs {
			g := byID[r.DeclarationID]
			if first[r.DeclarationID] != i {
				g.Repeat = true
			}
			out[i] = g
		}
		grants = out
	}
	return grants, nil
}
