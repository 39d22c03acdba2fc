package monitor

import (
	"os"
	"strings"
	"testing"
)

func TestReadAlerts(t *testing.T) {
	f, err := os.Open("testdata/cases-sample.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	as, err := ReadAlerts(f, "cases-sample.jsonl")
	if err != nil || len(as) != 3 || as[0].Via != "VN" || as[2].Evidence.Distribution == nil || as[2].Evidence.Distribution.Line != 11000 {
		t.Fatalf("ReadAlerts(sample) = %d alerts, %v", len(as), err)
	}
	good := `{"id":"` + as[1].ID + `","detector":"mirror_gap","importer":"JP","exporter":"CN","hs":"250410","from":"2024-01","to":"2024-06","score":1,"magnitude":1,"unit":"USD","basis":"","summary":"","evidence":{}}`
	for _, c := range []struct{ in, want string }{
		{"\n" + good + "\n\n", ""},
		{good + "\n{\"id\":\"x\",\"colour\":1}", `f.jsonl:2: not an alert: json: unknown field "colour"`},
		{strings.Replace(good, as[1].ID, "0000000000000000", 1), `f.jsonl:1: id: "0000000000000000" is not the alert's pattern and window`},
		{strings.Replace(good, `"2024-06"`, `"2024-13"`, 1), "f.jsonl:1: not an alert"},
		{good + " {}", "f.jsonl:1: more than one JSON value"},
		{strings.Replace(good, `"detector":"mirror_gap"`, `"detector":""`, 1), "f.jsonl:1: detector: missing"},
	} {
		_, err := ReadAlerts(strings.NewReader(c.in), "f.jsonl")
		if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("ReadAlerts(%.40q…) error = %v, want %q", c.in, err, c.want)
		}
	}
}

// FuzzReadAlerts: no input makes the reader panic, and what it reads has
// ids that are the alerts' own.
func FuzzReadAlerts(f *testing.F) {
	b, _ := os.ReadFile("testdata/cases-sample.jsonl")
	f.Add(string(b))
	f.Add(`{"id":"x"}`)
	f.Fuzz(func(t *testing.T, in string) {
		as, err := ReadAlerts(strings.NewReader(in), "fuzz")
		for _, a := range as {
			if err == nil && a.ID != a.ComputeID() {
				t.Fatalf("read an alert whose id %s is not its own", a.ID)
			}
		}
	})
}
