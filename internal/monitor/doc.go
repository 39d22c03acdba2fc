// Package monitor finds circumvention, transshipment, grey-market and
// undertaking-breach patterns in trade flows and assessed declarations, and
// writes each as an alert with the numbers that prove it (docs/monitor.md).
// It is pure: data and an explicit as-of date in, alerts out.
package monitor
