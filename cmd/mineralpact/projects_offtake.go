package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/projects"
)

// projectsOfftakeOptions are `projects offtake`: an offtake contract's value
// to the producer and the buyer, and the project's NPV distribution without
// and with it, under the agreement's floor.
type projectsOfftakeOptions struct {
	oneProject
	contract string
	format   formatOption
}

func (o *projectsOfftakeOptions) bind(fs *flag.FlagSet) {
	o.oneProject.bind(fs)
	fs.StringVar(&o.contract, "contract", "", "offtake contract file")
	o.format.bind(fs, "table", "json")
}

func (o *projectsOfftakeOptions) validate(pos []string) error {
	if o.project == "" || o.contract == "" {
		return usagef("--project ID and --contract FILE are required")
	}
	return firstError(noArgs(pos), o.projectsOptions.validate(), o.format.validate(), o.asOf.optional())
}

func (o *projectsOfftakeOptions) run(ctx context.Context, s streams) error {
	o.floorGiven = o.floor.set
	env, p, err := o.load(s)
	if err != nil {
		return err
	}
	pr, err := project(p, o.project)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(o.contract)
	if err != nil {
		return &problem.Error{Code: problem.Invalid, Message: fmt.Sprintf("contract: %v", err)}
	}
	c, err := projects.DecodeOfftake(o.contract, data, p)
	if err != nil {
		return err
	}
	if c.Project != pr.ID {
		return &problem.Error{Code: problem.Invalid, Field: "project", Message: fmt.Sprintf("contract %s is for project %s, not %s", c.ID, c.Project, pr.ID)}
	}
	v, err := o.value(ctx, s, env, p, c)
	if err != nil {
		return err
	}
	fl, ov := v.Floor, v.Offtake
	if fl.Source == "request" {
		fl.Source = "--floor"
	}
	paths, seed := o.paths.n, o.seed
	if m := v.Market; m != nil {
		paths, seed = m.Paths, m.Seed
	}
	out := struct {
		Pipeline       string     `json:"pipeline"`
		Illustrative   bool       `json:"illustrative"`
		Notice         string     `json:"notice,omitempty"`
		Project        string     `json:"project"`
		Contract       string     `json:"contract"`
		Kind           string     `json:"kind"`
		Floor          *floorUsed `json:"floor"`
		Paths          int        `json:"paths"`
		Seed           uint64     `json:"seed"`
		Rate           float64    `json:"discount_rate"`
		Without        npvSummary `json:"without_contract"`
		With           npvSummary `json:"with_contract"`
		Producer       float64    `json:"value_to_producer"`
		ProducerStdErr float64    `json:"value_to_producer_std_err"`
		Buyer          float64    `json:"value_to_buyer"`
	}{p.ID, p.Illustrative, notice(p), pr.ID, c.ID, c.Price.Kind, fl, paths, seed, v.Rate, ov.Without, ov.With, ov.Producer, ov.ProducerStdErr, ov.Buyer}
	if o.format.name == "json" {
		return writeJSON(s.out, out)
	}
	people := forPeople(s, "table")
	money := func(x float64) string { return fig(people, x, 0) }
	if out.Notice != "" {
		fmt.Fprintln(s.out, out.Notice)
	}
	fmt.Fprintf(s.out, "offtake %s (%s) on project %s; floor %s %s from %s; %s paths, seed %d; discount rate %s\n\n",
		c.ID, c.Price.Kind, pr.ID, fig(people, fl.Price, 2), fl.Unit, fl.Source, fig(people, float64(paths), 0), seed, pctFig(people, v.Rate))
	t := &table{header: []string{"figure", "without contract", "with contract"}, right: []int{1, 2}}
	for _, r := range []struct {
		name string
		a, b float64
	}{{"NPV mean", out.Without.Mean, out.With.Mean}, {"NPV P5", out.Without.P5, out.With.P5}, {"NPV P50", out.Without.P50, out.With.P50}, {"NPV P95", out.Without.P95, out.With.P95}} {
		t.add(r.name, money(r.a), money(r.b))
	}
	t.add("P(hurdle)", pctFig(people, out.Without.PClear), pctFig(people, out.With.PClear))
	if err := t.write(s); err != nil {
		return err
	}
	_, err = fmt.Fprintf(s.out, "\nvalue to the producer (E[NPV with] − E[NPV without]): %s (standard error %s)\nvalue to the buyer (before its tax): %s\n", money(out.Producer), money(out.ProducerStdErr), money(out.Buyer))
	return err
}
