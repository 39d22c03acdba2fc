package agreement

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode feeds arbitrary bytes to the decoder and validator: they must
// never panic, and an agreement that loads must survive its own canonical form.
func FuzzDecode(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.yaml")
	bad, _ := filepath.Glob("testdata/bad/*.yaml")
	for _, p := range append(seeds, bad...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("version: 1\nparties: [{id: US, instruments: [{rate: {kind: mixed}}]}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, _, err := Load("fuzz.yaml", data, fakeCatalog{})
		if err != nil {
			return
		}
		if _, err := a.Hash(); err != nil {
			t.Fatalf("Hash of a loaded agreement: %v", err)
		}
		for _, am := range a.Amendments {
			if _, err := a.AsOf(am.Effective); err != nil {
				t.Fatalf("AsOf(%s) of a loaded agreement: %v", am.Effective, err)
			}
		}
	})
}
