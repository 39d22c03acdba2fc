package monitor

// Thresholds are the detectors' parameters. A zero field takes its default
// (DefaultThresholds); docs/monitor.md says what each means and why it is
// set where it is.
type Thresholds struct {
	// Series: the fewest periods with a row for a series to be judged, and
	// the smallest flow (USD per period) that counts: smaller values are
	// damped in the logarithms (log(v + MinValue)).
	MinPointsMonthly int     `json:"min_points_monthly"`
	MinPointsAnnual  int     `json:"min_points_annual"`
	MinValue         float64 `json:"min_value"`

	// Surge: the break test's |t| at least SurgeT, the level moved by a
	// factor of at least SurgeRatio (up, or down to 1/SurgeRatio), with at
	// least SurgeBeforeMonths/SurgeBeforeYears periods before the break and
	// SurgeAfterMonths/SurgeAfterYears after it.
	SurgeT     float64 `json:"surge_t"`
	SurgeRatio float64 `json:"surge_ratio"`
	// Yearly series are short (BACI: a dozen years): a lower |t| but a
	// larger factor.
	SurgeTAnnual      float64 `json:"surge_t_annual"`
	SurgeRatioAnnual  float64 `json:"surge_ratio_annual"`
	SurgeBeforeMonths int     `json:"surge_before_months"`
	SurgeAfterMonths  int     `json:"surge_after_months"`
	SurgeBeforeYears  int     `json:"surge_before_years"`
	SurgeAfterYears   int     `json:"surge_after_years"`

	// Measures: a break is tied to the nearest measure within this many
	// months of it.
	MeasureWindowMonths int `json:"measure_window_months"`

	// Mirror gaps: the CIF/FOB factor (IMF DOTS: 1.06), the modified
	// z-score (Iglewicz and Hoaglin) past which a period's log ratio is out
	// of the pair's band, the smallest relative gap against the pair's
	// median ratio, the smallest MAD (log units) and the run of consecutive
	// periods out of the band on the same side (a single period counts when
	// its |z| is at least MirrorZSingle).
	CIFFOB        float64 `json:"cif_fob"`
	MirrorZ       float64 `json:"mirror_z"`
	MirrorZSingle float64 `json:"mirror_z_single"`
	MirrorMinGap  float64 `json:"mirror_min_gap"`
	MirrorMinMAD  float64 `json:"mirror_min_mad"`
	MirrorRun     int     `json:"mirror_run"`
	// A run counts when each of its periods has |z| ≥ MirrorZRun and
	// |Σz| / √n ≥ MirrorZSum (the run's mean, standardised): a long gap
	// of moderate size is as telling as a short large one.
	MirrorZRun float64 `json:"mirror_z_run"`
	MirrorZSum float64 `json:"mirror_z_sum"`

	// Routing: the break test's |t| for each leg (the third country's
	// exports to the importer, the origin's exports to the third country),
	// the factor by which each leg must rise, the most periods between the
	// two legs' breaks, and the least share of the third country's increase
	// the origin's increase must cover.
	RoutingT         float64 `json:"routing_t"`
	RoutingTAnnual   float64 `json:"routing_t_annual"`
	RoutingRatio     float64 `json:"routing_ratio"`
	RoutingLagMonths int     `json:"routing_lag_months"`
	RoutingCover     float64 `json:"routing_cover"`

	// Code shifting: the break test's |t| of each line, the factor by
	// which the old line falls and the new one rises, the most months
	// between the two breaks, and the band of the new line's increase as a
	// share of the old line's decrease.
	ShiftT         float64 `json:"shift_t"`
	ShiftTAnnual   float64 `json:"shift_t_annual"`
	ShiftRatio     float64 `json:"shift_ratio"`
	ShiftLagMonths int     `json:"shift_lag_months"`
	ShiftCoverMin  float64 `json:"shift_cover_min"`
	ShiftCoverMax  float64 `json:"shift_cover_max"`

	// Prices: an exporter is flagged when at least PriceMinCount of its
	// declarations (or flows) in the window are below the floor or the
	// undertaking's minimum and they are at least PriceMinShare of its
	// declarations; a price outlier has a modified z-score of its log unit
	// price below −PriceZ against its line's distribution.
	PriceMinCount int     `json:"price_min_count"`
	PriceMinShare float64 `json:"price_min_share"`
	PriceZ        float64 `json:"price_z"`
	PriceMinLine  int     `json:"price_min_line"` // the fewest prices of a line for its distribution to count

	// Undertakings: the window (months up to the as-of date), the share of
	// an exporter's declarations below the minimum price and their fewest
	// number.
	UndertakingWindowMonths int     `json:"undertaking_window_months"`
	UndertakingShare        float64 `json:"undertaking_share"`
	UndertakingMinCount     int     `json:"undertaking_min_count"`
}

