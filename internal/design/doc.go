// Package design is the design loop (issue 18, docs/design.md): two versions
// of the agreement and a workload — a date range for the floors, a year of
// decoded declarations, a set of market scenarios — compared side by side:
// every floor on the range's revision dates, the declarations re-assessed
// (duty by party, mineral, stage and measure, the declarations whose duty
// changed, the largest changes with their traces, quota exhaustion), and each
// scenario's market outcome, for both versions and as differences, each
// change tied to the paths of the agreement diff that cause it.
//
// The comparison is incremental: Touch derives from the diff which floors,
// which (party, mineral) groups of declarations and which scenarios a change
// can reach, and only those are recomputed under the new version; the rest
// is the old version's result. Results are kept per agreement version, under
// the agreement's content hash, by a Comparer that holds the decoded
// workload, so that a loop of edits recomputes only what each edit reaches.
//
// The package is pure: it takes the registry, the price sources and the
// scenario data as values and never reads the clock, a store or the network.
package design
