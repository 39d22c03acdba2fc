package main

import (
	"fmt"
	"strconv"
)

// simFigures writes the figures of the simulation tables: on a terminal as
// people read them, with thousands separators and a fixed number of decimals
// for each kind of figure (formatFloat), never an exponent; on a pipe
// exactly, the shortest plain decimal that reads back as the same float64.
// JSON and CSV output do not go through it.
type simFigures struct{ human bool }

// The decimals a terminal shows, by kind of figure.
const (
	pricePlaces    = 2 // a price per unit
	quantityPlaces = 1 // a quantity, in the scenario's unit
	moneyPlaces    = 0 // a sum of money: revenue, surplus, welfare, cost
	sharePlaces    = 3 // a probability or a share

	// Every figure of an equilibrium or GSIM instance, whose units are the
	// instance's own (a test instance's surplus of 45.82 must not read 46).
	instancePlaces = 2
)

func (f simFigures) fixed(x float64, places int) string {
	if f.human {
		return formatFloat(x, places)
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

func (f simFigures) price(x float64) string    { return f.fixed(x, pricePlaces) }
func (f simFigures) quantity(x float64) string { return f.fixed(x, quantityPlaces) }
func (f simFigures) money(x float64) string    { return f.fixed(x, moneyPlaces) }
func (f simFigures) share(x float64) string    { return f.fixed(x, sharePlaces) }
func (f simFigures) instance(x float64) string { return f.fixed(x, instancePlaces) }

// param is a figure of the design as written (a scale, a rate): exact on a
// terminal and on a pipe alike, never an exponent.
func (f simFigures) param(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// pct is a relative change in percent, signed.
func (f simFigures) pct(x float64) string {
	if f.human {
		return fmt.Sprintf("%+.4f%%", 100*x)
	}
	if x == 0 {
		x = 0 // no "-0"
	}
	s := strconv.FormatFloat(100*x, 'f', -1, 64) + "%"
	if x >= 0 {
		s = "+" + s
	}
	return s
}

// num renders a model figure with six significant digits. It is what
// `simulate compare --format json` has always written in its rows' a and b;
// tables use simFigures.
func num(x float64) string { return fmt.Sprintf("%.6g", x) }
