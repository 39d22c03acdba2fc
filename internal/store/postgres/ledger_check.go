package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/mineralpact/mineralpact/internal/store"
)

var _ store.LedgerChecker = (*Store)(nil)

// CheckLedger implements store.LedgerChecker (store.LedgerTally), in one
// repeatable-read transaction, so that the allocations and the balances are
// of one moment while other nodes allocate.
func (s *Store) CheckLedger(ctx context.Context) ([]store.LedgerFault, int, int, error) {
	var t store.LedgerTally
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, 0, 0, fail("ledger check", err)
	}
	defer tx.Rollback(ctx)
	rows, err := tx.Query(ctx, `SELECT quota_id, period_start, quantity FROM quota_allocations`)
	if err != nil {
		return nil, 0, 0, fail("ledger check", err)
	}
	for rows.Next() {
		var q, start, qty string
		if err := rows.Scan(&q, &start, &qty); err != nil {
			rows.Close()
			return nil, 0, 0, fail("ledger check", err)
		}
		if err := t.Allocation(q, start, qty); err != nil {
			rows.Close()
			return nil, 0, 0, fail("ledger check", err)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, 0, fail("ledger check", err)
	}
	bal, err := tx.Query(ctx, `SELECT quota_id, period_start, volume, allocated FROM quota_balances ORDER BY quota_id, period_start`)
	if err != nil {
		return nil, 0, 0, fail("ledger check", err)
	}
	for bal.Next() {
		var q, start, vol, alloc string
		if err := bal.Scan(&q, &start, &vol, &alloc); err != nil {
			bal.Close()
			return nil, 0, 0, fail("ledger check", err)
		}
		t.Balance(q, start, vol, alloc)
	}
	bal.Close()
	if err := bal.Err(); err != nil {
		return nil, 0, 0, fail("ledger check", err)
	}
	return t.Faults, t.Periods, t.Allocations, nil
}
