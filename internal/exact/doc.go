// Package exact is the exact rational number of the duty engine: Q, a
// fraction n/d of two 128-bit integers with a sign, that moves to math/big.Rat
// when it outgrows them and stays exact, only slower. There is no float
// anywhere, and nothing is rounded until a caller asks for it with Round.
//
// # Why not dec (apd) in the hot path
//
// internal/dec wraps github.com/cockroachdb/apd/v3, and every price, rate and
// quantity of an agreement is a dec.Decimal. But measured on the development
// machine an apd multiplication at 34 digits costs about 1.3 µs and a division
// about 0.5 µs, and a duty assessment needs some thirty operations: 20 µs, ten
// times its budget. Every figure of an assessment is a ratio of declared
// decimals, exchange rates and unit factors, so the engine keeps each figure
// as an exact fraction (a few nanoseconds an operation, no allocation) and
// divides only once, when the party's rounding rule turns a duty into money.
// Nothing is rounded in between, not even to 34 digits. When a numerator or a
// denominator would outgrow 128 bits even after reduction, the value moves to
// math/big.Rat: slower, still exact. The operations have a 64-bit fast path
// (every part of both operands fits in 64 bits, so products fit in 128) that
// gives the very fraction the general 128-bit code gives; the tests check it.
//
// # Conditions
//
// Round is the one place a value can lose anything, and it says what it did
// with a Condition, named as the General Decimal Arithmetic specification
// (speleotrove.com/decimal, Mike Cowlishaw) and cockroachdb/apd name them:
//
//   - Rounded: digits were discarded (zero or non-zero);
//   - Inexact: some discarded digit was non-zero, so the result differs
//     from the value.
//
// The digits of a Q are those it was written with while its denominator is
// that power of ten (Parse("1.0600") has four places, as apd's 1.0600 has
// exponent −4, and the result of Round(x, 2, …) has two), else those of its
// exact decimal expansion (1/8 has three places, 1/3 infinitely many). So,
// as in apd's quantize, rounding 1.0600 to two places gives 1.06 Rounded, and
// rounding 2.345 to two places gives 2.34 or 2.35, Inexact Rounded; rounding
// 1.06 to four places, or zero to any places, reports nothing. A value whose
// parts outgrow 96 bits is reduced to lowest terms and forgets the places it
// was written with; from then on Rounded is reported exactly when Inexact is.
//
// The format functions (AppendFixed, AppendMoney, AppendPlaces) are for
// display: they round as they write and return text only. A caller that must
// know whether a figure it charges was rounded calls Round and keeps its
// Condition.
//
// # Specification
//
// testdata/*.exactTest holds the cases of every operation in the style of the
// General Decimal Arithmetic testcases (apd's testdata/*.decTest): one case a
// line, "id operation operands -> result conditions", with "--" comments.
// TestSpec runs them; see its doc for the operations and operand forms.
package exact
