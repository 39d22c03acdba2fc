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
	"github.com/mineralpact/mineralpact/internal/monitor"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/registry"
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
	codes := registryCodes(env.reg)
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
		codes.Add(registryList(env.reg)...) // alpha-2 codes of areas BACI leaves without one
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
	for _, f := range o.declarations {
		ds, err := readDeclarationsFile(ctx, env, f, asOf)
		if err != nil {
			return err
		}
		in.Declarations = append(in.Declarations, ds...)
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
		Floors:  &floorSource{reg: env.reg, floors: env.floors(), entry: env.agreement.EntryIntoForce, currency: env.agreement.Currency, cache: map[floorKey]floorHit{}},
		Catalog: &catalog{reg: env.reg}, Countries: codes, Progress: sp.step, Thresholds: o.th,
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
	line := strings.ToLower(strings.TrimPrefix(string(head), "\ufeff"))
	if i := strings.IndexAny(line, "\r\n"); i >= 0 {
		line = line[:i]
	}
	line = strings.ReplaceAll(strings.ReplaceAll(line, `"`, ""), " ", "")
	switch {
	case line == "t,i,j,k,v,q":
		// A BACI row is 30 to 46 bytes: room for the rows the size allows,
		// so that the cells are not copied as they grow.
		if st, err := file.Stat(); err == nil {
			f.Grow(int(st.Size() / 32))
		}
		err = f.ReadBACI(br, path, codes, asOf)
	case strings.Contains(line, "reporteriso") && strings.Contains(line, "period"):
		err = f.ReadComtrade(br, path, asOf)
	default:
		return &problem.Error{Code: problem.Invalid, Field: "flows", Message: fmt.Sprintf("%s: row 1: not a Comtrade CSV (a header with period, reporterISO, partnerISO, flowCode, cmdCode, primaryValue, netWgt) nor a BACI file (t,i,j,k,v,q)", path)}
	}
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

// registryCodes is the registry's countries as a code list (ISO numeric
// codes, as BACI mostly uses them, and alpha-2 for alpha-3).
func registryCodes(reg *registry.Registry) monitor.CountryCodes {
	return monitor.NewCountryCodes(registryList(reg))
}

func registryList(reg *registry.Registry) []monitor.Country {
	var list []monitor.Country
	for _, c := range reg.Countries() {
		n, _ := strconv.Atoi(c.Numeric)
		list = append(list, monitor.Country{Code: n, Name: c.Name, ISO2: c.Alpha2, ISO3: c.Alpha3})
	}
	return list
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

// floorSource gives the price detectors the published floor of an HS line
// per kg of contained mineral: the floors as duty reads them (published in
// process), the registry's HS map for the mineral, stage and content, and
// its units.
type floorSource struct {
	reg      *registry.Registry
	floors   *refprice.InProcess
	entry    date.Date
	currency string
	cache    map[floorKey]floorHit
}

type floorKey struct {
	hs string
	on date.Date
}

type floorHit struct {
	f  monitor.LineFloor
	ok bool
}

func (s *floorSource) FloorPerKg(hs string, on date.Date) (monitor.LineFloor, bool, error) {
	if on.Before(s.entry) || s.currency != "USD" {
		return monitor.LineFloor{}, false, nil
	}
	k := floorKey{hs, on}
	if h, ok := s.cache[k]; ok {
		return h.f, h.ok, nil
	}
	h := floorHit{}
	lines, err := s.reg.Classify(hs)
	if err == nil && len(lines) > 0 {
		l := lines[0]
		if f, err := s.floors.Floor(l.Mineral, string(l.Stage), on); err == nil {
			if u, err := s.reg.Unit(f.Unit); err == nil && u.PerKg.Float64() > 0 {
				per := f.Price.Float64() / u.PerKg.Float64()
				h = floorHit{f: monitor.LineFloor{Mineral: l.Mineral, Stage: string(l.Stage), Content: l.Content.Float64(), USDPerKg: per,
					Label: fmt.Sprintf("floor %s/%s from %s: %s %s/%s", l.Mineral, l.Stage, f.ValidFrom, f.Price, f.Currency, f.Unit)}, ok: true}
			}
		}
	}
	s.cache[k] = h
	return h.f, h.ok, nil
}

// catalog gives the routing and code-shift detectors the registry's HS map
// and the USGS MCS 2026 world production tables.
type catalog struct{ reg *registry.Registry }

func (c *catalog) Line(hs string) (string, string, float64, bool) {
	lines, err := c.reg.Classify(hs)
	if err != nil || len(lines) == 0 {
		return "", "", 0, false
	}
	return lines[0].Mineral, string(lines[0].Stage), lines[0].Content.Float64(), true
}

func (c *catalog) Production(mineral, iso2 string) (float64, string, bool) {
	com, err := c.reg.MCS(mineral)
	if err != nil || com == nil {
		return 0, "", false
	}
	for _, row := range com.World {
		code, ok := c.reg.CountryCode(row.Country)
		if !ok || code != iso2 {
			continue
		}
		fig, year := row.Prod2025, "2025e"
		if !fig.Known {
			fig, year = row.Prod2024, "2024"
		}
		if !fig.Known {
			continue
		}
		t := fig.Value.Float64()
		unit := strings.ToLower(row.Unit)
		switch {
		case strings.HasPrefix(unit, "kilograms"):
			t /= 1000
		case strings.HasPrefix(unit, "thousand metric tons"):
			t *= 1000
		}
		return t, fmt.Sprintf("USGS MCS 2026, %s, %s %s (%s)", com.Name, row.Table, year, row.Unit), true
	}
	return 0, "", false
}
