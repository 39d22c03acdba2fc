package agreement

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
)

// Schema returns the JSON Schema (draft 2020-12) of an agreement file,
// generated from the Go types and their tags, so that it cannot drift from
// what Decode accepts.
func Schema() ([]byte, error) {
	g := &schemaGen{defs: map[string]any{}}
	root := g.object(reflect.TypeFor[Agreement]())
	root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	root["$id"] = "https://mineralpact.org/schema/agreement-v1.json"
	root["title"] = "mineralpact agreement file, version 1"
	root["$defs"] = g.defs
	return json.MarshalIndent(root, "", "  ")
}

var (
	decimalType = reflect.TypeFor[dec.Decimal]()
	dateType    = reflect.TypeFor[date.Date]()
)

// decimalPattern is the text form of an exact decimal in an agreement file.
const decimalPattern = `^-?[0-9]+(\.[0-9]+)?$`

type schemaGen struct{ defs map[string]any }

func (g *schemaGen) typ(t reflect.Type, enum []string) map[string]any {
	switch {
	case t == decimalType:
		return map[string]any{"anyOf": []any{map[string]any{"type": "number"}, map[string]any{"type": "string", "pattern": decimalPattern}}}
	case t == dateType:
		return map[string]any{"type": "string", "format": "date"}
	case t == anyType:
		return map[string]any{}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return g.typ(t.Elem(), enum)
	case reflect.Struct:
		if _, ok := g.defs[t.Name()]; !ok {
			g.defs[t.Name()] = true // placeholder against recursion
			g.defs[t.Name()] = g.object(t)
		}
		return map[string]any{"$ref": "#/$defs/" + t.Name()}
	case reflect.Slice:
		return map[string]any{"type": "array", "items": g.typ(t.Elem(), enum)}
	case reflect.String:
		s := map[string]any{"type": "string"}
		if len(enum) > 0 {
			s["enum"] = enum
		}
		return s
	case reflect.Int:
		return map[string]any{"type": "integer"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	}
	panic(fmt.Sprintf("agreement: no schema for %s", t))
}

func (g *schemaGen) object(t reflect.Type) map[string]any {
	fs := fieldsOf(t)
	props := map[string]any{}
	required := []string{}
	for _, f := range fs.list {
		p := g.typ(t.Field(f.index).Type, f.enum)
		if f.doc != "" {
			p["description"] = f.doc
		}
		props[f.name] = p
		if f.required {
			required = append(required, f.name)
		}
	}
	return map[string]any{"type": "object", "properties": props, "required": required, "additionalProperties": false}
}

// Reference renders the field reference of docs/agreement.md from the same
// tags: one table per type, in the order a reader meets them.
func Reference() string {
	var b strings.Builder
	seen := map[reflect.Type]bool{}
	queue := []reflect.Type{reflect.TypeFor[Agreement]()}
	for len(queue) > 0 {
		t := queue[0]
		queue = queue[1:]
		if seen[t] {
			continue
		}
		seen[t] = true
		fmt.Fprintf(&b, "### %s\n\n| field | type | required | meaning |\n| --- | --- | --- | --- |\n", t.Name())
		for _, f := range fieldsOf(t).list {
			ft := t.Field(f.index).Type
			name, nested := typeName(ft)
			if nested != nil && !seen[nested] {
				queue = append(queue, nested)
			}
			if len(f.enum) > 0 {
				name = "one of `" + strings.Join(f.enum, "`, `") + "`"
			}
			req := ""
			if f.required {
				req = "yes"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", f.name, name, req, strings.ReplaceAll(f.doc, "|", "\\|"))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// typeName names a field's type for people, and returns the struct type to
// document next, if any.
func typeName(t reflect.Type) (string, reflect.Type) {
	switch {
	case t == decimalType:
		return "decimal", nil
	case t == dateType:
		return "date (YYYY-MM-DD)", nil
	case t == anyType:
		return "any value", nil
	}
	switch t.Kind() {
	case reflect.Pointer:
		return typeName(t.Elem())
	case reflect.Slice:
		n, nested := typeName(t.Elem())
		return "list of " + n, nested
	case reflect.Struct:
		return "[" + t.Name() + "](#" + strings.ToLower(t.Name()) + ")", t
	case reflect.Int:
		return "integer", nil
	case reflect.Bool:
		return "boolean", nil
	}
	return "text", nil
}
