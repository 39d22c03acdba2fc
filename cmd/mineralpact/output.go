package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/mineralpact/mineralpact/internal/date"
	"gopkg.in/yaml.v3"
)

// writeJSON writes v as indented JSON with a final newline.
func writeJSON(w io.Writer, v any) error {
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	e.SetEscapeHTML(false)
	return e.Encode(v)
}

// writeYAML writes v as YAML by way of its JSON form, so that field names and
// decimals read as in the agreement file.
func writeYAML(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	var node yaml.Node
	if err := yaml.Unmarshal(b, &node); err != nil {
		return err
	}
	clearStyle(&node)
	e := yaml.NewEncoder(w)
	e.SetIndent(2)
	if err := e.Encode(&node); err != nil {
		return err
	}
	return e.Close()
}

// clearStyle drops the flow style JSON brings, so YAML output is block style.
func clearStyle(n *yaml.Node) {
	n.Style &^= yaml.FlowStyle
	for _, c := range n.Content {
		clearStyle(c)
	}
}

// table is rows of text with a header, rendered aligned for people or as CSV
// for machines.
type table struct {
	header []string
	rows   [][]string
	right  []int // columns of figures, right-aligned on a terminal
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

// write renders the table for s: on a terminal, aligned with its figure
// columns to the right; on a pipe, as writeText (left-aligned, the same
// bytes as ever).
func (t *table) write(s streams) error {
	if !s.outTTY {
		return t.writeText(s.out)
	}
	width := make([]int, len(t.header))
	for _, r := range append([][]string{t.header}, t.rows...) {
		for i, c := range r {
			if i < len(width) {
				width[i] = max(width[i], utf8.RuneCountInString(c))
			}
		}
	}
	var b strings.Builder
	for _, r := range append([][]string{t.header}, t.rows...) {
		line := make([]string, len(r))
		for i, c := range r {
			pad := ""
			if i < len(width) {
				pad = strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			}
			if slices.Contains(t.right, i) {
				line[i] = pad + c
			} else if i < len(r)-1 {
				line[i] = c + pad
			} else {
				line[i] = c
			}
		}
		b.WriteString(strings.TrimRight(strings.Join(line, "  "), " "))
		b.WriteByte('\n')
	}
	_, err := io.WriteString(s.out, b.String())
	return err
}

func (t *table) writeText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(t.header, "\t"))
	for _, r := range t.rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	return tw.Flush()
}

func (t *table) writeCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.header); err != nil {
		return err
	}
	if err := cw.WriteAll(t.rows); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// forPeople says whether output in format goes to people: a table on a
// terminal, whose figures read with thousands separators and fixed
// decimals. Anything else (a pipe, csv, json) gets them exact.
func forPeople(s streams, format string) bool {
	return s.outTTY && (format == "table" || format == "text")
}

// indexText writes an index that may be missing: "-", two decimals for
// people, else every digit.
func indexText(x *float64, human bool) string {
	switch {
	case x == nil:
		return "-"
	case human:
		return formatFloat(*x, 2)
	}
	return strconv.FormatFloat(*x, 'f', -1, 64)
}

// illustrativeMark is what a table's heading adds for an illustrative
// agreement.
func illustrativeMark(illustrative bool) string {
	if illustrative {
		return " (ILLUSTRATIVE)"
	}
	return ""
}

// asOfText is the date a zone was taken on, saying so when it was chosen
// for the user.
func asOfText(d date.Date, chosen bool) string {
	if chosen {
		return d.String() + ", its entry into force (--as-of not given)"
	}
	return d.String()
}
