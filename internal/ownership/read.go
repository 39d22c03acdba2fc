package ownership

import (
	"bytes"
	"io/fs"
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

// ReadFS reads the named files of fsys into a new register, in order (the
// shipped data: data/ownership's FS and Files).
func ReadFS(fsys fs.FS, files []string, prefix string, countryCode func(string) (string, bool)) (*Register, error) {
	r := NewRegister()
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		if err := Read(r, prefix+f, b, countryCode); err != nil {
			return nil, err
		}
	}
	return r, nil
}
