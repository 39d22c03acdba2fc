package market

import (
	"bytes"
	"encoding"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// MaxScenarioSize bounds a scenario file; a real one is a few kilobytes.
const MaxScenarioSize = 1 << 20

// maxScenarioNodes bounds the YAML values one decode visits, counting alias
// expansions, so that an alias bomb fails fast.
const maxScenarioNodes = 100_000

// DecodeScenario reads a scenario file strictly — unknown fields, duplicate
// keys, values of the wrong type, missing required fields and values outside
// an enumeration are errors — and checks what can be checked without the
// registry and the agreement (Build checks the rest). Every problem is
// reported at once, each as file:line:column: field.path: message.
func DecodeScenario(name string, data []byte) (*Scenario, error) {
	if len(data) > MaxScenarioSize {
		return nil, &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: name}, Message: fmt.Sprintf("file is %d bytes; a scenario may have at most %d", len(data), MaxScenarioSize)}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: name}, Message: "file is empty: want a scenario (version: 1, id, title, mineral, ...)"}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, scenarioYAMLError(name, err)
	}
	node := &root
	if node.Kind == yaml.DocumentNode && len(node.Content) == 1 {
		node = node.Content[0]
	}
	if node.Kind == 0 || node.Kind == yaml.DocumentNode {
		return nil, &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: name}, Message: "file is empty (only comments): want a scenario"}
	}
	d := &sdecoder{file: name, pos: map[string]problem.Pos{}}
	sc := &Scenario{}
	d.value(node, reflect.ValueOf(sc).Elem())
	sc.file, sc.pos = name, d.pos
	if len(d.errs) > 0 {
		return nil, d.errs.Err()
	}
	if err := sc.validate(); err != nil {
		return nil, err
	}
	return sc, nil
}

var scenarioYAMLLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func scenarioYAMLError(file string, err error) error {
	msg := err.Error()
	if m := scenarioYAMLLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: file, Line: line}, Message: "not valid YAML: " + m[2]}
	}
	return &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: file}, Message: "not valid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

// sdecoder decodes YAML nodes into the scenario types by their struct tags
// (yaml, required, enum), recording the position of every value by its path
// so that validation can point at it.
type sdecoder struct {
	file  string
	errs  problem.List
	pos   map[string]problem.Pos
	path  []string
	nodes int
}

func (d *sdecoder) at(n *yaml.Node) problem.Pos {
	return problem.Pos{File: d.file, Line: n.Line, Column: n.Column}
}

func (d *sdecoder) cur() string { return strings.Join(d.path, "") }

func (d *sdecoder) fail(n *yaml.Node, format string, args ...any) {
	if len(d.errs) < 200 {
		d.errs.Add(d.at(n), d.cur(), format, args...)
	}
}

func (d *sdecoder) push(seg string) {
	if len(d.path) > 0 && !strings.HasPrefix(seg, "[") {
		seg = "." + seg
	}
	d.path = append(d.path, seg)
}

func (d *sdecoder) pop() { d.path = d.path[:len(d.path)-1] }

func nodeKind(n *yaml.Node) string {
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

var textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()

func (d *sdecoder) value(n *yaml.Node, v reflect.Value) {
	d.nodes++
	if d.nodes > maxScenarioNodes {
		if d.nodes == maxScenarioNodes+1 {
			d.fail(n, "document expands to more than %d values (an alias bomb?)", maxScenarioNodes)
		}
		return
	}
	if n.Kind == yaml.AliasNode {
		d.value(n.Alias, v)
		return
	}
	d.pos[d.cur()] = d.at(n)
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
	if v.CanAddr() && v.Addr().Type().Implements(textUnmarshalerType) {
		if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
			d.fail(n, "want a single value, got %s", nodeKind(n))
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
			d.fail(n, "want a list, got %s", nodeKind(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, c := range n.Content {
			d.push(fmt.Sprintf("[%d]", i))
			d.value(c, s.Index(i))
			d.pop()
		}
		v.Set(s)
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			d.fail(n, "want a mapping, got %s", nodeKind(n))
			return
		}
		m := reflect.MakeMap(v.Type())
		seen := map[string]int{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if first, dup := seen[k.Value]; dup {
				d.fail(k, "duplicate key %q (first at line %d)", k.Value, first)
				continue
			}
			seen[k.Value] = k.Line
			d.push(k.Value)
			e := reflect.New(v.Type().Elem()).Elem()
			d.value(val, e)
			d.pop()
			m.SetMapIndex(reflect.ValueOf(k.Value), e)
		}
		v.Set(m)
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			d.fail(n, "want text, got %s", nodeKind(n))
			return
		}
		if n.Tag != "!!null" {
			v.SetString(n.Value)
		}
	case reflect.Float64:
		if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") {
			d.fail(n, "want a number, got %s", nodeKind(n))
			return
		}
		x, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > maxMagnitude {
			d.fail(n, "want a finite number at most %g in magnitude, got %q", maxMagnitude, n.Value)
			return
		}
		v.SetFloat(x)
	case reflect.Int, reflect.Uint64:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
			d.fail(n, "want a whole number, got %s", nodeKind(n))
			return
		}
		if v.Kind() == reflect.Int {
			i, err := strconv.Atoi(strings.ReplaceAll(n.Value, "_", ""))
			if err != nil {
				d.fail(n, "want a whole number, got %q", n.Value)
				return
			}
			v.SetInt(int64(i))
		} else {
			u, err := strconv.ParseUint(strings.ReplaceAll(n.Value, "_", ""), 10, 64)
			if err != nil {
				d.fail(n, "want a whole number ≥ 0, got %q", n.Value)
				return
			}
			v.SetUint(u)
		}
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			d.fail(n, "want true or false, got %s", nodeKind(n))
			return
		}
		v.SetBool(strings.EqualFold(n.Value, "true"))
	default:
		d.fail(n, "cannot decode into %s", v.Type())
	}
}

