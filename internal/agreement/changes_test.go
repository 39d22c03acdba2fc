package agreement

import (
	"os"
	"reflect"
	"testing"

	"github.com/mineralpact/mineralpact/examples"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// TestChangeDates: on every day of three years from the entry into force,
// the text in force is the text at the last change date on or before it, for
// the example (two amendments, accessions, instruments with from and until
// dates) and for testdata/mini.yaml. Engines rely on it to compute a text a
// stretch rather than a day.
func TestChangeDates(t *testing.T) {
	mini, err := os.ReadFile("testdata/mini.yaml")
	if err != nil {
		t.Fatal(err)
	}
	reg, err := registry.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{examples.Pact2026Name, "testdata/mini.yaml", "the example, an instrument in force for 100 days"} {
		text := map[string][]byte{"testdata/mini.yaml": mini}[name]
		if text == nil {
			text = examples.Pact2026
		}
		a, _, err := Load(name, text, RegistryCatalog(reg))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if name == "the example, an instrument in force for 100 days" {
			in := &a.Parties[0].Instruments[0]
			in.From, in.Until = a.EntryIntoForce.AddDays(100), a.EntryIntoForce.AddDays(200)
		}
		changes := a.ChangeDates()
		if len(changes) < 2 || !changes[0].Equal(a.EntryIntoForce) {
			t.Fatalf("%s: change dates %v; want the entry into force first, and more", name, changes)
		}
		texts := map[date.Date]*InForce{}
		for d := a.EntryIntoForce; d.Before(a.EntryIntoForce.AddDays(3 * 365)); d = d.AddDays(1) {
			at := changes[ChangeIndex(changes, d)]
			if at.After(d) {
				t.Fatalf("%s: ChangeIndex(%s) is %s, after it", name, d, at)
			}
			want, ok := texts[at]
			if !ok {
				if want, err = a.AsOf(at); err != nil {
					t.Fatal(err)
				}
				texts[at] = want
			}
			got, err := a.AsOf(d)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Agreement, want.Agreement) || !reflect.DeepEqual(got.Applied, want.Applied) {
				t.Fatalf("%s: the text in force on %s differs from the text on %s, the last change date before it", name, d, at)
			}
		}
	}
}
