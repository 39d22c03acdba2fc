// Package strictyaml decodes YAML files into Go structs the way people need
// to be told about their mistakes: unknown fields, duplicate keys, values of
// the wrong type, missing required fields and values outside an enumeration
// are all reported, each at its line and column with its field path, in one
// run. Struct tags drive it: `yaml` names a field, `required:"true"` and
// `enum:"a|b"` constrain it, `doc` says what it means (for schemas and docs).
//
// The agreement file and the market scenarios are both read with it.
package strictyaml

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/suggest"
)

// maxProblems bounds the problems one decode reports: past it, the file is
// not an agreement and more lines would only hide the first ones.
const maxProblems = 200

// Options bound a decode and name what the file should be.
type Options struct {
	// What names the document for messages: "an agreement (version: 1, id, title, ...)".
	What string
	// MaxSize bounds the file in bytes.
	MaxSize int
	// MaxNodes bounds the values one decode may visit, counting every
	// expansion of an alias, so that an alias bomb ("billion laughs") fails
	// fast instead of exhausting memory.
	MaxNodes int
	// MaxMagnitude bounds float fields (default 1e15).
	MaxMagnitude float64
}

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
	at, _ := s.node(path)
	return at
}

// TextPos returns the position of the first character of the text of the
// scalar at path (past an opening quote), and whether a column counted in
// that text can be added to it: true for a plain or quoted scalar on one
// line, false for a block scalar or one that folds across lines.
func (s *Source) TextPos(path string) (problem.Pos, bool) {
	at, n := s.node(path)
	if n == nil || n.Kind != yaml.ScalarNode {
		return at, false
	}
	switch n.Style {
	case 0:
		return at, !strings.Contains(n.Value, "\n")
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		at.Column++
		return at, !strings.ContainsAny(n.Value, "\n\"'")
	}
	return at, false
}

// node finds the node at path (nil when the path does not exist) and the
// position of it or of its nearest ancestor that exists.
func (s *Source) node(path string) (problem.Pos, *yaml.Node) {
	if s == nil {
		return problem.Pos{}, nil
	}
	at := problem.Pos{File: s.File}
	if s.root == nil {
		return at, nil
	}
	n := s.root
	at.Line, at.Column = n.Line, n.Column
	segs, err := SplitPath(path)
	if err != nil || path == "" {
		return at, nil
	}
	for _, seg := range segs {
		for n.Kind == yaml.AliasNode {
			n = n.Alias
		}
		var next *yaml.Node
		switch {
		case seg.IsSel && n.Kind == yaml.SequenceNode:
			if i, err := strconv.Atoi(seg.Selector); err == nil && i >= 0 && i < len(n.Content) {
				next = n.Content[i]
			}
		case !seg.IsSel && n.Kind == yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == seg.Name {
					next = n.Content[i+1]
					break
				}
			}
		}
		if next == nil {
			return at, nil
		}
		n = next
		at.Line, at.Column = n.Line, n.Column
	}
	return at, n
}

// Decode reads data into v (a pointer to a struct) strictly. It returns the
// source, for positions, even when there are problems, so that callers may go
// on to validate and report everything at once; the error is a problem.List
// of every problem, or one problem.Error when the file is not YAML at all.
func Decode(file string, data []byte, v any, o Options) (*Source, error) {
	src := &Source{File: file}
	if o.MaxSize > 0 && len(data) > o.MaxSize {
		return src, &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: file}, Message: fmt.Sprintf("file is %d bytes; it may have at most %d", len(data), o.MaxSize)}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return src, &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: file}, Message: "file is empty: want " + o.What}
	}
	root, err := Parse(data)
	if err != nil {
		return src, yamlError(file, err)
	}
	node := root
	if node.Kind == yaml.DocumentNode && len(node.Content) == 1 {
		node = node.Content[0]
	}
	if node.Kind == 0 || node.Kind == yaml.DocumentNode {
		return src, &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: file}, Message: "file is empty (only comments): want " + o.What}
	}
	src.root = node
	d := newDecoder(src, o)
	d.value(node, reflect.ValueOf(v).Elem())
	return src, d.errs.Err()
}

