package costcurve

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// Params are everything Generate needs; the same Params give the same curve,
// byte for byte. ParamsFor fills them from the USGS MCS 2026 data.
type Params struct {
	Mineral, Stage string
	Unit           string // registry unit of contained mineral: "t", "kg"
	Currency       string // "USD"
	Year           int    // the year of the reference price and production
	Seed           uint64 // seeds math/rand/v2's PCG as NewPCG(Seed, 0)
	// Countries is the production each country's producers share, in Unit per
	// year; Code is ISO alpha-2, or OtherCountries for the MCS "Other
	// countries" row.
	Countries []CountryProduction
	// ReferencePrice is the price per Unit in Currency the curve is calibrated
	// to, and Ratio the production-weighted mean cash cost as a fraction of it:
	// the target mean is Ratio × ReferencePrice rounded half up to the cent.
	ReferencePrice dec.Decimal
	Ratio          dec.Decimal
	Source         string // the curve's Source line
	Calibration    string // the curve's Calibration line, without the target, which Generate adds
}

// CountryProduction is one country's yearly production, in the curve's unit.
type CountryProduction struct {
	Code       string // ISO alpha-2, or OtherCountries
	Name       string // as the source writes it: "Congo (Kinshasa)"
	Production dec.Decimal
}

// The generator's fixed settings, documented in docs/costcurves.md.
const (
	// MaxProducers is the most producers a country is split into.
	MaxProducers = 6
	// shareStep is the production share each producer of a country stands
	// for: a country gets 1 + ⌊share / 5 %⌋ producers, at most MaxProducers.
	shareStep = 0.05
	// countrySigma is the dispersion of country cost levels and producerSigma
	// that of producers within a country: cost multipliers are
	// exp(countrySigma·z_country + producerSigma·z_producer), z standard normal
	// clamped to ±3 (lognormal dispersion).
	countrySigma  = 0.25
	producerSigma = 0.35
	zClamp        = 3
	// minCapacity is the least capacity, in units, a generated producer has:
	// a country of less than 3 units per producer gets fewer producers.
	minCapacity = 3
)

// TargetMean returns the production-weighted mean cash cost a curve of p is
// calibrated to: Ratio × ReferencePrice, rounded half up to the cent.
func (p Params) TargetMean() (dec.Decimal, error) {
	t, _, err := p.Ratio.Mul(p.ReferencePrice).Round(2, dec.HalfUp)
	return t, err
}

// draft is a producer before its cost is calibrated.
type draft struct {
	Producer
	rel dec.Decimal // relative cost multiplier, four decimals
}

