package market

import (
	"fmt"
	"math"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// GSIMInstance is a GSIM problem (Francois and Hall 2003): one product
// differentiated by origin, a bilateral trade matrix at world prices and
// tariff factors before and after a policy change.
type GSIMInstance struct {
	Countries []string `json:"countries"`
	// Trade[r][v] is the value of exports from r to v at world prices (rows
	// exporters, columns importers; the diagonal holds own shipments).
	Trade [][]float64 `json:"trade"`
	// TariffBefore and TariffAfter are factors 1+t, same shape as Trade.
	TariffBefore [][]float64 `json:"tariff_before"`
	TariffAfter  [][]float64 `json:"tariff_after"`
	// ImportDemandElasticity (E_m, negative), by importer.
	ImportDemandElasticity []float64 `json:"import_demand_elasticity"`
	// SubstitutionElasticity (E_s) among sources, by importer.
	SubstitutionElasticity []float64 `json:"substitution_elasticity"`
	// ExportSupplyElasticity (E_x), by exporter.
	ExportSupplyElasticity []float64 `json:"export_supply_elasticity"`
}

// GSIMResult is the outcome of a GSIM experiment, by country: the
// proportional change of its world (export) price and the changes of
// producer surplus, consumer surplus, tariff revenue and their sum, in the
// value units of the trade matrix.
type GSIMResult struct {
	Countries []GSIMCountry `json:"countries"`
	// TradeAfter is the trade matrix after the change, at new world prices.
	TradeAfter [][]float64 `json:"trade_after"`
	// Residual is the largest |excess demand| of the linear market-clearing
	// system, as a share of the exporter's sales.
	Residual float64 `json:"residual"`
}

// GSIMCountry is one country's results.
type GSIMCountry struct {
	ID                   string  `json:"id"`
	WorldPriceChange     float64 `json:"world_price_change"`
	CompositePriceChange float64 `json:"composite_import_price_change"`
	ProducerSurplus      float64 `json:"producer_surplus_change"`
	ConsumerSurplus      float64 `json:"consumer_surplus_change"`
	TariffRevenue        float64 `json:"tariff_revenue_change"`
	Welfare              float64 `json:"welfare_change"`
}

// DecodeGSIM reads and validates a GSIM instance strictly.
func DecodeGSIM(name string, data []byte) (*GSIMInstance, error) {
	var g GSIMInstance
	if err := decodeStrict(name, data, &g); err != nil {
		return nil, err
	}
	if err := g.Validate(name); err != nil {
		return nil, err
	}
	return &g, nil
}

// Validate checks shapes, signs and magnitudes, reporting every problem.
func (g *GSIMInstance) Validate(name string) error {
	var l problem.List
	pos := problem.Pos{File: name}
	n := len(g.Countries)
	if n == 0 {
		l.Add(pos, "countries", "at least one country is required")
	}
	seen := map[string]int{}
	for i, c := range g.Countries {
		if c == "" {
			l.Add(pos, fmt.Sprintf("countries[%d]", i), "required")
		} else if j, dup := seen[c]; dup {
			l.Add(pos, fmt.Sprintf("countries[%d]", i), "duplicate of countries[%d] %q", j, c)
		}
		seen[c] = i
	}
	matrix := func(field string, m [][]float64, ok func(float64) bool, want string) {
		if len(m) != n {
			l.Add(pos, field, "must have %d rows (one per country), got %d", n, len(m))
			return
		}
		for i, row := range m {
			if len(row) != n {
				l.Add(pos, fmt.Sprintf("%s[%d]", field, i), "must have %d columns, got %d", n, len(row))
				continue
			}
			for j, x := range row {
				if math.Abs(x) > maxMagnitude || !ok(x) {
					l.Add(pos, fmt.Sprintf("%s[%d][%d]", field, i, j), "must be %s, got %g", want, x)
				}
			}
		}
	}
	matrix("trade", g.Trade, func(x float64) bool { return x >= 0 }, "≥ 0")
	matrix("tariff_before", g.TariffBefore, func(x float64) bool { return x > 0 }, "a factor 1+t > 0")
	matrix("tariff_after", g.TariffAfter, func(x float64) bool { return x > 0 }, "a factor 1+t > 0")
	vector := func(field string, v []float64, ok func(float64) bool, want string) {
		if len(v) != n {
			l.Add(pos, field, "must have %d entries (one per country), got %d", n, len(v))
			return
		}
		for i, x := range v {
			if math.Abs(x) > 1e6 || !ok(x) {
				l.Add(pos, fmt.Sprintf("%s[%d]", field, i), "must be %s, got %g", want, x)
			}
		}
	}
	vector("import_demand_elasticity", g.ImportDemandElasticity, func(x float64) bool { return x < 0 }, "< 0")
	vector("substitution_elasticity", g.SubstitutionElasticity, func(x float64) bool { return x >= 0 }, "≥ 0")
	vector("export_supply_elasticity", g.ExportSupplyElasticity, func(x float64) bool { return x >= 0 }, "≥ 0")
	return l.Err()
}

// SolveGSIM runs the experiment of Francois and Hall (2003), equations
// numbered as in docs/market.md:
//
//	θ[r][v]  = M[r][v]·T0[r][v] / Σ_s M[s][v]·T0[s][v]           (G1)
//	φ[r][v]  = M[r][v] / Σ_w M[r][w]                              (G2)
//	N_own    = θ[r][v]·E_m[v] − (1 − θ[r][v])·E_s[v]              (G3)
//	N_cross  = θ[s][v]·(E_m[v] + E_s[v])                          (G4)
//	M̂[r][v] = N_own·(T̂[r][v] + P̂*[r]) + Σ_{s≠r} N_cross·(T̂[s][v] + P̂*[s])  (G5)
//	Σ_v φ[r][v]·M̂[r][v] = E_x[r]·P̂*[r]   for every exporter r     (G6)
//
// (G6) is linear in the world-price changes P̂*, solved exactly by Gaussian
// elimination; the welfare effects follow (G7–G10).
func SolveGSIM(g *GSIMInstance) (*GSIMResult, error) {
	n := len(g.Countries)
	M, T0, T1 := g.Trade, g.TariffBefore, g.TariffAfter
	Em, Es, Ex := g.ImportDemandElasticity, g.SubstitutionElasticity, g.ExportSupplyElasticity
	theta, phi, dT := square(n), square(n), square(n)
	imp := make([]float64, n) // R0[v]: imports at internal prices
	exp := make([]float64, n) // exports at world prices
	for r := 0; r < n; r++ {
		for v := 0; v < n; v++ {
			imp[v] += M[r][v] * T0[r][v]
			exp[r] += M[r][v]
			dT[r][v] = T1[r][v]/T0[r][v] - 1
		}
	}
	for r := 0; r < n; r++ {
		for v := 0; v < n; v++ {
			if imp[v] > 0 {
				theta[r][v] = M[r][v] * T0[r][v] / imp[v]
			}
			if exp[r] > 0 {
				phi[r][v] = M[r][v] / exp[r]
			}
		}
	}
	own := func(r, v int) float64 { return theta[r][v]*Em[v] - (1-theta[r][v])*Es[v] }
	cross := func(s, v int) float64 { return theta[s][v] * (Em[v] + Es[v]) }
	// (G6) as A·P̂* = b.
	A, b := square(n), make([]float64, n)
	for r := 0; r < n; r++ {
		if exp[r] == 0 {
			A[r][r] = 1 // sells nothing: its price does not move
			continue
		}
		A[r][r] = -Ex[r]
		for v := 0; v < n; v++ {
			if phi[r][v] == 0 {
				continue
			}
			A[r][r] += phi[r][v] * own(r, v)
			b[r] -= phi[r][v] * own(r, v) * dT[r][v]
			for s := 0; s < n; s++ {
				if s != r {
					A[r][s] += phi[r][v] * cross(s, v)
					b[r] -= phi[r][v] * cross(s, v) * dT[s][v]
				}
			}
		}
	}
	x, err := gauss(A, b)
	if err != nil {
		return nil, problem.Errorf(problem.Invalid, "gsim: the market-clearing system is singular: %v", err)
	}
	res := &GSIMResult{TradeAfter: square(n)}
	dR := make([]float64, n)
	compP := make([]float64, n)
	for r := 0; r < n; r++ {
		var excess float64
		for v := 0; v < n; v++ {
			var chi float64
			for s := 0; s < n; s++ {
				if s != r {
					chi += cross(s, v) * (dT[s][v] + x[s])
				}
			}
			mhat := own(r, v)*(dT[r][v]+x[r]) + chi // (G5)
			m1 := M[r][v] * (1 + mhat) * (1 + x[r]) // value at new world prices
			res.TradeAfter[r][v] = m1
			dR[v] += m1*(T1[r][v]-1) - M[r][v]*(T0[r][v]-1) // (G9)
			compP[v] += theta[r][v] * ((1+x[r])*T1[r][v]/T0[r][v] - 1)
			excess += phi[r][v] * mhat
		}
		if exp[r] > 0 {
			res.Residual = math.Max(res.Residual, math.Abs(excess-Ex[r]*x[r]))
		}
	}
	for i := 0; i < n; i++ {
		p := compP[i]
		c := GSIMCountry{ID: g.Countries[i], WorldPriceChange: x[i], CompositePriceChange: p,
			ProducerSurplus: exp[i] * x[i] * (1 + 0.5*Ex[i]*x[i]),    // (G7)
			ConsumerSurplus: 0.5*imp[i]*Em[i]*p*p*sign(p) - imp[i]*p, // (G8)
			TariffRevenue:   dR[i]}
		c.Welfare = c.ProducerSurplus + c.ConsumerSurplus + c.TariffRevenue // (G10)
		res.Countries = append(res.Countries, c)
	}
	return res, nil
}

func sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

func square(n int) [][]float64 {
	m := make([][]float64, n)
	for i := range m {
		m[i] = make([]float64, n)
	}
	return m
}

// gauss solves A x = b by Gaussian elimination with partial pivoting,
// leaving A and b changed.
func gauss(A [][]float64, b []float64) ([]float64, error) {
	n := len(b)
	for k := 0; k < n; k++ {
		p := k
		for i := k + 1; i < n; i++ {
			if math.Abs(A[i][k]) > math.Abs(A[p][k]) {
				p = i
			}
		}
		if math.Abs(A[p][k]) < 1e-300 {
			return nil, fmt.Errorf("zero pivot in column %d", k)
		}
		A[k], A[p] = A[p], A[k]
		b[k], b[p] = b[p], b[k]
		for i := k + 1; i < n; i++ {
			f := A[i][k] / A[k][k]
			for j := k; j < n; j++ {
				A[i][j] -= f * A[k][j]
			}
			b[i] -= f * b[k]
		}
	}
	x := make([]float64, n)
	for i := n - 1; i >= 0; i-- {
		s := b[i]
		for j := i + 1; j < n; j++ {
			s -= A[i][j] * x[j]
		}
		x[i] = s / A[i][i]
	}
	return x, nil
}