// DefaultThresholds are the thresholds a scan uses where Options leaves
// them zero.
var DefaultThresholds = Thresholds{
	MinPointsMonthly: 24,
	MinPointsAnnual:  6,
	MinValue:         10000,

	SurgeT:            5,
	SurgeRatio:        2,
	SurgeTAnnual:      3.5,
	SurgeRatioAnnual:  3,
	SurgeBeforeMonths: 12,
	SurgeAfterMonths:  4,
	SurgeBeforeYears:  4,
	SurgeAfterYears:   2,

	MeasureWindowMonths: 6,

	CIFFOB:        1.06,
	MirrorZ:       3.5,
	MirrorZSingle: 7,
	MirrorMinGap:  0.25,
	MirrorMinMAD:  0.05,
	MirrorRun:     3,
	MirrorZRun:    2,
	MirrorZSum:    5.5,

	RoutingT:         4,
	RoutingTAnnual:   3,
	RoutingRatio:     2,
	RoutingLagMonths: 6,
	RoutingCover:     0.3,

	ShiftT:         4,
	ShiftTAnnual:   2.5,
	ShiftRatio:     1.8,
	ShiftLagMonths: 6,
	ShiftCoverMin:  0.3,
	ShiftCoverMax:  3,

	PriceMinCount: 3,
	PriceMinShare: 0.5,
	PriceZ:        3.5,
	PriceMinLine:  8,

	UndertakingWindowMonths: 6,
	UndertakingShare:        0.2,
	UndertakingMinCount:     2,
}

func (t Thresholds) withDefaults() Thresholds {
	d := DefaultThresholds
	setI := func(v *int, def int) {
		if *v == 0 {
			*v = def
		}
	}
	setF := func(v *float64, def float64) {
		if *v == 0 {
			*v = def
		}
	}
	setI(&t.MinPointsMonthly, d.MinPointsMonthly)
	setI(&t.MinPointsAnnual, d.MinPointsAnnual)
	setF(&t.MinValue, d.MinValue)
	setF(&t.SurgeT, d.SurgeT)
	setF(&t.SurgeRatio, d.SurgeRatio)
	setF(&t.SurgeTAnnual, d.SurgeTAnnual)
	setF(&t.SurgeRatioAnnual, d.SurgeRatioAnnual)
	setF(&t.RoutingTAnnual, d.RoutingTAnnual)
	setF(&t.ShiftTAnnual, d.ShiftTAnnual)
	setI(&t.SurgeBeforeMonths, d.SurgeBeforeMonths)
	setI(&t.SurgeAfterMonths, d.SurgeAfterMonths)
	setI(&t.SurgeBeforeYears, d.SurgeBeforeYears)
	setI(&t.SurgeAfterYears, d.SurgeAfterYears)
	setI(&t.MeasureWindowMonths, d.MeasureWindowMonths)
	setF(&t.CIFFOB, d.CIFFOB)
	setF(&t.MirrorZ, d.MirrorZ)
	setF(&t.MirrorZSingle, d.MirrorZSingle)
	setF(&t.MirrorMinGap, d.MirrorMinGap)
	setF(&t.MirrorMinMAD, d.MirrorMinMAD)
	setI(&t.MirrorRun, d.MirrorRun)
	setF(&t.MirrorZRun, d.MirrorZRun)
	setF(&t.MirrorZSum, d.MirrorZSum)
	setF(&t.RoutingT, d.RoutingT)
	setF(&t.RoutingRatio, d.RoutingRatio)
	setI(&t.RoutingLagMonths, d.RoutingLagMonths)
	setF(&t.RoutingCover, d.RoutingCover)
	setF(&t.ShiftT, d.ShiftT)
	setF(&t.ShiftRatio, d.ShiftRatio)
	setI(&t.ShiftLagMonths, d.ShiftLagMonths)
	setF(&t.ShiftCoverMin, d.ShiftCoverMin)
	setF(&t.ShiftCoverMax, d.ShiftCoverMax)
	setI(&t.PriceMinCount, d.PriceMinCount)
	setF(&t.PriceMinShare, d.PriceMinShare)
	setF(&t.PriceZ, d.PriceZ)
	setI(&t.PriceMinLine, d.PriceMinLine)
	setI(&t.UndertakingWindowMonths, d.UndertakingWindowMonths)
	setF(&t.UndertakingShare, d.UndertakingShare)
	setI(&t.UndertakingMinCount, d.UndertakingMinCount)
	return t
}
