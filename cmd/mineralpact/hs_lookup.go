package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/mineralpact/mineralpact/internal/registry"
)

// hsLookupOptions are `hs lookup CODE`: the minerals, stages and contents an
// HS code classifies to, and its US tariff line.
type hsLookupOptions struct {
	code   string
	format formatOption
}

func (o *hsLookupOptions) bind(fs *flag.FlagSet) { o.format.bind(fs, "table", "json") }

func (o *hsLookupOptions) validate(pos []string) error {
	if len(pos) != 1 {
		return usagef("name one HS code of 6 to 10 digits")
	}
	o.code = pos[0]
	return o.format.validate()
}

func (o *hsLookupOptions) run(ctx context.Context, s streams) error {
	reg, err := registry.Default()
	if err != nil {
		return err
	}
	lines, err := reg.Classify(o.code)
	if err != nil {
		return err
	}
	if o.format.name == "json" {
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
		}{Query: o.code}
		if h, ok := htsLine(reg, o.code); ok {
			out.USHTS = &usRate{h.Code, h.Description, h.MFNText, h.SpecialText}
		}
		for _, l := range lines {
			out.Lines = append(out.Lines, row{l.Code, l.Mineral, string(l.Stage), l.Content.String(), l.ContentSource, l.Description})
		}
		return writeJSON(s.out, out)
	}
	if len(lines) > 0 {
		fmt.Fprintf(s.out, "%s matches line %s: %s\n\n", o.code, lines[0].Code, lines[0].Description)
	}
	t := table{header: []string{"MINERAL", "STAGE", "CONTENT", "SOURCE OF CONTENT"}}
	for _, l := range lines {
		t.add(l.Mineral, string(l.Stage), l.Content.String(), l.ContentSource)
	}
	if err := t.write(s); err != nil {
		return err
	}
	if h, ok := htsLine(reg, o.code); ok {
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
