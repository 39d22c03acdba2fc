package agreement

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// The generic tree is the agreement as JSON values (map[string]any, []any,
// string, json.Number, bool). Diff compares two of them, so that it works on
// every field without a line of code per field.

func toTree(a *Agreement) (any, error) {
	b, err := json.Marshal(a)
	if err != nil {
		return nil, err
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var t any
	return t, d.Decode(&t)
}

// segment is one step of a field path: a field name, or a list element chosen
// by id (or stage) or by index.
type segment struct {
	name     string
	selector string
	isSel    bool
}

// parsePath splits parties[US].instruments[1].rate into its segments.
func parsePath(path string) ([]segment, error) {
	var segs []segment
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
			segs = append(segs, segment{selector: rest[1:end], isSel: true})
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
			segs = append(segs, segment{name: rest[:end]})
			rest = rest[end:]
		}
	}
	if len(segs) == 0 {
		return nil, fmt.Errorf("empty path")
	}
	return segs, nil
}

// elementKey is what identifies an element of a list: its id, or its stage.
func elementKey(x any) (string, bool) {
	m, ok := x.(map[string]any)
	if !ok {
		return "", false
	}
	for _, k := range []string{"id", "stage"} {
		if s, ok := m[k].(string); ok && s != "" {
			return s, true
		}
	}
	return "", false
}
