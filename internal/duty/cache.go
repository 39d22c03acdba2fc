package duty

import (
	"github.com/mineralpact/mineralpact/internal/date"
)

// lcache is one bulk worker's cache in front of the Assessor's shared ones:
// plain maps, no locks, since a worker assesses one row at a time. A nil
// *lcache goes straight to the shared caches.
type lcache struct {
	lastDay  date.Date
	last     *day
	fx       map[fxKey]fxEntry
	floors   map[floorKey]floorEntry
	resolved map[resolveKey]*resolved
	origins  map[string]error
	strs     map[string]string
}

func newLCache() *lcache {
	return &lcache{fx: map[fxKey]fxEntry{}, floors: map[floorKey]floorEntry{}, resolved: map[resolveKey]*resolved{},
		origins: map[string]error{}, strs: map[string]string{}}
}

func (c *lcache) dayOf(a *Assessor, d date.Date) (*day, error) {
	if c == nil {
		return a.dayOf(d)
	}
	if c.last != nil && c.lastDay.Equal(d) {
		return c.last, nil
	}
	dy, err := a.dayOf(d)
	if err == nil {
		c.last, c.lastDay = dy, d
	}
	return dy, err
}

func (c *lcache) perUSD(a *Assessor, cur, month string) (fxEntry, error) {
	if c == nil {
		return a.perUSD(cur, month)
	}
	k := fxKey{cur, month}
	if e, ok := c.fx[k]; ok {
		return e, e.err
	}
	e, err := a.perUSD(cur, month)
	c.fx[k] = e
	return e, err
}

func (c *lcache) floor(a *Assessor, mineral, stage string, on date.Date) (*floorQ, error) {
	if c == nil {
		return a.floor(mineral, stage, on)
	}
	k := floorKey{mineral, stage, on}
	if e, ok := c.floors[k]; ok {
		return e.f, e.err
	}
	f, err := a.floor(mineral, stage, on)
	c.floors[k] = floorEntry{f, err}
	return f, err
}

func (c *lcache) resolve(a *Assessor, v *view, cp *cparty, x *decl) *resolved {
	if c == nil {
		return a.resolve(v, cp, x)
	}
	k := resolveKey{v, cp, x.hs, x.mineral}
	if r, ok := c.resolved[k]; ok {
		return r
	}
	r := a.resolve(v, cp, x)
	c.resolved[k] = r
	return r
}

func (c *lcache) knownCountry(a *Assessor, code string) error {
	if c == nil {
		return a.knownCountry(code)
	}
	if e, ok := c.origins[code]; ok {
		return e
	}
	e := a.knownCountry(code)
	c.origins[code] = e
	return e
}

// intern returns b as a string, shared with earlier equal ones: importers,
// origins, codes, units and currencies repeat across rows.
func (c *lcache) intern(b []byte) string {
	if c == nil {
		return string(b)
	}
	if s, ok := c.strs[string(b)]; ok {
		return s
	}
	if len(c.strs) > 100_000 {
		return string(b)
	}
	s := string(b)
	c.strs[s] = s
	return s
}
