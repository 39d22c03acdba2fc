// Package projects values mining and processing projects: a pipeline of
// projects read strictly from YAML, each project's yearly cash flows with its
// royalty and tax regime, NPV, IRR and payback, and, under a set of price
// paths, the distribution of NPV with and without a price floor and the
// floor's value to the project (issue 17). docs/projects.md gives every
// formula with its source.
//
// The engine is pure: it reads no clock, no store and no network. Years are
// counted from the valuation date (year 0); a path's price for year t is the
// price the project realises on that year's production.
package projects
