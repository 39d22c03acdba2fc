package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/mineralpact/mineralpact/internal/monitor"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// monitorScanOptions are `monitor scan`: trade flows (Comtrade, BACI) and
// assessed declarations scanned for circumvention, transshipment,
// grey-market and undertaking-breach patterns (docs/monitor.md), each
// alert with the numbers that prove it and the article it concerns.
type monitorScanOptions struct {
	flows        filesOption
	baciCodes    string
	declarations filesOption
	measureFiles filesOption
	measures     filesOption
	detectors    filesOption
	agreement    string
	asOf         dateOption
	format       formatOption
	out          string
	th           monitor.Thresholds
}

var runMonitorScan = runVerb[monitorScanOptions]()

func (o *monitorScanOptions) bind(fs *flag.FlagSet) {
	fs.Var(&o.flows, "flows", "a trade-flow file: a UN Comtrade CSV or a CEPII BACI CSV (found from its header); repeat for several")
	fs.StringVar(&o.baciCodes, "baci-codes", "", "BACI's country-code file (country_codes_V2024xx.csv); without it, the registry's ISO numeric codes")
	fs.Var(&o.declarations, "declarations", "declarations: the CSV or JSON Lines `mineralpact assess` writes (with exporter_id and accepted_on where known), or a declarations file, assessed here; repeat for several")
	fs.Var(&o.measureFiles, "measures", "a measures file (name,effective,hs,importers,exporters,basis,source), e.g. data/monitor/measures.csv; repeat for several")
	fs.Var(&o.measures, "measure", "a measure: name=YYYY-MM-DD[:hs,...]; repeat for several")
	fs.Var(&o.detectors, "detector", "a detector to run: "+strings.Join(monitor.Detectors, ", ")+"; repeat for several (default: all)")
	agreementFlag(fs, &o.agreement)
	o.asOf.bind(fs, "as-of", "date (YYYY-MM-DD) of the scan: no data after it is read, the agreement is taken as in force on it")
	o.format.bind(fs, "table", "json", "jsonl")
	outFlag(fs, &o.out)
	t := &o.th
	fs.Float64Var(&t.CIFFOB, "cif-fob", 0, "CIF/FOB factor of the mirror gaps (default 1.06, as the IMF's DOTS)")
	fs.Float64Var(&t.MirrorZ, "mirror-z", 0, "modified z-score past which a mirror ratio is out of the pair's band (default 3.5)")
	fs.Float64Var(&t.MirrorMinGap, "mirror-min-gap", 0, "smallest relative mirror gap against the pair's median ratio (default 0.25)")
	fs.Float64Var(&t.SurgeT, "surge-t", 0, "break test |t| of a surge in a monthly series (default 5)")
	fs.Float64Var(&t.SurgeTAnnual, "surge-t-annual", 0, "break test |t| of a surge in a yearly series (default 3.5)")
	fs.Float64Var(&t.SurgeRatio, "surge-ratio", 0, "factor by which a monthly level moves for a surge (default 2)")
	fs.Float64Var(&t.SurgeRatioAnnual, "surge-ratio-annual", 0, "factor by which a yearly level moves for a surge (default 3)")
	fs.Float64Var(&t.MinValue, "min-value", 0, "smallest flow that counts, USD per period (default 10000)")
	fs.IntVar(&t.MinPointsMonthly, "min-months", 0, "fewest months with data for a monthly series to be judged (default 24)")
	fs.IntVar(&t.MinPointsAnnual, "min-years", 0, "fewest years with data for a yearly series to be judged (default 6)")
	fs.IntVar(&t.MeasureWindowMonths, "measure-window", 0, "months within which a break is tied to a measure (default 6)")
	fs.Float64Var(&t.PriceMinShare, "price-share", 0, "share of an exporter's declarations below the floor to flag it (default 0.5)")
	fs.IntVar(&t.PriceMinCount, "price-count", 0, "fewest declarations below the floor to flag an exporter (default 3)")
	fs.Float64Var(&t.UndertakingShare, "undertaking-share", 0, "share of an exporter's declarations below its undertaking's minimum to flag a breach (default 0.2)")
	fs.IntVar(&t.UndertakingWindowMonths, "undertaking-window", 0, "months up to the as-of date over which undertakings are checked (default 6)")
}

