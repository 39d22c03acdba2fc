package ownership

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// The three CSV shapes an analyst writes, told apart by their header.
var (
	relationshipHeader = []string{"owner", "owned", "interest", "share", "share_min", "share_max", "start", "end", "source"}
	entityHeader       = []string{"id", "name", "kind", "jurisdiction", "nationalities", "source"}
	facilityHeader     = []string{"id", "name", "asset_type", "country", "commodity", "stage", "source"}
)

// csvInterest maps the CSV's interest names (the BODS codes, or the same in
// kebab case as the issue writes them) to BODS codes.
func csvInterest(s string) (InterestType, bool) {
	if s == "" {
		return Shareholding, true
	}
	if interestTypes[s] {
		return InterestType(s), true
	}
	parts := strings.Split(s, "-")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	c := strings.Join(parts, "")
	if c == "votingRight" {
		c = "votingRights"
	}
	return InterestType(c), interestTypes[c]
}

// ReadCSV reads one CSV file of relationships, entities or facilities (by
// its header) into r. Every problem is reported at once at file:line:column
// with its column's name; a file with any is not added.
func ReadCSV(r *Register, file string, data []byte) error {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: file, Line: 1}, Message: "no header: " + err.Error()}
	}
	for i := range head {
		head[i] = strings.TrimSpace(strings.TrimPrefix(head[i], "\ufeff"))
	}
	var shape []string
	switch {
	case slices.Equal(head, relationshipHeader):
		shape = relationshipHeader
	case slices.Equal(head, entityHeader):
		shape = entityHeader
	case slices.Equal(head, facilityHeader):
		shape = facilityHeader
	default:
		return &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: file, Line: 1},
			Message: fmt.Sprintf("header %q is none of: %s | %s | %s", strings.Join(head, ","),
				strings.Join(relationshipHeader, ","), strings.Join(entityHeader, ","), strings.Join(facilityHeader, ","))}
	}
	var errs problem.List
	fail := func(line, col int, format string, args ...any) {
		field := ""
		if col >= 0 && col < len(shape) {
			field = shape[col]
		}
		errs.Add(problem.Pos{File: file, Line: line, Column: col + 1}, field, format, args...)
	}
	var nodes []Node
	var edges []Edge
	type endpoints struct{ holder, subject string }
	var ends []endpoints
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			fail(line, -1, "%v", err)
			break
		}
		// FieldPos is only defined for a row read without error (a crasher
		// the fuzzer found, kept in testdata/fuzz).
		line, _ := cr.FieldPos(0)
		if len(row) != len(shape) {
			fail(line, -1, "%d fields, want %d (%s)", len(row), len(shape), strings.Join(shape, ","))
			continue
		}
		for i := range row {
			row[i] = strings.TrimSpace(row[i])
		}
		at := fmt.Sprintf("%s:%d", file, line)
		switch {
		case slices.Equal(shape, entityHeader):
			n := Node{ID: row[0], Name: row[1], Kind: Kind(row[2]), Jurisdiction: country(row[3]), Statement: at, Source: row[5]}
			if n.ID == "" {
				fail(line, 0, "required")
			}
			switch n.Kind {
			case Entity, Person, State:
			case "":
				n.Kind = Entity
			default:
				fail(line, 2, "want entity, person or state, got %q", row[2])
			}
			if row[4] != "" {
				for c := range strings.SplitSeq(row[4], ";") {
					n.Nationalities = append(n.Nationalities, country(c))
				}
			}
			if n.Kind == Person && n.Jurisdiction != "" {
				fail(line, 3, "a person has nationalities, not a jurisdiction")
			}
			nodes = append(nodes, n)
		case slices.Equal(shape, facilityHeader):
			n := Node{ID: row[0], Name: row[1], Kind: Facility, AssetType: row[2], Jurisdiction: country(row[3]),
				Commodity: row[4], Stage: row[5], Statement: at, Source: row[6]}
			if n.ID == "" {
				fail(line, 0, "required")
			}
			if n.Jurisdiction == "" {
				fail(line, 3, "required: the country the facility is in")
			}
			switch n.Stage {
			case "mined", "processed", "":
			default:
				fail(line, 5, "want mined or processed, got %q", row[5])
			}
			nodes = append(nodes, n)
		default:
			e := Edge{Statement: at, Source: row[8]}
			if row[0] == "" {
				fail(line, 0, "required")
			}
			if row[1] == "" {
				fail(line, 1, "required")
			}
			if row[0] != "" && row[0] == row[1] {
				fail(line, 1, "%q cannot hold itself", row[0])
			}
			typ, ok := csvInterest(row[2])
			if !ok {
				fail(line, 2, "unknown interest %q (a BODS 0.4 interestType, e.g. shareholding, votingRights or voting-rights, appointmentOfBoard)", row[2])
			}
			e.Type = typ
			pct := func(col int) *float64 {
				if row[col] == "" {
					return nil
				}
				v, err := strconv.ParseFloat(strings.TrimSuffix(row[col], "%"), 64)
				if err != nil {
					fail(line, col, "want a percentage, got %q", row[col])
					return nil
				}
				return &v
			}
			exact, lo, hi := pct(3), pct(4), pct(5)
			s, msg, field := shareOf(exact, lo, hi, nil, nil)
			if msg != "" {
				col := 3
				switch field {
				case ".minimum":
					col = 4
				case ".maximum":
					col = 5
				}
				if exact != nil && field == ".minimum" {
					col = 3
				}
				fail(line, col, "%s", msg)
			}
			e.Share = s
			var err error
			if row[6] != "" {
				if e.Start, err = date.Parse(row[6]); err != nil {
					fail(line, 6, "want YYYY-MM-DD, got %q", row[6])
				}
			}
			if row[7] != "" {
				if e.End, err = date.Parse(row[7]); err != nil {
					fail(line, 7, "want YYYY-MM-DD, got %q", row[7])
				}
			}
			if !e.Start.IsZero() && !e.End.IsZero() && e.End.Before(e.Start) {
				fail(line, 7, "the interest ends (%s) before it starts (%s)", e.End, e.Start)
			}
			edges = append(edges, e)
			ends = append(ends, endpoints{row[0], row[1]})
		}
	}
	if len(errs) > 0 {
		return errs
	}
	for _, n := range nodes {
		if m := r.Node(n.ID); m != nil && m.Kind == Facility && n.Kind != Facility {
			return &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: file}, Message: fmt.Sprintf("%q is a facility and an owner", n.ID)}
		}
		r.add(n)
	}
	first := len(r.Edges)
	for i, e := range edges {
		e.Holder = r.add(Node{ID: ends[i].holder, Kind: Entity})
		e.Subject = r.add(Node{ID: ends[i].subject, Kind: Entity})
		r.Edges = append(r.Edges, e)
	}
	checkSums(r, file, first)
	return nil
}

