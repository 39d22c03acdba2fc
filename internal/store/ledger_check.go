package store

import (
	"context"
	"fmt"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
)

// LedgerChecker checks the quota ledger's invariants (issue 12, part 2):
// each period's balance row is the sum of its allocations, and no period is
// allocated beyond its volume. A balance reset by hand, or an allocation
// edited or deleted, breaks the first; a grant beyond the volume the second.
type LedgerChecker interface {
	// CheckLedger returns every period that breaks an invariant, in order
	// of quota and period, and how many periods and allocations it read.
	CheckLedger(ctx context.Context) (faults []LedgerFault, periods, allocations int, err error)
}

// LedgerFault is one quota period that breaks an invariant.
type LedgerFault struct {
	Quota       string      `json:"quota"`
	PeriodStart date.Date   `json:"period_start"`
	Volume      dec.Decimal `json:"volume"`    // the balance row's
	Allocated   dec.Decimal `json:"allocated"` // the balance row's
	Granted     dec.Decimal `json:"granted"`   // the sum of the period's allocations
	Problem     string      `json:"problem"`
}

func (f LedgerFault) String() string {
	return fmt.Sprintf("quota %s, period from %s: %s", f.Quota, f.PeriodStart, f.Problem)
}

// CheckPeriod applies the ledger's invariants to one period: what both
// stores' CheckLedger ask of each balance row. nil when it holds.
func CheckPeriod(quota string, start date.Date, volume, allocated, granted dec.Decimal) *LedgerFault {
	f := &LedgerFault{Quota: quota, PeriodStart: start, Volume: volume, Allocated: allocated, Granted: granted}
	switch {
	case allocated.Cmp(granted) != 0:
		f.Problem = fmt.Sprintf("the balance says %s allocated, its allocations sum to %s", allocated, granted)
	case granted.Cmp(volume) > 0:
		f.Problem = fmt.Sprintf("%s allocated, beyond the volume %s", granted, volume)
	default:
		return nil
	}
	return f
}

// LedgerTally is CheckLedger's work, shared by the stores: each reads its
// allocations into Allocation, then its balance rows, in order, into
// Balance; Faults is the answer.
type LedgerTally struct {
	sums        map[[2]string]dec.Decimal
	Allocations int
	Periods     int
	Faults      []LedgerFault
}

// Allocation adds one allocation's quantity, as stored, to its period.
func (t *LedgerTally) Allocation(quota, start, quantity string) error {
	x, err := dec.Parse(quantity)
	if err != nil {
		return fmt.Errorf("allocation of quota %s from %s: quantity %q: %w", quota, start, quantity, err)
	}
	if t.sums == nil {
		t.sums = map[[2]string]dec.Decimal{}
	}
	k := [2]string{quota, start}
	t.sums[k] = t.sums[k].Add(x)
	t.Allocations++
	return nil
}

// Balance checks one balance row, as stored, against its allocations.
func (t *LedgerTally) Balance(quota, start, volume, allocated string) {
	t.Periods++
	d, err1 := date.Parse(start)
	v, err2 := dec.Parse(volume)
	a, err3 := dec.Parse(allocated)
	if err1 != nil || err2 != nil || err3 != nil {
		t.Faults = append(t.Faults, LedgerFault{Quota: quota, PeriodStart: d, Problem: fmt.Sprintf("the balance row cannot be read (period %q, volume %q, allocated %q)", start, volume, allocated)})
		return
	}
	if f := CheckPeriod(quota, d, v, a, t.sums[[2]string{quota, start}]); f != nil {
		t.Faults = append(t.Faults, *f)
	}
}
