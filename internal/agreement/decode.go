package agreement

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// MaxFileSize bounds an agreement file; a real one is a few hundred kilobytes.
const MaxFileSize = 8 << 20

// maxProblems bounds the problems one decode reports: past it, the file is
// not an agreement and more lines would only hide the first ones.
const maxProblems = 200

// maxNodes bounds the nodes one decode may visit, counting every expansion of
// an alias, so that an alias bomb ("billion laughs") fails fast instead of
// exhausting memory.
const maxNodes = 200_000

// Source keeps the parsed file, so that validation can report a problem at
// its line and column. Positions are looked up only when a problem is
// reported, so a file that is valid pays nothing for them.
type Source struct {
	File string
	root *yaml.Node
}

// Pos returns the position of the value at path, or of its nearest ancestor
// that exists (a missing field is reported where its parent stands).
func (s *Source) Pos(path string) problem.Pos {
	if s == nil {
		return problem.Pos{}
	}
	at := problem.Pos{File: s.File}
	if s.root == nil {
		return at
	}
	n := s.root
	at.Line, at.Column = n.Line, n.Column
	segs, err := parsePath(path)
	if err != nil || path == "" {
		return at
	}
	for _, seg := range segs {
		for n.Kind == yaml.AliasNode {
			n = n.Alias
		}
		var next *yaml.Node
		switch {
		case seg.isSel && n.Kind == yaml.SequenceNode:
			if i, err := strconv.Atoi(seg.selector); err == nil && i >= 0 && i < len(n.Content) {
				next = n.Content[i]
			}
		case !seg.isSel && n.Kind == yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == seg.name {
					next = n.Content[i+1]
					break
				}
			}
		}
		if next == nil {
			return at
		}
		n = next
		at.Line, at.Column = n.Line, n.Column
	}
	return at
}

// Decode reads an agreement file strictly: unknown fields, duplicate keys,
// values of the wrong type, missing required fields and values outside an
// enumeration are all reported, each with its line, column and field path.
// It returns the agreement and its source map even when there are problems,
// so that callers may go on to validate and report everything at once.
func Decode(file string, data []byte) (*Agreement, *Source, error) {
	src := &Source{File: file}
	if len(data) > MaxFileSize {
		return nil, src, &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: file}, Message: fmt.Sprintf("file is %d bytes; an agreement file may have at most %d", len(data), MaxFileSize)}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, src, &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: file}, Message: "file is empty: want an agreement document (version: 1, id, title, ...)"}
	}
	root, err := parseYAML(data)
	if err != nil {
		return nil, src, yamlError(file, err)
	}
	node := root
	if node.Kind == yaml.DocumentNode && len(node.Content) == 1 {
		node = node.Content[0]
	}
	if node.Kind == 0 || node.Kind == yaml.DocumentNode {
		return nil, src, &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: file}, Message: "file is empty (only comments): want an agreement document (version: 1, id, title, ...)"}
	}
	src.root = node
	d := &decoder{src: src}
	var a Agreement
	d.value(node, reflect.ValueOf(&a).Elem())
	return &a, src, d.errs.Err()
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError turns a yaml.v3 syntax error into a problem with its line.
func yamlError(file string, err error) error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: file, Line: line}, Message: "not valid YAML: " + m[2]}
	}
	return &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: file}, Message: "not valid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

type decoder struct {
	src   *Source
	errs  problem.List
	nodes int
	path  []byte // the field path being decoded, e.g. parties[3].instruments[1]
}

func (d *decoder) pos(n *yaml.Node) problem.Pos {
	return problem.Pos{File: d.src.File, Line: n.Line, Column: n.Column}
}

// fail reports a problem at n, under the path being decoded.
func (d *decoder) fail(n *yaml.Node, format string, args ...any) {
	d.failAt(n, string(d.path), format, args...)
}

func (d *decoder) failAt(n *yaml.Node, path, format string, args ...any) {
	switch {
	case len(d.errs) < maxProblems:
		d.errs.Add(d.pos(n), path, format, args...)
	case len(d.errs) == maxProblems:
		d.errs.Add(d.pos(n), path, "too many problems (more than %d): fix these first", maxProblems)
	}
}

// push appends a field name to the path being decoded and returns the length
// to pop back to; the path is one buffer, so decoding a valid file builds no
// path strings at all.
func (d *decoder) push(name string) int {
	n := len(d.path)
	if n > 0 {
		d.path = append(d.path, '.')
	}
	d.path = append(d.path, name...)
	return n
}

func (d *decoder) pushIndex(i int) int {
	n := len(d.path)
	d.path = append(d.path, '[')
	d.path = strconv.AppendInt(d.path, int64(i), 10)
	d.path = append(d.path, ']')
	return n
}

func (d *decoder) pop(n int) { d.path = d.path[:n] }

// visit counts a node against maxNodes and reports false once over it.
func (d *decoder) visit(n *yaml.Node) bool {
	d.nodes++
	if d.nodes > maxNodes {
		if d.nodes == maxNodes+1 {
			d.fail(n, "document expands to more than %d values (an alias bomb?)", maxNodes)
		}
		return false
	}
	return true
}

var (
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	anyType         = reflect.TypeFor[any]()
)

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing (null)"
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "an unexpected node"
}

