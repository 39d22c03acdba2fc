package strictyaml

import (
	"fmt"
	"strings"
)

// Segment is one step of a field path: a field name, or a list element chosen
// by a selector (an index, or an id where the caller supports it).
type Segment struct {
	Name     string
	Selector string
	IsSel    bool
}

// SplitPath splits parties[US].instruments[1].rate into its segments.
func SplitPath(path string) ([]Segment, error) {
	var segs []Segment
	rest := path
	for rest != "" {
		switch {
		case rest[0] == '[':
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return nil, fmt.Errorf("path %q: unclosed [", path)
			}
			if end == 1 {
				return nil, fmt.Errorf("path %q: empty []", path)
			}
			segs = append(segs, Segment{Selector: rest[1:end], IsSel: true})
			rest = rest[end+1:]
		case rest[0] == '.':
			if len(segs) == 0 {
				return nil, fmt.Errorf("path %q starts with a dot", path)
			}
			rest = rest[1:]
		default:
			end := strings.IndexAny(rest, ".[")
			if end < 0 {
				end = len(rest)
			}
			segs = append(segs, Segment{Name: rest[:end]})
			rest = rest[end:]
		}
	}
	if len(segs) == 0 {
		return nil, fmt.Errorf("empty path")
	}
	return segs, nil
}
