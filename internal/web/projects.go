package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/ownership"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/projects"
	"github.com/mineralpact/mineralpact/internal/service"
)

// The projects pages (issue 17): /projects lists a pipeline's projects
// (public: the pipeline is data) and charts the zone's secure supply added
// against expected public cost; /projects/{id} shows a project, its cash
// flows, the NPV fan without and with the floor, the floor's value and an
// offtake's effect. The valuations are the API's (POST /v1/projects:rank,
// GET /v1/projects/{id}, POST /v1/projects:value), which an analyst's
// session calls from projects.js: the pages compute nothing themselves but
// each project's owner screening, the engine's (Pipeline.ScreenOwners, the
// flags the ranking gives), against the shipped ownership register that
// /ownership reads.

// pipelines are the served pipelines, the API's (service.Pipelines).
func (p *portal) pipelines() ([]*projects.Pipeline, error) {
	return service.Pipelines(p.deps.Data, p.deps.Registry)
}

// projectsPage is the data of /projects.
type projectsPage struct {
	Pipelines []*projects.Pipeline
	Pipeline  *projects.Pipeline
	Minerals  []string // the pipeline's minerals, in order of first appearance
	Mineral   string   // the one the chart ranks
	AsOf      string   // the date of the ranking: the entry into force unless asked
	Parties   string   // comma-separated: the parties in force on AsOf unless asked
	Error     string
	Rows      []projectRow
}

// projectRow is one project of the table, its figures written for people.
type projectRow struct {
	ID, Name, Country, Mineral, Stage, Unit string
	Capacity, Capital, Opex                 string
	Lead, Life                              int
	Supported                               bool
	Owner                                   projects.OwnerScreening
}

// people writes x with thousands separators and places decimals.
func people(x float64, places int) string {
	return groupThousands(strconv.FormatFloat(x, 'f', places, 64))
}

func (p *portal) projectsList(w http.ResponseWriter, r *http.Request) {
	ps, err := p.pipelines()
	if err != nil {
		p.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	d := projectsPage{Pipelines: ps, Pipeline: ps[0], AsOf: q.Get("as_of"), Parties: q.Get("parties"), Mineral: q.Get("mineral")}
	if id := q.Get("pipeline"); id != "" {
		d.Pipeline = nil
		for _, pl := range ps {
			if pl.ID == id {
				d.Pipeline = pl
			}
		}
		if d.Pipeline == nil {
			p.fail(w, r, problem.Errorf(problem.NotFound, "no pipeline %q", id))
			return
		}
	}
	for _, pr := range d.Pipeline.Projects {
		if !contains(d.Minerals, pr.Mineral) {
			d.Minerals = append(d.Minerals, pr.Mineral)
		}
		d.Rows = append(d.Rows, projectRow{ID: pr.ID, Name: pr.Name, Country: pr.Country, Mineral: pr.Mineral, Stage: string(pr.Stage), Unit: pr.Capacity.Unit,
			Capacity: people(pr.Capacity.PerYear, 0), Capital: people(pr.Capital.Total/1e6, 1), Opex: people(pr.UnitOpex, 0), Lead: pr.LeadTimeYears, Life: pr.LifeYears, Supported: pr.Support != nil})
	}
	if !contains(d.Minerals, d.Mineral) {
		d.Mineral = d.Minerals[0]
	}
	on := p.deps.Agreement.EntryIntoForce
	if d.AsOf != "" {
		if on, err = agreement.ParseAsOf(d.AsOf); err != nil {
			d.Error = messageOf(err)
		}
	}
	d.AsOf = on.String()
	if d.Error == "" {
		if sc, err := p.ownerScreenings(d.Pipeline, nil, on); err != nil {
			d.Error = messageOf(err)
		} else {
			for i := range d.Rows {
				d.Rows[i].Owner = sc[i]
			}
		}
	}
	if d.Parties == "" && d.Error == "" {
		if in, err := p.deps.Agreement.AsOf(on); err != nil {
			d.Error = messageOf(err)
		} else {
			d.Parties = strings.Join(partyIDs(in), ",")
		}
	}
	p.render(w, r, http.StatusOK, "projects", page{Title: "Projects", Nav: "projects", Data: d})
}

// partyIDs are the parties in force.
func partyIDs(in *agreement.InForce) []string {
	var out []string
	for _, pa := range in.Agreement.Parties {
		out = append(out, pa.ID)
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// projectPage is the data of /projects/{id}.
type projectPage struct {
	Pipeline *projects.Pipeline
	Project  *projects.Project
	AsOf     string
	// Owner is the project's owner screening on AsOf; OwnerError why it
	// could not be computed.
	Owner      projects.OwnerScreening
	OwnerError string
	// Figures written for people.
	Capacity, Capital, Opex, Sustaining string
}

// ownerScreenings screens the owners of pl's projects named by ids (all
// when nil) on the date, against the shipped ownership register.
func (p *portal) ownerScreenings(pl *projects.Pipeline, ids []string, on date.Date) ([]projects.OwnerScreening, error) {
	owners, err := service.OwnershipRegister(p.deps.Registry)
	if err != nil {
		return nil, err
	}
	in, err := p.deps.Agreement.AsOf(on)
	if err != nil {
		return nil, err
	}
	z, err := in.Zone(p.deps.Registry)
	if err != nil {
		return nil, err
	}
	return pl.ScreenOwners(ids, &projects.Owners{Register: owners, InForce: in, Members: ownership.GroupMembers(p.deps.Registry.Minerals())}, z)
}

func (p *portal) projectOne(w http.ResponseWriter, r *http.Request) {
	ps, err := p.pipelines()
	if err != nil {
		p.fail(w, r, err)
		return
	}
	id, want := r.PathValue("id"), r.URL.Query().Get("pipeline")
	var d projectPage
	for _, pl := range ps {
		if pr := pl.Project(id); pr != nil && (want == "" || want == pl.ID) && d.Project == nil {
			d.Pipeline, d.Project = pl, pr
		}
	}
	if d.Project == nil {
		p.fail(w, r, problem.Errorf(problem.NotFound, "no project %q in the served pipelines", id))
		return
	}
	on := p.deps.Agreement.EntryIntoForce
	if s := r.URL.Query().Get("as_of"); s != "" {
		if x, err := date.Parse(s); err == nil {
			on = x
		}
	}
	pr := d.Project
	d.AsOf, d.Capacity, d.Capital, d.Opex, d.Sustaining = on.String(), people(pr.Capacity.PerYear, 0), people(pr.Capital.Total/1e6, 1), people(pr.UnitOpex, 2), people(pr.SustainingCapex/1e6, 1)
	if sc, err := p.ownerScreenings(d.Pipeline, []string{pr.ID}, on); err != nil {
		d.OwnerError = messageOf(err)
	} else {
		d.Owner = sc[0]
	}
	p.render(w, r, http.StatusOK, "projects-project", page{Title: d.Project.Name, Nav: "projects", Data: d})
}
