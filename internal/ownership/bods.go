package ownership

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/jsonstrict"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// The BODS 0.4 statement, as the schema (openownership/data-standard,
// schema/statement.json, entity-record.json, person-record.json,
// relationship-record.json, version 0.4) defines it. Every field of the
// schema is listed so that a field it does not define is refused (strict
// decoding); the ones the engine does not read are kept raw.
type bodsStatement struct {
	StatementID        string          `json:"statementId"`
	StatementDate      string          `json:"statementDate"`
	Annotations        json.RawMessage `json:"annotations"`
	PublicationDetails json.RawMessage `json:"publicationDetails"`
	Source             *bodsSource     `json:"source"`
	Declaration        string          `json:"declaration"`
	DeclarationSubject string          `json:"declarationSubject"`
	RecordID           string          `json:"recordId"`
	RecordType         string          `json:"recordType"`
	RecordStatus       string          `json:"recordStatus"`
	RecordDetails      json.RawMessage `json:"recordDetails"`
}

type bodsSource struct {
	Type        []string        `json:"type"`
	Description string          `json:"description"`
	URL         string          `json:"url"`
	RetrievedAt string          `json:"retrievedAt"`
	AssertedBy  json.RawMessage `json:"assertedBy"`
}

type bodsEntity struct {
	IsComponent      *bool           `json:"isComponent"`
	EntityType       *bodsEntityType `json:"entityType"`
	Unspecified      json.RawMessage `json:"unspecifiedEntityDetails"`
	Name             string          `json:"name"`
	AlternateNames   []string        `json:"alternateNames"`
	Jurisdiction     *bodsCountry    `json:"jurisdiction"`
	Identifiers      json.RawMessage `json:"identifiers"`
	FoundingDate     string          `json:"foundingDate"`
	DissolutionDate  string          `json:"dissolutionDate"`
	Addresses        json.RawMessage `json:"addresses"`
	URI              string          `json:"uri"`
	PublicListing    json.RawMessage `json:"publicListing"`
	FormedByStatute  json.RawMessage `json:"formedByStatute"`
	ComponentRecords json.RawMessage `json:"componentRecords"`
}

type bodsEntityType struct {
	Type    string `json:"type"`
	Subtype string `json:"subtype"`
	Details string `json:"details"`
}

type bodsCountry struct {
	Name string `json:"name"`
	Code string `json:"code"`
}

type bodsPerson struct {
	IsComponent       *bool           `json:"isComponent"`
	PersonType        string          `json:"personType"`
	Unspecified       json.RawMessage `json:"unspecifiedPersonDetails"`
	Names             json.RawMessage `json:"names"`
	Identifiers       json.RawMessage `json:"identifiers"`
	Nationalities     []bodsCountry   `json:"nationalities"`
	PlaceOfBirth      json.RawMessage `json:"placeOfBirth"`
	BirthDate         string          `json:"birthDate"`
	DeathDate         string          `json:"deathDate"`
	TaxResidencies    []bodsCountry   `json:"taxResidencies"`
	Addresses         json.RawMessage `json:"addresses"`
	PoliticalExposure json.RawMessage `json:"politicalExposure"`
}

type bodsRelationship struct {
	IsComponent      *bool             `json:"isComponent"`
	ComponentRecords json.RawMessage   `json:"componentRecords"`
	Subject          json.RawMessage   `json:"subject"`
	InterestedParty  json.RawMessage   `json:"interestedParty"`
	Interests        []json.RawMessage `json:"interests"`
}

type bodsInterest struct {
	Type                        string          `json:"type"`
	DirectOrIndirect            string          `json:"directOrIndirect"`
	BeneficialOwnershipOrContro *bool           `json:"beneficialOwnershipOrControl"`
	Details                     string          `json:"details"`
	Share                       json.RawMessage `json:"share"`
	StartDate                   string          `json:"startDate"`
	EndDate                     string          `json:"endDate"`
}

