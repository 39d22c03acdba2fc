package duty

import (
	"bytes"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/declgen"
	"github.com/mineralpact/mineralpact/internal/exact"
)

// TestDecodeCSV: the in-memory decoder reads what the bulk path reads, in
// row order, and returns the rows it cannot read as FieldErrors with their
// row and line.
func TestDecodeCSV(t *testing.T) {
	a := exampleAssessor(t)
	text := generate(t, a, declgen.Options{N: 1500, Seed: 7})
	lines := strings.Split(strings.TrimRight(string(text), "\n"), "\n")
	lines[700] = "D-BAD,2026-13-45,US,CL,,28252000,1,t,,1,USD,FOB,,,,"
	ds, errs, err := DecodeCSV(strings.NewReader(strings.Join(lines, "\n")+"\n"), 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1499 || len(errs) != 1 {
		t.Fatalf("DecodeCSV = %d declarations, %d errors; want 1499 and 1", len(ds), len(errs))
	}
	if errs[0].Row != 700 || errs[0].Line != 701 || errs[0].ID != "D-BAD" {
		t.Errorf("error at row %d line %d id %q, want row 700, line 701, D-BAD", errs[0].Row, errs[0].Line, errs[0].ID)
	}
	for i, d := range ds[:10] {
		if want := strings.SplitN(lines[i+1], ",", 2)[0]; d.ID() != want {
			t.Errorf("declaration %d = %s, want %s (row order)", i, d.ID(), want)
		}
	}
	if ds[699].ID() != strings.SplitN(lines[701], ",", 2)[0] {
		t.Errorf("after the bad row: %s", ds[699].ID())
	}
}

// TestPrepareIntoAgreesWithPrepare: assessing into a reused buffer through a
// Scratch gives the assessment Prepare gives, and EachDuty's figures are the
// lines Duties lists, adding up to TotalDuty.
func TestPrepareIntoAgreesWithPrepare(t *testing.T) {
	a := newExampleAssessor(t)
	ds, _, err := DecodeCSV(bytes.NewReader(generate(t, a, declgen.Options{N: 800, Seed: 11})), 0)
	if err != nil {
		t.Fatal(err)
	}
	sc := a.NewScratch()
	var buf Assessment
	for i := range ds {
		want, wreq, werr := a.Prepare(ds[i])
		req, err := a.PrepareInto(&ds[i], &buf, sc)
		if (err == nil) != (werr == nil) || (req == nil) != (wreq == nil) {
			t.Fatalf("%s: PrepareInto = %v, %v; Prepare = %v, %v", ds[i].ID(), req, err, wreq, werr)
		}
		if err != nil || req != nil {
			continue
		}
		if g, w := DutiesText(buf.Duties()), DutiesText(want.Duties()); g != w {
			t.Errorf("%s: PrepareInto duties %s, Prepare %s", ds[i].ID(), g, w)
		}
		var sum exact.Q
		n := 0
		buf.EachDuty(func(measure string, typ agreement.InstrumentType, x exact.Q) {
			if l := buf.Duties()[n]; l.Measure != measure || l.Type != string(typ) {
				t.Errorf("%s: EachDuty line %d = %s %s, Duties %s %s", ds[i].ID(), n, typ, measure, l.Type, l.Measure)
			}
			sum = sum.Add(x)
			n++
		})
		if sum.Cmp(buf.TotalDuty()) != 0 && buf.party.eachDuty {
			t.Errorf("%s: the lines add up to %v, TotalDuty %v", ds[i].ID(), sum, buf.TotalDuty())
		}
		if buf.Currency() == "" || ds[i].Importer() == "" || ds[i].Origin() == "" || ds[i].HSCode() == "" {
			t.Errorf("%s: currency %q, importer %q, origin %q, code %q", ds[i].ID(), buf.Currency(), ds[i].Importer(), ds[i].Origin(), ds[i].HSCode())
		}
	}
}

// TestDecodeCSVLines: blank lines count as lines, not rows, with and
// without a quoted field in the file.
func TestDecodeCSVLines(t *testing.T) {
	a := exampleAssessor(t)
	lines := strings.Split(strings.TrimRight(string(generate(t, a, declgen.Options{N: 3000, Seed: 5})), "\n"), "\n")
	bad := "D-BAD,2026-13-45,US,CL,,28252000,1,t,,1,USD,FOB,,,,"
	body := append(append(append([]string{}, lines[:1500]...), "", bad), lines[1500:]...)
	for _, quoted := range []bool{false, true} {
		text := strings.Join(body, "\n") + "\n"
		if quoted {
			text = strings.Replace(text, lines[10], `"`+strings.Replace(lines[10], ",", `",`, 1), 1)
		}
		ds, errs, err := DecodeCSV(strings.NewReader(text), 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != 3000 || len(errs) != 1 {
			t.Fatalf("quoted %v: %d declarations, %d errors; want 3000 and 1", quoted, len(ds), len(errs))
		}
		if e := errs[0]; e.Row != 1500 || e.Line != 1502 {
			t.Errorf("quoted %v: the bad row at row %d, line %d; want row 1500, line 1502 (a blank line before it)", quoted, e.Row, e.Line)
		}
		if got, want := ds[2999].ID(), strings.SplitN(lines[3000], ",", 2)[0]; got != want {
			t.Errorf("quoted %v: last declaration %s, want %s", quoted, got, want)
		}
	}
}
