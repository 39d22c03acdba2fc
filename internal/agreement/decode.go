package agreement

import (
	"errors"

	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/strictyaml"
)

// MaxFileSize bounds an agreement file; a real one is a few hundred kilobytes.
const MaxFileSize = 8 << 20

// Source keeps the parsed file, so that validation can report a problem at
// its line and column (looked up only when a problem is reported).
type Source = strictyaml.Source

// decodeOptions bound a decode: an agreement expands to at most 200,000 values
// (a real one has a few thousand), so an alias bomb fails fast.
var decodeOptions = strictyaml.Options{What: "an agreement document (version: 1, id, title, ...)", MaxSize: MaxFileSize, MaxNodes: 200_000}

// Decode reads an agreement file strictly: unknown fields, duplicate keys,
// values of the wrong type, missing required fields and values outside an
// enumeration are all reported, each with its line, column and field path.
// It returns the agreement and its source even when there are problems, so
// that callers may go on to validate and report everything at once; when the
// file is not YAML at all, the agreement is nil.
func Decode(file string, data []byte) (*Agreement, *Source, error) {
	var a Agreement
	src, err := strictyaml.Decode(file, data, &a, decodeOptions)
	if err != nil {
		var l problem.List
		if !errors.As(err, &l) {
			return nil, src, err
		}
	}
	return &a, src, err
}