// Generate draws an ILLUSTRATIVE cost curve from p. It is pure and
// deterministic: the random numbers come from PCG seeded with p.Seed.
//
// Steps (docs/costcurves.md): countries in order of production; each split
// into 1 + ⌊share/5 %⌋ producers (at most 6) with random capacity weights in
// [0.5, 1.5); each producer given a lognormal relative cost; all costs scaled
// by one factor so that the production-weighted mean equals the target, and
// rounded to the cent; the largest producer of the largest multi-producer
// country is the balancing producer: its capacity is moved to the nearest
// number of the form 2^a·5^b (the difference goes to its country's next
// producer) so that the cost that makes the weighted mean exactly the target
// is a terminating decimal, and it takes that cost.
func Generate(p Params) (*Curve, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	target, err := p.TargetMean()
	if err != nil || target.Sign() <= 0 {
		return nil, &problem.Error{Code: problem.Invalid, Field: "ratio", Message: fmt.Sprintf("target mean cost %s × %s is not a positive amount of cents", p.Ratio, p.ReferencePrice)}
	}
	countries := slices.Clone(p.Countries)
	slices.SortStableFunc(countries, func(a, b CountryProduction) int {
		if c := b.Production.Cmp(a.Production); c != 0 {
			return c
		}
		return cmp.Compare(a.Code, b.Code)
	})
	var world dec.Decimal
	for _, c := range countries {
		world = world.Add(c.Production)
	}
	rng := rand.New(rand.NewPCG(p.Seed, 0))
	var drafts []draft
	balancing := -1 // index in drafts
	var balancingNext int
	for ci, c := range countries {
		share := c.Production.Quo(world).Float64()
		k := min(MaxProducers, 1+int(share/shareStep))
		if ci == 0 {
			k = max(k, 2) // the largest country always has a balancing producer and a next one
		}
		if limit, _, err := c.Production.Quo(dec.FromInt(minCapacity)).Round(0, dec.Down); err == nil {
			if n, fits := limit.Int64(); fits && n < int64(k) {
				k = max(1, int(n))
			}
		}
		level := clampZ(rng.NormFloat64())
		weights := make([]float64, k)
		rels := make([]dec.Decimal, k)
		var wsum float64
		for j := range k {
			weights[j] = 0.5 + rng.Float64()
			wsum += weights[j]
			rels[j] = relCost(countrySigma*level + producerSigma*clampZ(rng.NormFloat64()))
		}
		caps := splitCapacity(c.Production, weights, wsum)
		first := len(drafts)
		for j := range k {
			id := c.Code + "-" + strconv.Itoa(j+1)
			drafts = append(drafts, draft{Producer: Producer{ID: id, Name: producerName(c, j+1), Country: c.Code, Capacity: caps[j]}, rel: rels[j]})
		}
		if k >= 2 && balancing < 0 {
			balancing, balancingNext = first+largest(caps), first+secondLargest(caps)
		}
	}
	if balancing < 0 {
		return nil, &problem.Error{Code: problem.Invalid, Field: "countries", Message: "no country is large enough to split into two producers (at least 6 units), so the mean cannot be calibrated exactly"}
	}
	smoothCapacity(&drafts[balancing].Capacity, &drafts[balancingNext].Capacity)

	// One exact factor brings the capacity-weighted mean of the relative
	// costs to the target; costs are then rounded to the cent.
	var weighted dec.Decimal
	for _, d := range drafts {
		weighted = weighted.Add(d.Capacity.Mul(d.rel))
	}
	factor := target.Mul(world).Quo(weighted)
	residual := target.Mul(world)
	for i := range drafts {
		if i == balancing {
			continue
		}
		cost, _, err := factor.Mul(drafts[i].rel).Round(2, dec.HalfUp)
		if err != nil || cost.Sign() <= 0 {
			return nil, &problem.Error{Code: problem.Invalid, Field: "ratio", Message: fmt.Sprintf("target mean cost %s is too small: producer %s would cost less than a cent", target, drafts[i].ID)}
		}
		drafts[i].Cost = cost
		residual = residual.Sub(drafts[i].Capacity.Mul(cost))
	}
	b := &drafts[balancing]
	b.Cost = residual.Quo(b.Capacity)
	if b.Cost.Mul(b.Capacity).Cmp(residual) != 0 {
		return nil, problem.Errorf(problem.Internal, "costcurve: balancing cost %s × %s is not exactly %s", b.Cost, b.Capacity, residual)
	}
	if b.Cost.Sign() <= 0 {
		return nil, &problem.Error{Code: problem.Invalid, Field: "countries", Message: fmt.Sprintf("balancing producer %s would need a cost of %s to reach the target mean", b.ID, b.Cost)}
	}

	curve := &Curve{
		Name: Generated, Mineral: p.Mineral, Stage: p.Stage, Unit: p.Unit, Currency: p.Currency, Year: p.Year,
		Illustrative: true, Source: p.Source,
		Calibration: fmt.Sprintf("%s; target production-weighted mean cash cost = %s × %s (reference price to the cent) = %s %s/%s, met exactly (balancing producer %s)",
			p.Calibration, p.Ratio, roundCents(p.ReferencePrice), target, p.Currency, p.Unit, b.ID),
	}
	for _, d := range drafts {
		curve.Producers = append(curve.Producers, d.Producer)
	}
	curve.Producers = curve.Sorted()
	return curve, nil
}

// check reports the first fault of p.
func (p Params) check() error {
	bad := func(field, format string, args ...any) error {
		return &problem.Error{Code: problem.Invalid, Field: field, Message: fmt.Sprintf(format, args...)}
	}
	switch {
	case p.Mineral == "":
		return bad("mineral", "is empty")
	case p.Stage == "":
		return bad("stage", "is empty")
	case p.Unit == "":
		return bad("unit", "is empty")
	case p.Currency == "":
		return bad("currency", "is empty")
	case p.ReferencePrice.Sign() <= 0:
		return bad("reference_price", "%s is not greater than 0", p.ReferencePrice)
	case p.Ratio.Sign() <= 0 || p.Ratio.Cmp(dec.FromInt(10)) > 0:
		return bad("ratio", "%s is not in (0, 10]", p.Ratio)
	case len(p.Countries) == 0:
		return bad("countries", "no country production: nothing to split into producers")
	}
	seen := make(map[string]bool, len(p.Countries))
	for i, c := range p.Countries {
		field := fmt.Sprintf("countries[%d]", i)
		if !isAlpha2(c.Code) {
			return bad(field+".code", "%q is not an ISO alpha-2 code", c.Code)
		}
		if seen[c.Code] {
			return bad(field+".code", "%s is listed twice", c.Code)
		}
		seen[c.Code] = true
		if c.Production.Sign() <= 0 {
			return bad(field+".production", "%s is not greater than 0", c.Production)
		}
		if c.Production.Cmp(dec.New(1, 15)) > 0 {
			return bad(field+".production", "%s is implausibly large", c.Production)
		}
	}
	return nil
}

