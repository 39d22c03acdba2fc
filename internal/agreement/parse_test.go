package agreement

import (
	"fmt"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/mineralpact/mineralpact/examples"
)

// dump renders a node tree with every position, to compare two parses.
func dump(n *yaml.Node, b *strings.Builder, depth int) {
	fmt.Fprintf(b, "%*s%d %s %q %d:%d\n", depth, "", n.Kind, n.Tag, n.Value, n.Line, n.Column)
	for _, c := range n.Content {
		dump(c, b, depth+1)
	}
}

// TestParallelParseMatchesSerial: the parallel parse gives the very tree the
// serial one gives, positions included.
func TestParallelParseMatchesSerial(t *testing.T) {
	par := parseParallel(examples.Pact2026, 2)
	if par == nil {
		t.Fatal("parseParallel(example) = nil, want the parallel path taken")
	}
	var ser yaml.Node
	if err := yaml.Unmarshal(examples.Pact2026, &ser); err != nil {
		t.Fatal(err)
	}
	var a, b strings.Builder
	dump(par, &a, 0)
	dump(&ser, &b, 0)
	if a.String() != b.String() {
		t.Fatal("parallel and serial parses differ")
	}
}

func TestSplitTopLevelFallsBack(t *testing.T) {
	big := strings.Repeat("# padding line to make the input large enough\n", 1000)
	for _, text := range []string{
		big + "a: 1\n---\nb: 2\n",      // two documents
		big + "- 1\n- 2\n",             // a top-level list
		big + "a: [1,\n2]\nb: 3\n",     // a flow list continued at column 0
		big + "a: &x 1\nb: *x\nc: 1\n", // an alias across pieces may fail alone
	} {
		root, err := parseYAML([]byte(text))
		var want yaml.Node
		werr := yaml.Unmarshal([]byte(text), &want)
		if (err == nil) != (werr == nil) {
			t.Errorf("parseYAML error %v, serial error %v", err, werr)
			continue
		}
		if err != nil {
			continue
		}
		var a, b strings.Builder
		dump(root, &a, 0)
		dump(&want, &b, 0)
		if a.String() != b.String() {
			t.Errorf("parseYAML(%q…) differs from the serial parse", text[len(text)-20:])
		}
	}
}
