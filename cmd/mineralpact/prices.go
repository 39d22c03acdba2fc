package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/mineralpact/mineralpact/data"
	"github.com/mineralpact/mineralpact/internal/costcurve"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// priceSources wires the reference-price engine to the shipped data: the
// registry and the cost curves under data/.
func priceSources(reg *registry.Registry) refprice.Sources {
	return costcurve.PriceSources(reg, data.FS)
}

// priceOptions are the options every prices verb that computes shares.
type priceOptions struct {
	agreement string
	backcast  bool
	strict    bool
}

func (o *priceOptions) bind(fs *flag.FlagSet) {
	agreementFlag(fs, &o.agreement)
	fs.BoolVar(&o.backcast, "backcast", false, "allow dates before the entry into force, computed with the rules as they enter into force")
	fs.BoolVar(&o.strict, "strict-vintages", false, "refuse a floor that needs data released after its cut-off even where the agreement says later_vintages: flag (by default the agreement decides: refused unless it says flag)")
}

// engine loads the agreement and returns a reference-price engine over it.
func (o *priceOptions) engine() (*refprice.Engine, error) {
	_, eng, err := o.load()
	return eng, err
}

// load loads the agreement and returns it with a reference-price engine over
// it.
func (o *priceOptions) load() (*loaded, *refprice.Engine, error) {
	env, err := loadEnv(o.agreement)
	if err != nil {
		return nil, nil, err
	}
	var opts []refprice.Option
	if o.backcast {
		opts = append(opts, refprice.Backcast())
	}
	if o.strict {
		opts = append(opts, refprice.StrictVintages())
	}
	return env, env.prices(opts...), nil
}

// oneMineralStage reads the one MINERAL/STAGE argument of a verb.
func oneMineralStage(pos []string) (string, string, error) {
	if len(pos) != 1 {
		return "", "", usagef("name one MINERAL/STAGE")
	}
	return splitMineralStage(pos[0])
}

// splitMineralStage reads MINERAL/STAGE.
func splitMineralStage(s string) (string, string, error) {
	m, st, ok := strings.Cut(s, "/")
	if !ok || m == "" || st == "" {
		return "", "", usagef("want MINERAL/STAGE, e.g. lithium/processed, got %q", s)
	}
	return m, st, nil
}

func flagTag(f *refprice.Floor) string {
	var tags []string
	if f.Illustrative {
		tags = append(tags, "illustrative")
	}
	tags = append(tags, f.Flags()...) // imputed, estimated, not_deflated
	if f.Backcast {
		tags = append(tags, "backcast")
	}
	return strings.Join(tags, ",")
}

func validTo(f *refprice.Floor) string {
	if f.ValidTo.IsZero() {
		return "-"
	}
	return f.ValidTo.String()
}

// priceCents is how many decimals a published price has (refprice rounds
// every floor to the cent), as a terminal shows them.
const priceCents = 2

// priceRow is a floor as a row of a table; human: for people on a terminal.
func priceRow(f *refprice.Floor, human bool) []string {
	price := f.Price.String()
	if human {
		price = formatDecimal(price, priceCents)
	}
	return []string{f.Mineral, f.Stage, price, f.Currency + "/" + f.Unit, string(f.Method), f.ValidFrom.String(), validTo(f), flagTag(f), fmt.Sprint(f.InputsHash[:12])}
}

var priceHeader = []string{"mineral", "stage", "price", "per", "method", "valid_from", "valid_to", "flags", "inputs_sha256"}

// writeTable writes t as format says: csv, or a table whose header is in
// capitals.
func writeTable(s streams, format string, t *table) error {
	if format == "csv" {
		return t.writeCSV(s.out)
	}
	t.header = upper(t.header)
	return t.write(s)
}

func upper(h []string) []string {
	out := make([]string, len(h))
	for i, x := range h {
		out[i] = strings.ToUpper(strings.ReplaceAll(x, "_", " "))
	}
	return out
}
