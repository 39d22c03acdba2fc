package agreement

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBadFiles loads every file in testdata/bad and checks that the error
// report contains each line the file announces in its "# want:" comments
// (line numbers included), in one run.
func TestBadFiles(t *testing.T) {
	files, err := filepath.Glob("testdata/bad/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no bad files: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var wants []string
			for _, line := range strings.Split(string(data), "\n") {
				if w, ok := strings.CutPrefix(line, "# want: "); ok {
					wants = append(wants, w)
				}
			}
			if len(wants) == 0 {
				t.Fatal("file announces no # want: line")
			}
			_, _, err = Load(f, data, fakeCatalog{})
			if err == nil {
				t.Fatalf("Load(%s) = nil error, want %q", f, wants)
			}
			got := err.Error()
			for _, w := range wants {
				if !reported(got, f, w) {
					t.Errorf("Load(%s) errors:\n%s\nwant a line %q", f, got, w)
				}
			}
		})
	}
}

// reported reports whether the error text has a line for want, written
// "LINE: message" (the message at that line of file) or just "message".
func reported(got, file, want string) bool {
	prefix := ""
	if n, msg, ok := strings.Cut(want, ": "); ok && strings.Trim(n, "0123456789") == "" {
		prefix, want = file+":"+n+":", msg
	}
	for _, line := range strings.Split(got, "\n") {
		if strings.HasPrefix(line, prefix) && strings.Contains(line, want) {
			return true
		}
	}
	return false
}

// TestMegabyteOfGarbage feeds 1 MB of seeded random bytes, and 1 MB of
// random printable text, to the loader: each must be a clear error, fast.
func TestMegabyteOfGarbage(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	raw := make([]byte, 1<<20)
	for i := range raw {
		raw[i] = byte(rng.IntN(256))
	}
	printable := make([]byte, 1<<20)
	const alphabet = "abc: -[]{}\n\t'\"&*!|>#,0123456789"
	for i := range printable {
		printable[i] = alphabet[rng.IntN(len(alphabet))]
	}
	for name, data := range map[string][]byte{"binary": raw, "printable": printable} {
		start := time.Now()
		_, _, err := Load("garbage.yaml", data, fakeCatalog{})
		if err == nil {
			t.Errorf("Load(1 MB of %s garbage) = nil error", name)
			continue
		}
		if !strings.HasPrefix(err.Error(), "garbage.yaml") {
			t.Errorf("Load(1 MB of %s garbage) error %q does not name the file", name, err.Error()[:min(80, len(err.Error()))])
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("Load(1 MB of %s garbage) took %v", name, d)
		}
	}
}

// TestDutyExpressionColumn: an unparseable duty expression is reported at
// the line and column of the fault in the file, not of the field: in
// testdata/bad/duty_expression.yaml the expression "9% MIN 1.1 GBP/100 kg
// MAX" opens at column 16 of line 45 (after `duty: "`) and ends, with the
// operand of MAX missing, at column 41.
func TestDutyExpressionColumn(t *testing.T) {
	f := "testdata/bad/duty_expression.yaml"
	data, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = Load(f, data, fakeCatalog{})
	if err == nil || !strings.Contains(err.Error(), f+":45:41: parties[0].instruments[2].duty: duty expression: ") {
		t.Errorf("Load(%s) = %v; want the fault at 45:41", f, err)
	}
}
