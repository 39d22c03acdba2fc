package agreement

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// The generic tree is the agreement as JSON values (map[string]any, []any,
// string, json.Number, bool). Amendments edit it and Diff compares it, so both
// work on every field without a line of code per field.

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

func fromTree(t any) (*Agreement, error) {
	b, err := json.Marshal(t)
	if err != nil {
		return nil, err
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	var a Agreement
	if err := d.Decode(&a); err != nil {
		return nil, err
	}
	return &a, nil
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

func findElement(list []any, sel string) (int, error) {
	for i, x := range list {
		if k, ok := elementKey(x); ok && k == sel {
			return i, nil
		}
	}
	if i, err := strconv.Atoi(sel); err == nil {
		if i < 0 || i >= len(list) {
			return 0, fmt.Errorf("index %d out of range (the list has %d elements)", i, len(list))
		}
		return i, nil
	}
	var known []string
	for _, x := range list {
		if k, ok := elementKey(x); ok {
			known = append(known, k)
		}
	}
	return 0, fmt.Errorf("no element %q%s", sel, suggest(sel, known))
}

// applyChange edits the tree in place as c says.
func applyChange(tree any, c Change) (any, error) {
	segs, err := parsePath(c.Path)
	if err != nil {
		return tree, err
	}
	return edit(tree, segs, c)
}

func edit(node any, segs []segment, c Change) (any, error) {
	s := segs[0]
	last := len(segs) == 1
	if s.isSel {
		list, ok := node.([]any)
		if !ok {
			return node, fmt.Errorf("[%s] selects from a list, but the value there is not a list", s.selector)
		}
		i, err := findElement(list, s.selector)
		if err != nil {
			return node, err
		}
		if last {
			switch c.Op {
			case "set":
				list[i] = c.Value
			case "remove":
				list = append(list[:i:i], list[i+1:]...)
			default:
				return node, fmt.Errorf("op %s needs a path that ends at a list, not at an element", c.Op)
			}
			return list, nil
		}
		list[i], err = edit(list[i], segs[1:], c)
		return list, err
	}
	m, ok := node.(map[string]any)
	if !ok {
		return node, fmt.Errorf("field %q: the value there is not a mapping", s.name)
	}
	if last {
		switch c.Op {
		case "set":
			m[s.name] = c.Value
		case "remove":
			if _, ok := m[s.name]; !ok {
				return node, fmt.Errorf("field %q is not set", s.name)
			}
			delete(m, s.name)
		case "add":
			list, _ := m[s.name].([]any)
			if m[s.name] != nil && list == nil {
				return node, fmt.Errorf("field %q is not a list", s.name)
			}
			m[s.name] = append(list, c.Value)
		}
		return m, nil
	}
	child, ok := m[s.name]
	if !ok {
		if segs[1].isSel {
			return node, fmt.Errorf("field %q is not set", s.name)
		}
		child = map[string]any{}
	}
	var err error
	m[s.name], err = edit(child, segs[1:], c)
	return m, err
}
