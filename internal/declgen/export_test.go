package declgen

// Stddev is the population standard deviation the calibration uses, for the
// tests of package declgen_test that recompute the shipped statistics.
var Stddev = stddev
