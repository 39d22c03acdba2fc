package main

import (
	"context"
	"flag"
	"strconv"

	"github.com/mineralpact/mineralpact/internal/registry"
)

// mineralsListOptions are `minerals list`: the critical minerals of a USGS
// list in the registry.
type mineralsListOptions struct {
	list   string
	format formatOption
}

func (o *mineralsListOptions) bind(fs *flag.FlagSet) {
	fs.StringVar(&o.list, "list", "2025", "which USGS list: 2025, 2022 or all")
	o.format.bind(fs, "table", "json", "csv")
}

func (o *mineralsListOptions) validate(pos []string) error {
	if err := firstError(noArgs(pos), o.format.validate()); err != nil {
		return err
	}
	if o.list != "2025" && o.list != "2022" && o.list != "all" {
		return usagef("--list %q: want 2025, 2022 or all", o.list)
	}
	return nil
}

func (o *mineralsListOptions) run(ctx context.Context, s streams) error {
	reg, err := registry.Default()
	if err != nil {
		return err
	}
	var ms []registry.Mineral
	for _, m := range reg.Minerals() {
		if o.list == "all" || (o.list == "2025" && m.On2025) || (o.list == "2022" && m.On2022) {
			ms = append(ms, m)
		}
	}
	if o.format.name == "json" {
		type row struct {
			ID     string `json:"id"`
			Name   string `json:"name"`
			Symbol string `json:"symbol,omitempty"`
			Group  string `json:"group,omitempty"`
			On2022 bool   `json:"on_2022_list"`
			On2025 bool   `json:"on_2025_list"`
			HS     int    `json:"hs_lines"`
		}
		rows := make([]row, len(ms))
		for i, m := range ms {
			rows[i] = row{m.ID, m.Name, m.Symbol, m.Group, m.On2022, m.On2025, len(reg.HSCodesFor(m.ID, ""))}
		}
		return writeJSON(s.out, rows)
	}
	t := table{header: []string{"id", "name", "symbol", "group", "on_2022_list", "on_2025_list", "hs_lines"}, right: []int{6}}
	if o.format.name == "table" {
		t.header = []string{"ID", "NAME", "SYMBOL", "GROUP", "2022", "2025", "HS LINES"}
	}
	for _, m := range ms {
		t.add(m.ID, m.Name, m.Symbol, m.Group, strconv.FormatBool(m.On2022), strconv.FormatBool(m.On2025), strconv.Itoa(len(reg.HSCodesFor(m.ID, ""))))
	}
	if o.format.name == "csv" {
		return t.writeCSV(s.out)
	}
	return t.write(s)
}
