// Package stockpile is mineralpact's crisis-response engine: the parties'
// stockholding obligations under the agreement's stockpiles section and their
// compliance on a date, the assessment of a supply disruption against the
// crisis triggers, the coordinated response plan month by month (releases
// shared by the agreement's key within its limits, demand restraint,
// allocation rights, replenishment), and what the plan buys when it is run
// through the market dynamics of package market.
//
// The engine is pure: it takes the agreement, flows, holdings and explicit
// dates and returns results; it reads no clock, file or database. Tonnes of
// stock, obligations, releases and replenishments are exact integers of
// kilograms (Kg), so that stocks balance to the kilogram in every month;
// prices, shortages and costs from the market model are float64 and say so.
// docs/stockpile.md gives every rule with its source.
package stockpile
