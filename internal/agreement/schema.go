package agreement

import (
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/strictyaml"
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
	anyType     = reflect.TypeFor[any]()
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
	fs := strictyaml.Fields(t)
	props := map[string]any{}
	required := []string{}
	for _, f := range fs.List {
		p := g.typ(t.Field(f.Index).Type, f.Enum)
		if f.Doc != "" {
			p["description"] = f.Doc
		}
		props[f.Name] = p
		if f.Required {
			required = append(required, f.Name)
		}
	}
	return map[string]any{"type": "object", "properties": props, "required": required, "additionalProperties": false}
}

// Reference renders the field reference of docs/agreement.md from the same
// tags: one table per type, in the order a reader meets them.
func Reference() string {
	return strictyaml.Reference(reflect.TypeFor[Agreement](), "###", map[reflect.Type]string{
		decimalType: "decimal",
		dateType:    "date (YYYY-MM-DD)",
	})
}
