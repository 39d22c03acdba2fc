package ownership

import (
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/date"
)

const badEntities = `
 {"statementId": "ent-a", "declarationSubject": "A", "recordId": "A", "recordType": "entity",
  "recordDetails": {"isComponent": false, "entityType": {"type": "registeredEntity"}, "jurisdiction": {"name": "Japan", "code": "JP"}}},
 {"statementId": "ent-b", "declarationSubject": "B", "recordId": "B", "recordType": "entity",
  "recordDetails": {"isComponent": false, "entityType": {"type": "registeredEntity"}}},`

func rel(id, subject, party, interests string) string {
	return `{"statementId": "` + id + `", "declarationSubject": "` + subject + `", "recordId": "r-` + id + `", "recordType": "relationship",
  "recordDetails": {"isComponent": false, "subject": "` + subject + `", "interestedParty": "` + party + `", "interests": [` + interests + `]}}`
}

// TestBODSBad: each bad statement is an error naming its statement id and
// field; the whole file is refused and nothing panics.
func TestBODSBad(t *testing.T) {
	for _, tc := range []struct {
		name, stmts string
		want        []string
	}{
		{"unknown party", rel("rel-1", "B", "ZZ", `{"type": "shareholding", "share": {"exact": 10}}`),
			[]string{"statement rel-1", "recordDetails.interestedParty", `names "ZZ"`}},
		{"share above 100", rel("rel-2", "B", "A", `{"type": "shareholding", "share": {"exact": 120}}`),
			[]string{"statement rel-2", "interests[0].share.exact", "between 0 and 100"}},
		{"min above max", rel("rel-3", "B", "A", `{"type": "shareholding", "share": {"minimum": 60, "maximum": 40}}`),
			[]string{"statement rel-3", "share.minimum", "above the maximum"}},
		{"ends before it starts", rel("rel-4", "B", "A", `{"type": "shareholding", "share": {"exact": 10}, "startDate": "2026-05-01", "endDate": "2025-01-01"}`),
			[]string{"statement rel-4", "interests[0].endDate", "ends (2025-01-01) before it starts (2026-05-01)"}},
		{"unknown field", rel("rel-5", "B", "A", `{"type": "shareholding", "sharePercent": 10}`),
			[]string{"statement rel-5", "interests", `unknown field "sharePercent"`}},
		{"unknown interest type", rel("rel-6", "B", "A", `{"type": "ownership", "share": {"exact": 10}}`),
			[]string{"statement rel-6", "interests[0].type", `"ownership"`}},
		{"bad date", rel("rel-7", "B", "A", `{"type": "shareholding", "startDate": "1 May 2026"}`),
			[]string{"statement rel-7", "startDate"}},
		{"wrong type", `{"statementId": "ent-9", "recordId": "X", "recordType": "entity", "recordDetails": {"isComponent": false, "entityType": {"type": "registeredEntity"}, "name": 7}}`,
			[]string{"statement ent-9", "recordDetails.name"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := NewRegister()
			err := ReadBODS(r, "bad.json", []byte("["+badEntities+tc.stmts+"]"))
			if err == nil {
				t.Fatalf("ReadBODS = nil, want an error with %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("ReadBODS error = %q, want it to contain %q", err, w)
				}
			}
			if len(r.Edges) != 0 {
				t.Errorf("a refused file added %d edges", len(r.Edges))
			}
		})
	}
}

// TestBODSSumWarning: shares of one subject above 100% are a listed warning
// naming both statements; the data is still read.
func TestBODSSumWarning(t *testing.T) {
	r := NewRegister()
	stmts := rel("rel-x", "B", "A", `{"type": "shareholding", "share": {"exact": 70}}`) + "," +
		`{"statementId": "ent-c", "recordId": "C", "recordType": "person", "recordDetails": {"isComponent": false, "personType": "knownPerson"}},` +
		rel("rel-y", "B", "C", `{"type": "shareholding", "share": {"minimum": 40, "maximum": 50}}`)
	if err := ReadBODS(r, "sum.json", []byte("["+badEntities+stmts+"]")); err != nil {
		t.Fatal(err)
	}
	if len(r.Warnings) != 1 {
		t.Fatalf("warnings = %v, want one", r.Warnings)
	}
	w := r.Warnings[0].Error()
	for _, s := range []string{"rel-x", "rel-y", "110%"} {
		if !strings.Contains(w, s) {
			t.Errorf("warning %q does not name %s", w, s)
		}
	}
}

