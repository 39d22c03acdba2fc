// Package monitor finds circumvention, transshipment, grey-market and
// undertaking-breach patterns in trade flows and assessed declarations, and
// writes each as an alert with the numbers that prove it (docs/monitor.md).
// It is pure: data and an explicit as-of date in, alerts out.
//
// Entry points: the readers (ReadComtrade, ReadBACI with
// ReadBACICountryCodes, Flows.ReadFlows which finds the format from the
// header, ReadDeclarations and ReadDeclarationsAssessing, ReadMeasures and
// ParseMeasure), Scan over an Input with Options, and WriteJSONL. The
// registry-backed Catalog (RegistryCatalog), country codes (RegistryCodes)
// and floor source (PublishedFloorSource) are what the command line and a
// server pass in Options.
package monitor
