package duty

import (
	"github.com/mineralpact/mineralpact/internal/date"
	decpkg "github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/refprice"
)

type refFloors struct{ e *refprice.Engine }

func (f *refFloors) Floor(m, s string, d date.Date) (*refprice.Floor, error) {
	return f.e.Floor(m, s, d)
}

func mustDec(s string) decpkg.Decimal { return decpkg.MustParse(s) }
