package agreement

import (
	"os"
	"testing"

	"github.com/mineralpact/mineralpact/internal/registry"
)

// TestMiniWithRegistry loads the test agreement against the shipped registry,
// so that the codes it uses are real ones.
func TestMiniWithRegistry(t *testing.T) {
	reg, err := registry.Default()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("testdata/mini.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := Load("mini.yaml", data, RegistryCatalog(reg)); err != nil {
		t.Fatalf("Load(mini.yaml) with the registry = %v", err)
	}
	cat := RegistryCatalog(reg)
	tests := []struct {
		check func() error
		ok    bool
	}{
		{func() error { return cat.Country("EU") }, true},
		{func() error { return cat.Country("DEU") }, false},
		{func() error { return cat.Currency("EUR") }, true},
		{func() error { return cat.Currency("XYZ") }, false},
		{func() error { return cat.HS("28369") }, false},
		{func() error { return cat.HS("2836910010") }, true},
		{func() error { return cat.HS("999999") }, false},
		{func() error { return cat.Mineral("litium") }, false},
	}
	for i, tt := range tests {
		if err := tt.check(); (err == nil) != tt.ok {
			t.Errorf("catalog check %d = %v, want ok %v", i, err, tt.ok)
		}
	}
}
