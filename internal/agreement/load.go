package agreement

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/problem"
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
	errs = append(errs, Validate(a, src, cat)...)
	if err == nil {
		// Amendments edit the decoded text; on a text that did not decode
		// cleanly they would only repeat its problems.
		errs = append(errs, validateAmended(a, src, cat, errs)...)
	}
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

// validateAmended validates the agreement as each amendment leaves it. A
// problem that the amendment introduces is reported at the amendment.
func validateAmended(a *Agreement, src *Source, cat Catalog, base problem.List) problem.List {
	var out problem.List
	seen := map[string]bool{}
	for _, e := range base {
		seen[e.Message] = true
	}
	for i, am := range a.Amendments {
		if am.Effective.IsZero() {
			continue
		}
		amended, _, err := a.Amended(am.Effective)
		amPath := fmt.Sprintf("amendments[%d]", i)
		if err != nil {
			var pe *problem.Error
			if errors.As(err, &pe) {
				out.Add(src.Pos(pe.Field), pe.Field, "%s", pe.Message)
			} else {
				out.Add(src.Pos(amPath), amPath, "%v", err)
			}
			return out // later amendments build on this one
		}
		for _, e := range Validate(amended, nil, cat) {
			// The same message means the same problem, already reported where
			// it stands in the file (list indices may differ after the edit).
			if seen[e.Message] {
				continue
			}
			seen[e.Message] = true
			out.Add(src.Pos(changePathFor(am, i, idPath(amended, e.Field))), e.Field, "after amendment %s (effective %s): %s", am.ID, am.Effective, e.Message)
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
	segs, err := parsePath(path)
	if err != nil {
		return path
	}
	var b strings.Builder
	node := tree
	for _, s := range segs {
		if !s.isSel {
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.name)
			m, _ := node.(map[string]any)
			node = m[s.name]
			continue
		}
		sel := s.selector
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
			s.HS = cat.HSFor(m.ID, s.Stage)
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