// DecodeNode decodes one node into dst with the same rules, reporting
// problems under path (an amendment's new value, say).
func DecodeNode(n *yaml.Node, dst reflect.Value, path string, o Options) error {
	d := newDecoder(&Source{}, o)
	d.path = []byte(path)
	tmp := reflect.New(dst.Type()).Elem()
	d.value(n, tmp)
	if err := d.errs.Err(); err != nil {
		return err
	}
	dst.Set(tmp)
	return nil
}

func newDecoder(src *Source, o Options) *decoder {
	if o.MaxNodes <= 0 {
		o.MaxNodes = 200_000
	}
	if o.MaxMagnitude <= 0 {
		o.MaxMagnitude = 1e15
	}
	return &decoder{src: src, opt: o}
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
	opt   Options
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
	if d.nodes > d.opt.MaxNodes {
		if d.nodes == d.opt.MaxNodes+1 {
			d.fail(n, "document expands to more than %d values (an alias bomb?)", d.opt.MaxNodes)
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
	case reflect.Map:
		d.mapping(n, v)
	case reflect.Int, reflect.Int64:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
			d.fail(n, "want a whole number, got %s", kindName(n))
			return
		}
		i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 10, 64)
		if err != nil {
			d.fail(n, "want a whole number, got %q", n.Value)
			return
		}
		v.SetInt(i)
	case reflect.Uint64:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
			d.fail(n, "want a whole number, got %s", kindName(n))
			return
		}
		u, err := strconv.ParseUint(strings.ReplaceAll(n.Value, "_", ""), 10, 64)
		if err != nil {
			d.fail(n, "want a whole number ≥ 0, got %q", n.Value)
			return
		}
		v.SetUint(u)
	case reflect.Float64:
		if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") {
			d.fail(n, "want a number, got %s", kindName(n))
			return
		}
		x, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > d.opt.MaxMagnitude {
			d.fail(n, "want a finite number at most %g in magnitude, got %q", d.opt.MaxMagnitude, n.Value)
			return
		}
		v.SetFloat(x)
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
	fields := Fields(v.Type())
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
	for _, f := range fields.List {
		if f.Required && seen[f.Name] == nil {
			mark := d.push(f.Name)
			d.fail(n, "missing required field %q", f.Name)
			d.pop(mark)
		}
	}
}

// mapping decodes a mapping into a map with string keys.
func (d *decoder) mapping(n *yaml.Node, v reflect.Value) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, "want a mapping, got %s", kindName(n))
		return
	}
	m := reflect.MakeMap(v.Type())
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		mark := d.push(k.Value)
		if first, dup := seen[k.Value]; dup {
			d.fail(k, "duplicate key %q (first at line %d)", k.Value, first)
			d.pop(mark)
			continue
		}
		seen[k.Value] = k.Line
		e := reflect.New(v.Type().Elem()).Elem()
		d.value(val, e)
		d.pop(mark)
		m.SetMapIndex(reflect.ValueOf(k.Value), e)
	}
	v.Set(m)
}

// field decodes the value val of key k into its field of the struct v.
func (d *decoder) field(fields *FieldSet, k, val *yaml.Node, v reflect.Value, seen map[string]*yaml.Node) {
	if first, dup := seen[k.Value]; dup {
		d.fail(k, "duplicate key %q (first at line %d)", k.Value, first.Line)
		return
	}
	seen[k.Value] = k
	f, ok := fields.ByName[k.Value]
	if !ok {
		d.fail(k, "unknown field %q%s (known fields: %s)", k.Value, suggest.DidYouMean(suggest.Near(k.Value, fields.Names)), strings.Join(fields.Names, ", "))
		return
	}
	fv := v.Field(f.Index)
	d.value(val, fv)
	if keeper, ok := v.Addr().Interface().(NodeKeeper); ok {
		keeper.KeepNode(f.Name, val)
	}
	if len(f.Enum) > 0 && fv.Kind() == reflect.String && fv.String() != "" && !slices.Contains(f.Enum, fv.String()) {
		d.fail(val, "%q is not one of %s", fv.String(), strings.Join(f.Enum, ", "))
	}
}

// NodeKeeper is a type that keeps the YAML node of one of its fields (an
// amendment's value, to decode later into a type known only then).
type NodeKeeper interface {
	KeepNode(field string, n *yaml.Node)
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