type bodsShare struct {
	Exact            *float64 `json:"exact"`
	Minimum          *float64 `json:"minimum"`
	Maximum          *float64 `json:"maximum"`
	ExclusiveMinimum *float64 `json:"exclusiveMinimum"`
	ExclusiveMaximum *float64 `json:"exclusiveMaximum"`
}

// interestTypes is the BODS 0.4 interestType codelist (closed).
var interestTypes = map[string]bool{
	"shareholding": true, "votingRights": true, "appointmentOfBoard": true, "otherInfluenceOrControl": true,
	"seniorManagingOfficial": true, "settlor": true, "trustee": true, "protector": true,
	"beneficiaryOfLegalArrangement": true, "rightsToSurplusAssetsOnDissolution": true, "rightsToProfitOrIncome": true,
	"rightsGrantedByContract": true, "conditionalRightsGrantedByContract": true, "controlViaCompanyRulesOrArticles": true,
	"controlByLegalFramework": true, "boardMember": true, "boardChair": true, "unknownInterest": true,
	"unpublishedInterest": true, "enjoymentAndUseOfAssets": true, "rightToProfitOrIncomeFromAssets": true,
}

var entityTypes = map[string]bool{"registeredEntity": true, "legalEntity": true, "arrangement": true,
	"anonymousEntity": true, "unknownEntity": true, "state": true, "stateBody": true}

// bodsReader collects the problems of one file, each naming its statement.
type bodsReader struct {
	file string
	errs problem.List
	r    *Register
}

func (b *bodsReader) fail(stmt, field, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if stmt != "" {
		msg = fmt.Sprintf("statement %s: %s", stmt, msg)
	}
	b.errs = append(b.errs, &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: b.file}, Field: field, Message: msg})
}

func (b *bodsReader) warn(stmt, field, format string, args ...any) {
	b.r.Warnings = append(b.r.Warnings, &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: b.file}, Field: field,
		Message: fmt.Sprintf("statement %s: ", stmt) + fmt.Sprintf(format, args...)})
}

// strict decodes raw into v, refusing fields v does not define.
func strict(raw []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return errors.New("text after the value")
	}
	return nil
}

// jsonField names the field a decoding error is about and says what is wrong.
func jsonField(prefix string, err error) (string, string) {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		f := prefix
		if te.Field != "" {
			f = prefix + "." + te.Field
		}
		return f, fmt.Sprintf("want %s, got JSON %s", te.Type, te.Value)
	}
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		name := strings.Trim(rest, `"`)
		return prefix + "." + name, fmt.Sprintf("unknown field %q (not in BODS 0.4)", name)
	}
	return prefix, strings.TrimPrefix(msg, "json: ")
}

type pendingRel struct {
	stmt, field     string
	subject, holder string
	interests       []json.RawMessage
	source          string
	index           int
}