func (d *sdecoder) structure(n *yaml.Node, v reflect.Value) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, "want a mapping of fields, got %s", nodeKind(n))
		return
	}
	fs := scenarioFields(v.Type())
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.fail(k, "want a field name, got %s", nodeKind(k))
			continue
		}
		if k.Value == "<<" {
			d.fail(k, "merge keys (<<) are not allowed: write the fields out")
			continue
		}
		d.push(k.Value)
		if first, dup := seen[k.Value]; dup {
			d.fail(k, "duplicate key %q (first at line %d)", k.Value, first)
			d.pop()
			continue
		}
		seen[k.Value] = k.Line
		f, ok := fs.byName[k.Value]
		if !ok {
			d.fail(k, "unknown field %q%s (known fields: %s)", k.Value, closest(k.Value, fs.names), strings.Join(fs.names, ", "))
			d.pop()
			continue
		}
		fv := v.Field(f.index)
		d.value(val, fv)
		if len(f.enum) > 0 && fv.Kind() == reflect.String && fv.String() != "" && !contains(f.enum, fv.String()) {
			d.fail(val, "%q is not one of %s", fv.String(), strings.Join(f.enum, ", "))
		}
		d.pop()
	}
	for _, f := range fs.list {
		if f.required {
			if _, ok := seen[f.name]; !ok {
				d.push(f.name)
				d.fail(n, "missing required field %q", f.name)
				d.pop()
			}
		}
	}
}

// sfield is what the struct tags say of one field of a scenario type.
type sfield struct {
	name, doc string
	index     int
	required  bool
	enum      []string
}

type sfieldSet struct {
	list   []sfield
	byName map[string]sfield
	names  []string
}

var sfieldCache sync.Map

func scenarioFields(t reflect.Type) *sfieldSet {
	if fs, ok := sfieldCache.Load(t); ok {
		return fs.(*sfieldSet)
	}
	fs := &sfieldSet{byName: map[string]sfield{}}
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		name := sf.Tag.Get("yaml")
		if name == "" || !sf.IsExported() {
			continue
		}
		f := sfield{name: name, index: i, required: sf.Tag.Get("required") == "true", doc: sf.Tag.Get("doc")}
		if e := sf.Tag.Get("enum"); e != "" {
			f.enum = strings.Split(e, "|")
		}
		fs.list = append(fs.list, f)
		fs.byName[name] = f
		fs.names = append(fs.names, name)
	}
	sfieldCache.Store(t, fs)
	return fs
}

// closest suggests the known name within edit distance 2 of got.
func closest(got string, names []string) string {
	best, bestD := "", 3
	for _, n := range names {
		if d := editDistance(got, n); d < bestD {
			best, bestD = n, d
		}
	}
	if best == "" {
		return ""
	}
	return ` (did you mean "` + best + `"?)`
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			c := 1
			if ra[i-1] == rb[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// ScenarioReference returns the field reference of the scenario format as
// Markdown tables, one per type, generated from the struct tags
// (docs/market.md embeds it; its test keeps the two in step).
func ScenarioReference() string {
	var b strings.Builder
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	queue := []reflect.Type{reflect.TypeFor[Scenario]()}
	walk = func(t reflect.Type) {
		if seen[t] {
			return
		}
		seen[t] = true
		fs := scenarioFields(t)
		fmt.Fprintf(&b, "#### %s\n\n| field | type | required | meaning |\n| --- | --- | --- | --- |\n", t.Name())
		for _, f := range fs.list {
			sf := t.Field(f.index)
			req := ""
			if f.required {
				req = "yes"
			}
			typ := typeName(sf.Type)
			if len(f.enum) > 0 {
				typ = "one of `" + strings.Join(f.enum, "`, `") + "`"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", f.name, typ, req, f.doc)
			for _, et := range structTypes(sf.Type) {
				queue = append(queue, et)
			}
		}
		b.WriteString("\n")
	}
	for len(queue) > 0 {
		t := queue[0]
		queue = queue[1:]
		walk(t)
	}
	return b.String()
}

func structTypes(t reflect.Type) []reflect.Type {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() == reflect.Struct && t.Name() != "Date" {
		return []reflect.Type{t}
	}
	return nil
}

func typeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Pointer:
		return typeName(t.Elem())
	case reflect.Slice:
		return "list of " + typeName(t.Elem())
	case reflect.Map:
		return "mapping of text to " + typeName(t.Elem())
	case reflect.Struct:
		if t.Name() == "Date" {
			return "date (YYYY-MM-DD)"
		}
		return "[" + t.Name() + "](#" + strings.ToLower(t.Name()) + ")"
	case reflect.Float64:
		return "number"
	case reflect.Int, reflect.Uint64:
		return "integer"
	case reflect.Bool:
		return "boolean"
	case reflect.String:
		return "text"
	}
	return t.String()
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
