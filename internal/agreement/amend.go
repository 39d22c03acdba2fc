package agreement

import (
	"fmt"
	"reflect"
	"strconv"

	"gopkg.in/yaml.v3"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/strictyaml"
)

// Amendments are applied to the typed agreement directly: the path is walked
// by reflection over the same yaml tags that decoding uses, and the new value
// is decoded by the same strict decoder, straight into the field's type. This
// is several times faster than a round trip through a generic tree, and a
// value of the wrong type is reported like any other decoding problem.

// applyTyped applies c to the agreement a (already a deep copy).
func applyTyped(a *Agreement, c Change) error {
	segs, err := strictyaml.SplitPath(c.Path)
	if err != nil {
		return err
	}
	return editValue(reflect.ValueOf(a).Elem(), segs, c)
}

func editValue(v reflect.Value, segs []strictyaml.Segment, c Change) error {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			if c.Op == "remove" {
				return fmt.Errorf("nothing to remove")
			}
			v.Set(reflect.New(v.Type().Elem()))
		}
		v = v.Elem()
	}
	s := segs[0]
	last := len(segs) == 1
	if s.IsSel {
		if v.Kind() != reflect.Slice {
			return fmt.Errorf("[%s] selects from a list, but the value there is not a list", s.Selector)
		}
		i, err := findTypedElement(v, s.Selector)
		if err != nil {
			return err
		}
		if !last {
			return editValue(v.Index(i), segs[1:], c)
		}
		switch c.Op {
		case "set":
			return decodeChangeValue(c, v.Index(i))
		case "remove":
			v.Set(reflect.AppendSlice(v.Slice(0, i), v.Slice(i+1, v.Len())))
			return nil
		}
		return fmt.Errorf("op %s needs a path that ends at a list, not at an element", c.Op)
	}
	if v.Kind() != reflect.Struct || isAtomic(v.Type()) {
		return fmt.Errorf("field %q: the value there has no fields", s.Name)
	}
	f, ok := strictyaml.Fields(v.Type()).ByName[s.Name]
	if !ok {
		return fmt.Errorf("no field %q%s", s.Name, didYouMean(s.Name, strictyaml.Fields(v.Type()).Names))
	}
	fv := v.Field(f.Index)
	if !last {
		return editValue(fv, segs[1:], c)
	}
	switch c.Op {
	case "set":
		return decodeChangeValue(c, fv)
	case "remove":
		if fv.IsZero() {
			return fmt.Errorf("field %q is not set", s.Name)
		}
		fv.Set(reflect.Zero(fv.Type()))
		return nil
	case "add":
		if fv.Kind() != reflect.Slice {
			return fmt.Errorf("field %q is not a list", s.Name)
		}
		elem := reflect.New(fv.Type().Elem()).Elem()
		if err := decodeChangeValue(c, elem); err != nil {
			return err
		}
		fv.Set(reflect.Append(fv, elem))
		return nil
	}
	return fmt.Errorf("unknown op %q", c.Op)
}

// findTypedElement finds a list element by id (or stage), else by index.
func findTypedElement(list reflect.Value, sel string) (int, error) {
	var known []string
	for i := 0; i < list.Len(); i++ {
		if k, ok := typedKey(list.Index(i)); ok {
			if k == sel {
				return i, nil
			}
			known = append(known, k)
		}
	}
	if i, err := strconv.Atoi(sel); err == nil {
		if i < 0 || i >= list.Len() {
			return 0, fmt.Errorf("index %d out of range (the list has %d elements)", i, list.Len())
		}
		return i, nil
	}
	return 0, fmt.Errorf("no element %q%s", sel, didYouMean(sel, known))
}

// typedKey is elementKey for typed values: the id, or the stage.
func typedKey(v reflect.Value) (string, bool) {
	if v.Kind() != reflect.Struct {
		return "", false
	}
	fs := strictyaml.Fields(v.Type())
	for _, name := range []string{"id", "stage"} {
		if f, ok := fs.ByName[name]; ok {
			if s := v.Field(f.Index); s.Kind() == reflect.String && s.String() != "" {
				return s.String(), true
			}
		}
	}
	return "", false
}

// decodeChangeValue decodes the change's value into dst with the strict decoder.
func decodeChangeValue(c Change, dst reflect.Value) error {
	n := c.node
	if n == nil {
		n = new(yaml.Node)
		if err := n.Encode(c.Value); err != nil {
			return err
		}
	}
	return strictyaml.DecodeNode(n, dst, "value", decodeOptions)
}

var (
	atomicTypes = map[reflect.Type]bool{reflect.TypeFor[dec.Decimal](): true, reflect.TypeFor[date.Date](): true}
)

// isAtomic reports types that are copied whole: immutable values whose
// insides are not fields of the agreement.
func isAtomic(t reflect.Type) bool { return atomicTypes[t] }

// deepCopy returns a copy of v that shares no list, pointer or map with it,
// so that amending the copy leaves the original as it was.
func deepCopy(v reflect.Value) reflect.Value {
	out := reflect.New(v.Type()).Elem()
	copyInto(out, v)
	return out
}

func copyInto(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		p := reflect.New(src.Type().Elem())
		copyInto(p.Elem(), src.Elem())
		dst.Set(p)
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := 0; i < src.Len(); i++ {
			copyInto(s.Index(i), src.Index(i))
		}
		dst.Set(s)
	case reflect.Struct:
		if isAtomic(src.Type()) {
			dst.Set(src)
			return
		}
		for i := 0; i < src.NumField(); i++ {
			if dst.Field(i).CanSet() {
				copyInto(dst.Field(i), src.Field(i))
			}
		}
	default:
		// Strings, numbers, bools, and an amendment's any value, which is
		// never changed in place.
		dst.Set(src)
	}
}
