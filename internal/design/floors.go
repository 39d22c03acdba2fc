package design

import (
	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/refprice"
)

// mineralFloors are one mineral's floors over the workload's range: each
// stage's revisions, or why they could not be computed.
type mineralFloors struct {
	stages []stageFloors
}

type stageFloors struct {
	stage  string
	floors []refprice.Floor
	err    string
}

// floorsOf computes the floors of mineral m (every stage in scope) under
// the version's engine.
func (c *Comparer) floorsOf(e *refprice.Engine, m *agreement.Mineral) *mineralFloors {
	out := &mineralFloors{}
	for _, s := range m.Stages {
		fs, err := e.History(m.ID, string(s.Stage), c.w.From, c.w.To)
		sf := stageFloors{stage: string(s.Stage), floors: fs}
		if err != nil {
			sf.err = err.Error()
		}
		out.stages = append(out.stages, sf)
	}
	return out
}
