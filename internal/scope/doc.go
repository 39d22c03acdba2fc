// Package scope scores the criticality of the minerals of the list from the
// shipped data, by public methods, for three bases: the world, the United
// States alone and the zone of an agreement in force, whose supply counts as
// secure.
//
// It reproduces the supply-risk indicator of the EU criticality methodology
// (European Commission 2017, used for the 2020 and 2023 lists) and the
// disruption potential and trade exposure of the USGS 2022 method (Nassar and
// Fortier 2021, building on Nassar et al. 2020). Every input is returned with
// the result, every input the shipped data lack is reported as missing, and a
// neutral value stands in for one only where the method allows it and the
// result says so. docs/scope.md gives every formula with its source.
//
// The engine is pure: Gather reads the registry once into a Data snapshot;
// Data.Score computes from it and reads nothing else (no clock, no I/O).
package scope