func TestCSVBad(t *testing.T) {
	head := "owner,owned,interest,share,share_min,share_max,start,end,source\n"
	for _, tc := range []struct {
		name, rows string
		want       []string
	}{
		{"share above 100", "A,B,shareholding,101,,,,,s\n", []string{"bad.csv:2:4", "share", "between 0 and 100"}},
		{"min above max", "A,B,shareholding,,60,40,,,s\n", []string{"bad.csv:2:5", "share_min", "above the maximum"}},
		{"ends before it starts", "A,B,shareholding,10,,,2026-02-01,2026-01-01,s\n", []string{"bad.csv:2:8", "end", "before it starts"}},
		{"unknown interest", "A,B,owns,10,,,,,s\n", []string{"bad.csv:2:3", "interest", `"owns"`}},
		{"not a number", "A,B,shareholding,ten,,,,,s\n", []string{"bad.csv:2:4", "want a percentage"}},
		{"short row", "A,B,shareholding\n", []string{"bad.csv:2", "3 fields, want 9"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := ReadCSV(NewRegister(), "bad.csv", []byte(head+tc.rows))
			if err == nil {
				t.Fatalf("ReadCSV = nil, want %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("ReadCSV error = %q, want it to contain %q", err, w)
				}
			}
		})
	}
}

// TestCycleOfAll: a cycle that holds all of itself has no finite solution;
// the engine says so and names its members.
func TestCycleOfAll(t *testing.T) {
	r := NewRegister()
	csv := "owner,owned,interest,share,share_min,share_max,start,end,source\nA,B,,100,,,,,s\nB,A,,100,,,,,s\n"
	if err := ReadCSV(r, "c.csv", []byte(csv)); err != nil {
		t.Fatal(err)
	}
	_, err := Effective(r, date.MustParse("2026-01-01"))
	if err == nil || !strings.Contains(err.Error(), "A, B") {
		t.Fatalf("Effective = %v, want an error naming A, B", err)
	}
}

func FuzzReadBODS(f *testing.F) {
	f.Add([]byte("[" + badEntities + rel("r", "B", "A", `{"type": "shareholding", "share": {"exact": 10}}`) + "]"))
	f.Add([]byte(`[{"statementId": "x", "recordId": "x", "recordType": "relationship", "recordDetails": {"subject": {"reason": "unknown"}, "interestedParty": "x"}}]`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r := NewRegister()
		if err := ReadBODS(r, "f.json", b); err != nil {
			return
		}
		d := date.MustParse("2026-01-01")
		if x, err := Effective(r, d); err == nil {
			ctl := Controllers(r, d)
			for j := range r.Nodes {
				for _, h := range x.Of(j) {
					_ = x.Paths(int(h.Holder), j)
				}
				_ = ctl.Chains(j)
			}
		}
	})
}

func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("owner,owned,interest,share,share_min,share_max,start,end,source\nA,B,shareholding,10,,,,,s\nB,A,,20,,,,,s\n"))
	f.Add([]byte("id,name,kind,jurisdiction,nationalities,source\nA,A,person,,CN;US,s\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r := NewRegister()
		if err := ReadCSV(r, "f.csv", b); err != nil {
			return
		}
		d := date.MustParse("2026-01-01")
		if _, err := Effective(r, d); err == nil {
			Controllers(r, d)
		}
	})
}

// TestBODSLines: the same statements as a stream (JSON Lines) read as a
// package does.
func TestBODSLines(t *testing.T) {
	lines := strings.ReplaceAll(strings.TrimSuffix(strings.TrimSpace(badEntities), ","), "},\n {", "}\n{") + "\n" +
		strings.ReplaceAll(rel("rel-1", "B", "A", `{"type": "shareholding", "share": {"exact": 40}}`), "\n", " ")
	r := NewRegister()
	if err := ReadBODS(r, "s.jsonl", []byte(lines)); err != nil {
		t.Fatal(err)
	}
	if len(r.Nodes) != 2 || len(r.Edges) != 1 || r.Edges[0].Share.Low != 0.4 {
		t.Errorf("ReadBODS(lines) = %d nodes, %d edges, want 2 and 1 of 40%%", len(r.Nodes), len(r.Edges))
	}
}
