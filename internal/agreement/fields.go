package agreement

import (
	"reflect"
	"strings"
	"sync"

	suggestpkg "github.com/mineralpact/mineralpact/internal/suggest"
)

// field is what the struct tags say of one field of an agreement type.
type field struct {
	name     string
	index    int
	required bool
	enum     []string
	doc      string
}

type fieldSet struct {
	list   []field
	byName map[string]field
	names  []string
}

var fieldCache sync.Map // reflect.Type → *fieldSet

// fieldsOf reads the tags of t once; decoding, the schema and the docs share it.
func fieldsOf(t reflect.Type) *fieldSet {
	if fs, ok := fieldCache.Load(t); ok {
		return fs.(*fieldSet)
	}
	fs := &fieldSet{byName: map[string]field{}}
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		name := sf.Tag.Get("yaml")
		if name == "" || name == "-" || !sf.IsExported() {
			continue
		}
		f := field{name: name, index: i, required: sf.Tag.Get("required") == "true", doc: sf.Tag.Get("doc")}
		if e := sf.Tag.Get("enum"); e != "" {
			f.enum = strings.Split(e, "|")
		}
		fs.list = append(fs.list, f)
		fs.byName[name] = f
		fs.names = append(fs.names, name)
	}
	fieldCache.Store(t, fs)
	return fs
}

// suggest returns ` (did you mean "x"?)` for the names nearest got, or "".
func suggest(got string, names []string) string {
	return suggestpkg.DidYouMean(suggestpkg.Near(got, names))
}
