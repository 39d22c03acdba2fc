// Package scope holds the data files of the scope engine's grouping, scope
// warnings and membership (internal/scope), embedded into the binary. They
// are kept apart from the data package's FS so that the engine's files stay
// under one owner; data/SOURCES.md lists each with its origin and licence.
package scope

import "embed"

// FS holds hosts.csv, markets.csv and frameworks.csv.
//
//go:embed *.csv
var FS embed.FS
