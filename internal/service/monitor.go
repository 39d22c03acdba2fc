package service

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mineralpact/mineralpact/internal/date"
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

// ScanFile is one flow file of a scan, as text: Comtrade CSV or BACI.
type ScanFile struct {
	Name, Format, Text string
}

// Scan is a scan to run and store: its flow files, a measures file's text,
// the as-of date, the detectors (empty: all), the suppression margin, and
// the BACI country codes' text for BACI files.
type Scan struct {
	Files     []ScanFile
	Measures  []string // measures files' texts
	Names     []string // the measures files' names, for errors, one per text
	BACICodes string
	AsOf      date.Date
	Detectors []string
	Margin    float64
	Source    string // what the scan read, for people
}

// RunScan reads the scan's files, runs the detectors and stores the alerts
// in s.Store, screened against the dismissed cases, as one scan by who. It
// reads what `monitor scan` reads besides the files: the published floors
// (s.Floors; none without them), the registry's HS map and USGS
// production, and its country codes.
func (s *Services) RunScan(ctx context.Context, sc Scan, who store.Acting, progress func(done, total int)) (store.Scan, error) {
	if s.Store == nil {
		return store.Scan{}, problem.Errorf(problem.Internal, "no store configured: a scan's alerts are stored")
	}
	var floors monitor.FloorSource
	if s.Floors != nil {
		floors = monitor.PublishedFloorSource(s.Registry, s.Floors, s.Agreement.EntryIntoForce, s.Agreement.Currency)
	}
	catalog, codes := monitor.RegistryCatalog(s.Registry), monitor.RegistryCodes(s.Registry)
	if sc.BACICodes != "" {
		bc, err := monitor.ReadBACICountryCodes(strings.NewReader(sc.BACICodes), "baci_codes")
		if err != nil {
			return store.Scan{}, inputProblem(err)
		}
		bc.Add(codes.List()...)
		codes = bc
	}
	in := &monitor.Input{Flows: monitor.NewFlows()}
	for _, f := range sc.Files {
		var err error
		switch f.Format {
		case "comtrade":
			err = in.Flows.ReadComtrade(strings.NewReader(f.Text), f.Name, sc.AsOf)
		case "baci":
			err = in.Flows.ReadBACI(strings.NewReader(f.Text), f.Name, codes, sc.AsOf)
		default:
			err = &problem.Error{Code: problem.Invalid, Field: "flows", Message: fmt.Sprintf("%s: format %q: want comtrade or baci", f.Name, f.Format)}
		}
		if err != nil {
			return store.Scan{}, inputProblem(err)
		}
	}
	for i, text := range sc.Measures {
		ms, err := monitor.ReadMeasures(strings.NewReader(text), sc.Names[i])
		if err != nil {
			return store.Scan{}, inputProblem(err)
		}
		in.Measures = append(in.Measures, ms...)
	}
	alerts, err := monitor.Scan(ctx, in, monitor.Options{AsOf: sc.AsOf, Detectors: sc.Detectors, Agreement: s.Agreement,
		Floors: floors, Catalog: catalog, Countries: codes, Progress: progress})
	if err != nil {
		return store.Scan{}, inputProblem(err)
	}
	return s.Store.PutScan(store.WithActing(ctx, who), store.Scan{AsOf: sc.AsOf.String(), Detectors: sc.Detectors, Source: sc.Source,
		Margin: sc.Margin, CreatedAt: who.At}, alerts)
}

// inputProblem is a reader's or a scan's error as a problem.Invalid error
// (a problem already is one).
func inputProblem(err error) error {
	var p *problem.Error
	if errors.As(err, &p) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return &problem.Error{Code: problem.Invalid, Message: err.Error()}
}