// checkSums warns, naming the statements, when the shares (or votes) held
// in one subject on one date sum above 100% even at their lower bounds:
// a register that double counts, or missed an end date. Only edges from
// index first on are checked (those a file just added), against every edge.
func checkSums(r *Register, file string, first int) {
	bySubject := map[int][]int{}
	for i := range r.Edges {
		e := &r.Edges[i]
		if e.Type == Shareholding || e.Type == VotingRights {
			bySubject[e.Subject] = append(bySubject[e.Subject], i)
		}
	}
	for subj, idx := range bySubject {
		if !slices.ContainsFunc(idx, func(i int) bool { return i >= first }) {
			continue
		}
		for _, typ := range []InterestType{Shareholding, VotingRights} {
			var dates []date.Date
			for _, i := range idx {
				if r.Edges[i].Type == typ {
					dates = append(dates, r.Edges[i].Start)
				}
			}
			for _, d := range dates {
				sum := 0.0
				var ids []string
				for _, i := range idx {
					e := &r.Edges[i]
					if e.Type != typ || !(d.IsZero() && e.Start.IsZero() || !d.IsZero() && e.Active(d)) {
						continue
					}
					sum += e.Share.Low
					ids = append(ids, e.Statement)
				}
				if sum > 1+1e-9 {
					when := ""
					if !d.IsZero() {
						when = " on " + d.String()
					}
					r.Warnings = append(r.Warnings, &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: file},
						Field: string(typ), Message: fmt.Sprintf("the %s in %s%s sum to %.6g%%, above 100%% (statements %s)",
							typ, r.Nodes[subj].ID, when, sum*100, strings.Join(ids, ", "))})
					break
				}
			}
		}
	}
}
