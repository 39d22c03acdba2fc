package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/mineralpact/mineralpact/internal/registry"
)

func runHSLookup(ctx context.Context, args []string, s streams) error {
	fs := newFlags("hs lookup")
	format := formatFlag(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("name one HS code of 6 to 10 digits")
	}
	f, err := chooseFormat(*format, "table", "json")
	if err != nil {
		return err
	}
	reg, err := registry.Default()
	if err != nil {
		return err
	}
	lines, err := reg.Classify(pos[0])
	if err != nil {
		return err
	}
	if f == "json" {
		type row struct {
			Code          string `json:"code"`
			Mineral       string `json:"mineral"`
			Stage         string `json:"stage"`
			Content       string `json:"content"`
			ContentSource string `json:"content_source"`
			Description   string `json:"description"`
		}
		type usRate struct {
			Code        string `json:"code"`
			Description string `json:"description"`
			MFN         string `json:"mfn"`
			Special     string `json:"special,omitempty"`
		}
		out := struct {
			Query string  `json:"query"`
			Lines []row   `json:"lines"`
			USHTS *usRate `json:"us_hts_2025,omitempty"`
		}{Query: pos[0]}
		if h, ok := htsLine(reg, pos[0]); ok {
			out.USHTS = &usRate{h.Code, h.Description, h.MFNText, h.SpecialText}
		}
		for _, l := range lines {
			out.Lines = append(out.Lines, row{l.Code, l.Mineral, string(l.Stage), l.Content.String(), l.ContentSource, l.Description})
		}
		return writeJSON(s.out, out)
	}
	if len(lines) > 0 {
		fmt.Fprintf(s.out, "%s matches line %s: %s\n\n", pos[0], lines[0].Code, lines[0].Description)
	}
	t := table{header: []string{"MINERAL", "STAGE", "CONTENT", "SOURCE OF CONTENT"}}
	for _, l := range lines {
		t.add(l.Mineral, string(l.Stage), l.Content.String(), l.ContentSource)
	}
	if err := t.writeText(s.out); err != nil {
		return err
	}
	if h, ok := htsLine(reg, pos[0]); ok {
		fmt.Fprintf(s.out, "\nUS HTS 2025 %s (%s): MFN %s\n", h.Code, h.Description, h.MFNText)
	}
	return nil
}

// htsLine returns the US tariff line of a code of 8 or more digits, if the
// shipped schedule has it.
func htsLine(reg *registry.Registry, code string) (registry.HTSLine, bool) {
	c := strings.NewReplacer(".", "", " ", "").Replace(code)
	if len(c) < 8 {
		return registry.HTSLine{}, false
	}
	h, err := reg.HTS(c[:8])
	return h, err == nil
}
