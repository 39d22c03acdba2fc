// Package ownership holds the shipped ownership data (data/SOURCES.md,
// "ownership/"): the ICMM facility file and the project's facilities,
// entities and holdings, embedded for the API.
package ownership

import "embed"

// FS holds the files; Files lists them in the order they are read.
//
//go:embed *.csv icmm/*.csv
var FS embed.FS

// Files are the shipped files, in the order a register reads them:
// facilities, then entities, then the holdings that name both.
var Files = []string{"icmm/ICMM_FacilityData.csv", "facilities.csv", "entities.csv", "owners.csv"}
