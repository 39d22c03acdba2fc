// Package jsonstrict holds what a strict reader of JSON needs beyond
// encoding/json: a check that no object repeats a key. encoding/json keeps
// the last of two values silently, another parser the first; the API's
// request bodies and the declarations of a JSON Lines file are refused
// instead, naming the key.
package jsonstrict

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// CheckDuplicateKeys refuses a JSON text in which an object repeats a key
// (encoding/json would keep the last value silently; another parser the
// first). The error names the key and where it stands ($.workload.key).
// Text that is not JSON passes: the decoder reports it. It allocates only
// for keys written with escapes and for objects of many keys.
func CheckDuplicateKeys(b []byte) error {
	sc := dupScanner{b: b}
	sc.value("$")
	if sc.dup != "" {
		return &problem.Error{Code: problem.Invalid, Field: sc.field, Message: fmt.Sprintf("duplicate key %q in the JSON object at %s: each key may appear once", sc.dup, sc.at)}
	}
	return nil
}

// dupScanner walks JSON text for CheckDuplicateKeys; it stops at the first
// duplicate or at the first byte that is not JSON.
type dupScanner struct {
	b     []byte
	i     int
	depth int
	bad   bool
	dup   string // the repeated key
	at    string // the path of its object
	field string // the path of the key, without "$."
}

// maxDepth bounds the nesting the scanner follows (the decoders refuse
// deeper texts anyway).
const maxDepth = 1000

func (s *dupScanner) stop() bool { return s.bad || s.dup != "" }

func (s *dupScanner) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// container reports whether the value ahead is an object or an array: only
// there may a duplicate be named, so only their paths are built (a path per
// scalar would be wasted work on the hot path).
func (s *dupScanner) container() bool {
	s.space()
	return s.i < len(s.b) && (s.b[s.i] == '{' || s.b[s.i] == '[')
}

func (s *dupScanner) value(path string) {
	s.space()
	if s.i >= len(s.b) {
		s.bad = true
		return
	}
	switch c := s.b[s.i]; {
	case c == '{':
		s.object(path)
	case c == '[':
		s.array(path)
	case c == '"':
		s.str()
	default: // a number, true, false or null: up to the next delimiter
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return
			}
			s.i++
		}
	}
}

// str skips a string and returns its raw bytes between the quotes, and
// whether it holds an escape.
func (s *dupScanner) str() (raw []byte, escaped bool) {
	start := s.i + 1
	for s.i++; s.i < len(s.b); s.i++ {
		switch s.b[s.i] {
		case '\\':
			escaped = true
			s.i++
		case '"':
			s.i++
			return s.b[start : s.i-1], escaped
		}
	}
	s.bad = true
	return nil, false
}

func (s *dupScanner) array(path string) {
	if s.depth++; s.depth > maxDepth {
		s.bad = true
		return
	}
	defer func() { s.depth-- }()
	s.i++ // [
	for n := 0; ; n++ {
		s.space()
		if s.i < len(s.b) && s.b[s.i] == ']' {
			s.i++
			return
		}
		next := ""
		if s.container() {
			next = path + "[" + strconv.Itoa(n) + "]"
		}
		s.value(next)
		if s.stop() {
			return
		}
		s.space()
		if s.i < len(s.b) && s.b[s.i] == ',' {
			s.i++
			continue
		}
		if s.i < len(s.b) && s.b[s.i] == ']' {
			s.i++
			return
		}
		s.bad = true
		return
	}
}

func (s *dupScanner) object(path string) {
	if s.depth++; s.depth > maxDepth {
		s.bad = true
		return
	}
	defer func() { s.depth-- }()
	s.i++ // {
	var small [16][]byte
	keys := small[:0]
	var many map[string]bool
	for {
		s.space()
		if s.i >= len(s.b) {
			s.bad = true
			return
		}
		if s.b[s.i] == '}' {
			s.i++
			return
		}
		if s.b[s.i] != '"' {
			s.bad = true
			return
		}
		raw, escaped := s.str()
		if s.stop() {
			return
		}
		if escaped { // compare keys as decoded: "a" and "\u0061" are one key
			var k string
			if json.Unmarshal(append(append([]byte{'"'}, raw...), '"'), &k) != nil {
				s.bad = true
				return
			}
			raw = []byte(k)
		}
		seen := false
		if many != nil {
			seen = many[string(raw)]
			many[string(raw)] = true
		} else {
			for _, k := range keys {
				if bytes.Equal(k, raw) {
					seen = true
					break
				}
			}
			keys = append(keys, raw)
			if len(keys) > 32 {
				many = make(map[string]bool, 64)
				for _, k := range keys {
					many[string(k)] = true
				}
			}
		}
		if seen {
			s.dup, s.at = string(raw), path
			s.field = (path + "." + string(raw))[2:]
			return
		}
		s.space()
		if s.i >= len(s.b) || s.b[s.i] != ':' {
			s.bad = true
			return
		}
		s.i++
		next := ""
		if s.container() {
			next = path + "." + string(raw)
		}
		s.value(next)
		if s.stop() {
			return
		}
		s.space()
		if s.i < len(s.b) && s.b[s.i] == ',' {
			s.i++
			continue
		}
		if s.i < len(s.b) && s.b[s.i] == '}' {
			s.i++
			return
		}
		s.bad = true
		return
	}
}
