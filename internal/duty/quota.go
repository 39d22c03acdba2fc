package duty

import (
	"context"
	"fmt"
	"sync"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/exact"
)

// QuotaStatus is the state of a quota period after an allocation.
type QuotaStatus string

// The states of a quota: open; critical once the share used reaches the
// quota's critical_at; exhausted when nothing is left.
const (
	QuotaOpen      QuotaStatus = "open"
	QuotaCritical  QuotaStatus = "critical"
	QuotaExhausted QuotaStatus = "exhausted"
)

// QuotaBatch names one quota period and its terms; the requests of one batch
// are allocated together (first come in order, or pro rata).
type QuotaBatch struct {
	Quota       string      // "PARTY/instrument-id", e.g. "EU/eu-trq-li-cl"
	PeriodStart date.Date   // first day of the quota period
	Day         date.Date   // acceptance date of the requests (pro rata groups one day)
	Volume      dec.Decimal // the period's volume, in Unit
	Unit        string      // unit of the volume and of every quantity
	CriticalAt  dec.Decimal // share of the volume used at which the quota turns critical (0: never)
	ProRata     bool        // pro_rata_same_day: share the balance when demand exceeds it
}

// Request is one declaration's demand on a quota.
type Request struct {
	DeclarationID string
	Quantity      dec.Decimal // in the batch's unit
	Seq           int64       // acceptance order within the day (row number in bulk)

	// q is Quantity as a rational, when the duty engine made the request
	// (hasQ): MemLedger reads it rather than convert Quantity back.
	q    exact.Q
	hasQ bool
}

// quantity is r's Quantity as a rational.
func (r *Request) quantity() exact.Q {
	if r.hasQ {
		return r.q
	}
	return exact.FromDecimal(r.Quantity)
}

// QuotaRequest is what Prepare returns when a quota applies: the batch terms
// and this declaration's request.
type QuotaRequest struct {
	Quota       string
	PeriodStart date.Date
	Day         date.Date
	Volume      dec.Decimal
	Unit        string
	CriticalAt  dec.Decimal
	ProRata     bool
	Request
}

// Batch returns the request's quota terms.
func (r *QuotaRequest) Batch() *QuotaBatch {
	return &QuotaBatch{Quota: r.Quota, PeriodStart: r.PeriodStart, Day: r.Day, Volume: r.Volume, Unit: r.Unit, CriticalAt: r.CriticalAt, ProRata: r.ProRata}
}

// Grant is what a ledger allocated to one request.
type Grant struct {
	DeclarationID string
	Granted       dec.Decimal // in the batch's unit, 0 ≤ Granted ≤ Quantity
	Status        QuotaStatus // of the quota period after the allocation
	Balance       dec.Decimal // left in the period after the allocation
	Repeat        bool        // the declaration had been allocated before: its earlier grant is returned

	// granted is Granted as a rational, when MemLedger made the grant
	// (hasGranted): Complete reads it rather than convert Granted back.
	granted    exact.Q
	hasGranted bool
}

// QuotaUsage is the state of one quota period.
type QuotaUsage struct {
	Quota       string
	PeriodStart date.Date
	Volume      dec.Decimal
	Used        dec.Decimal
	Status      QuotaStatus
}

// QuotaLedger records quota allocations. The engine declares it; the stores
// (and MemLedger) implement it. An implementation must:
//
//   - never grant more than the period's volume in total, whatever the
//     concurrency (PostgreSQL: a row lock on the period, or serializable
//     transactions);
//   - be idempotent per declaration: a request whose DeclarationID was
//     already allocated in that quota period gets its earlier grant back
//     (Repeat), and allocates nothing more;
//   - allocate a batch as one unit: first come (ProRata false) grants each
//     request in order min(quantity, balance); pro rata grants every request in
//     full when their total fits the balance, and otherwise balance × quantity
//     ÷ total, rounded down to 3 decimal places of the unit, to each.
type QuotaLedger interface {
	Allocate(ctx context.Context, b QuotaBatch, reqs []Request) ([]Grant, error)
	Usage(ctx context.Context, quota string, periodStart date.Date) (QuotaUsage, error)
}

