package main

import (
	"context"
	"fmt"

	"github.com/mineralpact/mineralpact/internal/market"
)

func runSimulateGSIM(ctx context.Context, args []string, s streams) error {
	return runInstance(args, s, "simulate gsim", "GSIM instance file (JSON, docs/market.md)",
		func(path string, data []byte) (*market.GSIMResult, error) {
			g, err := market.DecodeGSIM(path, data)
			if err != nil {
				return nil, err
			}
			return market.SolveGSIM(g)
		}, gsimTable)
}

func gsimTable(s streams, r *market.GSIMResult) error {
	t := table{header: []string{"COUNTRY", "WORLD PRICE", "IMPORT PRICE", "PRODUCER SURPLUS", "CONSUMER SURPLUS", "TARIFF REVENUE", "WELFARE"}}
	for _, c := range r.Countries {
		t.add(c.ID, pct(c.WorldPriceChange), pct(c.CompositePriceChange), num(c.ProducerSurplus), num(c.ConsumerSurplus), num(c.TariffRevenue), num(c.Welfare))
	}
	return t.writeText(s.out)
}

func pct(x float64) string { return fmt.Sprintf("%+.4f%%", 100*x) }
