package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/store"
)

var _ store.Simulations = (*Store)(nil)

// PutSimulation stores a new run; see store.Simulations.
func (s *Store) PutSimulation(ctx context.Context, sim store.Simulation) error {
	if err := store.CheckSimulation(sim); err != nil {
		return err
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO simulations (id, status, scenario, agreement_hash, request, progress, result, error, created_at, updated_at,
			summary, expires_at, owner, lease_until)
		VALUES ($1, $2, $3, $4, $5::json, $6, $7::json, $8, $9, $10, $11::json, $12, $13, $14)`,
		sim.ID, sim.Status, sim.Scenario, sim.AgreementHash, string(sim.Request), sim.Progress, textOrNil(sim.Result), stringOrNil(sim.Error),
		store.Time(sim.CreatedAt), store.Time(sim.UpdatedAt), textOrNil(sim.Summary), timeOrNil(sim.ExpiresAt), stringOrNil(sim.Owner), timeOrNil(sim.LeaseUntil))
	if err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "23505" {
			return problem.Errorf(problem.Conflict, "store: simulation %s already exists", sim.ID)
		}
		return fail("put simulation "+sim.ID, err)
	}
	return nil
}

// UpdateSimulation changes a run that is not finished; see store.Simulations.
// A zero LeaseUntil keeps the lease stored.
func (s *Store) UpdateSimulation(ctx context.Context, sim store.Simulation) error {
	if err := store.CheckSimulation(sim); err != nil {
		return err
	}
	tag, err := s.pool.Exec(ctx, `UPDATE simulations SET status = $1, progress = $2, result = $3::json, error = $4, updated_at = $5,
			summary = $7::json, expires_at = $8, lease_until = coalesce($9, lease_until)
		WHERE id = $6 AND status NOT IN ('done', 'failed')`,
		sim.Status, sim.Progress, textOrNil(sim.Result), stringOrNil(sim.Error), store.Time(sim.UpdatedAt), sim.ID,
		textOrNil(sim.Summary), timeOrNil(sim.ExpiresAt), timeOrNil(sim.LeaseUntil))
	if err != nil {
		return fail("update simulation "+sim.ID, err)
	}
	if tag.RowsAffected() == 0 {
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
	var result, msg, summary, owner *string
	var created, updated time.Time
	var expires, lease *time.Time
	err := s.pool.QueryRow(ctx, `SELECT id, status, scenario, agreement_hash, request::text, progress, result::text, error, created_at, updated_at,
			summary::text, expires_at, owner, lease_until
		FROM simulations WHERE id = $1`, id).Scan(&sim.ID, &sim.Status, &sim.Scenario, &sim.AgreementHash, &req, &sim.Progress, &result, &msg, &created, &updated,
		&summary, &expires, &owner, &lease)
	if errors.Is(err, pgx.ErrNoRows) {
		return sim, &problem.Error{Code: problem.NotFound, Field: "id", Message: fmt.Sprintf("no simulation %q", id)}
	}
	if err != nil {
		return sim, fail("get simulation "+id, err)
	}
	sim.Request = []byte(req)
	if result != nil {
		sim.Result = []byte(*result)
	}
	if msg != nil {
		sim.Error = *msg
	}
	sim.CreatedAt, sim.UpdatedAt = created.UTC(), updated.UTC()
	if summary != nil {
		sim.Summary = []byte(*summary)
	}
	if owner != nil {
		sim.Owner = *owner
	}
	if expires != nil {
		sim.ExpiresAt = expires.UTC()
	}
	if lease != nil {
		sim.LeaseUntil = lease.UTC()
	}
	sim.ResultExpired = sim.Status == store.SimulationDone && result == nil && expires != nil
	return sim, nil
}

// RenewSimulations pushes back the lease of owner's unfinished runs; see
// store.Simulations.
func (s *Store) RenewSimulations(ctx context.Context, owner string, until time.Time) (int, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE simulations SET lease_until = $1 WHERE owner = $2 AND status IN ('queued', 'running')`, store.Time(until), owner)
	if err != nil {
		return 0, fail("renew simulations", err)
	}
	return int(tag.RowsAffected()), nil
}

// ReclaimSimulations fails the runs whose lease ended; see
// store.Simulations. Under READ COMMITTED a second node's UPDATE of the
// same row waits for the first and then checks its condition again on the
// failed row, which no longer matches: each run is failed once.
func (s *Store) ReclaimSimulations(ctx context.Context, now time.Time, reason string) ([]string, error) {
	rows, err := s.pool.Query(ctx, `UPDATE simulations SET status = 'failed', updated_at = $1,
			error = $2 || ' (node ' || coalesce(owner, 'unknown') || ', lease ' || coalesce(to_char(lease_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'none') || ')'
		WHERE status IN ('queued', 'running') AND (lease_until IS NULL OR lease_until < $1)
		RETURNING id`, store.Time(now), reason)
	if err != nil {
		return nil, fail("reclaim simulations", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fail("reclaim simulations", err)
	}
	return ids, nil
}

// ExpireSimulations drops expired results; see store.Simulations.
func (s *Store) ExpireSimulations(ctx context.Context, now time.Time) (int, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE simulations SET result = NULL WHERE result IS NOT NULL AND expires_at <= $1`, store.Time(now))
	if err != nil {
		return 0, fail("expire simulations", err)
	}
	return int(tag.RowsAffected()), nil
}

func textOrNil(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return string(b)
}

func stringOrNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}
