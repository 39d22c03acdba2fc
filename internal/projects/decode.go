package projects

import (
	"reflect"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/strictyaml"
)

// MaxPipelineSize bounds a pipeline file; 500 projects take about 500 kB.
const MaxPipelineSize = 4 << 20

// maxPipelineNodes bounds the YAML values one decode visits, counting alias
// expansions, so that an alias bomb fails fast.
const maxPipelineNodes = 1_000_000

// maxMagnitude bounds every number in a pipeline (amounts and quantities).
const maxMagnitude = 1e15

var pipelineOptions = strictyaml.Options{What: "a project pipeline (version: 1, id, projects)", MaxSize: MaxPipelineSize, MaxNodes: maxPipelineNodes, MaxMagnitude: maxMagnitude}

// DecodePipeline reads a pipeline file strictly — unknown fields, duplicate
// keys, values of the wrong type, missing required fields and values outside
// an enumeration are errors — and validates it. Every problem is reported at
// once, each as file:line:column: field.path: message.
func DecodePipeline(name string, data []byte) (*Pipeline, error) {
	p := &Pipeline{}
	src, err := strictyaml.Decode(name, data, p, pipelineOptions)
	if err != nil {
		return nil, err
	}
	p.src = src
	if err := p.validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// PipelineReference returns the field reference of the pipeline format as
// Markdown tables, one per type, generated from the struct tags
// (docs/projects.md embeds it; its test keeps the two in step).
func PipelineReference() string {
	return strictyaml.Reference(reflect.TypeFor[Pipeline](), "####", map[reflect.Type]string{reflect.TypeFor[date.Date](): "date (YYYY-MM-DD)"})
}
