package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// readBody reads a request body of at most limit bytes. Its errors say what
// was wrong without the cause's text: a failed read carries the socket's
// addresses (net.OpError), which are the server's business.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		return nil, bodyReadError(err)
	}
	return b, nil
}

// bodyReadError is a failed read of a request body as the client is told it.
func bodyReadError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return problem.Errorf(problem.Invalid, "the request body is larger than %d bytes", tooBig.Limit)
	}
	return problem.Errorf(problem.Invalid, "the request body could not be read to its end (the connection failed or timed out)")
}

// readerOf makes a read body readable again for the handler.
func readerOf(b []byte) io.ReadCloser { return io.NopCloser(bytes.NewReader(b)) }

// decodeStrict decodes one JSON value of b into v: duplicate keys, unknown
// fields and data after the value are errors, each naming the key. It is the
// API's one strict decoder of request bodies.
func decodeStrict(b []byte, v any) error {
	if err := checkDuplicateKeys(b); err != nil {
		return err
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return &problem.Error{Code: problem.Invalid, Message: "request body: " + err.Error()}
	}
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		return &problem.Error{Code: problem.Invalid, Message: "request body: data after the JSON value"}
	}
	return nil
}

// checkDuplicateKeys refuses a JSON text in which an object repeats a key
// (encoding/json would keep the last value silently; another parser the
// first). The error names the key and where it stands ($.workload.key).
// Text that is not JSON passes: the decoder reports it. It allocates only
// for keys written with escapes and for objects of many keys.
func checkDuplicateKeys(b []byte) error {
	sc := dupScanner{b: b}
	sc.value("$")
	if sc.dup != "" {
		return &problem.Error{Code: problem.Invalid, Field: sc.field, Message: fmt.Sprintf("duplicate key %q in the JSON object at %s: each key may appear once", sc.dup, sc.at)}
	}
	return nil
}

// dupScanner walks JSON text for checkDuplicateKeys; it stops at the first
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
