package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/mineralpact/mineralpact/internal/auth"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/monitor"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/service"
	"github.com/mineralpact/mineralpact/internal/store"
)

// A monitor scan is a job of the simulation queue, like a long projects
// run, under the "monitor:" prefix: the secretariat posts the flows (inline
// CSV text, or a shipped data set) and the job stores the alerts it finds,
// screened against the dismissed cases, as the secretariat's token.

const (
	monitorRunPrefix = "monitor:"
	// maxMonitorScanRequest bounds a scan's body: inline files of a few
	// tens of megabytes (a year of a few lines' Comtrade extracts); a BACI
	// year is scanned from the command line.
	maxMonitorScanRequest = 64 << 20
)

// monitorDatasets are the shipped data sets a scan may name, under the data
// directory: flow files (Comtrade CSV) and measures files.
var monitorDatasets = map[string]struct{ flows, measures []string }{
	"china-exports": {flows: []string{"monitor/china-exports-comtrade.csv"}, measures: []string{"monitor/measures.csv"}},
}

// monitorScanRequest is the body of POST /v1/monitor/scans.
type monitorScanRequest struct {
	AsOf      string            `json:"as_of"`
	Detectors []string          `json:"detectors"`
	Dataset   string            `json:"dataset"`
	Flows     []scanFileRequest `json:"flows"`
	Measures  string            `json:"measures"`
	BACICodes string            `json:"baci_codes"`
	Margin    *float64          `json:"margin"`
}

type scanFileRequest struct {
	Name   string `json:"name"`
	Format string `json:"format"`
	Text   string `json:"text"`
}

// planScan checks a scan request and reads the data set it names.
func (s *Server) planScan(req monitorScanRequest) (service.Scan, error) {
	var sc service.Scan
	if req.AsOf == "" {
		return sc, &problem.Error{Code: problem.Invalid, Field: "as_of", Message: "as_of (YYYY-MM-DD) is required: no data after it is read"}
	}
	asOf, err := date.Parse(req.AsOf)
	if err != nil {
		return sc, &problem.Error{Code: problem.Invalid, Field: "as_of", BadValue: req.AsOf, Message: err.Error()}
	}
	sc.AsOf, sc.Detectors, sc.Margin = asOf, req.Detectors, monitor.DefaultMargin
	for i, d := range req.Detectors {
		if !slices.Contains(monitor.Detectors, d) {
			return sc, &problem.Error{Code: problem.Invalid, Field: fmt.Sprintf("detectors[%d]", i), BadValue: d, Message: "want one of " + strings.Join(monitor.Detectors, ", ")}
		}
	}
	if req.Margin != nil {
		if *req.Margin < 0 {
			return sc, &problem.Error{Code: problem.Invalid, Field: "margin", Message: "a share of 0 or more (0.25: 25%)"}
		}
		sc.Margin = *req.Margin
	}
	if req.Dataset == "" && len(req.Flows) == 0 {
		return sc, &problem.Error{Code: problem.Invalid, Field: "flows", Message: "name flow files (flows, inline CSV text) or a shipped data set (dataset: china-exports)"}
	}
	var names []string
	if req.Dataset != "" {
		ds, ok := monitorDatasets[req.Dataset]
		if !ok {
			return sc, &problem.Error{Code: problem.Invalid, Field: "dataset", BadValue: req.Dataset, Message: "want china-exports"}
		}
		if s.deps.Data == nil {
			return sc, problem.Errorf(unavailable, "no data directory configured: shipped data sets cannot be read")
		}
		for _, p := range ds.flows {
			b, err := fs.ReadFile(s.deps.Data, p)
			if err != nil {
				return sc, fmt.Errorf("data set %s: %w", req.Dataset, err)
			}
			sc.Files = append(sc.Files, service.ScanFile{Name: "data/" + p, Format: "comtrade", Text: string(b)})
		}
		for _, p := range ds.measures {
			b, err := fs.ReadFile(s.deps.Data, p)
			if err != nil {
				return sc, fmt.Errorf("data set %s: %w", req.Dataset, err)
			}
			sc.Measures, sc.Names = append(sc.Measures, string(b)), append(sc.Names, "data/"+p)
		}
		names = append(names, "dataset "+req.Dataset)
	}
	for i, f := range req.Flows {
		if f.Name == "" {
			f.Name = fmt.Sprintf("flows[%d]", i)
		}
		if f.Format != "comtrade" && f.Format != "baci" {
			return sc, &problem.Error{Code: problem.Invalid, Field: fmt.Sprintf("flows[%d].format", i), BadValue: f.Format, Message: "want comtrade or baci"}
		}
		if f.Format == "baci" && req.BACICodes == "" {
			return sc, &problem.Error{Code: problem.Invalid, Field: "baci_codes", Message: "a BACI file needs its country-code file's text (baci_codes)"}
		}
		sc.Files = append(sc.Files, service.ScanFile{Name: f.Name, Format: f.Format, Text: f.Text})
		names = append(names, f.Name)
	}
	if req.Measures != "" {
		sc.Measures, sc.Names = append(sc.Measures, req.Measures), append(sc.Names, "measures")
	}
	sc.BACICodes, sc.Source = req.BACICodes, strings.Join(names, " ")
	return sc, nil
}

