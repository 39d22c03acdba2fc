package agreement

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/strictyaml"
)

// Load decodes and validates an agreement file, then checks the agreement as
// each amendment leaves it, and fills every stage's HS codes left empty with
// the registry's. The error, if any, is a problem.List with every problem found.
func Load(file string, data []byte, cat Catalog) (*Agreement, *Source, error) {
	a, src, err := Decode(file, data)
	var errs problem.List
	if err != nil {
		var l problem.List
		if !errors.As(err, &l) {
			return nil, src, err // not YAML at all: nothing more to check
		}
		errs = append(errs, l...)
	}
	// The text and the text as amended are checked at the same time, on two
	// cores. Amendments edit the decoded text; on a text that did not decode
	// cleanly they would only repeat its problems.
	var amended []amendedProblem
	var wg sync.WaitGroup
	if err == nil && len(a.Amendments) > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			amended = validateAmended(a, src, cat)
		}()
	}
	errs = append(errs, Validate(a, src, cat)...)
	wg.Wait()
	errs = append(errs, newProblems(errs, amended)...)
	fillHS(a, src, cat, &errs)
	if len(errs) > 0 {
		return a, src, errs
	}
	return a, src, nil
}

// LoadFile reads and loads the agreement file at path.
func LoadFile(path string, cat Catalog) (*Agreement, *Source, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: path}, Message: fmt.Sprintf("cannot read agreement file: %v", unwrapPathError(err))}
	}
	return Load(path, data, cat)
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// amendedProblem is a problem of the agreement as an amendment leaves it, with
// the message as Validate wrote it, to recognise a problem already reported.
type amendedProblem struct {
	err *problem.Error
	raw string
}

// validateAmended validates the agreement as each amendment leaves it, applying
// the amendments in order to one copy. A problem that an amendment introduces
// is reported at the amendment's change.
func validateAmended(a *Agreement, src *Source, cat Catalog) []amendedProblem {
	var out []amendedProblem
	cur := deepCopy(reflect.ValueOf(a).Elem()).Addr().Interface().(*Agreement)
	for i, am := range a.Amendments {
		if am.Effective.IsZero() {
			continue
		}
		for j, ch := range am.Changes {
			if err := applyTyped(cur, ch); err != nil {
				path := fmt.Sprintf("amendments[%d].changes[%d].path", i, j)
				msg := fmt.Sprintf("amendment %s: cannot %s %s: %v", am.ID, ch.Op, ch.Path, err)
				return append(out, amendedProblem{&problem.Error{Code: problem.Invalid, Pos: src.Pos(path), Field: path, Message: msg}, msg})
			}
		}
		for _, e := range Validate(cur, nil, cat) {
			out = append(out, amendedProblem{&problem.Error{Code: problem.Invalid, Pos: src.Pos(changePathFor(am, i, idPath(cur, e.Field))), Field: e.Field,
				Message: fmt.Sprintf("after amendment %s (effective %s): %s", am.ID, am.Effective, e.Message)}, e.Message})
		}
	}
	return out
}

// newProblems keeps the amended problems not already reported: the same
// message means the same problem, reported where it stands in the file (list
// indices may differ after an edit).
func newProblems(base problem.List, amended []amendedProblem) problem.List {
	seen := map[string]bool{}
	for _, e := range base {
		seen[e.Message] = true
	}
	var out problem.List
	for _, p := range amended {
		if !seen[p.raw] {
			seen[p.raw] = true
			out = append(out, p.err)
		}
	}
	return out
}

// idPath rewrites an index path (parties[0].instruments[2]) into the path by
// ids that amendments use (parties[US].instruments[us-vd]), as far as a of
// the tree allows.
func idPath(a *Agreement, path string) string {
	tree, err := toTree(a)
	if err != nil {
		return path
	}
	segs, err := strictyaml.SplitPath(path)
	if err != nil {
		return path
	}
	var b strings.Builder
	node := tree
	for _, s := range segs {
		if !s.IsSel {
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.Name)
			m, _ := node.(map[string]any)
			node = m[s.Name]
			continue
		}
		sel := s.Selector
		if list, ok := node.([]any); ok {
			if i, err := strconv.Atoi(sel); err == nil && i >= 0 && i < len(list) {
				node = list[i]
				if k, ok := elementKey(node); ok {
					sel = k
				}
			}
		}
		b.WriteString("[" + sel + "]")
	}
	return b.String()
}

// changePathFor returns the path of the change of amendment i that touches
// field, or the amendment itself.
func changePathFor(am Amendment, i int, field string) string {
	for j, c := range am.Changes {
		if c.Path != "" && (strings.HasPrefix(field, c.Path) || strings.HasPrefix(c.Path, field)) {
			return fmt.Sprintf("amendments[%d].changes[%d]", i, j)
		}
	}
	return fmt.Sprintf("amendments[%d]", i)
}

// fillHS gives every stage left without HS codes the registry's codes for its
// mineral and stage, and reports a stage that has none at all.
func fillHS(a *Agreement, src *Source, cat Catalog, errs *problem.List) {
	for i := range a.Minerals {
		m := &a.Minerals[i]
		for j := range m.Stages {
			s := &m.Stages[j]
			if len(s.HS) > 0 || m.ID == "" || s.Stage == "" {
				continue
			}
			s.HS = cat.HSFor(m.ID, string(s.Stage))
			if len(s.HS) == 0 {
				p := fmt.Sprintf("minerals[%d].stages[%d]", i, j)
				errs.Add(src.Pos(p), p+".hs", "the registry maps no HS code to %s at stage %s: list the codes in hs", m.ID, s.Stage)
			}
		}
	}
}

// ParseAsOf reads an --as-of or as_of value; it is an error to leave it out,
// because engines never read the wall clock.
func ParseAsOf(s string) (date.Date, error) {
	if s == "" {
		return date.Date{}, &problem.Error{Code: problem.Invalid, Field: "as_of", Message: "an as-of date is required (YYYY-MM-DD)"}
	}
	d, err := date.Parse(s)
	if err != nil {
		return date.Date{}, &problem.Error{Code: problem.Invalid, Field: "as_of", Message: err.Error()}
	}
	return d, nil
}
