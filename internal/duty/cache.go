package duty

import (
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/exact"
	"github.com/mineralpact/mineralpact/internal/problem"
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
	recent   [1024]string // in front of strs

	// The rates and floors of one acceptance date: rows come in date
	// order, so these small maps answer most rows, with cheaper keys.
	fxDay    *day
	fxOn     map[fxTripleKey]*fxTriple
	floorsOn map[*resolved]floorEntry // by line: a pointer hashes faster than two strings
	floorDay date.Date

	// Direct-mapped tables in front of origins and the Assessor's units:
	// the keys are short codes, cheaper to hash by hand than by the map.
	originSlots [256]originSlot
	unitSlots   [64]unitSlot
	// The same in front of resolved and fxOn, whose keys hold pointers and
	// strings: one short hash and a few comparisons instead of a hash of
	// each field. lastResolve is the slot of the row resolved last, which
	// also keeps the worker's sum of its (party, line).
	resolveSlots [512]resolveSlot
	lastResolve  *resolveSlot
	fxSlots      [64]fxSlot

	// The last acceptance date parsed: declarations come in date order, so
	// most rows repeat the date of the row before.
	dateText [10]byte
	dateVal  date.Date
}

func newLCache() *lcache {
	return &lcache{fx: map[fxKey]fxEntry{}, floors: map[floorKey]floorEntry{}, resolved: map[resolveKey]*resolved{},
		origins: map[string]error{}, strs: map[string]string{}, fxOn: map[fxTripleKey]*fxTriple{}, floorsOn: map[*resolved]floorEntry{}}
}