// postMonitorScan queues a scan; the job stores its alerts. 202 with the
// run's place (Location).
func (s *Server) postMonitorScan(w http.ResponseWriter, r *http.Request) {
	if s.deps.Store == nil || s.deps.Simulations == nil {
		writeError(w, r, problem.Errorf(unavailable, "a scan is a job of the simulation queue that stores its alerts: it needs a store and the queue"))
		return
	}
	body, err := readBody(w, r, maxMonitorScanRequest)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var req monitorScanRequest
	if err := decodeStrict(body, &req); err != nil {
		writeError(w, r, err)
		return
	}
	sc, err := s.planScan(req)
	if err != nil {
		writeError(w, r, err)
		return
	}
	actor := auth.From(r.Context()).Actor()
	// The request is kept without the files' text: the stored alerts and the
	// scan row say what was found.
	req.Flows = nil
	for i := range sc.Files {
		req.Flows = append(req.Flows, scanFileRequest{Name: sc.Files[i].Name, Format: sc.Files[i].Format})
	}
	req.Measures, req.BACICodes = "", ""
	kept, _ := json.Marshal(req)
	now := time.Now().UTC() // the adapter's clock, never an engine's
	sim := store.Simulation{ID: newSimulationID(), Status: store.SimulationQueued, Scenario: monitorRunPrefix + "scan " + sc.Source,
		AgreementHash: s.hash, Request: kept, CreatedAt: now, UpdatedAt: now}
	sim, err = s.deps.Simulations.SubmitWork(r.Context(), sim, func(ctx context.Context, progress func(int, int)) ([]byte, []byte, error) {
		out, err := s.deps.RunScan(ctx, sc, store.Acting{Actor: actor, At: time.Now().UTC()}, progress)
		if err != nil {
			return nil, nil, err
		}
		res, err := json.Marshal(out)
		return res, res, err
	})
	writeQueued(w, r, err, "/v1/monitor/scans/"+sim.ID, func() any { return prefixedRunOf(sim, monitorRunPrefix) })
}

// prefixedRun is a queued run of another engine than the market (a
// projects run, a monitor scan) as the API reports it: a job of the
// simulation queue, named by its run (its scenario without the prefix).
type prefixedRun struct {
	jobBody
	Run string `json:"run"`
}

func prefixedRunOf(sim store.Simulation, prefix string) prefixedRun {
	return prefixedRun{jobBody: jobOf(sim), Run: strings.TrimPrefix(sim.Scenario, prefix)}
}

// getPrefixedRun answers the queued run of the path's id if it is one of
// prefix's (what names it in errors).
func (s *Server) getPrefixedRun(w http.ResponseWriter, r *http.Request, prefix, what string) {
	sim, err := s.queuedRun(r, "run")
	if err == nil && !strings.HasPrefix(sim.Scenario, prefix) {
		err = &problem.Error{Code: problem.NotFound, Field: "id", Message: fmt.Sprintf("no %s %q", what, sim.ID)}
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, prefixedRunOf(sim, prefix))
}

// getMonitorScan answers a queued scan; once done its result is the
// stored scan (id and counts).
func (s *Server) getMonitorScan(w http.ResponseWriter, r *http.Request) {
	s.getPrefixedRun(w, r, monitorRunPrefix, "monitor scan")
}
