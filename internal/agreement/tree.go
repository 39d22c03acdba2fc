package agreement

import (
	"bytes"
	"encoding/json"
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