// ReadBODS reads a BODS 0.4 package (a JSON array of statements, or a
// stream of them one after another, as JSON Lines) into r.
// Every problem of the file is reported at once, each naming its statement
// and field; a file with any is not added. Problems that leave the data
// usable (shares of one subject above 100%, an unspecified party) are
// appended to r.Warnings.
func ReadBODS(r *Register, file string, data []byte) error {
	b := &bodsReader{file: file, r: r}
	if err := jsonstrict.CheckDuplicateKeys(data); err != nil {
		return err
	}
	var raws []json.RawMessage
	if t := bytes.TrimLeft(data, " \t\r\n\ufeff"); len(t) > 0 && t[0] == '{' {
		// A stream of statements (JSON Lines), as BODS also publishes.
		d := json.NewDecoder(bytes.NewReader(t))
		for d.More() {
			var m json.RawMessage
			if err := d.Decode(&m); err != nil {
				return &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: file}, Message: fmt.Sprintf("statement %d of the stream: %s", len(raws)+1, strings.TrimPrefix(err.Error(), "json: "))}
			}
			raws = append(raws, m)
		}
	} else if err := json.Unmarshal(data, &raws); err != nil {
		return &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: file}, Message: "not a BODS package (a JSON array of statements): " + strings.TrimPrefix(err.Error(), "json: ")}
	}
	type rec struct {
		stmt, typ string
		node      Node
		rel       *pendingRel
		closed    bool
	}
	records := map[string]*rec{}
	byStatement := map[string]string{} // statementId → recordId
	var order []string
	for i, raw := range raws {
		var peek struct {
			StatementID string `json:"statementId"`
		}
		_ = json.Unmarshal(raw, &peek)
		id := peek.StatementID
		if id == "" {
			id = fmt.Sprintf("#%d", i)
		}
		var s bodsStatement
		if err := strict(raw, &s); err != nil {
			f, m := jsonField(fmt.Sprintf("[%d]", i), err)
			b.fail(id, f, "%s", m)
			continue
		}
		p := fmt.Sprintf("[%d]", i)
		if s.StatementID == "" {
			b.fail(id, p+".statementId", "required")
			continue
		}
		if _, dup := byStatement[s.StatementID]; dup {
			b.fail(id, p+".statementId", "statement id used twice")
			continue
		}
		if s.RecordID == "" {
			b.fail(id, p+".recordId", "required")
			continue
		}
		if len(s.RecordDetails) == 0 {
			b.fail(id, p+".recordDetails", "required")
			continue
		}
		switch s.RecordStatus {
		case "", "new", "updated", "closed":
		default:
			b.fail(id, p+".recordStatus", "want new, updated or closed, got %q", s.RecordStatus)
		}
		byStatement[s.StatementID] = s.RecordID
		source := ""
		if s.Source != nil {
			source = strings.TrimSpace(strings.Join([]string{s.Source.Description, s.Source.URL}, " "))
		}
		rc := &rec{stmt: s.StatementID, typ: s.RecordType, closed: s.RecordStatus == "closed"}
		dp := p + ".recordDetails"
		switch s.RecordType {
		case "entity":
			var e bodsEntity
			if err := strict(s.RecordDetails, &e); err != nil {
				f, m := jsonField(dp, err)
				b.fail(id, f, "%s", m)
				continue
			}
			n := Node{ID: s.RecordID, Name: e.Name, Kind: Entity, Statement: s.StatementID, Source: source}
			if e.EntityType == nil {
				b.fail(id, dp+".entityType", "required")
			} else if !entityTypes[e.EntityType.Type] {
				b.fail(id, dp+".entityType.type", "unknown entity type %q", e.EntityType.Type)
			} else if e.EntityType.Type == "state" || e.EntityType.Type == "stateBody" {
				n.Kind = State
			}
			if e.Jurisdiction != nil {
				n.Jurisdiction = country(e.Jurisdiction.Code)
			}
			rc.node = n
		case "person":
			var pd bodsPerson
			if err := strict(s.RecordDetails, &pd); err != nil {
				f, m := jsonField(dp, err)
				b.fail(id, f, "%s", m)
				continue
			}
			n := Node{ID: s.RecordID, Kind: Person, Statement: s.StatementID, Source: source}
			for _, c := range pd.Nationalities {
				if c.Code != "" {
					n.Nationalities = append(n.Nationalities, country(c.Code))
				}
			}
			rc.node = n
		case "relationship":
			var rd bodsRelationship
			if err := strict(s.RecordDetails, &rd); err != nil {
				f, m := jsonField(dp, err)
				b.fail(id, f, "%s", m)
				continue
			}
			rel := &pendingRel{stmt: s.StatementID, field: dp, interests: rd.Interests, source: source, index: i}
			var ok bool
			if rel.subject, ok = b.party(id, dp+".subject", rd.Subject); !ok {
				continue
			}
			if rel.holder, ok = b.party(id, dp+".interestedParty", rd.InterestedParty); !ok {
				continue
			}
			rc.rel = rel
		default:
			b.fail(id, p+".recordType", "want entity, person or relationship, got %q", s.RecordType)
			continue
		}
		// A later statement about the same record replaces the earlier
		// one (BODS 0.4: a record is the series of its statements).
		if _, seen := records[s.RecordID]; !seen {
			order = append(order, s.RecordID)
		}
		records[s.RecordID] = rc
	}
	// Nodes first, then relationships, which may name a record declared
	// after them.
	var edges []Edge
	for _, rid := range order {
		rc := records[rid]
		if rc.rel != nil || rc.closed {
			continue
		}
		r.add(rc.node)
	}
	resolve := func(rel *pendingRel, ref, field string) (int, bool) {
		key := ref
		if rc, ok := records[key]; !ok || rc.rel != nil {
			// A statementId in place of a recordId (as BODS 0.2 and 0.3 had it).
			if rid, ok := byStatement[ref]; ok {
				key = rid
			}
		}
		rc, ok := records[key]
		if !ok || rc.rel != nil {
			b.fail(rel.stmt, field, "names %q, which is no entity or person statement of the package", ref)
			return 0, false
		}
		if rc.closed {
			b.fail(rel.stmt, field, "names %q, whose record is closed", ref)
			return 0, false
		}
		i, ok := r.Lookup(key)
		if !ok {
			return 0, false
		}
		return i, true
	}
	for _, rid := range order {
		rc := records[rid]
		if rc.rel == nil || rc.closed {
			continue
		}
		rel := rc.rel
		if rel.subject == "" || rel.holder == "" {
			continue // unspecified: warned
		}
		subj, ok1 := resolve(rel, rel.subject, rel.field+".subject")
		hold, ok2 := resolve(rel, rel.holder, rel.field+".interestedParty")
		if !ok1 || !ok2 {
			continue
		}
		if len(rel.interests) == 0 {
			b.warn(rel.stmt, rel.field+".interests", "no interests: the relationship counts for nothing")
		}
		for k, raw := range rel.interests {
			ip := fmt.Sprintf("%s.interests[%d]", rel.field, k)
			var in bodsInterest
			if err := strict(raw, &in); err != nil {
				f, m := jsonField(ip, err)
				b.fail(rel.stmt, f, "%s", m)
				continue
			}
			e, ok := b.interest(rel.stmt, ip, in)
			if !ok {
				continue
			}
			e.Holder, e.Subject, e.Source = hold, subj, rel.source
			edges = append(edges, e)
		}
	}
	if len(b.errs) > 0 {
		return b.errs
	}
	r.Edges = append(r.Edges, edges...)
	checkSums(r, file, len(r.Edges)-len(edges))
	return nil
}

