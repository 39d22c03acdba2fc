package registry

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// MCSStatus says how much of a mineral the USGS Mineral Commodity Summaries
// 2026 publish.
type MCSStatus string

// The statuses of data/usgs-mcs2026/coverage.csv.
const (
	// MCSFigures: the mineral's chapter gives world production and U.S.
	// statistics for it (Reason, if any, is a note on the tables).
	MCSFigures MCSStatus = "figures"
	// MCSGroup: figures are published for the mineral's group only (the
	// rare earths, in REO equivalent), none for the element.
	MCSGroup MCSStatus = "group"
	// MCSPartial: the chapter publishes some figures for the mineral and
	// not others (world production, net import reliance); Reason says which.
	MCSPartial MCSStatus = "partial"
	// MCSNone: no figures at all; Reason says why.
	MCSNone MCSStatus = "none"
)

// MCSCoverage is what MCS 2026 publishes for one mineral of the
// critical-minerals list, and the stated reason where figures are absent.
type MCSCoverage struct {
	Mineral string    // mineral id
	Chapter string    // the chapter slug, "" when MCS has no chapter (uranium, metallurgical_coal)
	Status  MCSStatus // figures, group, partial or none
	Reason  string    // why figures are absent or partial; a note for MCSFigures
	Source  string    // where the reason can be checked: the chapter's PDF or the MCS data release
}

// HasFigures reports whether MCS publishes figures for the mineral itself or
// for its group.
func (c MCSCoverage) HasFigures() bool { return c.Status == MCSFigures || c.Status == MCSGroup }

const mcsCoverageFile = "usgs-mcs2026/coverage.csv"

// loadMCSCoverage reads the coverage table and checks it against the chapters
// loaded by loadMCS: a status must agree with the tables the chapter has, and
// every mineral of the 2025 list must have a row.
func (r *Registry) loadMCSCoverage(fsys fs.FS, errs *problem.List) error {
	f, err := openCSV(fsys, mcsCoverageFile, errs, "mineral", "chapter", "status", "reason", "source")
	if err != nil {
		return err
	}
	r.mcsCoverage = make(map[string]MCSCoverage)
	for row, ok := f.next(); ok; row, ok = f.next() {
		c := MCSCoverage{
			Mineral: row.str("mineral"),
			Chapter: row.str("chapter"),
			Status:  MCSStatus(row.str("status")),
			Reason:  row.str("reason"),
			Source:  row.str("source"),
		}
		m, err := r.Mineral(c.Mineral)
		if err != nil {
			row.errorf("mineral", "%v", err)
			continue
		}
		if _, dup := r.mcsCoverage[c.Mineral]; dup {
			row.errorf("mineral", "%q is listed twice", c.Mineral)
			continue
		}
		if c.Source == "" {
			row.errorf("source", "is empty: say where the coverage can be checked")
		}
		switch c.Status {
		case MCSFigures, MCSGroup, MCSPartial, MCSNone:
		default:
			row.errorf("status", "%q is not figures, group, partial or none", c.Status)
			continue
		}
		if c.Status != MCSFigures && c.Reason == "" {
			row.errorf("reason", "is empty: status %s needs the reason why USGS publishes no figures for %s", c.Status, c.Mineral)
		}
		if c.Status == MCSGroup && m.Group == "" {
			row.errorf("status", "group, but %s belongs to no group", c.Mineral)
		}
		chapter := r.mcs[r.mcsByMineral[c.Mineral]]
		switch {
		case chapter == nil && c.Chapter != "":
			row.errorf("chapter", "%q, but no shipped chapter covers %s", c.Chapter, c.Mineral)
		case chapter != nil && c.Chapter != chapter.Slug:
			row.errorf("chapter", "%q, but %s is covered by chapter %q", c.Chapter, c.Mineral, chapter.Slug)
		}
		if why := coverageDisagrees(c.Status, chapter); why != "" {
			row.errorf("status", "%s, but %s", c.Status, why)
		}
		r.mcsCoverage[c.Mineral] = c
	}
	var missing []string
	for _, m := range r.minerals {
		if _, ok := r.mcsCoverage[m.ID]; !ok && m.On2025 {
			missing = append(missing, m.ID)
		}
	}
	if len(missing) > 0 {
		errs.Add(problem.Pos{File: filePrefix + mcsCoverageFile}, "mineral",
			"no row for %s of the 2025 list: give its MCS 2026 figures' chapter or the reason USGS publishes none", strings.Join(missing, ", "))
	}
	return nil
}

// coverageDisagrees says how a status contradicts the tables of the chapter
// (nil when MCS has no chapter), or "" when it does not.
func coverageDisagrees(s MCSStatus, c *Commodity) string {
	switch {
	case s == MCSNone && c != nil && (len(c.World) > 0 || len(c.Salient) > 0 || len(c.ImportSources) > 0):
		return fmt.Sprintf("chapter %q has figures", c.Slug)
	case s != MCSNone && c == nil:
		return "no shipped chapter covers it"
	case (s == MCSFigures || s == MCSGroup) && (len(c.World) == 0 || len(c.Salient) == 0):
		return fmt.Sprintf("chapter %q lacks a world production table or U.S. salient statistics", c.Slug)
	case s == MCSPartial && len(c.World) == 0 && len(c.Salient) == 0:
		return fmt.Sprintf("chapter %q has no figures at all", c.Slug)
	}
	return ""
}

// MCSCoverage returns what MCS 2026 publishes for a mineral of the list and,
// where figures are absent or partial, the stated reason. A mineral of the
// 2022 list only may have no row (NotFound).
func (r *Registry) MCSCoverage(mineralID string) (MCSCoverage, error) {
	if c, ok := r.mcsCoverage[mineralID]; ok {
		return c, nil
	}
	if _, err := r.Mineral(mineralID); err != nil {
		return MCSCoverage{}, err
	}
	return MCSCoverage{}, &problem.Error{Code: problem.NotFound, Field: "mineral",
		Message: fmt.Sprintf("no MCS 2026 coverage row for %q in %s%s", mineralID, filePrefix, mcsCoverageFile)}
}

// MCSCoverages returns the coverage of every mineral that has a row, sorted by
// mineral id.
func (r *Registry) MCSCoverages() []MCSCoverage {
	out := make([]MCSCoverage, 0, len(r.mcsCoverage))
	for _, c := range r.mcsCoverage {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b MCSCoverage) int { return strings.Compare(a.Mineral, b.Mineral) })
	return out
}
