package main

import (
	"context"
	"flag"
	"fmt"
	"slices"

	"github.com/mineralpact/mineralpact/internal/ownership"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// ownershipScreenOptions are `ownership screen`: the screening decision on
// one facility (with its triggers and paths), or on every facility that
// lies in a party and has a non-party interest or controller.
type ownershipScreenOptions struct {
	files     filesOption
	facility  string
	agreement string
	all       bool
	asOf      dateOption
	format    formatOption
}

func (o *ownershipScreenOptions) bind(fs *flag.FlagSet) {
	ownershipFlag(fs, &o.files)
	fs.StringVar(&o.facility, "facility", "", "only this facility (its id: an ICMMID or a project id such as greenbushes), with its triggers and paths")
	fs.BoolVar(&o.all, "all", false, "list every facility, not only those with a non-party interest or controller")
	agreementFlag(fs, &o.agreement)
	o.asOf.bind(fs, "as-of", "date (YYYY-MM-DD) of the ownership and of the agreement in force")
	o.format.bind(fs, "table", "json")
}

func (o *ownershipScreenOptions) validate(pos []string) error {
	return firstError(noArgs(pos), o.files.validate(), o.format.validate(), o.asOf.validate())
}

func (o *ownershipScreenOptions) run(_ context.Context, s streams) error {
	sc, r, err := screenOf(o.files, o.agreement, o.asOf.date, s)
	if err != nil {
		return err
	}
	if o.facility != "" {
		f, ok := r.Find(o.facility)
		if !ok {
			return &problem.Error{Code: problem.NotFound, Field: "facility", Message: fmt.Sprintf("no facility or entity %q in the ownership files", o.facility)}
		}
		d := sc.Facility(f)
		if o.format.name == "json" {
			return writeJSON(s.out, d)
		}
		writeDecision(s, d)
		return nil
	}
	var out []ownership.Decision
	targets := r.Facilities()
	if len(targets) == 0 {
		// A register without facilities (a BODS package): every entity is
		// screened in its jurisdiction.
		for i := range r.Nodes {
			if r.Nodes[i].Kind == ownership.Entity {
				targets = append(targets, i)
			}
		}
	}
	for _, f := range targets {
		d := sc.Facility(f)
		if o.all || d.NonParty.Max > 0 || (d.CtlClass.NonPartyClass()) || d.Decision != "" {
			out = append(out, d)
		}
	}
	// The weightiest decisions first, then the largest non-party interest.
	slices.SortStableFunc(out, func(a, b ownership.Decision) int {
		if ra, rb := a.Decision.Rank(), b.Decision.Rank(); ra != rb {
			return rb - ra
		}
		switch {
		case a.NonParty.Max > b.NonParty.Max:
			return -1
		case a.NonParty.Max < b.NonParty.Max:
			return 1
		}
		return 0
	})
	if o.format.name == "json" {
		if out == nil {
			out = []ownership.Decision{}
		}
		return writeJSON(s.out, out)
	}
	t := table{header: []string{"facility", "name", "country", "party", "mineral", "stage", "non-party", "controller", "rule", "decision"}}
	if forPeople(s, o.format.name) {
		t.header = upper(t.header)
	}
	for _, d := range out {
		ctl := d.Controller
		if ctl != "" {
			ctl += " (" + string(d.CtlClass) + ")"
		}
		t.add(d.Facility, d.Name, d.Country, orDash(d.Party), d.Mineral, d.Stage, ownPct(d.NonParty.Min, d.NonParty.Max), orDash(ctl), orDash(d.Rule), orDash(string(d.Decision)))
	}
	return t.write(s)
}

// writeDecision prints one facility's decision, each trigger with its paths.
func writeDecision(s streams, d ownership.Decision) {
	fmt.Fprintf(s.out, "facility %s (%s), %s, %s at stage %s\n", d.Facility, d.Name, d.Country, d.Mineral, d.Stage)
	fmt.Fprintf(s.out, "non-party interest %s, non-party government %s", ownPct(d.NonParty.Min, d.NonParty.Max), ownPct(d.Government.Min, d.Government.Max))
	if d.Controller != "" {
		fmt.Fprintf(s.out, ", controlled by %s (%s)", d.Controller, d.CtlClass)
	}
	fmt.Fprintln(s.out)
	if d.Note != "" {
		fmt.Fprintln(s.out, d.Note)
		return
	}
	dec := string(d.Decision)
	if dec == "" {
		dec = "none"
	}
	fmt.Fprintf(s.out, "party %s, rule %s (%s): decision %s\n", d.Party, d.Rule, d.Basis, dec)
	for _, t := range d.Triggers {
		possible := ""
		if t.Possible {
			possible = " (possible: only at the upper bounds; not counted)"
		}
		fmt.Fprintf(s.out, "- %s: %s %s, %s — %s%s\n", t.Kind, t.Holder, ownPct(t.Interest.Min, t.Interest.Max), t.Level, t.Threshold, possible)
		for _, p := range t.Paths {
			writePath(s, "    ", p)
		}
	}
}
