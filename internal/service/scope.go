package service

import (
	"sync"

	"github.com/mineralpact/mineralpact/data"
	ownershipdata "github.com/mineralpact/mineralpact/data/ownership"
	scopedata "github.com/mineralpact/mineralpact/data/scope"
	"github.com/mineralpact/mineralpact/internal/registry"
	"github.com/mineralpact/mineralpact/internal/scope"
)

// The scope engine's shipped inputs come from embedded files that do not
// change while the process runs, and reading them (the ICMM file above all)
// costs milliseconds: the API and the portal share one copy per registry.
var (
	relationsCache  sync.Map // *registry.Registry → *scope.Relations
	importanceCache sync.Map // *registry.Registry → *scope.ImportanceInputs
)

// ScopeRelations is the shipped grouping data (host relations, co-occurrence
// at facilities, market structure, ownership) checked against reg.
func ScopeRelations(reg *registry.Registry) (*scope.Relations, error) {
	return cached(&relationsCache, reg, func() (*scope.Relations, error) {
		return scope.LoadRelations(reg, scope.Sources{Data: data.FS, Scope: scopedata.FS, Ownership: ownershipdata.FS, OwnershipFiles: ownershipdata.Files})
	})
}

// ScopeImportance is the shipped economic-importance inputs (end uses,
// sector value added) checked against reg.
func ScopeImportance(reg *registry.Registry) (*scope.ImportanceInputs, error) {
	return cached(&importanceCache, reg, func() (*scope.ImportanceInputs, error) {
		return scope.LoadImportance(scopedata.FS, reg)
	})
}

// cached loads the value of a key once (a registry, the files it is read
// from); a failed load is not kept.
func cached[T any](m *sync.Map, key any, load func() (T, error)) (T, error) {
	if v, ok := m.Load(key); ok {
		return v.(T), nil
	}
	v, err := load()
	if err != nil {
		return v, err
	}
	m.Store(key, v)
	return v, nil
}
