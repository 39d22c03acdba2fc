package market

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// maxMagnitude bounds every number of an instance, so that sums and squares
// stay far from overflow.
const maxMagnitude = 1e12

// DecodeInstance reads an instance strictly (unknown fields and trailing data
// are errors) and validates it, reporting every problem with its field path.
// name is the file name used in messages.
func DecodeInstance(name string, data []byte) (*Instance, error) {
	var in Instance
	if err := decodeStrict(name, data, &in); err != nil {
		return nil, err
	}
	if err := in.Validate(name); err != nil {
		return nil, err
	}
	return &in, nil
}

// decodeStrict decodes one JSON value into v, rejecting unknown fields and
// anything after the value.
func decodeStrict(name string, data []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: name}, Message: "cannot decode: " + jsonMessage(err, data)}
	}
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		return &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: name}, Message: "cannot decode: data after the top-level value"}
	}
	return nil
}

// jsonMessage renders a decoding error with the line it happened on.
func jsonMessage(err error, data []byte) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	off := int64(-1)
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
		return fmt.Sprintf("line %d: %s: want %s, got %s", lineOf(data, off), te.Field, te.Type, te.Value)
	}
	if off >= 0 {
		return fmt.Sprintf("line %d: %v", lineOf(data, off), err)
	}
	return err.Error()
}

func lineOf(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return 1 + bytes.Count(data[:off], []byte("\n"))
}

// Validate checks the instance and returns every problem found as a
// problem.List, or nil.
func (in *Instance) Validate(name string) error {
	var l problem.List
	pos := problem.Pos{File: name}
	add := func(field, format string, args ...any) { l.Add(pos, field, format, args...) }
	num := func(field string, x float64) bool {
		if math.IsNaN(x) || math.Abs(x) > maxMagnitude {
			add(field, "must be at most %g in magnitude", maxMagnitude)
			return false
		}
		return true
	}
	nonneg := func(field string, x float64) {
		if num(field, x) && x < 0 {
			add(field, "must be ≥ 0, got %g", x)
		}
	}
	if in.Currency == "" {
		add("currency", "required (an ISO 4217 code such as USD)")
	}
	if in.Unit == "" {
		add("unit", "required (the unit of quantity, such as t)")
	}
	if len(in.Regions) == 0 {
		add("regions", "at least one region is required")
	}
	region := map[string]int{}
	for i, r := range in.Regions {
		f := fmt.Sprintf("regions[%d]", i)
		switch {
		case r.ID == "":
			add(f+".id", "required")
		case r.ID == "*":
			add(f+".id", `"*" is reserved for "every exporter"`)
		default:
			if j, dup := region[r.ID]; dup {
				add(f+".id", "duplicate of regions[%d].id %q", j, r.ID)
			} else {
				region[r.ID] = i
			}
		}
		validateDemand(f+".demand", r.Demand, add, num)
	}
	known := func(field, id string) bool {
		if _, ok := region[id]; !ok {
			if id == "" {
				add(field, "required")
			} else {
				add(field, "unknown region %q", id)
			}
			return false
		}
		return true
	}
	prod := map[string]int{}
	for i, p := range in.Producers {
		f := fmt.Sprintf("producers[%d]", i)
		if p.ID == "" {
			add(f+".id", "required")
		} else if j, dup := prod[p.ID]; dup {
			add(f+".id", "duplicate of producers[%d].id %q", j, p.ID)
		} else {
			prod[p.ID] = i
		}
		known(f+".region", p.Region)
		nonneg(f+".capacity", p.Capacity)
		nonneg(f+".unit_cost", p.UnitCost)
	}
	type pair struct{ a, b string }
	routes := map[pair]int{}
	for i, t := range in.Transport {
		f := fmt.Sprintf("transport[%d]", i)
		okF, okT := known(f+".from", t.From), known(f+".to", t.To)
		nonneg(f+".cost", t.Cost)
		if okF && okT {
			if t.From == t.To {
				add(f+".to", "a region supplies itself at no cost; leave the pair %q → %q out", t.From, t.To)
			} else if j, dup := routes[pair{t.From, t.To}]; dup {
				add(f, "duplicate of transport[%d] (%s → %s)", j, t.From, t.To)
			} else {
				routes[pair{t.From, t.To}] = i
			}
		}
	}
	tariffs := map[pair]int{}
	for i, t := range in.Tariffs {
		f := fmt.Sprintf("tariffs[%d]", i)
		okI := known(f+".importer", t.Importer)
		okE := t.Exporter == "*" || known(f+".exporter", t.Exporter)
		nonneg(f+".specific", t.Specific)
		nonneg(f+".ad_valorem", t.AdValorem)
		if num(f+".ad_valorem", t.AdValorem) && t.AdValorem > 100 {
			add(f+".ad_valorem", "must be a fraction (0.05 for 5%%) at most 100, got %g", t.AdValorem)
		}
		if okI && okE {
			if t.Importer == t.Exporter {
				add(f+".exporter", "a region levies no tariff on itself")
			} else if j, dup := tariffs[pair{t.Importer, t.Exporter}]; dup {
				add(f, "duplicate of tariffs[%d] (importer %s, exporter %s)", j, t.Importer, t.Exporter)
			} else {
				tariffs[pair{t.Importer, t.Exporter}] = i
			}
		}
	}
	floors := map[string]int{}
	for i, fl := range in.Floors {
		f := fmt.Sprintf("floors[%d]", i)
		if known(f+".importer", fl.Importer) {
			if j, dup := floors[fl.Importer]; dup {
				add(f+".importer", "duplicate of floors[%d] for %s", j, fl.Importer)
			} else {
				floors[fl.Importer] = i
			}
		}
		nonneg(f+".price", fl.Price)
		seen := map[string]bool{}
		for k, e := range fl.Exempt {
			fe := fmt.Sprintf("%s.exempt[%d]", f, k)
			if known(fe, e) {
				if seen[e] {
					add(fe, "duplicate exemption %q", e)
				}
				seen[e] = true
			}
		}
	}
	if len(l) == 0 {
		in.checkReachable(add)
	}
	return l.Err()
}

