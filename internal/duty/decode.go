package duty

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/bits"
	"strings"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// Header maps the columns of a CSV file to declaration fields.
type Header struct {
	pos []int // pos[i] is the field of column i, or −1
}

// ParseHeader reads a CSV header row. Columns may come in any order; an
// unknown or repeated column, or a missing required one, is an error.
func ParseHeader(cols []string) (*Header, error) {
	h := &Header{pos: make([]int, len(cols))}
	seen := make([]bool, nFields)
	for i, c := range cols {
		c = strings.TrimSpace(strings.TrimPrefix(c, "\ufeff"))
		f, ok := columnIndex[strings.ToLower(c)]
		if !ok {
			return nil, fmt.Errorf("unknown column %q (the columns are %s)", c, strings.Join(InputColumns, ", "))
		}
		if seen[f] {
			return nil, fmt.Errorf("column %q appears twice", c)
		}
		seen[f] = true
		h.pos[i] = f
	}
	var missing []string
	for _, f := range requiredColumns {
		if !seen[f] {
			missing = append(missing, InputColumns[f])
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("missing required column(s) %s", strings.Join(missing, ", "))
	}
	return h, nil
}

// splitCSV splits one CSV record (without its line end) into fields, into
// dst. Fields without quotes are sub-slices of rec; quoted fields are unquoted
// into scratch.
func splitCSV(rec []byte, dst [][]byte, scratch []byte) ([][]byte, []byte, error) {
	dst = dst[:0]
	// Fast path, one pass: a record without quotes splits at its commas,
	// found eight bytes at a time.
	start, i := 0, 0
	for ; i+8 <= len(rec); i += 8 {
		w := binary.LittleEndian.Uint64(rec[i:])
		if zeroBytes(w^quotes8) != 0 {
			dst = dst[:0]
			goto quoted
		}
		for m := zeroBytes(w ^ commas8); m != 0; m &= m - 1 {
			j := i + bits.TrailingZeros64(m)>>3
			dst = append(dst, rec[start:j])
			start = j + 1
		}
	}
	for ; i < len(rec); i++ {
		if c := rec[i]; c == ',' {
			dst = append(dst, rec[start:i])
			start = i + 1
		} else if c == '"' {
			dst = dst[:0]
			goto quoted
		}
	}
	return append(dst, rec[start:]), scratch, nil
quoted:
	scratch = scratch[:0]
	type span struct{ a, b int }
	var spans []span
	i = 0
	for {
		if i < len(rec) && rec[i] == '"' {
			a := len(scratch)
			i++
			for {
				if i >= len(rec) {
					return nil, scratch, fmt.Errorf("unterminated quoted field")
				}
				c := rec[i]
				if c == '"' {
					if i+1 < len(rec) && rec[i+1] == '"' {
						scratch = append(scratch, '"')
						i += 2
						continue
					}
					i++
					break
				}
				scratch = append(scratch, c)
				i++
			}
			spans = append(spans, span{a, len(scratch)})
			if i < len(rec) && rec[i] != ',' {
				return nil, scratch, fmt.Errorf("extraneous %q after a quoted field", rec[i])
			}
		} else {
			j := bytes.IndexByte(rec[i:], ',')
			end := len(rec)
			if j >= 0 {
				end = i + j
			}
			if bytes.IndexByte(rec[i:end], '"') >= 0 {
				return nil, scratch, fmt.Errorf("bare %q in an unquoted field", '"')
			}
			a := len(scratch)
			scratch = append(scratch, rec[i:end]...)
			spans = append(spans, span{a, len(scratch)})
			i = end
		}
		if i >= len(rec) {
			break
		}
		i++ // the comma
		if i == len(rec) {
			spans = append(spans, span{len(scratch), len(scratch)})
			break
		}
	}
	for _, s := range spans {
		dst = append(dst, scratch[s.a:s.b])
	}
	return dst, scratch, nil
}

const (
	commas8 = 0x2c2c2c2c2c2c2c2c // ',' in each byte
	quotes8 = 0x2222222222222222 // '"' in each byte
)

// zeroBytes returns the high bit of each byte of x that is zero, and only
// those (no false positives, unlike the shorter (x−0x01…)&^x&0x80… test).
func zeroBytes(x uint64) uint64 {
	const m7 = 0x7f7f7f7f7f7f7f7f
	return ^((x&m7 + m7) | x | m7)
}

// trimSpace is bytes.TrimSpace, without the call when the field starts and
// ends with printable ASCII (as nearly all do).
func trimSpace(b []byte) []byte {
	if n := len(b); n == 0 || (b[0] > ' ' && b[0] < 0x80 && b[n-1] > ' ' && b[n-1] < 0x80) {
		return b
	}
	return bytes.TrimSpace(b)
}

func upperB(b []byte) []byte {
	b = trimSpace(b)
	for _, c := range b {
		if c >= 'a' && c <= 'z' {
			return bytes.ToUpper(b)
		}
	}
	return b
}

func lowerB(b []byte) []byte {
	b = trimSpace(b)
	for _, c := range b {
		if c >= 'A' && c <= 'Z' {
			return bytes.ToLower(b)
		}
	}
	return b
}

func equalFold(b []byte, s string) bool { return len(b) == len(s) && strings.EqualFold(string(b), s) }

// decodeCSVRecord decodes one CSV record.
func decodeCSVRecord(h *Header, rec []byte, x *decl, st *decodeState) *problem.Error {
	var err error
	st.fields, st.scratch, err = splitCSV(rec, st.fields, st.scratch)
	if err != nil {
		return fieldErr("", "", "malformed CSV record: %v", err)
	}
	if len(st.fields) != len(h.pos) {
		// Take what id there is, for the error.
		if len(st.fields) > 0 {
			for i, f := range h.pos {
				if f == fID && i < len(st.fields) {
					x.id = string(st.fields[i])
				}
			}
		}
		return fieldErr("", "", "has %d fields, the header %d", len(st.fields), len(h.pos))
	}
	st.v = [nFields][]byte{}
	for i, f := range h.pos {
		st.v[f] = st.fields[i]
	}
	return readFields(&st.v, x)
}

// decodeState is a worker's scratch space.
type decodeState struct {
	fields  [][]byte
	scratch []byte
	v       [nFields][]byte
}

// decodeJSONRecord decodes one JSON Lines record.
func decodeJSONRecord(line []byte, x *decl, st *decodeState) *problem.Error {
	if pe := jsonFields(line, &st.v, x); pe != nil {
		return pe
	}
	return readFields(&st.v, x)
}
