// Package customsfx is a customs service's own exchange-rate table and the
// rule by which it picks a rate: the rate of the day, the rate of the month,
// or, as the EU does, the rate set on the penultimate Wednesday of the month
// before (Art. 146 of Commission Implementing Regulation (EU) 2015/2447).
//
// A customs service does not convert with market averages: it applies the
// rates it published, each for the period it published it for. A Table holds
// those rates as they were written, exact (exact.Q, never a float), with the
// file and line each came from, so that every conversion can say which rate it
// used and why. Rates are of the table's base currency, the party's own:
// units of another currency for one unit of the base, as HMRC and the ECB
// quote them. A conversion between two foreign currencies goes through the
// base only when the party allows cross rates.
//
// The format, the rules and their legal texts, and the shipped illustrative
// tables are described in docs/customs-rates.md.
package customsfx
