package ownership

import (
	"bytes"
	"strings"
)

// Read adds one file to r, by its kind: a BODS 0.4 package (.json), the
// ICMM facility file (its header), or one of the analyst's CSV shapes.
// countryCode names the countries of the ICMM file (registry.CountryCode).
func Read(r *Register, name string, data []byte, countryCode func(string) (string, bool)) error {
	if l := strings.ToLower(name); strings.HasSuffix(l, ".json") || strings.HasSuffix(l, ".jsonl") {
		return ReadBODS(r, name, data)
	}
	if bytes.HasPrefix(bytes.TrimPrefix(data, []byte("\ufeff")), []byte("ICMMID,")) {
		return ReadICMM(r, name, data, countryCode)
	}
	return ReadCSV(r, name, data)
}
