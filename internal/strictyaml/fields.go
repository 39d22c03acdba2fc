package strictyaml

import (
	"reflect"
	"strings"
	"sync"
)

// Field is what the struct tags say of one field.
type Field struct {
	Name     string
	Index    int
	Required bool
	Enum     []string
	Doc      string
}

// FieldSet is the fields of a struct type, in declaration order and by name.
type FieldSet struct {
	List   []Field
	ByName map[string]Field
	Names  []string
}

var fieldCache sync.Map // reflect.Type → *FieldSet

// Fields reads the tags of struct type t once; decoding, schemas and the
// generated field references share the result.
func Fields(t reflect.Type) *FieldSet {
	if fs, ok := fieldCache.Load(t); ok {
		return fs.(*FieldSet)
	}
	fs := &FieldSet{ByName: map[string]Field{}}
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		name := sf.Tag.Get("yaml")
		if name == "" || name == "-" || !sf.IsExported() {
			continue
		}
		f := Field{Name: name, Index: i, Required: sf.Tag.Get("required") == "true", Doc: sf.Tag.Get("doc")}
		if e := sf.Tag.Get("enum"); e != "" {
			f.Enum = strings.Split(e, "|")
		}
		fs.List = append(fs.List, f)
		fs.ByName[name] = f
		fs.Names = append(fs.Names, name)
	}
	fieldCache.Store(t, fs)
	return fs
}
