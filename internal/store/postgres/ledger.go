package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

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
// quota_allocations tables. The period's balance row is created on first use
// with the batch's volume (INSERT ... ON CONFLICT DO NOTHING) and then locked
// (SELECT ... FOR UPDATE), so allocations of one quota period are serialised
// across every node on the database while other quotas proceed; the rules are
// duty.AllocatePeriod's, the same as the in-memory ledger's.
func (s *Store) Allocate(ctx context.Context, b duty.QuotaBatch, reqs []duty.Request) ([]duty.Grant, error) {
	if err := store.CheckQuotaBatch(b, reqs); err != nil {
		return nil, err
	}
	who, err := store.ActingFrom(ctx)
	if err != nil {
		return nil, err
	}
	start := b.PeriodStart.String()
	var grants []duty.Grant
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO quota_balances (quota_id, period_start, volume, allocated, unit, critical_at)
			VALUES ($1, $2, $3, '0', $4, $5) ON CONFLICT (quota_id, period_start) DO NOTHING`,
			b.Quota, start, b.Volume.String(), b.Unit, b.CriticalAt.String()); err != nil {
			return err
		}
		var st duty.PeriodState
		if err := scanPeriod(tx.QueryRow(ctx, `SELECT volume, allocated, critical_at FROM quota_balances
			WHERE quota_id = $1 AND period_start = $2 FOR UPDATE`, b.Quota, start), &st); err != nil {
			return err
		}
		ids := make([]string, len(reqs))
		for i, r := range reqs {
			ids[i] = r.DeclarationID
		}
		rows, err := tx.Query(ctx, `SELECT declaration_id, quantity, status, balance FROM quota_allocations
			WHERE quota_id = $1 AND period_start = $2 AND declaration_id = ANY($3)`, b.Quota, start, ids)
		if err != nil {
			return err
		}
		st.Grants = map[string]duty.Grant{}
		for rows.Next() {
			var id, qty, status, bal string
			if err := rows.Scan(&id, &qty, &status, &bal); err != nil {
				rows.Close()
				return err
			}
			g, err := storedGrant(id, qty, status, bal)
			if err != nil {
				rows.Close()
				return err
			}
			st.Grants[id] = g
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		var used dec.Decimal
		grants, used, err = duty.AllocatePeriod(st, b, reqs)
		if err != nil {
			return err
		}
		batch := &pgx.Batch{}
		var audits []store.AuditRecord
		for _, g := range grants {
			if g.Repeat {
				continue
			}
			row := store.AllocationRow{Quota: b.Quota, PeriodStart: start, DeclarationID: g.DeclarationID,
				Quantity: g.Granted.String(), Status: string(g.Status), Balance: g.Balance.String(), Day: b.Day.String()}
			batch.Queue(`INSERT INTO quota_allocations (quota_id, period_start, declaration_id, quantity, status, balance, day)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, row.Quota, row.PeriodStart, row.DeclarationID, row.Quantity, row.Status, row.Balance, row.Day)
			audits = append(audits, row.Audit(who))
		}
		if batch.Len() == 0 {
			return nil
		}
		batch.Queue(`UPDATE quota_balances SET allocated = $1 WHERE quota_id = $2 AND period_start = $3`, used.String(), b.Quota, start)
		if err := tx.SendBatch(ctx, batch).Close(); err != nil {
			return err
		}
		_, err = appendAudit(ctx, tx, audits)
		return err
	})
	if err != nil {
		return nil, fail(fmt.Sprintf("allocate quota %s %s", b.Quota, b.PeriodStart), err)
	}
	return grants, nil
}

func scanPeriod(row pgx.Row, st *duty.PeriodState) error {
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
	err := scanPeriod(s.pool.QueryRow(ctx, `SELECT volume, allocated, critical_at FROM quota_balances WHERE quota_id = $1 AND period_start = $2`, quota, periodStart.String()), &st)
	if errors.Is(err, pgx.ErrNoRows) {
		return u, nil
	}
	if err != nil {
		return u, fail(fmt.Sprintf("quota usage %s %s", quota, periodStart), err)
	}
	u.Volume, u.Used, u.Status = st.Volume, st.Used, duty.PeriodStatus(st.Volume, st.Used, st.CriticalAt)
	return u, nil
}
