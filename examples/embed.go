// Package examples holds the shipped example agreement, embedded so the binary can serve it.
package examples

import _ "embed"

// Pact2026 is the text of examples/pact-2026.yaml: an illustrative agreement
// modelled on the plurilateral agreement on trade in critical minerals proposed
// by the United States in 2026. It is not a negotiated or official text.
//
//go:embed pact-2026.yaml
var Pact2026 []byte

// Pact2026Name is the file name under which Pact2026 is loaded and reported.
const Pact2026Name = "examples/pact-2026.yaml"

// Projects2026 is the text of examples/projects-2026.yaml: an ILLUSTRATIVE
// pipeline of invented lithium, cobalt and nickel projects (three spot
// prices are USGS figures, each cited in the file), for `projects value`,
// `projects rank` and `projects offtake` with `--pipeline example`.
//
//go:embed projects-2026.yaml
var Projects2026 []byte
