package strictyaml

import (
	"fmt"
	"reflect"
	"strings"
)

// Reference renders the field reference of a file format from its struct
// tags: one Markdown table per struct type, in the order a reader meets them,
// under headings of the given level ("###"). leaves names the struct types
// that are values, not tables (a decimal, a date).
func Reference(root reflect.Type, heading string, leaves map[reflect.Type]string) string {
	var b strings.Builder
	seen := map[reflect.Type]bool{}
	queue := []reflect.Type{root}
	for len(queue) > 0 {
		t := queue[0]
		queue = queue[1:]
		if seen[t] {
			continue
		}
		seen[t] = true
		fmt.Fprintf(&b, "%s %s\n\n| field | type | required | meaning |\n| --- | --- | --- | --- |\n", heading, t.Name())
		for _, f := range Fields(t).List {
			name, nested := typeName(t.Field(f.Index).Type, leaves)
			if nested != nil && !seen[nested] {
				queue = append(queue, nested)
			}
			if len(f.Enum) > 0 {
				name = "one of `" + strings.Join(f.Enum, "`, `") + "`"
			}
			req := ""
			if f.Required {
				req = "yes"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", f.Name, name, req, strings.ReplaceAll(f.Doc, "|", "\\|"))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// typeName names a field's type for people, and returns the struct type to
// document next, if any.
func typeName(t reflect.Type, leaves map[reflect.Type]string) (string, reflect.Type) {
	if name, ok := leaves[t]; ok {
		return name, nil
	}
	switch t.Kind() {
	case reflect.Pointer:
		return typeName(t.Elem(), leaves)
	case reflect.Slice:
		n, nested := typeName(t.Elem(), leaves)
		return "list of " + n, nested
	case reflect.Map:
		n, nested := typeName(t.Elem(), leaves)
		return "mapping of text to " + n, nested
	case reflect.Struct:
		return "[" + t.Name() + "](#" + strings.ToLower(t.Name()) + ")", t
	case reflect.Interface:
		return "any value", nil
	case reflect.Int, reflect.Int64, reflect.Uint64:
		return "integer", nil
	case reflect.Float64:
		return "number", nil
	case reflect.Bool:
		return "boolean", nil
	}
	return "text", nil
}
