package main

import (
	"context"

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
	f := simFigures{human: s.outTTY}
	t := table{header: []string{"COUNTRY", "WORLD PRICE", "IMPORT PRICE", "PRODUCER SURPLUS", "CONSUMER SURPLUS", "TARIFF REVENUE", "WELFARE"}}
	for _, c := range r.Countries {
		t.add(c.ID, f.pct(c.WorldPriceChange), f.pct(c.CompositePriceChange), f.instance(c.ProducerSurplus), f.instance(c.ConsumerSurplus), f.instance(c.TariffRevenue), f.instance(c.Welfare))
	}
	return t.writeText(s.out)
}
