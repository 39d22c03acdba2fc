package agreement

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
)

// Difference is one field that changed between two agreement versions. Paths
// select list elements by id (or stage), so that reordering is not a change.
type Difference struct {
	Path string `json:"path"`
	Kind string `json:"kind"` // added, removed or changed
	Old  any    `json:"old,omitempty"`
	New  any    `json:"new,omitempty"`
}

// Diff lists what changed from old to new, field by field, in path order.
func Diff(old, new *Agreement) ([]Difference, error) {
	ot, err := toTree(old)
	if err != nil {
		return nil, err
	}
	nt, err := toTree(new)
	if err != nil {
		return nil, err
	}
	var out []Difference
	diffValue("", ot, nt, &out)
	return out, nil
}

func diffValue(path string, a, b any, out *[]Difference) {
	switch {
	case a == nil && b == nil:
		return
	case a == nil:
		*out = append(*out, Difference{Path: path, Kind: "added", New: b})
		return
	case b == nil:
		*out = append(*out, Difference{Path: path, Kind: "removed", Old: a})
		return
	}
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		names := map[string]bool{}
		for k := range am {
			names[k] = true
		}
		for k := range bm {
			names[k] = true
		}
		sorted := keys(names)
		sort.Strings(sorted)
		for _, k := range sorted {
			diffValue(join(path, k), am[k], bm[k], out)
		}
		return
	}
	al, aok := a.([]any)
	bl, bok := b.([]any)
	if aok && bok {
		diffList(path, al, bl, out)
		return
	}
	if !equalScalar(a, b) {
		*out = append(*out, Difference{Path: path, Kind: "changed", Old: a, New: b})
	}
}

func equalScalar(a, b any) bool {
	an, aok := a.(json.Number)
	bn, bok := b.(json.Number)
	if aok && bok {
		return an == bn
	}
	return reflect.DeepEqual(a, b)
}

// diffList matches elements by key when every element has one, else by index.
func diffList(path string, a, b []any, out *[]Difference) {
	ak, aok := listKeys(a)
	bk, bok := listKeys(b)
	if !aok || !bok {
		n := max(len(a), len(b))
		for i := 0; i < n; i++ {
			var x, y any
			if i < len(a) {
				x = a[i]
			}
			if i < len(b) {
				y = b[i]
			}
			diffValue(fmt.Sprintf("%s[%d]", path, i), x, y, out)
		}
		return
	}
	for i, k := range ak {
		j := indexOf(bk, k)
		var y any
		if j >= 0 {
			y = b[j]
		}
		diffValue(fmt.Sprintf("%s[%s]", path, k), a[i], y, out)
	}
	for j, k := range bk {
		if indexOf(ak, k) < 0 {
			diffValue(fmt.Sprintf("%s[%s]", path, k), nil, b[j], out)
		}
	}
}

func listKeys(l []any) ([]string, bool) {
	ks := make([]string, len(l))
	seen := map[string]bool{}
	for i, x := range l {
		k, ok := elementKey(x)
		if !ok || seen[k] {
			return nil, false
		}
		seen[k] = true
		ks[i] = k
	}
	return ks, true
}

func indexOf(l []string, s string) int {
	for i, x := range l {
		if x == s {
			return i
		}
	}
	return -1
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
