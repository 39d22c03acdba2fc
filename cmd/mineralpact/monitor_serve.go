package main

import (
	"github.com/mineralpact/mineralpact/internal/monitor"
	"github.com/mineralpact/mineralpact/internal/service"
)

// monitorEnv is what `serve` gives the API's scan jobs: the adapters
// `monitor scan` builds (monitor_scan.go), fresh for each job since the
// floor adapter keeps a cache of its own. Like the command, a job reads the
// floors computed in process from the served agreement's rules, which are
// the published ones once `serve` has published the schedule.
func monitorEnv(env *loaded) service.MonitorEnv {
	return func() (monitor.FloorSource, monitor.Catalog, monitor.CountryCodes) {
		return &floorSource{reg: env.reg, floors: env.floors(), entry: env.agreement.EntryIntoForce, currency: env.agreement.Currency, cache: map[floorKey]floorHit{}},
			&catalog{reg: env.reg}, registryCodes(env.reg)
	}
}
