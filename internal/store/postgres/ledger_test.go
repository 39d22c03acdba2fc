package postgres_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/mineralpact/mineralpact/internal/store"
	"github.com/mineralpact/mineralpact/internal/store/postgres"
	"github.com/mineralpact/mineralpact/internal/store/postgres/pgtest"
	"github.com/mineralpact/mineralpact/internal/store/storetest"
)

func TestDutyConformance(t *testing.T) {
	storetest.RunDuty(t, func(t *testing.T) store.Store {
		return open(t, pgtest.DSN(t))
	})
}

// The two-process test: the parent runs this test binary twice, at once, as
// TestLedgerChild; each child allocates against one quota on one database.
const (
	childEnv   = "MINERALPACT_LEDGER_CHILD" // the child's number, 0 or 1
	childDSN   = "MINERALPACT_LEDGER_DSN"
	childOut   = "MINERALPACT_LEDGER_OUT"   // file of the child's grants, JSON Lines
	childStart = "MINERALPACT_LEDGER_START" // file whose existence starts both children
)

const (
	childOwn, childShared = 300, 100 // declarations of each child alone, and of both
	childVolume           = "700"    // t: less than the 2 × 300 + 100 requests of 1.25 t
	childQuota            = "EU/eu-trq-two-process"
)

func childBatch(proRata bool) duty.QuotaBatch {
	return duty.QuotaBatch{Quota: childQuota, PeriodStart: date.MustParse("2026-07-01"), Day: date.MustParse("2026-07-03"),
		Volume: dec.MustParse(childVolume), Unit: "t", CriticalAt: dec.MustParse("0.9"), ProRata: proRata}
}

// TestTwoProcessLedger is two API nodes over one PostgreSQL: two processes
// allocate many requests against the same quota at once, some declarations
// asked by both. The sum granted never exceeds the volume (it equals
// min(volume, demand)), no declaration is granted twice, and both processes
// see the same grant for a shared declaration.
func TestTwoProcessLedger(t *testing.T) {
	if os.Getenv(childEnv) != "" {
		t.Skip("the parent's test, not the child's")
	}
	dsn := pgtest.DSN(t)
	s := open(t, dsn) // migrates once, before the children start
	dir := t.TempDir()
	start := filepath.Join(dir, "start")
	var cmds []*exec.Cmd
	for i := range 2 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestLedgerChild$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%d", childEnv, i), childDSN+"="+dsn,
			childOut+"="+filepath.Join(dir, fmt.Sprintf("child%d.jsonl", i)), childStart+"="+start)
		out, err := os.Create(filepath.Join(dir, fmt.Sprintf("child%d.log", i)))
		if err != nil {
			t.Fatal(err)
		}
		defer out.Close()
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatalf("starting child %d: %v", i, err)
		}
		cmds = append(cmds, cmd)
	}
	if err := os.WriteFile(start, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			log, _ := os.ReadFile(filepath.Join(dir, fmt.Sprintf("child%d.log", i)))
			t.Fatalf("child %d: %v\n%s", i, err, log)
		}
	}
	granted := map[string]dec.Decimal{}
	fresh := map[string]int{}
	for i := range 2 {
		f, err := os.Open(filepath.Join(dir, fmt.Sprintf("child%d.jsonl", i)))
		if err != nil {
			t.Fatalf("child %d wrote no grants: %v", i, err)
		}
		sc := bufio.NewScanner(f)
		n := 0
		for sc.Scan() {
			var g duty.Grant
			if err := json.Unmarshal(sc.Bytes(), &g); err != nil {
				t.Fatalf("child %d: grant %q: %v", i, sc.Text(), err)
			}
			if prev, ok := granted[g.DeclarationID]; ok && prev.Cmp(g.Granted) != 0 {
				t.Errorf("declaration %s: granted %s in one process and %s in the other", g.DeclarationID, prev, g.Granted)
			}
			granted[g.DeclarationID] = g.Granted
			if !g.Repeat {
				fresh[g.DeclarationID]++
			}
			n++
		}
		f.Close()
		if n != childOwn+childShared {
			t.Errorf("child %d reported %d grants, want %d", i, n, childOwn+childShared)
		}
	}
	total := dec.Decimal{}
	for id, g := range granted {
		total = total.Add(g)
		if fresh[id] != 1 {
			t.Errorf("declaration %s was allocated %d times, want once", id, fresh[id])
		}
	}
	volume := dec.MustParse(childVolume)
	demand := dec.FromInt(2*childOwn + childShared).Mul(dec.MustParse("1.25"))
	if total.Cmp(volume) > 0 {
		t.Fatalf("two processes were granted %s in total, more than the volume %s", total, volume)
	}
	if want := dec.Min(volume, demand); total.Cmp(want) != 0 {
		t.Errorf("two processes were granted %s in total, want min(volume %s, demand %s) = %s", total, volume, demand, want)
	}
	u, err := s.Usage(context.Background(), childQuota, date.MustParse("2026-07-01"))
	if err != nil || u.Used.Cmp(total) != 0 || u.Status != duty.QuotaExhausted {
		t.Errorf("Usage = {used %s %s}, %v; want {used %s exhausted}", u.Used, u.Status, err, total)
	}
	// Both processes appended to one audit chain, one record per fresh
	// allocation, and it holds.
	chain, err := s.VerifyAudit(context.Background(), true)
	if err != nil || !chain.Intact() || chain.Allocations != len(granted) {
		t.Errorf("the audit after two processes: %+v, %v; want intact, %d allocations held against their records", chain, err, len(granted))
	}
	t.Logf("2 processes, %d declarations (%d asked by both), %s t granted of %s t", len(granted), childShared, total, volume)
}

// TestLedgerChild is one process of TestTwoProcessLedger; it runs only under
// the parent, which sets its environment.
func TestLedgerChild(t *testing.T) {
	me := os.Getenv(childEnv)
	if me == "" {
		t.Skip("run by TestTwoProcessLedger")
	}
	ctx := store.WithActing(context.Background(), store.Acting{Actor: "child " + me, At: time.Date(2026, 7, 2, 9, 0, 0, 0, time.UTC)})
	s, err := postgres.Open(ctx, os.Getenv(childDSN))
	if err != nil {
		t.Fatalf("child %s: Open: %v", me, err)
	}
	defer s.Close()
	out, err := os.Create(os.Getenv(childOut))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := os.Stat(os.Getenv(childStart)); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("child %s: never told to start", me)
		}
		time.Sleep(time.Millisecond)
	}
	enc := json.NewEncoder(out)
	// Every fourth request is a declaration both processes ask for, the first
	// process from the lowest, the second from the highest, so that they meet
	// while the balance runs out.
	var ids []string
	own, shared := 0, 0
	for own < childOwn || shared < childShared {
		if (len(ids)%4 == 3 || own == childOwn) && shared < childShared {
			k := shared
			if me == "1" {
				k = childShared - 1 - shared
			}
			ids = append(ids, fmt.Sprintf("shared-%d", k))
			shared++
			continue
		}
		ids = append(ids, fmt.Sprintf("p%s-%d", me, own))
		own++
	}
	for i, id := range ids {
		g, err := s.Allocate(ctx, childBatch(i%5 == 0), []duty.Request{{DeclarationID: id, Quantity: dec.MustParse("1.25"), Seq: int64(i)}})
		if err != nil {
			t.Fatalf("child %s: Allocate(%s): %v", me, id, err)
		}
		if err := enc.Encode(g[0]); err != nil {
			t.Fatal(err)
		}
	}
}
