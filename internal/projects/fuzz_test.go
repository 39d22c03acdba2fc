package projects

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecodePipeline: any input either decodes to a valid pipeline whose
// projects' cash flows compute, or fails with problems; it never panics.
func FuzzDecodePipeline(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.yaml")
	bad, _ := filepath.Glob("testdata/bad/*.yaml")
	for _, file := range append(files, bad...) {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := DecodePipeline("fuzz.yaml", data)
		if err != nil {
			if p != nil {
				t.Fatalf("DecodePipeline returned a pipeline and an error %v", err)
			}
			return
		}
		for i := range p.Projects {
			pr := &p.Projects[i]
			if _, err := pr.CashFlows(Flat(100, pr.Horizon()), 0.08); err != nil {
				t.Fatalf("CashFlows(%s) of a valid pipeline: %v", pr.ID, err)
			}
		}
	})
}
