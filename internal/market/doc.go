// Package market is mineralpact's market-simulation engine: equilibrium models
// of a mineral's world market under the agreement's border instruments.
//
// Two models answer two questions (see docs/market.md):
//
//   - Solve computes a spatial price equilibrium (Samuelson 1952; Takayama and
//     Judge 1971) for one homogeneous good — a refined metal — traded between
//     regions with demand curves, step supply curves of individual producers,
//     transport costs, specific and ad valorem tariffs and price floors
//     enforced by variable levies.
//   - SolveGSIM runs the GSIM model of Francois and Hall (2003) for goods
//     differentiated by origin (Armington), from a trade matrix and elasticities.
//
// The engine is pure: it takes an instance and returns a result that carries
// its own proof (the residuals of every equilibrium condition). Quantities and
// prices are float64: these are economic models, not money.
package market
