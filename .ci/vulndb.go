//go:build ignore

// vulndb builds the vulnerability database govulncheck reads (-db
// file://DIR) from the OSV entries in a golang.org/x/vulndb module version,
// which the Go module proxy serves where vuln.go.dev cannot be reached. It
// writes the layout vuln.go.dev serves (https://go.dev/doc/security/vuln/database):
// DIR/index/db.json (when the newest entry was modified), DIR/index/modules.json
// (per module, its vulnerabilities with the version that fixes each) and
// DIR/ID/<id>.json (each entry as published).
//
//	go run .ci/vulndb.go OSV_DIR OUT_DIR
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

type entry struct {
	ID       string `json:"id"`
	Modified string `json:"modified"`
	Affected []struct {
		Package struct {
			Name string `json:"name"`
		} `json:"package"`
		Ranges []struct {
			Events []struct {
				Fixed string `json:"fixed"`
			} `json:"events"`
		} `json:"ranges"`
	} `json:"affected"`
}

type modVuln struct {
	ID       string `json:"id"`
	Modified string `json:"modified"`
	Fixed    string `json:"fixed,omitempty"`
}

type module struct {
	Path  string    `json:"path"`
	Vulns []modVuln `json:"vulns"`
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: go run .ci/vulndb.go OSV_DIR OUT_DIR")
		os.Exit(2)
	}
	if err := build(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "vulndb:", err)
		os.Exit(1)
	}
}

func build(in, out string) error {
	files, err := filepath.Glob(filepath.Join(in, "GO-*.json"))
	if err != nil || len(files) == 0 {
		return fmt.Errorf("no OSV entries GO-*.json in %s (%v)", in, err)
	}
	for _, d := range []string{"index", "ID"} {
		if err := os.MkdirAll(filepath.Join(out, d), 0o755); err != nil {
			return err
		}
	}
	mods := map[string][]modVuln{}
	newest := ""
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var e entry
		if err := json.Unmarshal(b, &e); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		if e.ID == "" || !strings.HasPrefix(filepath.Base(f), e.ID) {
			return fmt.Errorf("%s: id %q does not match the file", f, e.ID)
		}
		newest = max(newest, e.Modified)
		for _, a := range e.Affected {
			v := modVuln{ID: e.ID, Modified: e.Modified}
			for _, r := range a.Ranges {
				for _, ev := range r.Events {
					if ev.Fixed != "" {
						v.Fixed = ev.Fixed // the events are in order: the last fix is the latest
					}
				}
			}
			mods[a.Package.Name] = append(mods[a.Package.Name], v)
		}
		if err := os.WriteFile(filepath.Join(out, "ID", e.ID+".json"), b, 0o644); err != nil {
			return err
		}
	}
	list := make([]module, 0, len(mods))
	for p, vs := range mods {
		list = append(list, module{Path: p, Vulns: vs})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Path < list[j].Path })
	if err := writeJSON(filepath.Join(out, "index", "modules.json"), list); err != nil {
		return err
	}
	return writeJSON(filepath.Join(out, "index", "db.json"), map[string]string{"modified": newest})
}

func writeJSON(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
