package stockpile

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/internal/dec"
)

// Kg is a quantity of contained mineral in whole kilograms. Every stock,
// obligation, release and replenishment is a Kg, so that sums are exact.
type Kg int64

// maxKg bounds the quantities read (10^15 kg is a thousand times world
// production of any mineral), so that sums of them cannot overflow.
const maxKg = Kg(1_000_000_000_000_000)

// Tonnes renders k as exact tonnes with up to three decimals ("1234.5").
func (k Kg) Tonnes() string {
	neg := k < 0
	if neg {
		k = -k
	}
	s := strconv.FormatInt(int64(k/1000), 10)
	if f := k % 1000; f != 0 {
		s += strings.TrimRight(fmt.Sprintf(".%03d", f), "0")
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Float returns k in tonnes as a float64, for charts and the market model.
func (k Kg) Float() float64 { return float64(k) / 1000 }

// Decimal returns k in tonnes as an exact decimal.
func (k Kg) Decimal() dec.Decimal { return dec.New(int64(k), -3) }

// MarshalText writes k as exact tonnes, so JSON and CSV show tonnes.
func (k Kg) MarshalText() ([]byte, error) { return []byte(k.Tonnes()), nil }

// ParseTonnes reads a number of tonnes written with at most three decimals
// (a kilogram) into Kg.
func ParseTonnes(s string) (Kg, error) {
	s = strings.TrimSpace(s)
	d, err := dec.Parse(s)
	if err != nil || s == "" {
		return 0, fmt.Errorf("%q is not a number of tonnes", s)
	}
	return KgOf(d)
}

// KgOf converts an exact number of tonnes to Kg; it is an error if it has
// more than three decimals or is out of range.
func KgOf(t dec.Decimal) (Kg, error) {
	k := t.Mul(dec.FromInt(1000))
	n, ok := k.Int64()
	if !ok {
		if k.Abs().Cmp(maxKg.Decimal().Mul(dec.FromInt(1000))) > 0 {
			return 0, fmt.Errorf("%s t is out of range", t)
		}
		return 0, fmt.Errorf("%s t has more than three decimals: quantities are exact to the kilogram", t)
	}
	if Kg(n) > maxKg || Kg(n) < -maxKg {
		return 0, fmt.Errorf("%s t is out of range", t)
	}
	return Kg(n), nil
}

// mulRatio returns x·num/den rounded half up (den > 0), exactly.
func mulRatio(x Kg, num, den *big.Int) Kg {
	var p big.Int
	p.Mul(big.NewInt(int64(x)), num)
	return roundQuo(&p, den)
}

// roundQuo returns p/den rounded half away from zero (den > 0).
func roundQuo(p, den *big.Int) Kg {
	var q, r big.Int
	q.QuoRem(p, den, &r)
	r.Abs(&r)
	r.Lsh(&r, 1)
	if r.Cmp(den) >= 0 {
		if p.Sign() < 0 {
			q.Sub(&q, big.NewInt(1))
		} else {
			q.Add(&q, big.NewInt(1))
		}
	}
	return Kg(q.Int64())
}

// ratio returns d as an exact fraction num/den.
func ratio(d dec.Decimal) (num, den *big.Int) {
	r, ok := new(big.Rat).SetString(d.String())
	if !ok {
		return big.NewInt(0), big.NewInt(1)
	}
	return r.Num(), r.Denom()
}

// mulDec returns x·d rounded half up to the kilogram.
func mulDec(x Kg, d dec.Decimal) Kg {
	n, m := ratio(d)
	return mulRatio(x, n, m)
}

// split divides total among weights in proportion, by the largest-remainder
// method (Hamilton), so that the parts sum to total exactly; ties go to the
// earlier index. Weights are ≥ 0; with no positive weight everything is 0.
func split(total Kg, weights []*big.Rat) []Kg {
	out := make([]Kg, len(weights))
	sum := new(big.Rat)
	for _, w := range weights {
		sum.Add(sum, w)
	}
	if sum.Sign() <= 0 || total == 0 {
		return out
	}
	rems := make([]*big.Rat, len(weights))
	var given Kg
	for i, w := range weights {
		q := new(big.Rat).Mul(w, new(big.Rat).SetInt64(int64(total)))
		q.Quo(q, sum)
		fl := new(big.Int).Quo(q.Num(), q.Denom()) // toward zero; total ≥ 0 here
		out[i] = Kg(fl.Int64())
		given += out[i]
		rems[i] = new(big.Rat).Sub(q, new(big.Rat).SetInt(fl))
	}
	for left := total - given; left > 0; left-- {
		best := -1
		for i, r := range rems {
			if weights[i].Sign() > 0 && (best < 0 || r.Cmp(rems[best]) > 0) {
				best = i
			}
		}
		out[best]++
		rems[best] = new(big.Rat)
	}
	return out
}