func (o *monitorScanOptions) validate(pos []string) error {
	if err := firstError(noArgs(pos), o.format.validate(), o.asOf.validate()); err != nil {
		return err
	}
	if len(o.flows) == 0 && len(o.declarations) == 0 {
		return usagef("--flows FILE or --declarations FILE is required")
	}
	for _, d := range o.detectors {
		if !contains(monitor.Detectors, d) {
			return usagef("--detector %q: want one of %s", d, strings.Join(monitor.Detectors, ", "))
		}
	}
	for _, m := range o.measures {
		if _, err := monitor.ParseMeasure(m); err != nil {
			return usagef("--measure: %v", err)
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (o *monitorScanOptions) run(ctx context.Context, s streams) error {
	env, err := loadEnv(o.agreement)
	if err != nil {
		return err
	}
	asOf := o.asOf.date
	codes := monitor.RegistryCodes(env.reg)
	if o.baciCodes != "" {
		b, err := os.ReadFile(o.baciCodes)
		if err != nil {
			return &problem.Error{Code: problem.Invalid, Field: "baci-codes", Message: err.Error()}
		}
		bc, err := monitor.ReadBACICountryCodes(bytes.NewReader(b), o.baciCodes)
		if err != nil {
			return invalid(err)
		}
		codes = bc
		codes.Add(monitor.RegistryCodes(env.reg).List()...) // alpha-2 codes of areas BACI leaves without one
		codes.Add(bciOwn(bc)...)
	}
	in := &monitor.Input{Flows: monitor.NewFlows()}
	pr := newProgress(s, "reading flows", "MB")
	for _, f := range o.flows {
		if err := readFlowFile(in.Flows, f, codes, asOf, pr); err != nil {
			pr.done()
			return err
		}
	}
	pr.done()
	if len(o.declarations) > 0 {
		as, err := duty.New(env.agreement, env.reg, env.floors())
		if err != nil {
			return err
		}
		for _, f := range o.declarations {
			b, err := os.ReadFile(f)
			if err != nil {
				return &problem.Error{Code: problem.Invalid, Field: "declarations", Message: err.Error()}
			}
			ds, err := monitor.ReadDeclarationsAssessing(ctx, as, b, f, asOf)
			if err != nil {
				return invalid(err)
			}
			in.Declarations = append(in.Declarations, ds...)
		}
	}
	for _, f := range o.measureFiles {
		r, err := os.Open(f)
		if err != nil {
			return &problem.Error{Code: problem.Invalid, Field: "measures", Message: err.Error()}
		}
		ms, err := monitor.ReadMeasures(r, f)
		r.Close()
		if err != nil {
			return invalid(err)
		}
		in.Measures = append(in.Measures, ms...)
	}
	for _, m := range o.measures {
		md, _ := monitor.ParseMeasure(m)
		in.Measures = append(in.Measures, md)
	}
	sp := newProgress(s, "scanning", "steps")
	alerts, err := monitor.Scan(ctx, in, monitor.Options{
		AsOf: asOf, Detectors: o.detectors, Agreement: env.agreement,
		Floors:  monitor.PublishedFloorSource(env.reg, env.floors(), env.agreement.EntryIntoForce, env.agreement.Currency),
		Catalog: monitor.RegistryCatalog(env.reg), Countries: codes, Progress: sp.step, Thresholds: o.th,
	})
	sp.done()
	if err != nil {
		return err
	}
	w, err := openOut(o.out, s)
	if err != nil {
		return err
	}
	switch o.format.name {
	case "jsonl":
		err = monitor.WriteJSONL(w, alerts)
	case "json":
		if alerts == nil {
			alerts = []monitor.Alert{}
		}
		err = writeJSON(w, alerts)
	default:
		err = writeAlertTable(w, alerts)
	}
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(s.err, "%d alerts from %d flow rows (%d cells), %d declarations\n", len(alerts), in.Flows.Rows, in.Flows.Len(), len(in.Declarations))
	return nil
}

// invalid turns a reader's error into an input problem (exit 1).
func invalid(err error) error {
	var ie *monitor.InputError
	if errors.As(err, &ie) {
		return &problem.Error{Code: problem.Invalid, Message: ie.Error()}
	}
	return err
}

// readFlowFile reads one flow file, its format found from its header: BACI's
// t,i,j,k,v,q, or a Comtrade CSV (any header with period and reporterISO).
func readFlowFile(f *monitor.Flows, path string, codes monitor.CountryCodes, asOf date.Date, pr *progress) error {
	file, err := os.Open(path)
	if err != nil {
		return &problem.Error{Code: problem.Invalid, Field: "flows", Message: err.Error()}
	}
	defer file.Close()
	cr := &countingReader{r: file, pr: pr}
	br := bufio.NewReaderSize(cr, 1<<20)
	head, _ := br.Peek(4096)
	if monitor.DetectFormat(head) == "baci" {
		// A BACI row is 30 to 46 bytes: room for the rows the size allows,
		// so that the cells are not copied as they grow.
		if st, err := file.Stat(); err == nil {
			f.Grow(int(st.Size() / 32))
		}
	}
	err = f.ReadFlows(br, path, codes, asOf)
	if err != nil {
		return invalid(err)
	}
	return nil
}

// countingReader reports the bytes read as progress (rows are counted by
// the reader; bytes are what a terminal can show without a second pass).
type countingReader struct {
	r  io.Reader
	n  int64
	pr *progress
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	c.pr.count(c.n >> 20)
	return n, err
}

// bciOwn re-adds BACI's own entries, so that its numeric codes win over
// the registry's where both name one.
func bciOwn(bc monitor.CountryCodes) []monitor.Country { return bc.List() }

func writeAlertTable(w io.Writer, alerts []monitor.Alert) error {
	t := &table{header: []string{"SCORE", "DETECTOR", "IMPORTER", "EXPORTER", "VIA", "HS", "TO HS", "FROM", "TO", "MAGNITUDE", "UNIT", "MEASURE", "BASIS", "ID"}}
	for _, a := range alerts {
		m := ""
		if a.Measure != nil {
			m = a.Measure.Name + " " + a.Measure.Effective.String()
		}
		det := a.Detector
		if a.Direction == "down" {
			det += " (fall)"
		}
		t.rows = append(t.rows, []string{strconv.FormatFloat(a.Score, 'f', 2, 64), det, a.Importer, a.Exporter, a.Via, a.HS, a.ToHS,
			a.From.String(), a.To.String(), strconv.FormatFloat(a.Magnitude, 'f', 0, 64), a.Unit, m, a.Basis, a.ID})
	}
	return t.writeText(w)
}
