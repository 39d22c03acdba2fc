package duty

import (
	"bytes"
	"hash/maphash"
)

// idSet is the set of declaration ids a file has given so far, with the line
// of each one's first row: how the reader tells a repeated id (issue 12).
//
// Customs files usually number their declarations in order, and while each
// id sorts after the one before it, it cannot repeat an earlier one: the set
// then only appends it (a comparison with the last id, no hashing). The
// first id out of order builds a hash table of the ids so far, and from then
// on every id is looked up there: an open-addressed table whose slots hold
// 32 bits of the id's hash beside its index, so that a new id (the common
// case) costs one probe and no comparison. A million ids of about ten bytes
// take about 22 MB in order and 38 MB with the table, where a
// map[string]int would take about three times that.
type idSet struct {
	seed  maphash.Seed
	data  [][]byte   // the ids' bytes, in chunks of idBytes: no copy as they grow
	refs  [][]uint64 // refs[k/idChunk][k%idChunk]: where id k is (ref)
	lines [][]int32  // the line of id k's first row, by the same chunks
	n     int        // ids kept
	table []uint64   // nil while the ids come in order; then hash<<32 | k+1 of an id whose hash lands there, or 0; a power of two long
}

// The chunks: ids are kept in pieces of fixed size rather than in slices
// that grow by copying, since on a million ids the copies and the fresh
// memory they touch cost more than the rest of the set.
const (
	idChunk = 1 << 16 // ids per chunk of refs and lines
	idBytes = 1 << 20 // bytes per chunk of data; an id is at most maxFieldBytes
)

// ref is where an id's bytes are: its chunk, its offset there and its length.
func ref(chunk, off, n int) uint64 { return uint64(chunk)<<33 | uint64(off)<<13 | uint64(n) }

// add records id at line, unless the set has it: then it returns the line of
// its first row and true.
func (s *idSet) add(id []byte, line int) (first int, seen bool) {
	if s.table == nil {
		if s.n == 0 || bytes.Compare(id, s.id(s.n-1)) > 0 {
			s.push(id, line)
			return 0, false
		}
		if bytes.Equal(id, s.id(s.n-1)) {
			return s.line(s.n - 1), true
		}
		s.seed = maphash.MakeSeed()
		s.table = make([]uint64, 1<<12)
		s.grow() // to a size for the ids so far, each put in
	}
	h := maphash.Bytes(s.seed, id)
	tag := h &^ (1<<32 - 1)
	mask := uint64(len(s.table) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		e := s.table[i]
		if e == 0 {
			s.push(id, line)
			s.table[i] = tag | uint64(s.n)
			if 2*s.n > len(s.table) { // at most half full, so probes stay short
				s.grow()
			}
			return 0, false
		}
		if e&^(1<<32-1) == tag {
			if k := int(uint32(e)) - 1; bytes.Equal(s.id(k), id) {
				return s.line(k), true
			}
		}
	}
}

func (s *idSet) id(k int) []byte {
	r := s.refs[k/idChunk][k%idChunk]
	off := int(r >> 13 & (1<<20 - 1))
	return s.data[r>>33][off : off+int(r&(1<<13-1))]
}

func (s *idSet) line(k int) int { return int(s.lines[k/idChunk][k%idChunk]) }

// push keeps id, at line.
func (s *idSet) push(id []byte, line int) {
	if len(s.data) == 0 || len(s.data[len(s.data)-1])+len(id) > idBytes {
		s.data = append(s.data, make([]byte, 0, idBytes))
	}
	c := len(s.data) - 1
	off := len(s.data[c])
	s.data[c] = append(s.data[c], id...)
	if s.n%idChunk == 0 {
		s.refs = append(s.refs, make([]uint64, 0, idChunk))
		s.lines = append(s.lines, make([]int32, 0, idChunk))
	}
	s.refs[s.n/idChunk] = append(s.refs[s.n/idChunk], ref(c, off, len(id)))
	s.lines[s.n/idChunk] = append(s.lines[s.n/idChunk], int32(line))
	s.n++
}

// grow makes the table at least four times as long as the ids kept, and
// puts each of them in it.
func (s *idSet) grow() {
	n := len(s.table)
	for n < 4*s.n {
		n *= 2
	}
	s.table = make([]uint64, n)
	mask := uint64(n - 1)
	for k := range s.n {
		h := maphash.Bytes(s.seed, s.id(k))
		i := h & mask
		for s.table[i] != 0 {
			i = (i + 1) & mask
		}
		s.table[i] = h&^(1<<32-1) | uint64(k+1)
	}
}
