package registry

import (
	"strconv"

	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/suggest"
)

// Stage is the production stage a good stands at; reference price floors are set
// per mineral and stage.
type Stage string

// The production stages.
const (
	Mined      Stage = "mined"      // ores and concentrates
	Processed  Stage = "processed"  // refined metals, oxides, salts and other chemical intermediates
	Derivative Stage = "derivative" // manufactured goods that embody the mineral (magnets, cells, alloys)
	Scrap      Stage = "scrap"      // waste and scrap for recovery
)

// Stages lists every stage, upstream first.
var Stages = []Stage{Mined, Processed, Derivative, Scrap}

// ParseStage returns the stage named s; anything else is an Invalid error that
// lists the stages.
func ParseStage(s string) (Stage, error) {
	for _, st := range Stages {
		if string(st) == s {
			return st, nil
		}
	}
	names := make([]string, len(Stages))
	for i, st := range Stages {
		names[i] = string(st)
	}
	return "", &problem.Error{Code: problem.Invalid, Field: "stage",
		Message: "unknown stage " + strconv.Quote(s) + suggest.DidYouMean(suggest.Near(s, names)) + "; want one of mined, processed, derivative, scrap"}
}