func (c *lcache) dayOf(a *Assessor, d date.Date) (*day, *problem.Error) {
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

// fxTriple is what a row needs of the rates: the declared currency's, the
// party's and the agreement's, of the month the party's rule names.
type fxTriple struct {
	decl, party, ag fxEntry
	// The conversions a row makes, combined once per (day, party,
	// currency): declared → party, declared → agreement, agreement →
	// party. x × (p ÷ d) is the very value x × p ÷ d, so the figures are the
	// same, for one multiplication instead of two (none for a rate of 1).
	declParty, declAg, agParty fxRatio
}

// fxRatio is a factor from one currency to another.
type fxRatio struct {
	r   exact.Q
	one bool // the same rate: no conversion
}

func ratioOf(to, from fxEntry) fxRatio {
	if to.perUSD == from.perUSD {
		return fxRatio{one: true}
	}
	return fxRatio{r: to.perUSD.Quo(from.perUSD)}
}

// conv converts x by the factor.
func (f *fxRatio) conv(x exact.Q) exact.Q {
	if f.one {
		return x
	}
	return x.Mul(f.r)
}

func newFxTriple(as *Assessment) *fxTriple {
	return &fxTriple{decl: as.fxDecl, party: as.fxParty, ag: as.fxAg,
		declParty: ratioOf(as.fxParty, as.fxDecl), declAg: ratioOf(as.fxAg, as.fxDecl), agParty: ratioOf(as.fxParty, as.fxAg)}
}

type fxTripleKey struct {
	cp  *cparty
	cur string
}

// fxOf returns the rates a row of dy for party cp in currency cur needs, if
// this worker has kept them today.
func (c *lcache) fxOf(a *Assessor, dy *day, cp *cparty, cur string) *fxTriple {
	if c == nil {
		t, _ := a.fxTriples.load(fxDayKey{dy, cp, cur})
		return t
	}
	sl := c.fxSlot(cp, cur)
	if sl.t != nil && sl.dy == dy && sl.cp == cp && sl.cur == cur {
		return sl.t
	}
	if c.fxDay != dy {
		return nil
	}
	t := c.fxOn[fxTripleKey{cp, cur}]
	if t != nil {
		*sl = fxSlot{dy, cp, cur, t}
	}
	return t
}

type fxSlot struct {
	dy  *day
	cp  *cparty
	cur string
	t   *fxTriple
}

func (c *lcache) fxSlot(cp *cparty, cur string) *fxSlot {
	return &c.fxSlots[(shortHash(cur)^shortHash(cp.id)*7)&uint32(len(c.fxSlots)-1)]
}

type fxDayKey struct {
	dy  *day
	cp  *cparty
	cur string
}

// keepFx keeps the rates of as, which were all found, for fxOf, and returns
// them.
func (c *lcache) keepFx(a *Assessor, dy *day, cp *cparty, cur string, as *Assessment) *fxTriple {
	t := newFxTriple(as)
	if c == nil {
		a.fxTriples.store(fxDayKey{dy, cp, cur}, t)
		return t
	}
	if c.fxDay != dy {
		clear(c.fxOn)
		c.fxDay = dy
	}
	c.fxOn[fxTripleKey{cp, cur}] = t
	*c.fxSlot(cp, cur) = fxSlot{dy, cp, cur, t}
	return t
}

// floorOf is floor, looked up in the floors of the day.
// The floor depends only on the mineral and stage of rs.
func (c *lcache) floorOf(a *Assessor, rs *resolved, on date.Date) (*floorQ, error) {
	mineral, stage := rs.line.Mineral, string(rs.line.Stage)
	if c == nil {
		return a.publishedFloor(mineral, stage, on)
	}
	// The slot of the row's line keeps the floor of the last date it was
	// asked for.
	sl := c.lastResolve
	if sl == nil || sl.rs != rs {
		sl = nil
	} else if sl.floorSet && sl.floorOn.Equal(on) {
		return sl.floor.f, sl.floor.err
	}
	if !on.Equal(c.floorDay) {
		clear(c.floorsOn)
		c.floorDay = on
	}
	e, ok := c.floorsOn[rs]
	if !ok {
		e.f, e.err = c.floor(a, mineral, stage, on)
		c.floorsOn[rs] = e
	}
	if sl != nil {
		sl.floorOn, sl.floor, sl.floorSet = on, e, true
	}
	return e.f, e.err
}

func (c *lcache) floor(a *Assessor, mineral, stage string, on date.Date) (*floorQ, error) {
	if c == nil {
		return a.publishedFloor(mineral, stage, on)
	}
	k := floorKey{mineral, stage, on}
	if e, ok := c.floors[k]; ok {
		return e.f, e.err
	}
	f, err := a.publishedFloor(mineral, stage, on)
	c.floors[k] = floorEntry{f, err}
	return f, err
}

func (c *lcache) resolve(a *Assessor, v *view, cp *cparty, x *decl) *resolved {
	if c == nil {
		return a.resolve(v, cp, x)
	}
	sl := &c.resolveSlots[(shortHash(x.hs)^shortHash(x.mineral)*16777619^shortHash(cp.id)*31)&uint32(len(c.resolveSlots)-1)]
	if sl.rs != nil && sl.v == v && sl.cp == cp && sl.hs == x.hs && sl.mineral == x.mineral {
		c.lastResolve = sl
		return sl.rs
	}
	k := resolveKey{v, cp, x.hs, x.mineral}
	r, ok := c.resolved[k]
	if !ok {
		r = a.resolve(v, cp, x)
		c.resolved[k] = r
	}
	*sl = resolveSlot{v: v, cp: cp, hs: x.hs, mineral: x.mineral, rs: r}
	c.lastResolve = sl
	return r
}

type resolveSlot struct {
	v           *view
	cp          *cparty
	hs, mineral string
	rs          *resolved
	sum         *sumAcc // the worker's sum of (cp, rs), once looked up
	floorOn     date.Date
	floor       floorEntry // the floor of rs on floorOn, when floorSet
	floorSet    bool
}

type originSlot struct {
	code string
	err  error
	set  bool
}

type unitSlot struct {
	code string
	u    unitInfo
	ok   bool
	set  bool
}

// shortHash hashes a short code for the direct-mapped tables.
func shortHash(s string) uint32 {
	h := uint32(len(s))
	for i := 0; i < len(s); i++ {
		h = h*31 + uint32(s[i])
	}
	return h ^ h>>8
}

func (c *lcache) knownCountry(a *Assessor, code string) error {
	if c == nil {
		return a.knownCountry(code)
	}
	sl := &c.originSlots[shortHash(code)&uint32(len(c.originSlots)-1)]
	if sl.set && sl.code == code {
		return sl.err
	}
	e, ok := c.origins[code]
	if !ok {
		e = a.knownCountry(code)
		c.origins[code] = e
	}
	*sl = originSlot{code, e, true}
	return e
}

// unit is a.unit, through a direct-mapped table.
func (c *lcache) unit(a *Assessor, code string) (unitInfo, bool) {
	if c == nil {
		return a.unit(code)
	}
	sl := &c.unitSlots[shortHash(code)&uint32(len(c.unitSlots)-1)]
	if sl.set && sl.code == code {
		return sl.u, sl.ok
	}
	u, ok := a.unit(code)
	*sl = unitSlot{code, u, ok, true}
	return u, ok
}

// date parses an acceptance date (parseDate), remembering the last one.
func (c *lcache) date(s []byte) (date.Date, bool) {
	if c == nil {
		return parseDate(s)
	}
	if len(s) == len(c.dateText) && !c.dateVal.IsZero() && string(s) == string(c.dateText[:]) {
		return c.dateVal, true
	}
	d, ok := parseDate(s)
	if ok && len(s) == len(c.dateText) {
		copy(c.dateText[:], s)
		c.dateVal = d
	}
	return d, ok
}

// intern returns b as a string, shared with earlier equal ones: importers,
// origins, codes, units and currencies repeat across rows.
func (c *lcache) intern(b []byte) string {
	if c == nil || len(b) == 0 {
		return string(b)
	}
	// A direct-mapped table in front of the map: a short hash and one
	// comparison answer most lookups for less than the map's hashing.
	h := uint32(len(b))
	for _, ch := range b {
		h = h*31 + uint32(ch)
	}
	slot := &c.recent[(h^h>>10)&(uint32(len(c.recent))-1)]
	if *slot == string(b) {
		return *slot
	}
	if s, ok := c.strs[string(b)]; ok {
		*slot = s
		return s
	}
	if len(c.strs) > 100_000 {
		return string(b)
	}
	s := string(b)
	c.strs[s] = s
	*slot = s
	return s
}
