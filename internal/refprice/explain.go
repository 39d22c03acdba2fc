package refprice

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Explain writes the derivation of f for a person: what the floor is, the
// article that makes it law, every input with its source and date, and every
// step with its formula, so that anyone can recompute it by hand.
func Explain(w io.Writer, f *Floor) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Reference price of %s at stage %s (%s)\n", f.Mineral, f.Stage, f.Agreement)
	fmt.Fprintf(&b, "  %s %s per %s of contained %s, valid from %s", f.Price, f.Currency, f.Unit, f.Mineral, f.ValidFrom)
	if !f.ValidTo.IsZero() {
		fmt.Fprintf(&b, " until %s (exclusive)", f.ValidTo)
	} else {
		b.WriteString(" until further notice")
	}
	fmt.Fprintf(&b, "\n  method %s; data up to %s\n", f.Method, f.CutOff)
	if f.Rounding != nil {
		fmt.Fprintf(&b, "  published rounded %s from the exact price %s\n", f.Rounding, f.ExactPrice)
	}
	if f.Illustrative {
		b.WriteString("  ILLUSTRATIVE: computed from generated data, not published figures.\n")
	}
	if f.Backcast {
		b.WriteString("  BACKCAST: a date before the entry into force, computed with the rules as they entered into force.\n")
	}
	for _, p := range f.Provenance {
		if p.Quality == AfterCutOff {
			fmt.Fprintf(&b, "  AFTER THE CUT-OFF: %s released after %s, the only vintage shipped (a strict engine refuses this floor).\n", strings.Join(p.Inputs, ", "), f.CutOff)
		}
	}
	for _, p := range f.Provenance {
		fmt.Fprintf(&b, "  provenance: %s: %s\n", strings.ToUpper(strings.ReplaceAll(string(p.Quality), "_", " ")), strings.Join(p.Inputs, ", "))
	}
	if f.MarginalCost != "" {
		fmt.Fprintf(&b, "  marginal producer's cost: %s\n", f.MarginalCost)
	}
	if f.Basis.Article != "" {
		fmt.Fprintf(&b, "  legal basis: %s %s: %s\n", f.Basis.Article, f.Basis.Title, f.Basis.Text)
	}
	if f.Band != nil {
		fmt.Fprintf(&b, "  band: floor %s, ceiling %s; lower sector below %s, upper sector from %s\n", f.Band.Floor, f.Band.Ceiling, f.Band.LowerTop, f.Band.UpperBottom)
	}
	b.WriteString("\nInputs\n")
	for _, in := range f.Inputs {
		fmt.Fprintf(&b, "  - %s = %s %s", in.Name, in.Value, in.Unit)
		if in.Date != "" {
			fmt.Fprintf(&b, " [%s]", in.Date)
		}
		switch {
		case in.Quality != "" && in.Released != "":
			fmt.Fprintf(&b, " (%s; released %s)", strings.ReplaceAll(string(in.Quality), "_", " "), in.Released)
		case in.Quality != "":
			fmt.Fprintf(&b, " (%s)", strings.ReplaceAll(string(in.Quality), "_", " "))
		case in.Released != "":
			fmt.Fprintf(&b, " (released %s)", in.Released)
		}
		fmt.Fprintf(&b, "\n      source: %s\n", in.Source)
	}
	b.WriteString("\nSteps\n")
	for i, s := range f.Steps {
		fmt.Fprintf(&b, "  %d. %s: %s\n", i+1, s.Step, s.Formula)
		names := make([]string, 0, len(s.Inputs))
		for k := range s.Inputs {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			fmt.Fprintf(&b, "       %s = %s\n", k, s.Inputs[k])
		}
		fmt.Fprintf(&b, "     = %s\n", s.Output)
	}
	fmt.Fprintf(&b, "\ninputs sha256 %s\n", f.InputsHash)
	_, err := io.WriteString(w, b.String())
	return err
}
