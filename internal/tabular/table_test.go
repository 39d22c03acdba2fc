package tabular

import "testing"

// TestInferKind: a column's kind from its cells, empty cells left out.
func TestInferKind(t *testing.T) {
	rows := [][]string{
		{"12", "1.50", "lithium", "", "7", "+3"},
		{"-4", "2", "", "", "0.5", "4"},
		{"", "", "cobalt", "", "x", "5"},
	}
	want := []Kind{Integer, Decimal, Text, Text, Text, Decimal}
	for j, w := range want {
		if got := InferKind(rows, j); got != w {
			t.Errorf("column %d: %s, want %s", j, got, w)
		}
	}
}
