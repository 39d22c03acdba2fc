package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/store"
	"github.com/mineralpact/mineralpact/internal/store/open"
	"github.com/mineralpact/mineralpact/internal/store/postgres/pgtest"
)

// TestTwoServeNodes (issue 12, "proven in CI"): two serve processes on one
// PostgreSQL database, started at once, and eight clients posting US imports
// of tungsten concentrate that draw on one first-come tariff-rate quota
// (2,000 t), every declaration sent to both nodes at about the same time.
// The quota is never allocated beyond its volume, each declaration is
// allocated and recorded once, and afterwards the store verifies: the audit
// chain of both nodes' appends is intact, every row matches its record, the
// ledger reconciles.
func TestTwoServeNodes(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two servers: not in -short")
	}
	if os.Getenv(pgtest.EnvDSN) == "" {
		t.Skip("PostgreSQL tests are off: set " + pgtest.EnvDSN)
	}
	dsn := pgtest.DSN(t)
	out, stderr, code := runCLI(t, "token", "create", "--name", "two nodes", "--role", "customs", "--party", "US", "--db", dsn)
	secret := regexp.MustCompile(`mpt_[A-Za-z0-9_-]+`).FindString(out)
	if code != exitOK || secret == "" {
		t.Fatalf("token create = exit %d: %s %s", code, out, stderr)
	}
	dir := t.TempDir()
	var bases []string
	for i := range 2 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		cmd := exec.Command(os.Args[0], "-test.run=^TestAssessChild$")
		cmd.Env = append(os.Environ(), "MINERALPACT_CHILD_ARGS=serve\x1f--addr\x1f"+addr+"\x1f--db\x1f"+dsn)
		logf, err := os.Create(filepath.Join(dir, fmt.Sprintf("node%d.log", i)))
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stdout, cmd.Stderr = logf, logf
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			cmd.Process.Signal(os.Interrupt)
			cmd.Wait()
			logf.Close()
		})
		bases = append(bases, "http://"+addr)
	}
	for i, base := range bases {
		ready := false
		for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline) && !ready; time.Sleep(100 * time.Millisecond) {
			if resp, err := http.Get(base + "/readyz"); err == nil {
				ready = resp.StatusCode == http.StatusOK
				resp.Body.Close()
			}
		}
		if !ready {
			log, _ := os.ReadFile(filepath.Join(dir, fmt.Sprintf("node%d.log", i)))
			t.Fatalf("node %d never ready:\n%s", i, log)
		}
	}
	// 300 declarations of 20 t of concentrate each: far more than the
	// quota's 2,000 t of contained tungsten, so that the nodes race for its
	// last tonnes.
	const n = 300
	post := func(base string, i int) (int, string) {
		body := fmt.Sprintf(`{"id":"TWO-%03d","accepted_on":"2026-03-02","importer":"US","origin":"RW","hs_code":"26110060","quantity":"20","unit":"t","customs_value":"300000","currency":"USD","incoterm":"FOB"}`, i)
		req, _ := http.NewRequest("POST", base+"/v1/assessments", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	bad := []string{}
	next := make(chan int)
	for range 8 {
		wg.Go(func() {
			for i := range next {
				var inner sync.WaitGroup
				for k, base := range bases {
					inner.Go(func() {
						status, body := post(base, i)
						if status != http.StatusCreated && status != http.StatusOK {
							mu.Lock()
							bad = append(bad, fmt.Sprintf("node %d, TWO-%03d: %d %s", k, i, status, body))
							mu.Unlock()
						}
					})
				}
				inner.Wait()
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	if len(bad) > 0 {
		t.Fatalf("%d answers were not 200/201, e.g. %s", len(bad), bad[0])
	}
	ctx := context.Background()
	st, err := open.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u, err := st.Usage(ctx, "US/us-trq-w-conc", date.MustParse("2026-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	if u.Used.Cmp(u.Volume) > 0 || u.Used.Cmp(dec.MustParse("1990")) < 0 {
		t.Errorf("the quota after %d declarations on two nodes: used %s of %s; want it exhausted (within a declaration of its volume) and never beyond", n, u.Used, u.Volume)
	}
	chain, err := st.(store.AuditChecker).VerifyAudit(ctx, true)
	if err != nil || !chain.Intact() || chain.Assessments != n || chain.Allocations != n {
		t.Errorf("the store after two nodes: %+v, %v; want an intact chain, %d assessments and %d allocations each matching its record", chain, err, n, n)
	}
	faults, _, _, err := st.(store.LedgerChecker).CheckLedger(ctx)
	if err != nil || len(faults) != 0 {
		t.Errorf("the ledger after two nodes: %v, %v; want it to reconcile", faults, err)
	}
	t.Logf("two nodes, %d declarations each sent to both: quota used %s of %s; %d audit records", n, u.Used, u.Volume, chain.Checked)
}
