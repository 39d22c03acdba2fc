package duty

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// testAssessor returns an Assessor over testdata/agreement.yaml, whose floors
// are all negotiated figures.
func testAssessor(t testing.TB) *Assessor {
	t.Helper()
	return assessorFor(t, "testdata/agreement.yaml")
}

type handCase struct {
	id, title string
	fields    map[string]string
	want      map[string]string
	reject    bool
	line      int
}

func readCases(t *testing.T, path string) []*handCase {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []*handCase
	var c *handCase
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		l := strings.TrimSpace(sc.Text())
		switch {
		case l == "" || strings.HasPrefix(l, "#") || strings.HasPrefix(l, "work:"):
		case strings.HasPrefix(l, "case "):
			id, title, _ := strings.Cut(strings.TrimPrefix(l, "case "), " ")
			c = &handCase{id: id, title: title, fields: map[string]string{}, want: map[string]string{}, line: n}
			cases = append(cases, c)
		case strings.HasPrefix(l, "decl:"), strings.HasPrefix(l, "reject:"):
			c.reject = strings.HasPrefix(l, "reject:")
			_, rest, _ := strings.Cut(l, ":")
			for _, kv := range strings.Fields(rest) {
				k, v, _ := strings.Cut(kv, "=")
				c.fields[k] = v
			}
		case strings.HasPrefix(l, "want:"):
			for _, kv := range strings.Fields(strings.TrimPrefix(l, "want:")) {
				k, v, ok := strings.Cut(kv, "=")
				if !ok {
					k, v, _ = strings.Cut(kv, "~")
					k += "~"
				}
				c.want[k] = v
			}
		default:
			if c != nil && c.want["reason~"] != "" {
				continue
			}
			t.Fatalf("%s:%d: cannot read %q", path, n, l)
		}
	}
	return cases
}

// casesCSV writes the cases' declarations as one CSV file, in order.
func casesCSV(cases []*handCase) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(InputColumns)
	for _, c := range cases {
		row := make([]string, len(InputColumns))
		for i, col := range InputColumns {
			row[i] = c.fields[col]
		}
		w.Write(row)
	}
	w.Flush()
	return b.Bytes()
}

func readCSVByID(t *testing.T, b []byte, key string) map[string]map[string]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v\n%s", err, b)
	}
	out := map[string]map[string]string{}
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out[m[key]] = m
	}
	return out
}

// TestHandCases runs testdata/cases.txt through the bulk path and compares
// every column each case names.
func TestHandCases(t *testing.T) {
	runCases(t, testAssessor(t), "testdata/cases.txt", 30)
}

// TestCustomsCases runs the customs-grade cases of testdata/customs: stacked
// measures, preferences, fees, remedies and rounding rules, each citing its
// public source.
func TestCustomsCases(t *testing.T) {
	runCases(t, assessorFor(t, "testdata/customs/agreement.yaml"), "testdata/customs/cases.txt", 12)
}

// assessorFor returns an Assessor over the agreement file at path, whose
// floors are negotiated figures computed in process.
func assessorFor(t testing.TB, path string) *Assessor {
	t.Helper()
	reg, err := registry.Default()
	if err != nil {
		t.Fatal(err)
	}
	ag, _, err := agreement.LoadFile(path, agreement.RegistryCatalog(reg))
	if err != nil {
		t.Fatal(err)
	}
	a, err := New(ag, reg, refprice.New(ag, refprice.Sources{Registry: reg}))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// runCases runs a cases file through the bulk path and compares every
// column each case names; the file must hold at least min cases.
func runCases(t *testing.T, a *Assessor, path string, min int) {
	cases := readCases(t, path)
	if len(cases) < min {
		t.Fatalf("only %d cases", len(cases))
	}
	var out, errs bytes.Buffer
	sum, err := a.AssessStream(context.Background(), bytes.NewReader(casesCSV(cases)), &out, &errs, BulkOptions{Workers: 3, Duties: true})
	if err != nil {
		t.Fatal(err)
	}
	got := readCSVByID(t, out.Bytes(), "id")
	rejected := readCSVByID(t, errs.Bytes(), "id")
	var nReject int64
	for _, c := range cases {
		if c.reject {
			nReject++
			e, ok := rejected[c.id]
			if !ok {
				t.Errorf("case %s (%s, %s:%d): assessed, want rejected; output %v", c.id, c.title, path, c.line, got[c.id])
				continue
			}
			if e["field"] != c.want["field"] || !strings.Contains(e["reason"], c.want["reason~"]) {
				t.Errorf("case %s (%s): rejected on %s: %q; want %s: …%s…", c.id, c.title, e["field"], e["reason"], c.want["field"], c.want["reason~"])
			}
			continue
		}
		r, ok := got[c.id]
		if !ok {
			t.Errorf("case %s (%s, %s:%d): rejected: %v", c.id, c.title, path, c.line, rejected[c.id])
			continue
		}
		for k, v := range c.want {
			if r[k] != v {
				t.Errorf("case %s (%s): %s = %q, want %q", c.id, c.title, k, r[k], v)
			}
		}
	}
	if sum.Read != int64(len(cases)) || sum.Rejected != nReject || sum.Assessed+sum.Rejected != sum.Read {
		t.Errorf("summary %+v: want %d read, %d rejected", sum, len(cases), nReject)
	}
}