func validateDemand(f string, d Demand, add func(string, string, ...any), num func(string, float64) bool) {
	present := map[string]*float64{"intercept": d.Intercept, "slope": d.Slope, "ref_price": d.RefPrice, "ref_quantity": d.RefQuantity, "elasticity": d.Elasticity}
	var want []string
	switch d.Kind {
	case Linear:
		want = []string{"intercept", "slope"}
	case ConstantElasticity:
		want = []string{"ref_price", "ref_quantity", "elasticity"}
	case "":
		add(f+".kind", `required: "linear" or "constant_elasticity"`)
		return
	default:
		add(f+".kind", `must be "linear" or "constant_elasticity", got %q`, d.Kind)
		return
	}
	wanted := map[string]bool{}
	for _, w := range want {
		wanted[w] = true
		if present[w] == nil {
			add(f+"."+w, "required for kind %s", d.Kind)
		}
	}
	for _, k := range []string{"intercept", "slope", "ref_price", "ref_quantity", "elasticity"} {
		if present[k] != nil && !wanted[k] {
			add(f+"."+k, "not a field of kind %s", d.Kind)
		}
	}
	check := func(k string, ok func(float64) bool, msg string) {
		if p := present[k]; p != nil && wanted[k] && num(f+"."+k, *p) && !ok(*p) {
			add(f+"."+k, "%s, got %g", msg, *p)
		}
	}
	check("intercept", func(x float64) bool { return x >= 0 }, "must be ≥ 0")
	check("slope", func(x float64) bool { return x > 0 }, "must be > 0")
	check("ref_price", func(x float64) bool { return x > 0 }, "must be > 0")
	check("ref_quantity", func(x float64) bool { return x > 0 }, "must be > 0")
	check("elasticity", func(x float64) bool { return x < 0 && x >= -100 }, "must be < 0 (and ≥ −100)")
}

// checkReachable reports constant-elasticity regions that no producer with
// capacity can supply: their demand is positive at every price, so no
// equilibrium exists.
func (in *Instance) checkReachable(add func(string, string, ...any)) {
	has := map[string]bool{}
	for _, p := range in.Producers {
		if p.Capacity > 0 {
			has[p.Region] = true
		}
	}
	for i, r := range in.Regions {
		if r.Demand.Kind != ConstantElasticity || has[r.ID] {
			continue
		}
		ok := false
		for _, t := range in.Transport {
			if t.To == r.ID && has[t.From] {
				ok = true
				break
			}
		}
		if !ok {
			add(fmt.Sprintf("regions[%d].demand", i), "constant-elasticity demand is positive at every price, but no producer with capacity can reach %s", r.ID)
		}
	}
}
