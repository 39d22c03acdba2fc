package agreement

import (
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/mineralpact/mineralpact/examples"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/registry"
	"github.com/mineralpact/mineralpact/internal/strictyaml"
)

// BenchmarkAgreement measures what `mineralpact bench agreement` reports:
// decode + validate + AsOf of the example agreement, and each step alone.
func BenchmarkAgreement(b *testing.B) {
	reg, err := registry.Default()
	if err != nil {
		b.Fatal(err)
	}
	cat := RegistryCatalog(reg)
	on := date.MustParse("2027-07-01")
	loaded, _, err := Load(examples.Pact2026Name, examples.Pact2026, cat)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("step=all", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			a, _, err := Load(examples.Pact2026Name, examples.Pact2026, cat)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := a.AsOf(on); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("step=decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := Decode(examples.Pact2026Name, examples.Pact2026); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("step=parse", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := strictyaml.Parse(examples.Pact2026); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("step=parse-serial", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var n yaml.Node
			if err := yaml.Unmarshal(examples.Pact2026, &n); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("step=asof", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := loaded.AsOf(on); err != nil {
				b.Fatal(err)
			}
		}
	})
}