// party reads a subject or interested party: a record id, or an unspecified
// record (a reason instead of a party), which is warned and skipped.
func (b *bodsReader) party(stmt, field string, raw json.RawMessage) (string, bool) {
	if len(raw) == 0 {
		b.fail(stmt, field, "required")
		return "", false
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		if s == "" {
			b.fail(stmt, field, "empty record id")
			return "", false
		}
		return s, true
	}
	var u struct {
		Reason      string `json:"reason"`
		Description string `json:"description"`
	}
	if err := strict(raw, &u); err != nil {
		f, m := jsonField(field, err)
		b.fail(stmt, f, "want a record id or an unspecified record: %s", m)
		return "", false
	}
	b.warn(stmt, field, "unspecified (%s): the relationship is left out", u.Reason)
	return "", true
}

// interest checks one BODS interest and returns it as an edge (holder and
// subject to fill in).
func (b *bodsReader) interest(stmt, p string, in bodsInterest) (Edge, bool) {
	ok := true
	e := Edge{Statement: stmt, Type: InterestType(in.Type), Direct: in.DirectOrIndirect}
	if in.Type == "" {
		b.fail(stmt, p+".type", "required")
		ok = false
	} else if !interestTypes[in.Type] {
		b.fail(stmt, p+".type", "unknown interest type %q (BODS 0.4 interestType)", in.Type)
		ok = false
	}
	switch in.DirectOrIndirect {
	case "", "direct", "indirect", "unknown":
	default:
		b.fail(stmt, p+".directOrIndirect", "want direct, indirect or unknown, got %q", in.DirectOrIndirect)
		ok = false
	}
	var err error
	if in.StartDate != "" {
		if e.Start, err = date.Parse(in.StartDate); err != nil {
			b.fail(stmt, p+".startDate", "want YYYY-MM-DD, got %q", in.StartDate)
			ok = false
		}
	}
	if in.EndDate != "" {
		if e.End, err = date.Parse(in.EndDate); err != nil {
			b.fail(stmt, p+".endDate", "want YYYY-MM-DD, got %q", in.EndDate)
			ok = false
		}
	}
	if !e.Start.IsZero() && !e.End.IsZero() && e.End.Before(e.Start) {
		b.fail(stmt, p+".endDate", "the interest ends (%s) before it starts (%s)", e.End, e.Start)
		ok = false
	}
	if len(in.Share) > 0 && string(in.Share) != "null" {
		var sh bodsShare
		if err := strict(in.Share, &sh); err != nil {
			f, m := jsonField(p+".share", err)
			b.fail(stmt, f, "%s", m)
			return e, false
		}
		s, msg, field := shareOf(sh.Exact, sh.Minimum, sh.Maximum, sh.ExclusiveMinimum, sh.ExclusiveMaximum)
		if msg != "" {
			b.fail(stmt, p+".share"+field, "%s", msg)
			ok = false
		}
		e.Share = s
	}
	return e, ok
}

