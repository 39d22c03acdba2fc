package main

import (
	"context"
	"strconv"

	"github.com/mineralpact/mineralpact/internal/registry"
)

func runMineralsList(ctx context.Context, args []string, s streams) error {
	fs := newFlags("minerals list")
	list := fs.String("list", "2025", "which USGS list: 2025, 2022 or all")
	format := formatFlag(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usagef("takes no arguments")
	}
	f, err := chooseFormat(*format, "table", "json", "csv")
	if err != nil {
		return err
	}
	if *list != "2025" && *list != "2022" && *list != "all" {
		return usagef("--list %q: want 2025, 2022 or all", *list)
	}
	reg, err := registry.Default()
	if err != nil {
		return err
	}
	var ms []registry.Mineral
	for _, m := range reg.Minerals() {
		if *list == "all" || (*list == "2025" && m.On2025) || (*list == "2022" && m.On2022) {
			ms = append(ms, m)
		}
	}
	if f == "json" {
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
	t := table{header: []string{"id", "name", "symbol", "group", "on_2022_list", "on_2025_list", "hs_lines"}}
	if f == "table" {
		t.header = []string{"ID", "NAME", "SYMBOL", "GROUP", "2022", "2025", "HS LINES"}
	}
	for _, m := range ms {
		t.add(m.ID, m.Name, m.Symbol, m.Group, strconv.FormatBool(m.On2022), strconv.FormatBool(m.On2025), strconv.Itoa(len(reg.HSCodesFor(m.ID, ""))))
	}
	if f == "csv" {
		return t.writeCSV(s.out)
	}
	return t.writeText(s.out)
}
