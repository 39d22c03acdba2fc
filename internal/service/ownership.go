package service

import (
	"sync"

	ownershipdata "github.com/mineralpact/mineralpact/data/ownership"
	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/ownership"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// The shipped ownership register does not change while the process runs:
// the API and the portal read it once per registry, and share the screens
// of the last dates asked.
var (
	ownershipRegisters sync.Map // *registry.Registry → *ownership.Register
	ownershipScreens   screenCache
)

// maxScreens is how many (agreement, date) screens are kept.
const maxScreens = 16

// OwnershipRegister is the shipped ownership register (data/ownership),
// its countries checked against reg.
func OwnershipRegister(reg *registry.Registry) (*ownership.Register, error) {
	return cached(&ownershipRegisters, reg, func() (*ownership.Register, error) {
		return ownership.ReadFS(ownershipdata.FS, ownershipdata.Files, "data/ownership/", reg.CountryCode)
	})
}

// OwnershipScreen is the screen of the shipped register under a as in force
// on d (its zone, its screening rules), with the agreement in force.
func OwnershipScreen(a *agreement.Agreement, reg *registry.Registry, d date.Date) (*ownership.Screen, *agreement.InForce, error) {
	owners, err := OwnershipRegister(reg)
	if err != nil {
		return nil, nil, err
	}
	in, err := a.AsOf(d)
	if err != nil {
		return nil, nil, err
	}
	c := &ownershipScreens
	c.mu.Lock()
	defer c.mu.Unlock()
	k := screenKey{a, reg, d}
	if sc, ok := c.screens[k]; ok {
		return sc, in, nil
	}
	z, err := in.Zone(reg)
	if err != nil {
		return nil, nil, err
	}
	sc, err := ownership.NewScreen(owners, in, z)
	if err != nil {
		return nil, nil, err
	}
	sc.Members = ownership.GroupMembers(reg.Minerals())
	if c.screens == nil {
		c.screens = map[screenKey]*ownership.Screen{}
	}
	if len(c.order) == maxScreens {
		delete(c.screens, c.order[0])
		c.order = c.order[1:]
	}
	c.screens[k] = sc
	c.order = append(c.order, k)
	return sc, in, nil
}

type screenKey struct {
	a   *agreement.Agreement
	reg *registry.Registry
	on  date.Date
}

// screenCache keeps the last maxScreens screens, oldest out first.
type screenCache struct {
	mu      sync.Mutex
	screens map[screenKey]*ownership.Screen
	order   []screenKey
}
