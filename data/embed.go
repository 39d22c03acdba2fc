// Package data holds the shipped data files of mineralpact, embedded into the binary.
package data

import "embed"

// FS holds every shipped data file, at its path under data/: "hs_map.csv",
// "usgs-mcs2026/world_production.csv". data/SOURCES.md says where each comes
// from and under which licence.
//
//go:embed *.csv *.md
//go:embed bls-cpi-u busch-lithium-deposits countries fred-exchange-rates glombo-byproduct-hosts harmonized-system
//go:embed usgs-mcs2026 usitc-hts-2025 worldbank-pinksheet worldbank-wgi
//go:embed costcurves customs-rates declgen projects
//go:embed monitor
//go:embed stockpile
var FS embed.FS
