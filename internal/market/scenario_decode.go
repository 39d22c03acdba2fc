package market

import (
	"reflect"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/strictyaml"
)

// MaxScenarioSize bounds a scenario file; a real one is a few kilobytes.
const MaxScenarioSize = 1 << 20

// maxScenarioNodes bounds the YAML values one decode visits, counting alias
// expansions, so that an alias bomb fails fast.
const maxScenarioNodes = 100_000

// scenarioOptions bound a scenario decode: a real scenario has a few hundred
// values, so an alias bomb fails fast; floats are bounded like an instance's.
var scenarioOptions = strictyaml.Options{What: "a scenario (version: 1, id, title, mineral, ...)", MaxSize: MaxScenarioSize, MaxNodes: maxScenarioNodes, MaxMagnitude: maxMagnitude}

// DecodeScenario reads a scenario file strictly — unknown fields, duplicate
// keys, values of the wrong type, missing required fields and values outside
// an enumeration are errors — and checks what can be checked without the
// registry and the agreement (Build checks the rest). Every problem is
// reported at once, each as file:line:column: field.path: message.
func DecodeScenario(name string, data []byte) (*Scenario, error) {
	sc := &Scenario{}
	src, err := strictyaml.Decode(name, data, sc, scenarioOptions)
	if err != nil {
		return nil, err
	}
	sc.src = src
	if err := sc.validate(); err != nil {
		return nil, err
	}
	return sc, nil
}

// ScenarioReference returns the field reference of the scenario format as
// Markdown tables, one per type, generated from the struct tags
// (docs/market.md embeds it; its test keeps the two in step).
func ScenarioReference() string {
	return strictyaml.Reference(reflect.TypeFor[Scenario](), "####", map[reflect.Type]string{reflect.TypeFor[date.Date](): "date (YYYY-MM-DD)"})
}
