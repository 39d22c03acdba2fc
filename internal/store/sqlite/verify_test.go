package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/store"
)

// TestVerifyWhileWriting: audit verify reads one snapshot, so that while
// assessments (each with its audit record) are written, no verify sees a row
// without its record, or a record without its row. serve verifies the rows
// while it serves.
func TestVerifyWhileWriting(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "verify.db"))
	ctx := context.Background()
	at := time.Date(2026, 12, 6, 15, 0, 0, 0, time.UTC)
	hash := strings.Repeat("cd", 32)
	if _, err := s.PutAgreement(ctx, store.AgreementVersion{Hash: hash, Name: "x", Canonical: []byte(`{}`), StoredAt: at}); err != nil {
		t.Fatal(err)
	}
	var stop atomic.Bool
	done := make(chan error, 1)
	go func() {
		for i := 0; !stop.Load(); i++ {
			id := fmt.Sprintf("W-%d", i)
			r := store.AssessmentRecord{AgreementHash: hash, DeclarationID: id, Body: []byte(`{"id":"` + id + `"}`),
				TotalDuty: dec.MustParse("1.00"), Currency: "USD", CreatedAt: at, Actor: "test"}
			if _, err := s.PutAssessments(ctx, []store.AssessmentRecord{r}); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	checked := 0
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); {
		c, err := s.VerifyAudit(ctx, true)
		if err != nil || !c.Intact() {
			stop.Store(true)
			<-done
			t.Fatalf("verify while writing: %+v, %v; want intact", c, err)
		}
		checked = c.Assessments
	}
	stop.Store(true)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if checked == 0 {
		t.Fatal("no assessment was written while verifying")
	}
}
