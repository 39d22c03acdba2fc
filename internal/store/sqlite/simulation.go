package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/store"
)

var _ store.Simulations = (*Store)(nil)

// PutSimulation stores a new run; see store.Simulations.
func (s *Store) PutSimulation(ctx context.Context, sim store.Simulation) error {
	if err := store.CheckSimulation(sim); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO simulations (id, status, scenario, agreement_hash, request, progress, result, error, created_at, updated_at,
			summary, expires_at, owner, lease_until)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		sim.ID, sim.Status, sim.Scenario, sim.AgreementHash, string(sim.Request), sim.Progress, nullText(sim.Result), nullString(sim.Error),
		formatTime(sim.CreatedAt), formatTime(sim.UpdatedAt), nullText(sim.Summary), nullTime(sim.ExpiresAt), nullString(sim.Owner), nullTime(sim.LeaseUntil))
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") || strings.Contains(err.Error(), "PRIMARY KEY") {
			return problem.Errorf(problem.Conflict, "store: simulation %s already exists", sim.ID)
		}
		return s.fail("put simulation "+sim.ID, err)
	}
	return nil
}

// UpdateSimulation changes a run that is not finished; see store.Simulations.
// A zero LeaseUntil keeps the lease stored.
func (s *Store) UpdateSimulation(ctx context.Context, sim store.Simulation) error {
	if err := store.CheckSimulation(sim); err != nil {
		return err
	}
	res, err := s.db.ExecContext(ctx, `UPDATE simulations SET status = ?, progress = ?, result = ?, error = ?, updated_at = ?,
			summary = ?, expires_at = ?, lease_until = coalesce(?, lease_until)
		WHERE id = ? AND status NOT IN ('done', 'failed')`,
		sim.Status, sim.Progress, nullText(sim.Result), nullString(sim.Error), formatTime(sim.UpdatedAt),
		nullText(sim.Summary), nullTime(sim.ExpiresAt), nullTime(sim.LeaseUntil), sim.ID)
	if err != nil {
		return s.fail("update simulation "+sim.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		old, err := s.GetSimulation(ctx, sim.ID)
		if err != nil {
			return err
		}
		return problem.Errorf(problem.Conflict, "store: simulation %s is %s and no longer changes", sim.ID, old.Status)
	}
	return nil
}

// GetSimulation returns one run; see store.Simulations.
func (s *Store) GetSimulation(ctx context.Context, id string) (store.Simulation, error) {
	var sim store.Simulation
	var req string
	var result, msg, summary, expires, owner, lease sql.NullString
	var created, updated string
	err := s.db.QueryRowContext(ctx, `SELECT id, status, scenario, agreement_hash, request, progress, result, error, created_at, updated_at,
			summary, expires_at, owner, lease_until
		FROM simulations WHERE id = ?`, id).Scan(&sim.ID, &sim.Status, &sim.Scenario, &sim.AgreementHash, &req, &sim.Progress, &result, &msg, &created, &updated,
		&summary, &expires, &owner, &lease)
	if errors.Is(err, sql.ErrNoRows) {
		return sim, &problem.Error{Code: problem.NotFound, Field: "id", Message: fmt.Sprintf("no simulation %q", id)}
	}
	if err != nil {
		return sim, s.fail("get simulation "+id, err)
	}
	sim.Request = []byte(req)
	if result.Valid {
		sim.Result = []byte(result.String)
	}
	if summary.Valid {
		sim.Summary = []byte(summary.String)
	}
	sim.Error, sim.Owner = msg.String, owner.String
	for _, t := range []struct {
		dst *time.Time
		src sql.NullString
	}{{&sim.CreatedAt, sql.NullString{String: created, Valid: true}}, {&sim.UpdatedAt, sql.NullString{String: updated, Valid: true}}, {&sim.ExpiresAt, expires}, {&sim.LeaseUntil, lease}} {
		if !t.src.Valid {
			continue
		}
		if *t.dst, err = parseTime(t.src.String); err != nil {
			return sim, s.fail("get simulation "+id, err)
		}
	}
	sim.ResultExpired = sim.Status == store.SimulationDone && !result.Valid && expires.Valid
	return sim, nil
}

// RenewSimulations pushes back the lease of owner's unfinished runs; see
// store.Simulations.
func (s *Store) RenewSimulations(ctx context.Context, owner string, until time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE simulations SET lease_until = ? WHERE owner = ? AND status IN ('queued', 'running')`, formatTime(until), owner)
	if err != nil {
		return 0, s.fail("renew simulations", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// ReclaimSimulations fails the runs whose lease ended; see
// store.Simulations. SQLite runs one write at a time, so a run is failed by
// the first statement that finds it unfinished and by no other.
func (s *Store) ReclaimSimulations(ctx context.Context, now time.Time, reason string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `UPDATE simulations SET status = 'failed', updated_at = ?,
			error = ? || ' (node ' || coalesce(owner, 'unknown') || ', lease ' || coalesce(lease_until, 'none') || ')'
		WHERE status IN ('queued', 'running') AND (lease_until IS NULL OR lease_until < ?)
		RETURNING id`, formatTime(now), reason, formatTime(now))
	if err != nil {
		return nil, s.fail("reclaim simulations", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, s.fail("reclaim simulations", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail("reclaim simulations", err)
	}
	return ids, nil
}

// ExpireSimulations drops expired results; see store.Simulations.
func (s *Store) ExpireSimulations(ctx context.Context, now time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE simulations SET result = NULL WHERE result IS NOT NULL AND expires_at <= ?`, formatTime(now))
	if err != nil {
		return 0, s.fail("expire simulations", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

func nullText(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return string(b)
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
