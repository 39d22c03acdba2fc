package strictyaml

import (
	"bytes"
	"runtime"
	"sync"

	"gopkg.in/yaml.v3"
)

// Parse parses a YAML file into its node tree.
//
// Parsing is most of the cost of loading an agreement (yaml.v3 reads about
// 15 MB/s), so a file in block style is cut at its top-level keys into one
// piece per core, the pieces are parsed in parallel and joined into one
// mapping with their line numbers shifted back. Anything unusual (documents,
// flow collections or directives at the top level, a piece that does not
// parse on its own, e.g. an alias to an anchor in another piece) falls back
// to parsing the whole file, which also gives the exact error.
func Parse(data []byte) (*yaml.Node, error) {
	if root := parseParallel(data, min(runtime.GOMAXPROCS(0), 4)); root != nil {
		return root, nil
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, err
	}
	return &root, nil
}

// minPiece is the smallest input worth splitting: below it, goroutines cost
// more than they save.
const minPiece = 16 << 10

type piece struct {
	data []byte
	line int // line number of the piece's first line in the file, minus one
}

func parseParallel(data []byte, workers int) *yaml.Node {
	if workers < 2 || len(data) < 2*minPiece {
		return nil
	}
	pieces := splitTopLevel(data, workers)
	if len(pieces) < 2 {
		return nil
	}
	nodes := make([]*yaml.Node, len(pieces))
	var wg sync.WaitGroup
	for i, p := range pieces {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var n yaml.Node
			if err := yaml.Unmarshal(p.data, &n); err != nil || n.Kind != yaml.DocumentNode || len(n.Content) != 1 || n.Content[0].Kind != yaml.MappingNode {
				return
			}
			shiftLines(n.Content[0], p.line)
			nodes[i] = n.Content[0]
		}()
	}
	wg.Wait()
	if nodes[0] == nil {
		return nil
	}
	top := *nodes[0]
	root := &yaml.Node{Kind: yaml.DocumentNode, Line: top.Line, Column: top.Column}
	for _, n := range nodes[1:] {
		if n == nil || n.Style&yaml.FlowStyle != 0 {
			return nil
		}
		top.Content = append(top.Content, n.Content...)
	}
	if top.Style&yaml.FlowStyle != 0 {
		return nil
	}
	root.Content = []*yaml.Node{&top}
	return root
}

// splitTopLevel cuts data before top-level keys into about n pieces of
// similar size. It returns nil when the layout is not a plain block mapping.
func splitTopLevel(data []byte, n int) []piece {
	var starts []int // byte offsets of top-level key lines after the first
	first := -1
	for off, line := 0, 1; off < len(data); line++ {
		end := bytes.IndexByte(data[off:], '\n')
		if end < 0 {
			end = len(data) - off
		}
		l := data[off : off+end]
		if len(l) > 0 {
			switch c := l[0]; {
			case c == ' ' || c == '\t' || c == '#' || c == '\r':
			case c == '-' || c == '.' || c == '%' || c == '?' || c == '[' || c == '{' || c == ']' || c == '}' || c == ',' || c == '&' || c == '*' || c == '!':
				// Documents, directives, top-level sequences or flow
				// collections, complex keys, anchors or tags at the top:
				// not a plain block mapping.
				return nil
			default:
				if first < 0 {
					first = off
				} else {
					starts = append(starts, off)
				}
			}
		}
		off += end + 1
	}
	if first < 0 || len(starts) == 0 {
		return nil
	}
	target := len(data) / n
	var pieces []piece
	from, fromLine := 0, 0
	for _, s := range starts {
		if s-from >= target && len(pieces) < n-1 {
			pieces = append(pieces, piece{data: data[from:s], line: fromLine})
			fromLine += bytes.Count(data[from:s], []byte{'\n'})
			from = s
		}
	}
	return append(pieces, piece{data: data[from:], line: fromLine})
}

// shiftLines adds offset to the line of every node under n (aliases are not
// followed: their targets are in the tree already).
func shiftLines(n *yaml.Node, offset int) {
	if offset == 0 {
		return
	}
	n.Line += offset
	for _, c := range n.Content {
		shiftLines(c, offset)
	}
}
