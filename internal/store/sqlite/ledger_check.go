package sqlite

import (
	"context"

	"github.com/mineralpact/mineralpact/internal/store"
)

var _ store.LedgerChecker = (*Store)(nil)

// CheckLedger implements store.LedgerChecker (store.LedgerTally), in one
// snapshot, as VerifyAudit: an allocation made between reading the
// allocations and reading the balances would otherwise look like a balance
// edited by hand.
func (s *Store) CheckLedger(ctx context.Context) ([]store.LedgerFault, int, int, error) {
	var t store.LedgerTally
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, 0, 0, s.fail("ledger check", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN DEFERRED`); err != nil {
		return nil, 0, 0, s.fail("ledger check", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `ROLLBACK`)
	rows, err := conn.QueryContext(ctx, `SELECT quota_id, period_start, quantity FROM quota_allocations`)
	if err != nil {
		return nil, 0, 0, s.fail("ledger check", err)
	}
	defer rows.Close()
	for rows.Next() {
		var q, start, qty string
		if err := rows.Scan(&q, &start, &qty); err != nil {
			return nil, 0, 0, s.fail("ledger check", err)
		}
		if err := t.Allocation(q, start, qty); err != nil {
			return nil, 0, 0, s.fail("ledger check", err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, 0, 0, s.fail("ledger check", err)
	}
	bal, err := conn.QueryContext(ctx, `SELECT quota_id, period_start, volume, allocated FROM quota_balances ORDER BY quota_id, period_start`)
	if err != nil {
		return nil, 0, 0, s.fail("ledger check", err)
	}
	defer bal.Close()
	for bal.Next() {
		var q, start, vol, alloc string
		if err := bal.Scan(&q, &start, &vol, &alloc); err != nil {
			return nil, 0, 0, s.fail("ledger check", err)
		}
		t.Balance(q, start, vol, alloc)
	}
	if err := bal.Err(); err != nil {
		return nil, 0, 0, s.fail("ledger check", err)
	}
	return t.Faults, t.Periods, t.Allocations, nil
}
