package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/refprice"
)

// FloorSource answers the floors published under one agreement version: the
// floor a customs service applies, a simulation reads and a page shows is
// the one the secretariat published for the date, read back from the store,
// never a recomputation. It is what duty and market declare as their floor
// source; it is safe for concurrent use.
//
// A publication never changes once stored, so the decoded floor of each is
// kept by its id. Which publication is in force on a date is asked of the
// store again once the answer is older than the refresh interval (DefaultRefresh),
// so a correction published by another node applies on every node within it,
// and a node under load asks the store once a second per floor and date, not
// once per assessment (an indexed query on every request cost the API about
// a third of its throughput on SQLite).
type FloorSource struct {
	pubs    Publications
	hash    string
	refresh time.Duration
	now     func() time.Time // the adapter's clock (tests replace it), never an engine's

	mu     sync.Mutex
	bodies map[int64]*refprice.Floor

	dayMu sync.RWMutex
	byDay map[floorDay]dayAnswer
}

// DefaultRefresh is how long a FloorSource trusts the publication it read
// for a date before asking the store again.
const DefaultRefresh = time.Second

type floorDay struct {
	mineral, stage string
	on             date.Date
}

type dayAnswer struct {
	f   *refprice.Floor
	err error
	at  time.Time
}

// NewFloorSource returns the source of the floors published in pubs under the
// agreement version agreementHash, asking the store again for a date's floor
// once its answer is older than refresh (0: DefaultRefresh; negative: every
// time).
func NewFloorSource(pubs Publications, agreementHash string, refresh time.Duration) *FloorSource {
	if refresh == 0 {
		refresh = DefaultRefresh
	}
	return &FloorSource{pubs: pubs, hash: agreementHash, refresh: refresh, now: time.Now,
		bodies: map[int64]*refprice.Floor{}, byDay: map[floorDay]dayAnswer{}}
}

// Floor returns the floor of mineral at stage published for d. No
// publication is a problem.NotFound error naming the mineral, stage and date.
func (s *FloorSource) Floor(mineral, stage string, d date.Date) (*refprice.Floor, error) {
	return s.FloorContext(context.Background(), mineral, stage, d)
}

// FloorContext is Floor with a context for the store's query.
func (s *FloorSource) FloorContext(ctx context.Context, mineral, stage string, d date.Date) (*refprice.Floor, error) {
	k := floorDay{mineral, stage, d}
	now := s.now()
	if s.refresh > 0 {
		s.dayMu.RLock()
		a, ok := s.byDay[k]
		s.dayMu.RUnlock()
		if ok && now.Sub(a.at) < s.refresh {
			return a.f, a.err
		}
	}
	f, err := s.current(ctx, mineral, stage, d)
	if err != nil && problem.CodeOf(err) != problem.NotFound {
		return nil, err // a failing store is asked again next time
	}
	if s.refresh > 0 {
		s.dayMu.Lock()
		s.byDay[k] = dayAnswer{f, err, now}
		s.dayMu.Unlock()
	}
	return f, err
}

// current asks the store which publication is in force on d.
func (s *FloorSource) current(ctx context.Context, mineral, stage string, d date.Date) (*refprice.Floor, error) {
	p, err := s.pubs.CurrentPublication(ctx, s.hash, mineral, stage, d)
	if err != nil {
		if problem.CodeOf(err) == problem.NotFound {
			return nil, &problem.Error{Code: problem.NotFound, Field: "as_of", Message: fmt.Sprintf(
				"no floor of %s/%s is published for %s under agreement %s: publish it first (mineralpact prices publish --through %s)",
				mineral, stage, d, short(s.hash), d)}
		}
		return nil, err
	}
	return s.decode(p)
}

// Floors returns the floors published and in force on d, in publication order.
func (s *FloorSource) Floors(ctx context.Context, d date.Date) ([]*refprice.Floor, error) {
	return s.decodeAll(s.pubs.ListPublications(ctx, s.hash, d))
}

// History returns every publication of mineral at stage whose validity
// overlaps [from, to], corrected ones included, in date then id order.
func (s *FloorSource) History(ctx context.Context, mineral, stage string, from, to date.Date) ([]*refprice.Floor, error) {
	return s.decodeAll(s.pubs.PublicationHistory(ctx, s.hash, mineral, stage, from, to))
}

func (s *FloorSource) decodeAll(ps []Publication, err error) ([]*refprice.Floor, error) {
	if err != nil {
		return nil, err
	}
	out := make([]*refprice.Floor, 0, len(ps))
	for _, p := range ps {
		f, err := s.decode(p)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// decode returns the floor a publication's body holds, with the publication
// it was read from. The price is the publication's own column, which reads
// back digit for digit, so a body and its row cannot disagree unnoticed.
func (s *FloorSource) decode(p Publication) (*refprice.Floor, error) {
	s.mu.Lock()
	f, ok := s.bodies[p.ID]
	s.mu.Unlock()
	if ok {
		return f, nil
	}
	f = new(refprice.Floor)
	if err := json.Unmarshal(p.Body, f); err != nil {
		return nil, fmt.Errorf("store: publication %d: body: %w", p.ID, err)
	}
	if f.Mineral != p.Mineral || f.Stage != p.Stage || f.Price.Cmp(p.Price) != 0 || f.InputsHash != p.InputsHash {
		return nil, problem.Errorf(problem.Internal, "store: publication %d: the body (%s/%s %s, inputs %s) does not match its record (%s/%s %s, inputs %s)",
			p.ID, f.Mineral, f.Stage, f.Price, short(f.InputsHash), p.Mineral, p.Stage, p.Price, short(p.InputsHash))
	}
	f.Publication = &refprice.Publication{ID: p.ID, Supersedes: p.Supersedes}
	s.mu.Lock()
	s.bodies[p.ID] = f
	s.mu.Unlock()
	return f, nil
}

func short(hash string) string {
	if len(hash) > 12 {
		return hash[:12]
	}
	return hash
}
