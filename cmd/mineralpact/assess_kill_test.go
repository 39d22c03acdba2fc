package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/store/open"
	"github.com/mineralpact/mineralpact/internal/store/postgres/pgtest"
)

// TestAssessKill9 (issue 12, "proven in CI"): assess --db killed with
// SIGKILL at random points, then run again to the end, leaves the store as
// one uninterrupted run does: every assessment recorded once, the same
// totals, each quota period used by the same amount and never beyond its
// volume. On SQLite, and on PostgreSQL when MINERALPACT_TEST_POSTGRES is set.
func TestAssessKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes and kills them: not in -short")
	}
	dir := t.TempDir()
	decls, stderr, code := runCLI(t, "gen", "declarations", "--n", "6000", "--seed", "12", "--bad-rate", "0.02")
	if code != exitOK {
		t.Fatalf("gen = exit %d: %s", code, stderr)
	}
	in := filepath.Join(dir, "d.csv")
	if err := os.WriteFile(in, []byte(decls), 0o644); err != nil {
		t.Fatal(err)
	}
	stores := map[string]func(name string) string{
		"sqlite": func(name string) string { return "sqlite:" + filepath.Join(dir, name+".db") },
	}
	if os.Getenv(pgtest.EnvDSN) != "" {
		stores["postgres"] = func(string) string { return pgtest.DSN(t) }
	}
	for kind, dsnOf := range stores {
		t.Run(kind, func(t *testing.T) {
			clean, killed := dsnOf("clean"), dsnOf("killed")
			for _, dsn := range []string{clean, killed} {
				// Publication can fail for a floor whose series ends: the
				// others are published, and their rows assessed.
				runCLI(t, "prices", "publish", "--through", "2026-12-31", "--db", dsn)
			}
			if out, stderr, code := runCLI(t, "assess", "--in", in, "--out", os.DevNull, "--errors", os.DevNull, "--db", clean); code != exitOK {
				t.Fatalf("clean run = exit %d: %s %s", code, out, stderr)
			}
			rng := rand.New(rand.NewPCG(12, uint64(len(kind))))
			kills := 0
			for try := 0; try < 4; try++ {
				cmd := exec.Command(os.Args[0], "-test.run=^TestAssessChild$")
				cmd.Env = append(os.Environ(), "MINERALPACT_CHILD_ARGS=assess\x1f--in\x1f"+in+"\x1f--out\x1f"+os.DevNull+"\x1f--errors\x1f"+os.DevNull+"\x1f--db\x1f"+killed)
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				done := make(chan error, 1)
				go func() { done <- cmd.Wait() }()
				select {
				case <-time.After(time.Duration(50+rng.IntN(700)) * time.Millisecond):
					cmd.Process.Signal(syscall.SIGKILL)
					<-done
					kills++
				case <-done: // finished before the kill
				}
			}
			if out, stderr, code := runCLI(t, "assess", "--in", in, "--out", os.DevNull, "--errors", os.DevNull, "--db", killed); code != exitOK {
				t.Fatalf("the run after the kills = exit %d: %s %s", code, out, stderr)
			}
			want, got := storeState(t, clean), storeState(t, killed)
			if want != got {
				t.Errorf("after %d kills and a last run the store holds\n%s\nan uninterrupted run\n%s", kills, got, want)
			}
			// A row and its audit record commit together: no kill leaves one
			// without the other.
			if out, stderr, code := runCLI(t, "audit", "verify", "--db", killed); code != exitOK {
				t.Errorf("audit verify after %d kills = exit %d: %s %s", kills, code, out, stderr)
			}
			t.Logf("%d kills; store:\n%s", kills, got)
		})
	}
}

// TestAssessChild runs the command line named by MINERALPACT_CHILD_ARGS
// (separated by U+001F) in this process: the process TestAssessKill9 kills,
// and each serve node of TestTwoServeNodes.
func TestAssessChild(t *testing.T) {
	args := os.Getenv("MINERALPACT_CHILD_ARGS")
	if args == "" {
		t.Skip("run by TestAssessKill9 and TestTwoServeNodes")
	}
	os.Exit(run(context.Background(), strings.Split(args, "\x1f"), systemStreams()))
}

// storeState is what the store at dsn holds of the example's assessments and
// quotas, as text: the totals by currency with their counts, and the use of
// every quota period of 2026 that has any; a period used beyond its volume is
// reported as such.
func storeState(t *testing.T, dsn string) string {
	t.Helper()
	ctx := context.Background()
	st, err := open.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	vs, err := st.ListAgreements(ctx)
	if err != nil || len(vs) != 1 {
		t.Fatalf("ListAgreements = %d, %v; want the example", len(vs), err)
	}
	totals, err := st.AssessmentTotals(ctx, vs[0].Hash)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, x := range totals {
		fmt.Fprintf(&b, "%s %d %s; ", x.Currency, x.Count, x.Total.String())
	}
	b.WriteString("\n")
	env, err := loadEnv("example")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range env.agreement.Parties {
		for _, in := range p.Instruments {
			if in.Type != agreement.TariffRateQuota && in.Type != agreement.Safeguard {
				continue
			}
			for m := 1; m <= 12; m++ {
				u, err := st.Usage(ctx, p.ID+"/"+in.ID, date.New(2026, time.Month(m), 1))
				if err != nil {
					t.Fatal(err)
				}
				if u.Used.Sign() == 0 {
					continue
				}
				fmt.Fprintf(&b, "%s/%s %s: used %s of %s", p.ID, in.ID, u.PeriodStart, u.Used.String(), u.Volume.String())
				if u.Used.Cmp(u.Volume) > 0 {
					b.WriteString(" OVER-ALLOCATED")
				}
				b.WriteString("\n")
			}
		}
	}
	return b.String()
}
