// Package scenarios holds the shipped market scenarios (docs/market.md,
// "Scenarios"), embedded so that the binary, the API and the portal can run
// them by name.
package scenarios

import (
	"embed"
	"io/fs"
	"slices"
	"strings"
)

//go:embed *.yaml
var files embed.FS

// Names returns the names of the shipped scenarios (file names without
// .yaml), sorted.
func Names() []string {
	ents, _ := fs.ReadDir(files, ".")
	var out []string
	for _, e := range ents {
		if n, ok := strings.CutSuffix(e.Name(), ".yaml"); ok {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// Get returns the text of the shipped scenario name (with or without
// .yaml) and the file name to report it under.
func Get(name string) (data []byte, file string, ok bool) {
	name = strings.TrimSuffix(strings.TrimPrefix(name, "scenarios/"), ".yaml")
	if name == "" || strings.ContainsAny(name, "/\\") {
		return nil, "", false
	}
	b, err := files.ReadFile(name + ".yaml")
	if err != nil {
		return nil, "", false
	}
	return b, "scenarios/" + name + ".yaml", true
}
