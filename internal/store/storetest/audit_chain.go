package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mineralpact/mineralpact/internal/store"
)

// RunAuditChain holds a store's audit trail to its chain (issue 12, part
// 2): records appended honestly verify; a record edited, deleted, or
// appended behind the store's back is named. open is as RunLedgerCheck's.
func RunAuditChain(t *testing.T, open func(t *testing.T) (store.Store, func(sql string) error)) {
	tampers := []struct {
		name, sql, want string
	}{
		{"honest", "", ""},
		{"detail edited", `UPDATE audit SET detail = '{"n":99}' WHERE id = 3`, "audit record 3 "},
		{"actor edited", `UPDATE audit SET actor = 'mallory' WHERE id = 5`, "audit record 5 "},
		{"record deleted", `DELETE FROM audit WHERE id = 3`, "audit record 4 "},
		{"record inserted", `INSERT INTO audit (at, actor, action, subject) VALUES ('2026-12-06T12:00:00.000000Z', 'mallory', 'quota.reset', 'quota:x')`, "has no hash after the chain began"},
	}
	for _, tt := range tampers {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			st, exec := open(t)
			ac, ok := st.(store.AuditChecker)
			if !ok {
				t.Fatalf("%T does not verify its audit trail", st)
			}
			at := time.Date(2026, 12, 6, 11, 0, 0, 123456789, time.UTC)
			for i := 1; i <= 5; i++ {
				var detail []byte
				if i%2 == 1 {
					detail = []byte(fmt.Sprintf(`{"n":%d}`, i))
				}
				if _, err := st.AppendAudit(ctx, store.AuditRecord{At: at.Add(time.Duration(i) * time.Second), Actor: "token:t1", Action: "test.write", Subject: fmt.Sprintf("thing:%d", i), Detail: detail}); err != nil {
					t.Fatal(err)
				}
			}
			if c, err := ac.VerifyAudit(ctx, true); err != nil || c.Checked != 5 || c.Broken != "" {
				t.Fatalf("the honest trail: %+v, %v; want 5 checked, none broken", c, err)
			}
			if tt.sql == "" {
				return
			}
			if err := exec(tt.sql); err != nil {
				t.Fatal(err)
			}
			c, err := ac.VerifyAudit(ctx, true)
			if err != nil || !strings.Contains(c.Broken, tt.want) {
				t.Fatalf("after %s: %+v, %v; want broken at %q", tt.name, c, err, tt.want)
			}
		})
	}
}
