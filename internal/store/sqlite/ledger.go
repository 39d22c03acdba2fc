package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/mineralpact/mineralpact/internal/store"
)

var (
	_ duty.QuotaLedger = (*Store)(nil)
	_ store.Store      = (*Store)(nil)
)

// Allocate implements duty.QuotaLedger in the quota_balances and
// quota_allocations tables. The transaction takes SQLite's write lock at
// BEGIN, so allocations of every quota are serialised (across processes too);
// the period's row is created on first use with the batch's volume, and the
// rules themselves are duty.AllocatePeriod's, the same as the in-memory
// ledger's.
func (s *Store) Allocate(ctx context.Context, b duty.QuotaBatch, reqs []duty.Request) ([]duty.Grant, error) {
	if err := store.CheckQuotaBatch(b, reqs); err != nil {
		return nil, err
	}
	who, err := store.ActingFrom(ctx)
	if err != nil {
		return nil, err
	}
	op := fmt.Sprintf("allocate quota %s %s", b.Quota, b.PeriodStart)
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, s.fail(op, err)
	}
	defer tx.Rollback()
	start := b.PeriodStart.String()
	open, err := s.txStmt(ctx, tx, `INSERT INTO quota_balances (quota_id, period_start, volume, allocated, unit, critical_at)
		VALUES (?, ?, ?, '0', ?, ?) ON CONFLICT (quota_id, period_start) DO NOTHING`)
	if err != nil {
		return nil, s.fail(op, err)
	}
	if _, err := open.ExecContext(ctx, b.Quota, start, b.Volume.String(), b.Unit, b.CriticalAt.String()); err != nil {
		return nil, s.fail(op, err)
	}
	balance, err := s.txStmt(ctx, tx, `SELECT volume, allocated, critical_at FROM quota_balances WHERE quota_id = ? AND period_start = ?`)
	if err != nil {
		return nil, s.fail(op, err)
	}
	var st duty.PeriodState
	if err := scanPeriod(balance.QueryRowContext(ctx, b.Quota, start), &st); err != nil {
		return nil, s.fail(op, err)
	}
	if st.Grants, err = priorGrants(ctx, tx, b.Quota, start, reqs); err != nil {
		return nil, s.fail(op, err)
	}
	grants, used, err := duty.AllocatePeriod(st, b, reqs)
	if err != nil {
		return nil, s.fail(op, err)
	}
	ins, err := s.txStmt(ctx, tx, `INSERT INTO quota_allocations (quota_id, period_start, declaration_id, quantity, status, balance, day)
		VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, s.fail(op, err)
	}
	var audits []store.AuditRecord
	for _, g := range grants {
		if g.Repeat {
			continue
		}
		row := store.AllocationRow{Quota: b.Quota, PeriodStart: start, DeclarationID: g.DeclarationID,
			Quantity: g.Granted.String(), Status: string(g.Status), Balance: g.Balance.String(), Day: b.Day.String()}
		if _, err := ins.ExecContext(ctx, row.Quota, row.PeriodStart, row.DeclarationID, row.Quantity, row.Status, row.Balance, row.Day); err != nil {
			return nil, s.fail(op, err)
		}
		audits = append(audits, row.Audit(who))
	}
	if len(audits) == 0 {
		return grants, nil // nothing new: leave the balance row as it is
	}
	if _, err := s.appendAudit(ctx, tx, audits); err != nil {
		return nil, s.fail(op, err)
	}
	update, err := s.txStmt(ctx, tx, `UPDATE quota_balances SET allocated = ? WHERE quota_id = ? AND period_start = ?`)
	if err != nil {
		return nil, s.fail(op, err)
	}
	if _, err := update.ExecContext(ctx, used.String(), b.Quota, start); err != nil {
		return nil, s.fail(op, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, s.fail(op, err)
	}
	return grants, nil
}

func scanPeriod(row *sql.Row, st *duty.PeriodState) error {
	var vol, used, crit string
	if err := row.Scan(&vol, &used, &crit); err != nil {
		return err
	}
	var err error
	if st.Volume, err = dec.Parse(vol); err != nil {
		return fmt.Errorf("volume %q: %w", vol, err)
	}
	if st.Used, err = dec.Parse(used); err != nil {
		return fmt.Errorf("allocated %q: %w", used, err)
	}
	if st.CriticalAt, err = dec.Parse(crit); err != nil {
		return fmt.Errorf("critical_at %q: %w", crit, err)
	}
	return nil
}

// inChunk bounds the ids of one IN list, well under SQLite's 32,766 variables.
const inChunk = 500

// priorGrants reads the earlier grants of the batch's declarations.
func priorGrants(ctx context.Context, tx *sql.Tx, quota, start string, reqs []duty.Request) (map[string]duty.Grant, error) {
	out := map[string]duty.Grant{}
	for i := 0; i < len(reqs); i += inChunk {
		part := reqs[i:min(i+inChunk, len(reqs))]
		args := make([]any, 0, len(part)+2)
		args = append(args, quota, start)
		for _, r := range part {
			args = append(args, r.DeclarationID)
		}
		rows, err := tx.QueryContext(ctx, `SELECT declaration_id, quantity, status, balance FROM quota_allocations
			WHERE quota_id = ? AND period_start = ? AND declaration_id IN (?`+strings.Repeat(", ?", len(part)-1)+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id, qty, status, bal string
			if err := rows.Scan(&id, &qty, &status, &bal); err != nil {
				rows.Close()
				return nil, err
			}
			g, err := storedGrant(id, qty, status, bal)
			if err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = g
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func storedGrant(id, qty, status, bal string) (duty.Grant, error) {
	g := duty.Grant{DeclarationID: id, Status: duty.QuotaStatus(status)}
	var err error
	if g.Granted, err = dec.Parse(qty); err != nil {
		return g, fmt.Errorf("allocation of %s: quantity %q: %w", id, qty, err)
	}
	if g.Balance, err = dec.Parse(bal); err != nil {
		return g, fmt.Errorf("allocation of %s: balance %q: %w", id, bal, err)
	}
	return g, nil
}

// Usage implements duty.QuotaLedger: a period never allocated is open, with
// nothing used and a zero volume.
func (s *Store) Usage(ctx context.Context, quota string, periodStart date.Date) (duty.QuotaUsage, error) {
	u := duty.QuotaUsage{Quota: quota, PeriodStart: periodStart, Status: duty.QuotaOpen}
	var st duty.PeriodState
	err := scanPeriod(s.db.QueryRowContext(ctx, `SELECT volume, allocated, critical_at FROM quota_balances WHERE quota_id = ? AND period_start = ?`, quota, periodStart.String()), &st)
	if errors.Is(err, sql.ErrNoRows) {
		return u, nil
	}
	if err != nil {
		return u, s.fail(fmt.Sprintf("quota usage %s %s", quota, periodStart), err)
	}
	u.Volume, u.Used, u.Status = st.Volume, st.Used, duty.PeriodStatus(st.Volume, st.Used, st.CriticalAt)
	return u, nil
}
