package main

import (
	"context"
	"flag"
	"strconv"

	"github.com/mineralpact/mineralpact/internal/ownership"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// ownershipInterestsOptions are `ownership interests`: the effective
// interest of every holder in every entity and facility on a date, and
// every controller, for checking against an independent computation.
type ownershipInterestsOptions struct {
	files  filesOption
	asOf   dateOption
	format formatOption
}

func (o *ownershipInterestsOptions) bind(fs *flag.FlagSet) {
	ownershipFlag(fs, &o.files)
	o.asOf.bind(fs, "as-of", "date (YYYY-MM-DD) of the interests")
	o.format.bind(fs, "table", "json", "csv")
}

func (o *ownershipInterestsOptions) validate(pos []string) error {
	return firstError(noArgs(pos), o.files.validate(), o.format.validate(), o.asOf.validate())
}

// interestRow is one holder's effective interest in one subject (fractions).
type interestRow struct {
	Holder  string  `json:"holder"`
	Subject string  `json:"subject"`
	Min     float64 `json:"min"`
	Max     float64 `json:"max"`
}

// controlRow is one controlled node: its ultimate controller and why, or
// its possible controller (at the upper bounds only).
type controlRow struct {
	Subject    string   `json:"subject"`
	Controller string   `json:"controller,omitzero"`
	Via        []string `json:"via,omitzero"` // the direct holders whose votes or board right carry the control
	Basis      string   `json:"basis,omitzero"`
	Possible   string   `json:"possible,omitzero"`
}

type interestsResult struct {
	AsOf        string        `json:"as_of"`
	Interests   []interestRow `json:"interests"`
	Controllers []controlRow  `json:"controllers"`
	Warnings    []string      `json:"warnings,omitzero"`
}

func (o *ownershipInterestsOptions) run(_ context.Context, s streams) error {
	reg, err := registry.Default()
	if err != nil {
		return err
	}
	r, err := loadRegister(o.files, reg, s)
	if err != nil {
		return err
	}
	x, err := ownership.Effective(r, o.asOf.date)
	if err != nil {
		return err
	}
	ctl := ownership.Controllers(r, o.asOf.date)
	res := interestsResult{AsOf: o.asOf.date.String(), Interests: []interestRow{}, Controllers: []controlRow{}}
	for _, w := range r.Warnings {
		res.Warnings = append(res.Warnings, w.Error())
	}
	for j := range r.Nodes {
		for _, h := range x.Of(j) {
			res.Interests = append(res.Interests, interestRow{Holder: r.Nodes[h.Holder].ID, Subject: r.Nodes[j].ID, Min: h.Low, Max: h.High})
		}
		c := controlRow{Subject: r.Nodes[j].ID, Basis: ctl.Basis[j]}
		if u := ctl.Controller[j]; u >= 0 {
			c.Controller = r.Nodes[u].ID
			for _, v := range ctl.Via(j) {
				c.Via = append(c.Via, r.Nodes[v].ID)
			}
		}
		if u := ctl.Possible[j]; u >= 0 {
			c.Possible = r.Nodes[u].ID
		}
		if c.Controller != "" || c.Possible != "" {
			res.Controllers = append(res.Controllers, c)
		}
	}
	if o.format.name == "json" {
		return writeJSON(s.out, res)
	}
	t := table{header: []string{"holder", "subject", "min", "max"}, right: []int{2, 3}}
	if forPeople(s, o.format.name) {
		t.header = upper(t.header)
	}
	for _, i := range res.Interests {
		t.add(i.Holder, i.Subject, strconv.FormatFloat(i.Min, 'g', 17, 64), strconv.FormatFloat(i.Max, 'g', 17, 64))
	}
	if o.format.name == "csv" {
		return t.writeCSV(s.out)
	}
	return t.write(s)
}
