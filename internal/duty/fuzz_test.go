package duty

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/exact"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// FuzzDecodeDeclaration feeds one record to the CSV and the JSON Lines
// decoders. Neither may panic; the CSV splitter must agree with encoding/csv
// (RFC 4180) on which records are well formed and on their fields; and a
// record written back from its fields (CSV quoting, or a JSON object of
// strings) must decode to the same declaration, or fail the same way. Plain
// `go test` runs the seeds only; `go test -fuzz FuzzDecodeDeclaration` explores.
func FuzzDecodeDeclaration(f *testing.F) {
	for _, s := range []string{
		"D00000001,2026-01-01,US,ZA,,81019400,21424,lb,1,357696.38,USD,FOB,,,,",
		"D00000002,2026-01-01,AU,CA,,750110,12951,lb,0.6916,62823.92,USD,FOB,1884.72,314.12,,",
		`D3,2026-02-03,eu,cn,EXP-1,"2805.30",12.5,t,,"1,234.5",eur,cif,,,UND-1,neodymium`,
		`"D""4",2026-02-30,JP,AU,,260300,1,kg,0.3,100,JPY,FOB,,,,`,
		` D5 , 2026-03-01 ,US,ZA,,81019400,-3,t,2,-1,USD,EXW,-1,-2,,`,
		`D6,2026-01-01,US,ZA,,81019400,1.,t,.5,00012.5000,USD,FOB,,,,"a`,
		`D7,2026-01-01,US,ZA,,8101940,1,t,,1,USD,FOB,,,,x"y`,
		"D8,2026-01-01",
		`{"id":"D9","accepted_on":"2026-01-05","importer":"US","origin":"ZA","hs_code":"81019400","quantity":12.5,"unit":"t","customs_value":"1000","currency":"USD","incoterm":"FOB"}`,
		`{"id":"D10","accepted_on":"2026-01-05","quantity":1e3,"unknown":1}`,
		`{"id":null,"content":true}`,
		"",
	} {
		f.Add([]byte(s))
	}
	h, err := ParseHeader(InputColumns)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, rec []byte) {
		var st decodeState
		var x decl
		fe := decodeCSVRecord(h, rec, &x, &st)

		// The splitter against encoding/csv, on one record without line
		// ends (a line end ends a record, or is kept inside quotes, before
		// the decoder sees it; encoding/csv skips empty lines).
		if len(rec) > 0 && !bytes.ContainsAny(rec, "\r\n") {
			got, _, serr := splitCSV(rec, nil, nil)
			r := csv.NewReader(bytes.NewReader(rec))
			r.FieldsPerRecord = -1
			want, werr := r.Read()
			if (serr == nil) != (werr == nil) {
				t.Fatalf("splitCSV(%q) error %v, encoding/csv error %v", rec, serr, werr)
			}
			if serr == nil && !sameFields(got, want) {
				t.Fatalf("splitCSV(%q) = %q, encoding/csv %q", rec, got, want)
			}
		}

		// Written back with CSV quoting, the fields decode the same way.
		if fields, _, serr := splitCSV(rec, nil, nil); serr == nil {
			var b []byte
			for i, fl := range fields {
				if i > 0 {
					b = append(b, ',')
				}
				b = appendCSVField(b, string(fl))
			}
			var st2 decodeState
			var y decl
			fe2 := decodeCSVRecord(h, b, &y, &st2)
			if !sameResult(x, fe, y, fe2) {
				t.Fatalf("CSV %q decodes to %+v, %v; written back as %q to %+v, %v", rec, x, fe, b, y, fe2)
			}
		}

		// JSON Lines: no panic; a decoded record written back as an object
		// of strings decodes the same way.
		var xj decl
		fej := decodeJSONRecord(rec, &xj, &st)
		if fej == nil {
			m := map[string]string{}
			for i, name := range InputColumns {
				if len(st.v[i]) > 0 {
					m[name] = string(st.v[i])
				}
			}
			j, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			var y decl
			var st2 decodeState
			if fe2 := decodeJSONRecord(j, &y, &st2); !sameResult(xj, nil, y, fe2) {
				t.Fatalf("JSON %q decodes to %+v; written back as %s to %+v, %v", rec, xj, j, y, fe2)
			}
		}
	})
}

func sameFields(got [][]byte, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if string(got[i]) != want[i] {
			return false
		}
	}
	return true
}

// sameResult reports whether two decodings agree: the same error, or the same
// declaration.
func sameResult(x decl, fx *problem.Error, y decl, fy *problem.Error) bool {
	if (fx == nil) != (fy == nil) {
		return false
	}
	if fx != nil {
		return fx.Field == fy.Field && strings.SplitN(fx.Message, " ", 2)[0] == strings.SplitN(fy.Message, " ", 2)[0]
	}
	sameQ := func(a, b exact.Q) bool { return a.Cmp(b) == 0 }
	return x.id == y.id && x.importer == y.importer && x.origin == y.origin && x.exporter == y.exporter &&
		x.hs == y.hs && x.unit == y.unit && x.cur == y.cur && x.und == y.und && x.mineral == y.mineral &&
		x.on.Equal(y.on) && sameQ(x.qty, y.qty) && sameQ(x.content, y.content) && sameQ(x.value, y.value) &&
		sameQ(x.freight, y.freight) && sameQ(x.insurance, y.insurance) && x.hasContent == y.hasContent &&
		x.hasFreight == y.hasFreight && x.hasInsurance == y.hasInsurance && x.fob == y.fob
}
