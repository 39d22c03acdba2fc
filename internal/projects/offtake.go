package projects

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/strictyaml"
)

// OfftakeVersion is the only offtake contract format version this build reads.
const OfftakeVersion = 1

// The price formulas of an offtake contract.
const (
	PriceFixed       = "fixed"        // a fixed price per unit
	PriceCollar      = "collar"       // the market price, but at least floor and at most ceiling
	PriceFloorLinked = "floor_linked" // the market price, but at least the agreement's floor × (1 + premium)
)

// Offtake is an offtake contract: a buyer takes volume_per_year of a
// project's output for tenor_years from its first production year, at a
// price set by a formula, and pays for at least the take-or-pay share of it.
// docs/projects.md, "Offtake contracts", gives the formulas.
type Offtake struct {
	Version       int          `yaml:"version" required:"true" doc:"Format version of the file; must be 1."`
	ID            string       `yaml:"id" required:"true" doc:"Short identifier of the contract."`
	Project       string       `yaml:"project" required:"true" doc:"Id of the project in the pipeline."`
	Buyer         string       `yaml:"buyer" doc:"The buyer, as free text."`
	VolumePerYear float64      `yaml:"volume_per_year" required:"true" doc:"Volume bought each contract year, in the project's unit; > 0 and at most its capacity. In a year the project produces less, the contract takes what is produced."`
	TenorYears    int          `yaml:"tenor_years" required:"true" doc:"Contract years from the project's first production year; 1 to the project's life."`
	Price         OfftakePrice `yaml:"price" required:"true" doc:"The price formula."`
	TakeOrPay     float64      `yaml:"take_or_pay" doc:"Share of the volume the buyer pays for at the contract price even when it would rather buy at market, 0 to 1 (1: a firm contract)."`
	Sources       []Source     `yaml:"sources" doc:"Where the terms come from."`

	src *strictyaml.Source
}

// OfftakePrice is an offtake contract's price formula.
type OfftakePrice struct {
	Kind    string  `yaml:"kind" required:"true" enum:"fixed|collar|floor_linked" doc:"fixed: price; collar: the market price between floor and ceiling; floor_linked: the market price, at least the agreement's floor × (1 + premium)."`
	Price   float64 `yaml:"price" doc:"fixed: the price per unit, > 0."`
	Floor   float64 `yaml:"floor" doc:"collar: the lowest price, > 0."`
	Ceiling float64 `yaml:"ceiling" doc:"collar: the highest price, ≥ floor."`
	Premium float64 `yaml:"premium" doc:"floor_linked: premium over the agreement's floor (−0.1 is a 10% discount), above −1."`
}

var offtakeOptions = strictyaml.Options{What: "an offtake contract (version: 1, id, project, volume_per_year, tenor_years, price)", MaxSize: 1 << 20, MaxNodes: 100_000, MaxMagnitude: maxMagnitude}

// DecodeOfftake reads an offtake contract strictly and validates it against
// the pipeline that holds its project; every problem is reported at once,
// each as file:line:column: field.path: message.
func DecodeOfftake(name string, data []byte, p *Pipeline) (*Offtake, error) {
	o := &Offtake{}
	src, err := strictyaml.Decode(name, data, o, offtakeOptions)
	if err != nil {
		return nil, err
	}
	o.src = src
	var l problem.List
	add := func(path, format string, args ...any) { l.Add(src.Pos(path), path, format, args...) }
	if o.Version != OfftakeVersion {
		add("version", "must be %d, got %d", OfftakeVersion, o.Version)
	}
	pr := p.Project(o.Project)
	if pr == nil {
		add("project", "no project %q in pipeline %s", o.Project, p.ID)
	}
	if !(o.VolumePerYear > 0) {
		add("volume_per_year", "must be > 0, got %g", o.VolumePerYear)
	} else if pr != nil && o.VolumePerYear > pr.Capacity.PerYear {
		add("volume_per_year", "%g %s a year is more than project %s's capacity of %g", o.VolumePerYear, pr.Capacity.Unit, pr.ID, pr.Capacity.PerYear)
	}
	if o.TenorYears < 1 {
		add("tenor_years", "must be at least 1 year, got %d", o.TenorYears)
	} else if pr != nil && o.TenorYears > pr.LifeYears {
		add("tenor_years", "%d years is longer than project %s's life of %d years", o.TenorYears, pr.ID, pr.LifeYears)
	}
	if !(o.TakeOrPay >= 0 && o.TakeOrPay <= 1) {
		add("take_or_pay", "must be a share from 0 to 1, got %g", o.TakeOrPay)
	}
	o.Price.validate(add)
	for i, s := range o.Sources {
		if strings.TrimSpace(s.Text) == "" {
			add(fmt.Sprintf("sources[%d].text", i), "must not be empty")
		}
	}
	if err := l.Err(); err != nil {
		return nil, err
	}
	return o, nil
}

