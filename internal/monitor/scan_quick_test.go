package monitor

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/date"
)

func TestScanQuick(t *testing.T) {
	var b strings.Builder
	b.WriteString("period,reporterISO,partnerISO,flowCode,cmdCode,primaryValue,netWgt,extra\n")
	rng := rand.New(rand.NewPCG(1, 2))
	for y := 2019; y <= 2024; y++ {
		for m := 1; m <= 12; m++ {
			lvl := 200000.0
			if y > 2023 || y == 2023 && m >= 8 {
				lvl *= 3
			}
			v := lvl * math.Exp(rng.NormFloat64()*0.15)
			fmt.Fprintf(&b, "%d%02d,USA,CHN,M,811292,%.2f,%.1f,x\n", y, m, v*1.06, v/300)
			x := v * math.Exp(rng.NormFloat64()*0.05)
			if y == 2022 && m >= 3 && m <= 7 {
				x *= 2.5
			}
			fmt.Fprintf(&b, "%d%02d,CHN,USA,X,811292,%.2f,%.1f,x\n", y, m, x, v/300)
		}
	}
	f, err := ReadComtrade(strings.NewReader(b.String()), "t.csv", date.MustParse("2025-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	al, err := Scan(context.Background(), &Input{Flows: f}, Options{AsOf: date.MustParse("2025-01-01")})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range al {
		t.Logf("%s %s %s %s %s %s..%s score %.2f: %s", a.ID, a.Detector, a.Importer, a.Exporter, a.HS, a.From, a.To, a.Score, a.Summary)
	}
}
