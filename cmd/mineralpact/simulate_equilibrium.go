package main

import (
	"context"
	"fmt"
	"os"

	"github.com/mineralpact/mineralpact/internal/market"
	"github.com/mineralpact/mineralpact/internal/problem"
)

func runSimulateEquilibrium(ctx context.Context, args []string, s streams) error {
	return runInstance(args, s, "simulate equilibrium", "instance file (JSON, docs/market.md)",
		func(path string, data []byte) (*market.Equilibrium, error) {
			in, err := market.DecodeInstance(path, data)
			if err != nil {
				return nil, err
			}
			return market.Solve(in)
		}, equilibriumTable)
}

// runInstance is what the instance commands share: read the --instance file,
// decode and solve it, and write the answer as JSON or as a table.
func runInstance[R any](args []string, s streams, name, what string, solve func(path string, data []byte) (R, error), writeTable func(streams, R) error) error {
	fs := newFlags(name)
	path := fs.String("instance", "", what)
	format := formatFlag(fs, "table", "json")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q (name the instance with --instance)", pos[0])
	}
	f, err := chooseFormat(*format, "table", "json")
	if err != nil {
		return err
	}
	if *path == "" {
		return usagef("--instance is required")
	}
	data, err := readInstance(*path)
	if err != nil {
		return err
	}
	r, err := solve(*path, data)
	if err != nil {
		return err
	}
	if f == "json" {
		return writeJSON(s.out, r)
	}
	return writeTable(s, r)
}

// readInstance reads an instance file, reporting a missing file as invalid
// input.
func readInstance(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: path}, Message: "cannot read instance file", Err: err}
	}
	return data, nil
}

func equilibriumTable(s streams, eq *market.Equilibrium) error {
	f := simFigures{human: s.outTTY}
	fmt.Fprintf(s.out, "spatial equilibrium (%s per %s); residuals ok: %v\n\n", eq.Currency, eq.Unit, eq.Check.OK)
	rt := table{header: []string{"REGION", "PRICE", "PRODUCER PRICE", "CONSUMPTION", "PRODUCTION", "IMPORTS", "EXPORTS", "CS", "PS", "TARIFF REV", "FLOOR LEVY", "WELFARE"}}
	for _, r := range eq.Regions {
		rt.add(r.ID, f.instance(r.Price), f.instance(r.ProducerPrice), f.instance(r.Consumption), f.instance(r.Production), f.instance(r.Imports), f.instance(r.Exports),
			f.instance(r.ConsumerSurplus), f.instance(r.ProducerSurplus), f.instance(r.TariffRevenue.Specific+r.TariffRevenue.AdValorem), f.instance(r.TariffRevenue.FloorLevy), f.instance(r.Welfare))
	}
	if err := rt.writeText(s.out); err != nil {
		return err
	}
	fmt.Fprintln(s.out)
	ft := table{header: []string{"FROM", "TO", "QUANTITY", "BORDER PRICE", "SPECIFIC", "AD VALOREM", "FLOOR LEVY", "LANDED"}}
	for _, fl := range eq.Flows {
		ft.add(fl.From, fl.To, f.instance(fl.Quantity), f.instance(fl.BorderPrice), f.instance(fl.Specific), f.instance(fl.AdValorem), f.instance(fl.FloorLevy), f.instance(fl.LandedPrice))
	}
	if err := ft.writeText(s.out); err != nil {
		return err
	}
	c := eq.Check
	fmt.Fprintf(s.out, "\nresiduals: clearing %.3g, supply %.3g, demand %.3g, arbitrage %.3g, tightness %.3g, producers %.3g (tolerance %.0e relative)\n",
		c.MarketClearing, c.SupplyBalance, c.Demand, c.Arbitrage, c.Tightness, c.Producers, c.Tolerance)
	return nil
}