// MemLedger is an in-memory QuotaLedger for the command line and tests. It is
// safe for concurrent use.
type MemLedger struct {
	mu      sync.Mutex
	periods map[periodKey]*periodState
}

type periodKey struct {
	quota string
	start date.Date
}

type periodState struct {
	volume, used exact.Q
	criticalAt   exact.Q
	grants       map[string]Grant
}

var _ QuotaLedger = (*MemLedger)(nil)

// NewMemLedger returns an empty ledger.
func NewMemLedger() *MemLedger { return &MemLedger{periods: map[periodKey]*periodState{}} }

// Allocate implements QuotaLedger.
func (l *MemLedger) Allocate(ctx context.Context, b QuotaBatch, reqs []Request) ([]Grant, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	k := periodKey{b.Quota, b.PeriodStart}
	st := l.periods[k]
	if st == nil {
		st = &periodState{volume: exact.FromDecimal(b.Volume), criticalAt: exact.FromDecimal(b.CriticalAt), grants: map[string]Grant{}}
		l.periods[k] = st
	}
	return allocateOnce(st, b, reqs)
}

// allocate applies the QuotaLedger rules to one period's state.
func allocate(st *periodState, b QuotaBatch, reqs []Request) ([]Grant, error) {
	out := make([]Grant, len(reqs))
	var fresh []int
	demand := exact.Q{}
	for i, r := range reqs {
		if g, ok := st.grants[r.DeclarationID]; ok {
			g.Repeat = true
			out[i] = g
			continue
		}
		qty := r.quantity()
		if qty.Sign() < 0 {
			return nil, fmt.Errorf("quota %s: negative request %s for %s", b.Quota, r.Quantity, r.DeclarationID)
		}
		fresh = append(fresh, i)
		demand = demand.Add(qty)
	}
	balance := st.volume.Sub(st.used)
	granted := make([]exact.Q, len(reqs))
	if b.ProRata && demand.Cmp(balance) > 0 {
		for _, i := range fresh {
			// Rounded down by rule: what it leaves stays in the balance.
			g, _ := balance.Mul(reqs[i].quantity()).Quo(demand).Round(3, dec.Down)
			granted[i] = g
		}
	} else {
		left := balance
		for _, i := range fresh {
			g := exact.Min(reqs[i].quantity(), exact.Max(left, exact.Q{}))
			granted[i] = g
			left = left.Sub(g)
		}
	}
	for _, i := range fresh {
		st.used = st.used.Add(granted[i])
	}
	status := st.status()
	bal := st.volume.Sub(st.used).Decimal()
	for _, i := range fresh {
		out[i] = Grant{DeclarationID: reqs[i].DeclarationID, Granted: granted[i].Decimal(), Status: status, Balance: bal, granted: granted[i], hasGranted: true}
		st.grants[reqs[i].DeclarationID] = out[i]
	}
	return out, nil
}

func (st *periodState) status() QuotaStatus {
	switch {
	case st.used.Cmp(st.volume) >= 0:
		return QuotaExhausted
	case st.criticalAt.Sign() > 0 && st.used.Cmp(st.volume.Mul(st.criticalAt)) >= 0:
		return QuotaCritical
	}
	return QuotaOpen
}

// Usage implements QuotaLedger.
func (l *MemLedger) Usage(ctx context.Context, quota string, periodStart date.Date) (QuotaUsage, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	st := l.periods[periodKey{quota, periodStart}]
	if st == nil {
		return QuotaUsage{Quota: quota, PeriodStart: periodStart, Status: QuotaOpen}, nil
	}
	return QuotaUsage{Quota: quota, PeriodStart: periodStart, Volume: st.volume.Decimal(), Used: st.used.Decimal(), Status: st.status()}, nil
}
