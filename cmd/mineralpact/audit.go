package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/store"
)

// auditVerifyOptions are `audit verify`: the store's invariants checked,
// each fault named (issue 12, part 2): the audit trail's hash chain, each
// assessment and allocation row against its audit record, and the quota
// ledger (each period's balance the sum of its allocations, within its
// volume).
type auditVerifyOptions struct {
	db     *dbOption
	format formatOption
}

func (o *auditVerifyOptions) bind(fs *flag.FlagSet) {
	o.db = dbFlag(fs)
	o.format.bind(fs, "text", "json")
}

func (o *auditVerifyOptions) validate(pos []string) error {
	return firstError(noArgs(pos), o.format.validate())
}

// storeReport is what `audit verify` (and serve at its start) found.
type storeReport struct {
	Periods     int                 `json:"periods"`
	Allocations int                 `json:"allocations"`
	Faults      []store.LedgerFault `json:"faults"`
	AuditChain  store.AuditChain    `json:"audit_chain"`
}

func (o *auditVerifyOptions) run(ctx context.Context, s streams) error {
	st, err := openStore(ctx, o.db.dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := verifyStore(ctx, st, true)
	if err != nil {
		return err
	}
	if o.format.name == "json" {
		if err := writeJSON(s.out, rep); err != nil {
			return err
		}
	} else {
		for _, f := range rep.Faults {
			fmt.Fprintf(s.out, "BROKEN  %s\n", f)
		}
		c := rep.AuditChain
		if c.Broken != "" {
			fmt.Fprintf(s.out, "BROKEN  %s\n", c.Broken)
		}
		for _, r := range c.Rows {
			fmt.Fprintf(s.out, "BROKEN  %s\n", r)
		}
		if more := c.RowFaults - len(c.Rows); more > 0 {
			fmt.Fprintf(s.out, "BROKEN  ... and %d more rows\n", more)
		}
		fmt.Fprintf(s.out, "quota ledger: %d periods, %d allocations, %d broken\naudit chain: %d records checked, %d from before the chain began, %s\n",
			rep.Periods, rep.Allocations, len(rep.Faults), c.Checked, c.Before, map[bool]string{true: "intact", false: "broken"}[c.Broken == ""])
		fmt.Fprintf(s.out, "rows against their audit records: %d assessments, %d allocations, %d from before rows were audited, %d broken\n",
			c.Assessments, c.Allocations, c.RowsBefore, c.RowFaults)
		fmt.Fprintf(s.out, "monitor rows against their audit records: %d (scans, alerts, cases, case events)\n", c.Monitor)
	}
	if reason := rep.broken(); reason != "" {
		return problem.Errorf(problem.Invalid, "%s", reason)
	}
	return nil
}

// broken is why the store cannot be trusted, or "".
func (r storeReport) broken() string {
	switch {
	case r.AuditChain.Broken != "":
		return "the audit trail's chain is broken: " + r.AuditChain.Broken
	case r.AuditChain.RowFaults > 0:
		return fmt.Sprintf("a row does not match its audit record: %s (%d rows in all)", r.AuditChain.Rows[0], r.AuditChain.RowFaults)
	case len(r.Faults) > 0:
		return fmt.Sprintf("the quota ledger does not reconcile: %s (and %d more)", r.Faults[0], len(r.Faults)-1)
	}
	return ""
}

// verifyStore checks st's audit chain (store.AuditChecker), with rows each
// assessment and allocation row against its record, and the quota ledger
// (store.LedgerChecker), for `audit verify` and for serve.
func verifyStore(ctx context.Context, st store.Store, rows bool) (storeReport, error) {
	var rep storeReport
	ac, ok1 := st.(store.AuditChecker)
	lc, ok2 := st.(store.LedgerChecker)
	if !ok1 || !ok2 {
		return rep, fmt.Errorf("this store cannot verify its audit trail and ledger")
	}
	chain, err := ac.VerifyAudit(ctx, rows)
	if err != nil {
		return rep, err
	}
	faults, periods, allocs, err := lc.CheckLedger(ctx)
	if err != nil {
		return rep, err
	}
	rep.AuditChain, rep.Faults, rep.Periods, rep.Allocations = chain, faults, periods, allocs
	if rep.Faults == nil {
		rep.Faults = []store.LedgerFault{}
	}
	return rep, nil
}
