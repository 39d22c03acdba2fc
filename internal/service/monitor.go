package service

import (
	"context"
	"time"

	"github.com/mineralpact/mineralpact/internal/monitor"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/store"
)

// The secretariat's cases on the monitor's alerts (issue 13, part 4), one
// path for the command line, the API and the portal: the case engine
// checks the step, the store writes it with its audit record, as who.

// CaseView is a case with its alerts as stored.
type CaseView struct {
	monitor.Case
	AlertRows []store.StoredAlert `json:"alert_rows"`
}

// LoadCase reads case id with its alerts.
func LoadCase(ctx context.Context, st store.Monitor, id int64) (CaseView, error) {
	c, err := st.GetCase(ctx, id)
	if err != nil {
		return CaseView{}, err
	}
	v := CaseView{Case: c, AlertRows: make([]store.StoredAlert, 0, len(c.Alerts))}
	for _, aid := range c.Alerts {
		a, err := st.GetAlert(ctx, aid)
		if err != nil {
			return CaseView{}, err
		}
		v.AlertRows = append(v.AlertRows, a)
	}
	return v, nil
}

// OpenCase opens a case from stored alerts, by actor at at.
func OpenCase(ctx context.Context, st store.Monitor, title string, alerts []string, actor string, at time.Time) (monitor.Case, error) {
	c, err := monitor.NewCase(title, alerts, actor, at)
	if err != nil {
		return c, &problem.Error{Code: problem.Invalid, Message: err.Error()}
	}
	return st.OpenCase(store.WithActing(ctx, store.Acting{Actor: actor, At: at}), c)
}

// CaseEvent adds a note, a confirmation or a dismissal (kind) to case id,
// by actor at at, and returns the case after it.
func CaseEvent(ctx context.Context, st store.Monitor, id int64, kind, text, actor string, at time.Time) (monitor.Case, error) {
	return st.AddCaseEvent(store.WithActing(ctx, store.Acting{Actor: actor, At: at}), id, monitor.Event{Kind: kind, Actor: actor, At: at, Text: text})
}