func (pf *OfftakePrice) validate(add func(path, format string, args ...any)) {
	unused := func(field string, v float64) {
		if v != 0 {
			add("price."+field, "a %s price has no %s", pf.Kind, field)
		}
	}
	switch pf.Kind {
	case PriceFixed:
		if !(pf.Price > 0) {
			add("price.price", "must be > 0, got %g", pf.Price)
		}
		unused("floor", pf.Floor)
		unused("ceiling", pf.Ceiling)
		unused("premium", pf.Premium)
	case PriceCollar:
		if !(pf.Floor > 0) {
			add("price.floor", "must be > 0, got %g", pf.Floor)
		}
		if !(pf.Ceiling >= pf.Floor) {
			add("price.ceiling", "must be ≥ the floor %g, got %g", pf.Floor, pf.Ceiling)
		}
		unused("price", pf.Price)
		unused("premium", pf.Premium)
	case PriceFloorLinked:
		if !(pf.Premium > -1) {
			add("price.premium", "must be above −1, got %g", pf.Premium)
		}
		unused("price", pf.Price)
		unused("floor", pf.Floor)
		unused("ceiling", pf.Ceiling)
	}
}

// price returns the contract price when the market price is market and the
// agreement's floor is floor (0 when there is none).
func (pf *OfftakePrice) price(market, floor float64) float64 {
	switch pf.Kind {
	case PriceFixed:
		return pf.Price
	case PriceCollar:
		return min(max(market, pf.Floor), pf.Ceiling)
	default:
		return max(market, (1+pf.Premium)*floor)
	}
}

// revenue returns what the producer earns on v units contracted in a year
// at market price market: v·c when the contract price c is at most the
// market price (the buyer takes everything); otherwise the buyer takes and
// pays for the take-or-pay share s at c and buys the rest at market, which
// the producer sells there: s·v·c + (1 − s)·v·market.
func (o *Offtake) revenue(v, market, floor float64) float64 {
	c := o.Price.price(market, floor)
	if c <= market {
		return v * c
	}
	s := o.TakeOrPay
	return s*v*c + (1-s)*v*market
}

// OfftakeReference returns the field reference of the offtake contract
// format as Markdown tables (docs/projects.md embeds it).
func OfftakeReference() string {
	return strictyaml.Reference(reflect.TypeFor[Offtake](), "####", map[reflect.Type]string{reflect.TypeFor[date.Date](): "date (YYYY-MM-DD)"})
}

// OfftakeValue is what an offtake contract is worth to each side over a set
// of price paths, and the project's NPV distribution without and with it
// (both under the same floor).
type OfftakeValue struct {
	Without, With Distribution
	// Producer is E[NPV with the contract] − E[NPV without]: after royalty
	// and tax, at the project's discount rate.
	Producer       float64
	ProducerStdErr float64
	// Buyer is the expected present value, at the same rate, of buying the
	// contracted volume under the contract rather than at the realised
	// market price: Σ_t df_t · (P'_t · v_t − paid_t), before the buyer's tax.
	Buyer float64
}

// ValueOfftake values offtake o on project pr over paths at rate, with the
// agreement's floor when floor is not nil.
func (pr *Project) ValueOfftake(paths *Paths, rate float64, floor []float64, o *Offtake) (*OfftakeValue, error) {
	if o == nil {
		return nil, problem.Errorf(problem.Invalid, "project %s: no offtake to value", pr.ID)
	}
	if err := pr.checkPaths(paths, rate); err != nil {
		return nil, err
	}
	terms := Terms{Floor: floor, Offtake: o}
	if err := pr.checkTerms(terms); err != nil {
		return nil, err
	}
	without, with := newEvaluator(pr, rate, Terms{Floor: floor}), newEvaluator(pr, rate, terms)
	a, b := make([]float64, paths.N), make([]float64, paths.N)
	buyer := 0.0
	for i := range paths.N {
		path := paths.Path(i)
		a[i] = without.npv(path)
		b[i] = with.npv(path)
		buyer += with.buyerValue(path)
	}
	ov := &OfftakeValue{Without: *summarise(a), With: *summarise(b), Buyer: buyer / float64(paths.N)}
	ov.Producer = ov.With.Mean - ov.Without.Mean
	ov.ProducerStdErr = pairedStdErr(b, a, ov.Producer)
	return ov, nil
}
