// Package dutyexpr parses, prints and evaluates customs duty expressions as
// tariffs write them: ad valorem ("3.7%", "Free"), specific per any unit
// ("12.5 EUR/100 kg", "2 GBP/p/st", "37.5¢/kg content"), compound
// ("3% + 2 EUR/100 kg"), with floors and ceilings ("8% MIN 1.5 EUR/100 kg",
// "9% MIN 1.1 GBP/100 kg MAX 9.2 GBP/100 kg - 1.1 GBP/100 kg", where the
// deduction belongs to the ceiling), mixed ("max(5%, 3 EUR/100 kg)") and EU
// entry-price steps up to the maximum tariff equivalent
// ("entry_price 100 EUR/100 kg { >= 100: 8.8%; …; else: 8.8% + 29.8 EUR/100 kg }").
// The grammar, in EBNF with worked examples and its legal sources, is in
// docs/duty-expressions.md.
//
// Parse once, when the agreement loads: a bad expression is a *SyntaxError at
// its line and column. Units and Currencies list what the expression needs,
// so the caller validates them at load. String gives canonical text that
// parses back to an equal expression (the fuzz target checks it).
//
// Evaluate per declaration, against an Env the duty engine implements:
// EvalDuty gives the duty alone and allocates nothing of its own, for bulk
// assessment; Eval gives the duty and its steps (each part, conversion,
// rounding per unit, bound and entry-price step, with the figures), for the
// trace. Both are exact (exact.Q) throughout; nothing is rounded except by
// Env.RoundPerUnit, where the party rounds a specific rate per unit before
// multiplying. A duty below zero (deductions larger than the rest) is zero.
package dutyexpr
