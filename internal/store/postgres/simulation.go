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
	_, err := s.pool.Exec(ctx, `INSERT INTO simulations (id, status, scenario, agreement_hash, request, progress, result, error, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5::json, $6, $7::json, $8, $9, $10)`,
		sim.ID, sim.Status, sim.Scenario, sim.AgreementHash, string(sim.Request), sim.Progress, textOrNil(sim.Result), stringOrNil(sim.Error),
		store.Time(sim.CreatedAt), store.Time(sim.UpdatedAt))
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
func (s *Store) UpdateSimulation(ctx context.Context, sim store.Simulation) error {
	if err := store.CheckSimulation(sim); err != nil {
		return err
	}
	tag, err := s.pool.Exec(ctx, `UPDATE simulations SET status = $1, progress = $2, result = $3::json, error = $4, updated_at = $5
		WHERE id = $6 AND status NOT IN ('done', 'failed')`,
		sim.Status, sim.Progress, textOrNil(sim.Result), stringOrNil(sim.Error), store.Time(sim.UpdatedAt), sim.ID)
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
	var result, msg *string
	var created, updated time.Time
	err := s.pool.QueryRow(ctx, `SELECT id, status, scenario, agreement_hash, request::text, progress, result::text, error, created_at, updated_at
		FROM simulations WHERE id = $1`, id).Scan(&sim.ID, &sim.Status, &sim.Scenario, &sim.AgreementHash, &req, &sim.Progress, &result, &msg, &created, &updated)
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
	return sim, nil
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
