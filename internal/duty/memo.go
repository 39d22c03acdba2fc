package duty

import "sync"

// memo is one of the Assessor's shared caches: a map behind a read-write
// lock. It replaces sync.Map, whose lookups hash the key through an interface
// (typehash, efaceeq): with typed keys a hit costs about half as much, and a
// single assessment makes some eight lookups. Entries are computed outside the
// lock; two goroutines may compute the same one, and the values are equal.
type memo[K comparable, V any] struct {
	mu sync.RWMutex
	m  map[K]V
}

func (c *memo[K, V]) load(k K) (V, bool) {
	c.mu.RLock()
	v, ok := c.m[k]
	c.mu.RUnlock()
	return v, ok
}

func (c *memo[K, V]) store(k K, v V) {
	c.mu.Lock()
	if c.m == nil {
		c.m = make(map[K]V)
	}
	c.m[k] = v
	c.mu.Unlock()
}
