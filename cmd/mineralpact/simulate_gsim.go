package main

import (
	"context"
	"fmt"

	"github.com/mineralpact/mineralpact/internal/market"
)

func runSimulateGSIM(ctx context.Context, args []string, s streams) error {
	fs := newFlags("simulate gsim")
	path := fs.String("instance", "", "GSIM instance file (JSON, docs/market.md)")
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
	g, err := market.DecodeGSIM(*path, data)
	if err != nil {
		return err
	}
	r, err := market.SolveGSIM(g)
	if err != nil {
		return err
	}
	if f == "json" {
		return writeJSON(s.out, r)
	}
	t := table{header: []string{"COUNTRY", "WORLD PRICE", "IMPORT PRICE", "PRODUCER SURPLUS", "CONSUMER SURPLUS", "TARIFF REVENUE", "WELFARE"}}
	for _, c := range r.Countries {
		t.add(c.ID, pct(c.WorldPriceChange), pct(c.CompositePriceChange), num(c.ProducerSurplus), num(c.ConsumerSurplus), num(c.TariffRevenue), num(c.Welfare))
	}
	return t.writeText(s.out)
}

func pct(x float64) string { return fmt.Sprintf("%+.4f%%", 100*x) }
