package market

import (
	"math"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// Equilibrium is the solution of a spatial-equilibrium instance, with the
// residuals that prove it.
type Equilibrium struct {
	Currency  string           `json:"currency"`
	Unit      string           `json:"unit"`
	Regions   []RegionResult   `json:"regions"`
	Producers []ProducerResult `json:"producers"`
	Flows     []Flow           `json:"flows"`
	Check     Check            `json:"check"`
	Pivots    int              `json:"pivots"`
}

// RegionResult is one region at equilibrium. Price is what its consumers pay;
// ProducerPrice is what its producers receive (their netback), equal to
// Price whenever the region consumes some of its own output.
type RegionResult struct {
	ID              string  `json:"id"`
	Price           float64 `json:"price"`
	ProducerPrice   float64 `json:"producer_price"`
	Consumption     float64 `json:"consumption"`
	Production      float64 `json:"production"`
	Imports         float64 `json:"imports"`
	Exports         float64 `json:"exports"`
	ConsumerSurplus float64 `json:"consumer_surplus"`
	ProducerSurplus float64 `json:"producer_surplus"`
	TariffRevenue   Revenue `json:"tariff_revenue"`
	Welfare         float64 `json:"welfare"`
}

// Revenue is an importer's border revenue, by instrument: the MFN duties
// (specific and ad valorem) and the variable levy that enforces the floor.
type Revenue struct {
	Specific  float64 `json:"specific"`
	AdValorem float64 `json:"ad_valorem"`
	FloorLevy float64 `json:"floor_levy"`
	Total     float64 `json:"total"`
}

// ProducerResult is one producer's output. Status is "capacity", "margin"
// (its cost equals its region's price: any output is optimal) or "idle".
type ProducerResult struct {
	ID     string  `json:"id"`
	Region string  `json:"region"`
	Output float64 `json:"output"`
	Status string  `json:"status"`
}

// Flow is a positive shipment From → To (From = To is a region supplying
// itself), with the per-unit prices along its way.
type Flow struct {
	From        string  `json:"from"`
	To          string  `json:"to"`
	Quantity    float64 `json:"quantity"`
	BorderPrice float64 `json:"border_price"`
	Specific    float64 `json:"specific"`
	AdValorem   float64 `json:"ad_valorem"`
	FloorLevy   float64 `json:"floor_levy"`
	LandedPrice float64 `json:"landed_price"`
}

// Solve computes the spatial price equilibrium of a valid instance (see
// Instance.Validate). The result's Check holds the residuals of every
// equilibrium condition; Solve fails if they exceed the tolerance.
func Solve(in *Instance) (*Equilibrium, error) {
	m := newModel(in)
	s := newSolver(m)
	if err := s.run(); err != nil {
		return nil, err
	}
	eq := s.result()
	eq.Check = CheckEquilibrium(in, eq)
	if !eq.Check.OK {
		return eq, problem.Errorf(problem.Internal, "market: equilibrium residuals above tolerance: %s", eq.Check.Worst)
	}
	return eq, nil
}

func (s *solver) result() *Equilibrium {
	m, n := s.m, s.m.n
	eq := &Equilibrium{Currency: m.in.Currency, Unit: m.in.Unit, Pivots: s.pivots}
	eq.Regions = make([]RegionResult, n)
	for r := 0; r < n; r++ {
		p := s.price[n+r]
		pi := s.price[r]
		if !s.active(r) {
			pi = p
		}
		q := m.dem[r].quantity(p)
		eq.Regions[r] = RegionResult{ID: m.in.Regions[r].ID, Price: p, ProducerPrice: pi, Consumption: q, ConsumerSurplus: m.dem[r].surplus(p)}
	}
	// Producers: at capacity below the price, idle above it, and the region's
	// remaining supply shared pro rata among those at the margin.
	eq.Producers = make([]ProducerResult, len(m.in.Producers))
	for i, p := range m.in.Producers {
		eq.Producers[i] = ProducerResult{ID: p.ID, Region: p.Region, Status: "idle"}
	}
	for r := 0; r < n; r++ {
		sup := &m.sup[r]
		if len(sup.cost) == 0 {
			continue
		}
		pi := s.price[r]
		a, b := sup.bounds(pi, s.stol)
		share := 0.0
		if b > a {
			share = math.Min(1, math.Max(0, (s.net[r]-a)/(b-a)))
		}
		var ps float64
		for k, i := range sup.idx {
			c, capa := sup.cost[k], m.in.Producers[i].Capacity
			pr := &eq.Producers[i]
			switch {
			case c < pi-s.stol:
				pr.Output, pr.Status = capa, "capacity"
			case c <= pi+s.stol:
				pr.Output, pr.Status = share*capa, "margin"
			}
			ps += (pi - c) * pr.Output
		}
		eq.Regions[r].ProducerSurplus = ps
	}
	for _, pr := range eq.Producers {
		eq.Regions[regionIndex(m.in, pr.Region)].Production += pr.Output
	}
	for e, l := range m.links {
		f := s.flow[e]
		if !s.inTree[e] || f <= 0 {
			continue
		}
		pi := s.price[l.from]
		b := pi + l.transport
		fl := Flow{From: m.in.Regions[l.from].ID, To: m.in.Regions[l.to].ID, Quantity: f,
			BorderPrice: b, Specific: l.specific, AdValorem: l.adValorem * b, FloorLevy: l.levy(pi), LandedPrice: l.landed(pi)}
		eq.Flows = append(eq.Flows, fl)
		if l.from != l.to {
			eq.Regions[l.from].Exports += f
			eq.Regions[l.to].Imports += f
			rv := &eq.Regions[l.to].TariffRevenue
			rv.Specific += fl.Specific * f
			rv.AdValorem += fl.AdValorem * f
			rv.FloorLevy += fl.FloorLevy * f
		}
	}
	for r := range eq.Regions {
		rr := &eq.Regions[r]
		rv := &rr.TariffRevenue
		rv.Total = rv.Specific + rv.AdValorem + rv.FloorLevy
		rr.Welfare = rr.ConsumerSurplus + rr.ProducerSurplus + rv.Total
	}
	return eq
}

func regionIndex(in *Instance, id string) int {
	for i, r := range in.Regions {
		if r.ID == id {
			return i
		}
	}
	return -1
}
