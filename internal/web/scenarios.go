package web

import (
	"net/http"
	"strings"

	"github.com/mineralpact/mineralpact/internal/market"
	"github.com/mineralpact/mineralpact/scenarios"
)

// scenariosData is the scenarios page: the shipped scenarios to choose from.
// The page runs a simulation through the API (POST /v1/simulations, then GET
// /v1/simulations/{id} while a long run progresses) and draws its fan charts;
// the server renders the form and the list, scenarios.js does the rest.
type scenariosData struct {
	Scenarios []scenarioOption
	Selected  string
}

type scenarioOption struct {
	Name, Title, Kind, Mineral, Stage, Notice string
	Months, Paths                             int
	Illustrative                              bool
}

func (p *portal) scenarios(w http.ResponseWriter, r *http.Request) {
	var d scenariosData
	for _, name := range scenarios.Names() {
		b, file, _ := scenarios.Get(name)
		sc, err := market.DecodeScenario(file, b)
		if err != nil {
			p.fail(w, r, err)
			return
		}
		d.Scenarios = append(d.Scenarios, scenarioOption{Name: name, Title: sc.Title, Kind: sc.Kind, Mineral: sc.Mineral, Stage: sc.Stage,
			Notice: strings.Join(strings.Fields(sc.Notice), " "), Months: sc.Months, Paths: sc.MonteCarlo.Paths, Illustrative: sc.Illustrative})
	}
	d.Selected = r.URL.Query().Get("scenario")
	if d.Selected == "" && len(d.Scenarios) > 0 {
		d.Selected = d.Scenarios[0].Name
	}
	p.render(w, r, http.StatusOK, "scenarios", page{Title: "Scenarios", Nav: "scenarios", Data: d})
}
