package registry

import (
	"io/fs"
	"slices"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/internal/suggest"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// Country is an ISO 3166-1 country or territory (data/countries/countries.csv).
type Country struct {
	Alpha2     string   // "DE"
	Alpha3     string   // "DEU"
	Numeric    string   // three digits: "276"
	Name       string   // short English name (CLDR): "Germany"
	Region     string   // UN M49 region: "Europe"
	Subregion  string   // UN M49 sub-region: "Western Europe"
	Currency   string   // main ISO 4217 currency, "" where none is listed (Antarctica)
	Currencies []string // every ISO 4217 currency in legal use there, Currency first
}

const (
	countriesFile = "countries/countries.csv"
	groupsFile    = "countries/groups.csv"
)

// groupAliases are other names for the groups of groups.csv.
var groupAliases = map[string]string{"EU": "EU27"}

func (r *Registry) loadCountries(fsys fs.FS, errs *problem.List) error {
	f, err := openCSV(fsys, countriesFile, errs, "alpha2", "alpha3", "numeric", "name", "region", "subregion", "currency")
	if err != nil {
		return err
	}
	r.countryIndex = make(map[string]int, 500)
	for row, ok := f.next(); ok; row, ok = f.next() {
		c := Country{
			Alpha2:    row.str("alpha2"),
			Alpha3:    row.str("alpha3"),
			Numeric:   row.str("numeric"),
			Name:      row.str("name"),
			Region:    row.str("region"),
			Subregion: row.str("subregion"),
		}
		good := true
		if len(c.Alpha2) != 2 || strings.ToUpper(c.Alpha2) != c.Alpha2 {
			row.errorf("alpha2", "%q is not two capital letters", c.Alpha2)
			good = false
		}
		if len(c.Alpha3) != 3 || strings.ToUpper(c.Alpha3) != c.Alpha3 {
			row.errorf("alpha3", "%q is not three capital letters", c.Alpha3)
			good = false
		}
		if len(c.Numeric) != 3 || !isDigits(c.Numeric) {
			row.errorf("numeric", "%q is not three digits", c.Numeric)
			good = false
		}
		for _, cur := range strings.Split(row.str("currency"), ",") {
			cur = strings.TrimSpace(cur)
			if cur == "" {
				continue
			}
			if !isCurrencyCode(cur) {
				row.errorf("currency", "%q is not an ISO 4217 code", cur)
				good = false
				continue
			}
			c.Currencies = append(c.Currencies, cur)
		}
		if len(c.Currencies) > 0 {
			c.Currency = c.Currencies[0]
		}
		if !good {
			continue
		}
		for _, k := range []string{c.Alpha2, c.Alpha3} {
			if _, dup := r.countryIndex[k]; dup {
				row.errorf("alpha2", "code %s is listed twice", k)
				good = false
			}
		}
		if !good {
			continue
		}
		r.countryIndex[c.Alpha2] = len(r.countries)
		r.countryIndex[c.Alpha3] = len(r.countries)
		r.countries = append(r.countries, c)
	}
	r.indexCountryNames()
	return nil
}

func (r *Registry) loadCountryGroups(fsys fs.FS, errs *problem.List) error {
	f, err := openCSV(fsys, groupsFile, errs, "group", "member_alpha2")
	if err != nil {
		return err
	}
	r.countryGroups = make(map[string][]string)
	for row, ok := f.next(); ok; row, ok = f.next() {
		g, m := row.str("group"), row.str("member_alpha2")
		i, ok := r.countryIndex[m]
		if !ok || r.countries[i].Alpha2 != m {
			row.errorf("member_alpha2", "%q is not an alpha-2 code of countries.csv", m)
			continue
		}
		if slices.Contains(r.countryGroups[g], m) {
			row.errorf("member_alpha2", "%s is listed twice in %s", m, g)
			continue
		}
		r.countryGroups[g] = append(r.countryGroups[g], m)
	}
	for _, ms := range r.countryGroups {
		slices.Sort(ms)
	}
	return nil
}

// Countries returns every country, sorted by alpha-2 code. The slice is a copy.
func (r *Registry) Countries() []Country {
	out := make([]Country, len(r.countries))
	for i, c := range r.countries {
		out[i] = c
		out[i].Currencies = slices.Clone(c.Currencies)
	}
	return out
}

// Country returns the country with an ISO alpha-2 or alpha-3 code, in any case.
// An unknown code is a NotFound error that suggests near codes (and the code of
// a country whose name was given instead).
func (r *Registry) Country(code string) (Country, error) {
	if i, ok := r.countryIndex[strings.ToUpper(strings.TrimSpace(code))]; ok {
		c := r.countries[i]
		c.Currencies = slices.Clone(c.Currencies)
		return c, nil
	}
	var sugg []string
	for _, c := range r.countries {
		if strings.EqualFold(c.Name, strings.TrimSpace(code)) {
			sugg = []string{c.Alpha2}
			break
		}
	}
	if sugg == nil {
		cands := make([]string, len(r.countries))
		for i, c := range r.countries {
			if len(code) == 3 {
				cands[i] = c.Alpha3
			} else {
				cands[i] = c.Alpha2
			}
		}
		sugg = suggest.Near(code, cands)
	}
	return Country{}, &problem.Error{Code: problem.NotFound, Field: "country",
		Message: "unknown country code " + strconv.Quote(code) + suggest.DidYouMean(sugg) + "; want an ISO 3166-1 alpha-2 or alpha-3 code"}
}

// Group returns the alpha-2 codes of the members of a country group, sorted:
// "EU27" (or "EU"), the 27 member states of the European Union. Any case is
// accepted. An unknown group is a NotFound error.
func (r *Registry) Group(id string) ([]string, error) {
	if ms, ok := r.countryGroups[r.groupID(id)]; ok {
		return slices.Clone(ms), nil
	}
	ids := make([]string, 0, len(r.countryGroups)+len(groupAliases))
	for g := range r.countryGroups {
		ids = append(ids, g)
	}
	for a := range groupAliases {
		ids = append(ids, a)
	}
	slices.Sort(ids)
	return nil, &problem.Error{Code: problem.NotFound, Field: "group",
		Message: "unknown country group " + strconv.Quote(id) + "; known groups: " + strings.Join(ids, ", ")}
}

// IsGroup reports whether id names a country group rather than a country.
func (r *Registry) IsGroup(id string) bool {
	_, ok := r.countryGroups[r.groupID(id)]
	return ok
}

func (r *Registry) groupID(id string) string {
	id = strings.ToUpper(strings.TrimSpace(id))
	if a, ok := groupAliases[id]; ok {
		return a
	}
	return id
}
