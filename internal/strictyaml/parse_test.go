package strictyaml

import (
	"fmt"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
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
	doc := bigDocument()
	par := parseParallel(doc, 2)
	if par == nil {
		t.Fatal("parseParallel(example) = nil, want the parallel path taken")
	}
	var ser yaml.Node
	if err := yaml.Unmarshal(doc, &ser); err != nil {
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
		root, err := Parse([]byte(text))
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
			t.Errorf("Parse(%q…) differs from the serial parse", text[len(text)-20:])
		}
	}
}

// bigDocument is a block-style file of several top-level keys, large enough
// to be parsed in pieces, with comments, lists, flow mappings and block text.
func bigDocument() []byte {
	var b strings.Builder
	b.WriteString("# a test document\nversion: 1\ntitle: big\n")
	for k := 0; k < 4; k++ {
		fmt.Fprintf(&b, "section%d:\n", k)
		for i := 0; i < 300; i++ {
			fmt.Fprintf(&b, "  # item %d\n  - id: s%d-i%d\n    rate: {kind: ad_valorem, ad_valorem: 0.0%d}\n    note: |\n      line one\n      line two\n    hs: [\"2836%02d\", \"2825%02d\"]\n", i, k, i, i%10, i%100, i%100)
		}
	}
	return []byte(b.String())
}