// clampZ bounds a standard normal draw to ±zClamp, so that no cost is an
// extreme outlier.
func clampZ(z float64) float64 { return max(-zClamp, min(zClamp, z)) }

// relCost returns exp(x) rounded to four decimals, as a decimal. Rounding
// the float to four decimals keeps the curve identical across platforms whose
// math.Exp differ in the last bit.
func relCost(x float64) dec.Decimal {
	return dec.MustParse(strconv.FormatFloat(math.Exp(x), 'f', 4, 64))
}

// splitCapacity splits production by the weights: every share but the largest
// is rounded down to a whole unit, and the largest share takes the rest, so
// the shares add up to production exactly.
func splitCapacity(production dec.Decimal, weights []float64, wsum float64) []dec.Decimal {
	caps := make([]dec.Decimal, len(weights))
	big := 0
	for j, w := range weights {
		if w > weights[big] {
			big = j
		}
	}
	rest := production
	for j, w := range weights {
		if j == big {
			continue
		}
		share := strconv.FormatFloat(w/wsum, 'f', 6, 64)
		c, _, _ := production.Mul(dec.MustParse(share)).Round(0, dec.Down)
		caps[j] = dec.Max(c, dec.One)
		rest = rest.Sub(caps[j])
	}
	caps[big] = rest
	return caps
}

// largest and secondLargest return the index of the largest and of the
// second-largest capacity (first index on ties).
func largest(caps []dec.Decimal) int {
	b := 0
	for j, c := range caps {
		if c.Cmp(caps[b]) > 0 {
			b = j
		}
	}
	return b
}

func secondLargest(caps []dec.Decimal) int {
	b := largest(caps)
	s := -1
	for j, c := range caps {
		if j != b && (s < 0 || c.Cmp(caps[s]) > 0) {
			s = j
		}
	}
	return s
}

// smoothCapacity moves *c to the nearest integer of the form 2^a·5^b, with a
// and b at most one more than the number of digits of *c, that leaves *next
// at least one unit, and gives the difference to *next. A capacity of that
// form divides a power of ten, so the balancing cost, residual ÷ capacity,
// terminates, with at most max(a, b) more decimals than the residual.
func smoothCapacity(c, next *dec.Decimal) {
	total := c.Add(*next)
	whole, _, _ := c.Round(0, dec.Down)
	limit := len(whole.String()) + 1
	best := dec.Zero
	var bestDist dec.Decimal
	two := dec.One
	for a := 0; a <= limit && two.Cmp(total) < 0; a++ {
		v := two
		for b := 0; b <= limit && total.Sub(v).Cmp(dec.One) >= 0; b++ {
			d := v.Sub(*c).Abs()
			if best.IsZero() || d.Cmp(bestDist) < 0 || (d.Cmp(bestDist) == 0 && v.Cmp(best) < 0) {
				best, bestDist = v, d
			}
			v = v.Mul(dec.FromInt(5))
		}
		two = two.Mul(dec.FromInt(2))
	}
	if best.IsZero() {
		// total < 2: halve until the next producer keeps a unit's fraction.
		best = dec.One
		for total.Sub(best).Sign() <= 0 {
			best = best.Quo(dec.FromInt(2))
		}
	}
	*next = total.Sub(best)
	*c = best
}

// producerName names a generated producer so that no reader takes it for a
// real mine.
func producerName(c CountryProduction, n int) string {
	if c.Code == OtherCountries {
		return fmt.Sprintf("other countries (MCS) producer %d (illustrative)", n)
	}
	return fmt.Sprintf("%s producer %d (illustrative)", c.Name, n)
}
