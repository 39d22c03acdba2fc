package declgen_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"os/exec"
	"testing"

	"github.com/mineralpact/mineralpact/internal/declgen"
	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/mineralpact/mineralpact/internal/exampletest"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// engine builds, afresh, a duty engine over the example agreement and the
// shipped data, as `gen declarations` does.
func engine(tb testing.TB) (*duty.Assessor, *registry.Registry) {
	tb.Helper()
	reg, ag := exampletest.Load(tb)
	a, err := duty.New(ag, reg, refprice.New(ag, exampletest.Sources(reg)))
	if err != nil {
		tb.Fatal(err)
	}
	return a, reg
}

var sample = declgen.Options{N: 2000, Seed: 4, BadRate: 0.1}

func generate(tb testing.TB, w io.Writer, opt declgen.Options) {
	tb.Helper()
	a, reg := engine(tb)
	if err := declgen.Generate(w, a, reg, opt); err != nil {
		tb.Fatal(err)
	}
}

// TestGenerateChild is not a test: run by TestSameSeedSameBytes in a child
// process, it writes the sample to standard output.
func TestGenerateChild(t *testing.T) {
	if os.Getenv("DECLGEN_CHILD") != "1" {
		t.Skip("run by TestSameSeedSameBytes in a child process")
	}
	generate(t, os.Stdout, sample)
}

// TestSameSeedSameBytes: the same options write the same bytes in another
// process (its own maps, its own registry and agreement loaded afresh), so
// that nothing the output depends on is left to map order or to state one
// run keeps.
func TestSameSeedSameBytes(t *testing.T) {
	var here bytes.Buffer
	generate(t, &here, sample)
	cmd := exec.Command(os.Args[0], "-test.run=^TestGenerateChild$")
	cmd.Env = append(os.Environ(), "DECLGEN_CHILD=1")
	child, err := cmd.Output()
	if err != nil {
		t.Fatalf("child process: %v", err)
	}
	// The child's testing framework adds its verdict after the sample.
	child = child[:bytes.LastIndex(child, []byte("PASS\n"))]
	if !bytes.Equal(here.Bytes(), child) {
		t.Fatalf("seed %d: this process wrote %d bytes, a child process %d different ones", sample.Seed, here.Len(), len(child))
	}
	if n := bytes.Count(here.Bytes(), []byte("\n")); n != sample.N+1 {
		t.Fatalf("%d lines, want a header and %d rows", n, sample.N)
	}
}

// TestEveryRowAssesses: without spoiled rows, the duty engine assesses every
// row generated; with them, it rejects some.
func TestEveryRowAssesses(t *testing.T) {
	for _, bad := range []float64{0, 0.1} {
		var in bytes.Buffer
		generate(t, &in, declgen.Options{N: 2000, Seed: 5, BadRate: bad, Format: "jsonl"})
		a, _ := engine(t)
		sum, err := a.AssessStream(context.Background(), &in, io.Discard, io.Discard, duty.BulkOptions{Format: "jsonl"})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Read != 2000 || (bad == 0) != (sum.Rejected == 0) {
			t.Errorf("bad-rate %g: read %d, rejected %d; want 2000 read and rejections only of spoiled rows", bad, sum.Read, sum.Rejected)
		}
	}
}

// TestVersion: the digest of a sample of the output, recorded with Version.
// When this fails, the generator writes other rows for the same options:
// raise Version (so that caches of generated files are not reused) and
// record the new digest here.
func TestVersion(t *testing.T) {
	const version, digest = 2, "3befb9c4d437472f82ea325370b293836d6b1315132b977853823e6bb0864142"
	var out bytes.Buffer
	generate(t, &out, declgen.Options{N: 500, Seed: 1, BadRate: 0.01})
	got := fmt.Sprintf("%x", sha256.Sum256(out.Bytes()))
	if declgen.Version != version || got != digest {
		t.Fatalf("Version %d, output digest %s; recorded: Version %d, digest %s. If the output changed on purpose, raise Version and record both", declgen.Version, got, version, digest)
	}
}