// value decodes n into v, reporting problems under the current path.
func (d *decoder) value(n *yaml.Node, v reflect.Value) {
	if !d.visit(n) {
		return
	}
	if n.Kind == yaml.AliasNode {
		d.value(n.Alias, v)
		return
	}
	if v.Kind() == reflect.Pointer {
		if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
			return
		}
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		d.value(n, v.Elem())
		return
	}
	if v.Type() == anyType {
		g, err := d.generic(n, 0)
		if err != nil {
			d.fail(n, "%v", err)
			return
		}
		if g != nil {
			v.Set(reflect.ValueOf(g))
		}
		return
	}
	if v.CanAddr() && v.Addr().Type().Implements(textUnmarshaler) {
		if n.Kind != yaml.ScalarNode {
			d.fail(n, "want a single value, got %s", kindName(n))
			return
		}
		if n.Tag == "!!null" {
			return
		}
		if err := v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(n.Value)); err != nil {
			d.fail(n, "%v", err)
		}
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		d.structure(n, v)
	case reflect.Slice:
		if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
			return
		}
		if n.Kind != yaml.SequenceNode {
			d.fail(n, "want a list, got %s", kindName(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, c := range n.Content {
			mark := d.pushIndex(i)
			d.value(c, s.Index(i))
			d.pop(mark)
		}
		v.Set(s)
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			d.fail(n, "want text, got %s", kindName(n))
			return
		}
		if n.Tag != "!!null" {
			v.SetString(n.Value)
		}
	case reflect.Int:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
			d.fail(n, "want a whole number, got %s", kindName(n))
			return
		}
		i, err := strconv.Atoi(n.Value)
		if err != nil {
			d.fail(n, "want a whole number, got %q", n.Value)
			return
		}
		v.SetInt(int64(i))
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			d.fail(n, "want true or false, got %s", kindName(n))
			return
		}
		v.SetBool(n.Value == "true" || n.Value == "True" || n.Value == "TRUE")
	default:
		d.fail(n, "cannot decode into %s", v.Type())
	}
}

// structure decodes a mapping into a struct, field by field.
func (d *decoder) structure(n *yaml.Node, v reflect.Value) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, "want a mapping of fields, got %s", kindName(n))
		return
	}
	fields := fieldsOf(v.Type())
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.fail(k, "want a field name, got %s", kindName(k))
			continue
		}
		if k.Value == "<<" {
			d.fail(k, "merge keys (<<) are not allowed: write the fields out")
			continue
		}
		mark := d.push(k.Value)
		d.field(fields, k, val, v, seen)
		d.pop(mark)
	}
	for _, f := range fields.list {
		if f.required && seen[f.name] == nil {
			mark := d.push(f.name)
			d.fail(n, "missing required field %q", f.name)
			d.pop(mark)
		}
	}
}

// field decodes the value val of key k into its field of the struct v.
func (d *decoder) field(fields *fieldSet, k, val *yaml.Node, v reflect.Value, seen map[string]*yaml.Node) {
	if first, dup := seen[k.Value]; dup {
		d.fail(k, "duplicate key %q (first at line %d)", k.Value, first.Line)
		return
	}
	seen[k.Value] = k
	f, ok := fields.byName[k.Value]
	if !ok {
		d.fail(k, "unknown field %q%s (known fields: %s)", k.Value, suggest(k.Value, fields.names), strings.Join(fields.names, ", "))
		return
	}
	fv := v.Field(f.index)
	d.value(val, fv)
	if keeper, ok := v.Addr().Interface().(nodeKeeper); ok {
		keeper.keepNode(f.name, val)
	}
	if len(f.enum) > 0 && fv.Kind() == reflect.String && fv.String() != "" && !contains(f.enum, fv.String()) {
		d.fail(val, "%q is not one of %s", fv.String(), strings.Join(f.enum, ", "))
	}
}

// nodeKeeper is a type that keeps the YAML node of one of its fields.
type nodeKeeper interface {
	keepNode(field string, n *yaml.Node)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// generic converts a YAML node to the JSON-like value of an amendment's Change:
// maps, lists, strings, json.Number, bool and nil.
func (d *decoder) generic(n *yaml.Node, depth int) (any, error) {
	if !d.visit(n) {
		return nil, nil
	}
	if depth > 64 {
		return nil, fmt.Errorf("value nested more than 64 levels deep")
	}
	switch n.Kind {
	case yaml.AliasNode:
		return d.generic(n.Alias, depth+1)
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return nil, nil
		case "!!bool":
			return n.Value == "true" || n.Value == "True" || n.Value == "TRUE", nil
		case "!!int", "!!float":
			return json.Number(n.Value), nil
		}
		return n.Value, nil
	case yaml.SequenceNode:
		out := make([]any, len(n.Content))
		for i, c := range n.Content {
			g, err := d.generic(c, depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = g
		}
		return out, nil
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			if _, dup := out[k]; dup {
				return nil, fmt.Errorf("duplicate key %q", k)
			}
			g, err := d.generic(n.Content[i+1], depth+1)
			if err != nil {
				return nil, err
			}
			out[k] = g
		}
		return out, nil
	}
	return nil, fmt.Errorf("unexpected YAML node")
}