// shareOf turns BODS share bounds (percentages) into a Share, or says what
// is wrong and with which field.
func shareOf(exact, lo, hi, xlo, xhi *float64) (Share, string, string) {
	for _, f := range []struct {
		name string
		v    *float64
	}{{"exact", exact}, {"minimum", lo}, {"maximum", hi}, {"exclusiveMinimum", xlo}, {"exclusiveMaximum", xhi}} {
		if f.v != nil && !(*f.v >= 0 && *f.v <= 100) {
			return Share{}, fmt.Sprintf("a share is a percentage between 0 and 100, got %v", *f.v), "." + f.name
		}
	}
	if lo != nil && xlo != nil {
		return Share{}, "both minimum and exclusiveMinimum given", ".exclusiveMinimum"
	}
	if hi != nil && xhi != nil {
		return Share{}, "both maximum and exclusiveMaximum given", ".exclusiveMaximum"
	}
	s := Share{Known: true, Low: 0, High: 1}
	if exact != nil {
		s.Low, s.High = *exact/100, *exact/100
	}
	if lo != nil {
		s.Low = *lo / 100
	}
	if xlo != nil {
		s.Low, s.LowExcl = *xlo/100, true
	}
	if hi != nil {
		s.High = *hi / 100
	}
	if xhi != nil {
		s.High, s.HighExcl = *xhi/100, true
	}
	if exact != nil && ((lo != nil || xlo != nil) && s.Low != *exact/100 || (hi != nil || xhi != nil) && s.High != *exact/100) {
		return Share{}, fmt.Sprintf("exact %v disagrees with its bounds", *exact), ".exact"
	}
	if s.Low > s.High || (s.Low == s.High && (s.LowExcl || s.HighExcl)) {
		return Share{}, fmt.Sprintf("the minimum (%v%%) is above the maximum (%v%%)", s.Low*100, s.High*100), ".minimum"
	}
	if exact == nil && lo == nil && xlo == nil && hi == nil && xhi == nil {
		s.Known = false
	}
	return s, "", ""
}

// country cuts a jurisdiction or subdivision code (AU-WA) to its country.
func country(code string) string {
	code = strings.ToUpper(strings.TrimSpace(code))
	if i := strings.IndexByte(code, '-'); i > 0 {
		code = code[:i]
	}
	return code
}
