package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/store"
)

var _ store.Simulations = (*Store)(nil)

// PutSimulation stores a new run; see store.Simulations.
func (s *Store) PutSimulation(ctx context.Context, sim store.Simulation) error {
	if err := store.CheckSimulation(sim); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO simulations (id, status, scenario, agreement_hash, request, progress, result, error, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		sim.ID, sim.Status, sim.Scenario, sim.AgreementHash, string(sim.Request), sim.Progress, nullText(sim.Result), nullString(sim.Error),
		formatTime(sim.CreatedAt), formatTime(sim.UpdatedAt))
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") || strings.Contains(err.Error(), "PRIMARY KEY") {
			return problem.Errorf(problem.Conflict, "store: simulation %s already exists", sim.ID)
		}
		return s.fail("put simulation "+sim.ID, err)
	}
	return nil
}

// UpdateSimulation changes a run that is not finished; see store.Simulations.
func (s *Store) UpdateSimulation(ctx context.Context, sim store.Simulation) error {
	if err := store.CheckSimulation(sim); err != nil {
		return err
	}
	res, err := s.db.ExecContext(ctx, `UPDATE simulations SET status = ?, progress = ?, result = ?, error = ?, updated_at = ?
		WHERE id = ? AND status NOT IN ('done', 'failed')`,
		sim.Status, sim.Progress, nullText(sim.Result), nullString(sim.Error), formatTime(sim.UpdatedAt), sim.ID)
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
	var result, msg sql.NullString
	var created, updated string
	err := s.db.QueryRowContext(ctx, `SELECT id, status, scenario, agreement_hash, request, progress, result, error, created_at, updated_at
		FROM simulations WHERE id = ?`, id).Scan(&sim.ID, &sim.Status, &sim.Scenario, &sim.AgreementHash, &req, &sim.Progress, &result, &msg, &created, &updated)
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
	sim.Error = msg.String
	if sim.CreatedAt, err = parseTime(created); err != nil {
		return sim, s.fail("get simulation "+id, err)
	}
	if sim.UpdatedAt, err = parseTime(updated); err != nil {
		return sim, s.fail("get simulation "+id, err)
	}
	return sim, nil
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
