package registry

import (
	"fmt"
	"path"
	"strings"
	"sync"

	"github.com/mineralpact/mineralpact/internal/customsfx"
)

// customsKey is a rate table in Registry.customs: a party's table is read
// when an assessor first compiles the party, then shared.
type customsKey struct{ path, base string }

type customsEntry struct {
	once sync.Once
	t    *customsfx.Table
	err  error
}

// CustomsTable returns the rate table a party names (exchange_rate.table),
// read from the shipped data (a path under data/, e.g.
// customs-rates/uk-hmrc-monthly-illustrative.csv) with base, the party's
// currency. docs/customs-rates.md describes the format.
func (r *Registry) CustomsTable(p, base string) (*customsfx.Table, error) {
	clean := path.Clean(p)
	if path.IsAbs(clean) || strings.HasPrefix(clean, "..") {
		return nil, fmt.Errorf("customs rate table %q: give a path under data/", p)
	}
	v, _ := r.customs.LoadOrStore(customsKey{clean, base}, &customsEntry{})
	e := v.(*customsEntry)
	e.once.Do(func() {
		f, err := r.fsys.Open(clean)
		if err != nil {
			e.err = fmt.Errorf("customs rate table %q: %w (the shipped tables are under data/customs-rates/)", p, err)
			return
		}
		defer f.Close()
		e.t, e.err = customsfx.Load("data/"+clean, base, f)
	})
	return e.t, e.err
}
