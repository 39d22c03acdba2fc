package costcurve

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// Load returns the cost curve name of a mineral at a stage from fsys, laid out
// as the data directory (data.FS). Country names of the Busch data resolve
// through the registry of the embedded data (registry.Default); LoadWith takes
// a registry instead.
//
// "busch-lithium-2024" is lithium at stage mined, built from
// busch-lithium-deposits/Deposit.csv; "generated" reads
// costcurves/<mineral>-<stage>.csv. An unknown curve, or a mineral or stage
// the curve does not cover, is a NotFound error that lists what exists.
func Load(fsys fs.FS, name, mineral, stage string) (*Curve, error) {
	reg, err := registry.Default()
	if err != nil {
		return nil, err
	}
	return LoadWith(fsys, reg, name, mineral, stage)
}

// LoadWith is Load with the registry that resolves country names.
func LoadWith(fsys fs.FS, reg *registry.Registry, name, mineral, stage string) (*Curve, error) {
	switch name {
	case Busch:
		if mineral != "lithium" || stage != "mined" {
			return nil, &problem.Error{Code: problem.NotFound, Field: "curve",
				Message: fmt.Sprintf("cost curve %s covers lithium/mined only, not %s/%s", Busch, mineral, stage)}
		}
		return loadBusch(fsys, newCountryNames(reg))
	case Generated:
		path := FileName(mineral, stage)
		b, err := fs.ReadFile(fsys, path)
		if err != nil {
			have := generatedFiles(fsys)
			return nil, &problem.Error{Code: problem.NotFound, Field: "curve",
				Message: fmt.Sprintf("no generated cost curve for %s/%s (data/%s); generated curves exist for %s", mineral, stage, path, strings.Join(have, ", "))}
		}
		c, err := Decode("data/"+path, b)
		if err != nil {
			return nil, err
		}
		if c.Mineral != mineral || c.Stage != stage {
			return nil, &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: "data/" + path}, Field: "mineral",
				Message: fmt.Sprintf("the file says %s/%s, want %s/%s", c.Mineral, c.Stage, mineral, stage)}
		}
		return c, nil
	}
	return nil, &problem.Error{Code: problem.NotFound, Field: "curve",
		Message: fmt.Sprintf("unknown cost curve %q; known curves: %s (lithium/mined), %s (%s)", name, Busch, Generated, strings.Join(generatedFiles(fsys), ", "))}
}

// generatedFiles lists the mineral/stage pairs of the generated curves in fsys.
func generatedFiles(fsys fs.FS) []string {
	matches, _ := fs.Glob(fsys, "costcurves/*.csv")
	out := make([]string, 0, len(matches))
	for _, m := range matches {
		base := strings.TrimSuffix(strings.TrimPrefix(m, "costcurves/"), ".csv")
		if i := strings.LastIndex(base, "-"); i > 0 {
			out = append(out, base[:i]+"/"+base[i+1:])
		}
	}
	slices.Sort(out)
	if len(out) == 0 {
		return []string{"none"}
	}
	return out
}
