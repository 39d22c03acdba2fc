package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/mineralpact/mineralpact/data"
	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/api"
	"github.com/mineralpact/mineralpact/internal/auth"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/registry"
	"github.com/mineralpact/mineralpact/internal/service"
	"github.com/mineralpact/mineralpact/internal/store"
	"github.com/mineralpact/mineralpact/internal/web"
)

// serveOptions are `serve`: the API and the portal over one agreement and
// one store. On start it records the agreement version and publishes every
// revision of the floors from the entry into force through today that is not
// published yet (an audited action), so that it never assesses against an
// unpublished floor; a correction stays `prices publish`'s deliberate act.
type serveOptions struct {
	addr      string
	db        *dbOption
	agreement string
	batch     api.BatchLimits // POST /v1/assessments:batch

	behindProxy bool // requests come through a reverse proxy
	sim         service.SimConfig
	design      api.DesignConfig // the design studio's workload and saved comparisons
}

func (o *serveOptions) bind(fs *flag.FlagSet) {
	fs.StringVar(&o.addr, "addr", ":8080", "address to listen on")
	o.db = dbFlag(fs)
	fs.StringVar(&o.agreement, "agreement", "example", "agreement file to serve (example: the shipped examples/pact-2026.yaml)")
	d := api.DefaultBatchLimits
	fs.IntVar(&o.batch.MaxLines, "batch-max-lines", d.MaxLines, "most declaration lines in one POST /v1/assessments:batch")
	fs.Int64Var(&o.batch.MaxBytes, "batch-max-bytes", d.MaxBytes, "most bytes in one batch body")
	fs.DurationVar(&o.batch.Idle, "batch-idle", d.Idle, "longest wait for a batch's next bytes (or for its client to read answers)")
	fs.DurationVar(&o.batch.MaxDuration, "batch-max-duration", d.MaxDuration, "longest one batch may take")
	fs.IntVar(&o.batch.Pending, "batch-held-max", d.Pending, "most bytes of answers held for a batch client that is not reading them yet; past it the server stops reading the batch until the client reads (a client that sends everything first is then cut at --batch-idle)")
	fs.BoolVar(&o.behindProxy, "behind-proxy", false, "requests come through a TLS-terminating reverse proxy: the client is the last X-Forwarded-For address, TLS is X-Forwarded-Proto (portal cookies Secure); without it those headers are ignored")
	fs.IntVar(&o.design.Declarations, "design-declarations", api.DefaultDesignDeclarations, "ILLUSTRATIVE declarations the design studio re-assesses")
	fs.IntVar(&o.design.StoredMax, "design-stored-max", api.DefaultStoredDesigns, "most saved design comparisons the store keeps (the newest)")
	fs.DurationVar(&o.design.StoredFor, "design-stored-for", api.DefaultStoredFor, "how long the store keeps a saved design comparison")
	sd := service.DefaultSimConfig
	fs.DurationVar(&o.sim.ResultTTL, "sim-result-ttl", sd.ResultTTL, "how long a queued simulation's result is kept (its summary stays)")
	fs.DurationVar(&o.sim.Lease, "sim-lease", sd.Lease, "how long a stopped node's simulation jobs wait before another node fails them")
	fs.IntVar(&o.sim.SyncPerToken, "sim-sync-per-token", sd.SyncPerToken, "short simulations answered at once per token")
	fs.IntVar(&o.sim.SyncTotal, "sim-sync-total", sd.SyncTotal, "short simulations run at once on this server, one core each (default: one for every two cores)")
	fs.DurationVar(&o.sim.SyncWait, "sim-sync-wait", sd.SyncWait, "longest a short simulation waits for its turn before a 429")
}

func (o *serveOptions) validate(pos []string) error { return noArgs(pos) }

func (o *serveOptions) run(ctx context.Context, s streams) error {
	log := slog.New(slog.NewTextHandler(s.err, nil))
	env, err := loadEnv(o.agreement)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, o.db.dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	now := time.Now().UTC() // the adapter's clock, never an engine's
	a, reg := env.agreement, env.reg
	svc, unpublished, err := service.Start(ctx, service.Config{
		Registry: reg, Store: st, Agreement: a, AgreementFile: env.source.File,
		Prices: env.prices(), Backcast: env.prices(refprice.Backcast()),
		NewPrices: func(a *agreement.Agreement) *refprice.Engine { return refprice.New(a, priceSources(reg)) },
		Data:      data.FS, Today: date.FromTime(now), Now: now, Actor: "serve",
		SimWorkers: api.SimWorkers, SimQueue: api.SimQueue,
	})
	if err != nil {
		return err
	}
	defer svc.Close() // after the server has stopped: the queue, then the recorder
	if svc.Simulations != nil {
		svc.Simulations.Configure(o.sim)
	}
	for _, e := range unpublished {
		log.Warn("floor not published: no assessment can use it", "problem", e)
	}
	// The published floors out of stage order, on each date from the entry
	// into force through today on which a published floor starts: warnings in
	// the log, as /v1/prices and /prices show them; the server starts anyway.
	for _, w := range publishedStageOrder(ctx, svc, reg, a, date.FromTime(now)) {
		log.Warn("floors out of stage order", "mineral", w.Mineral, "rule", w.Rule, "date", w.Date.String(), "warning", w.Message)
	}
	// One authenticator for the API and the portal: a sign-out or a
	// revocation on this node holds at once on both (other nodes within
	// auth.CacheTTL).
	authn := auth.New(svc.Store, time.Now)
	authn.SetBehindProxy(o.behindProxy)
	apiHandler := api.New(*svc, api.WithAuthenticator(authn))
	apiHandler.SetBatchLimits(o.batch)
	apiHandler.SetDesign(o.design)
	// The store's invariants, checked before serving: an audit trail whose
	// chain is broken, or a ledger that does not reconcile (a balance edited
	// by hand), refuses writes; reads go on. Each row against its audit
	// record reads every assessment (seconds per hundred thousand), so that
	// check runs once serving has begun, and a fault it finds refuses writes
	// from then on.
	refuse := func(rep storeReport, reason string) {
		for _, f := range rep.Faults {
			log.Error("quota ledger does not reconcile", "fault", f.String())
		}
		for _, r := range rep.AuditChain.Rows {
			log.Error("row does not match its audit record", "fault", r)
		}
		log.Error("writes refused: "+reason, "check", "mineralpact audit verify --db "+maskDSN(o.db.dsn))
		apiHandler.RefuseWrites(reason)
	}
	if rep, err := verifyStore(ctx, st, false); err != nil {
		log.Warn("audit trail and quota ledger not checked", "error", err)
	} else if reason := rep.broken(); reason != "" {
		refuse(rep, reason)
	} else {
		log.Info("audit trail and quota ledger verified", "audit_records", rep.AuditChain.Checked, "periods", rep.Periods, "allocations", rep.Allocations)
		go func() {
			start := time.Now()
			rep, err := verifyStore(ctx, st, true)
			switch {
			case err != nil:
				log.Warn("rows not checked against their audit records", "error", err)
			case rep.broken() != "":
				refuse(rep, rep.broken())
			default:
				c := rep.AuditChain
				log.Info("rows verified against their audit records", "assessments", c.Assessments, "allocations", c.Allocations, "before_audit", c.RowsBefore, "took", time.Since(start).Round(time.Millisecond).String())
			}
		}()
	}
	srv := &http.Server{Handler: handler(svc, apiHandler, web.WithAuthenticator(authn)), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, IdleTimeout: 2 * time.Minute}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", o.addr, err)
	}
	log.Info("serving", "url", "http://"+displayAddr(ln.Addr()), "agreement", a.ID, "store", maskDSN(o.db.dsn))
	if ts, err := st.ListTokens(ctx); err == nil && len(ts) == 0 {
		log.Info("no API token yet: reading is public, every write needs a token (docs/access.md); the first administrator's: mineralpact token create --name NAME --role administrator --db " + maskDSN(o.db.dsn))
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	// The design studio's default workload, readied in the background so
	// that its first comparison is answered warm; readiness does not wait.
	warm, stopWarm := context.WithCancel(ctx)
	defer stopWarm()
	go func() {
		t0 := time.Now()
		if err := apiHandler.WarmDesign(warm); err != nil {
			if warm.Err() == nil {
				log.Warn("design studio not warmed: its first comparison will be cold", "err", err)
			}
			return
		}
		log.Info("design studio warm", "elapsed", time.Since(t0).Round(time.Millisecond).String())
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// publishedStageOrder checks the stage order of the published floors in
// force on each date from the entry into force through today on which one of
// them starts (refprice.StageOrder), reading the store only. A pair of floors
// out of order is reported once, on the first such date; a store that cannot
// answer is logged by the caller's assessments, not here.
func publishedStageOrder(ctx context.Context, svc *service.Services, reg *registry.Registry, a *agreement.Agreement, today date.Date) []refprice.StageOrderWarning {
	if svc.Floors == nil || today.Before(a.EntryIntoForce) {
		return nil
	}
	in, err := a.AsOf(today)
	if err != nil {
		return nil
	}
	starts := map[date.Date]bool{}
	for _, m := range in.Agreement.Minerals {
		for _, st := range m.Stages {
			hist, _ := svc.Floors.History(ctx, m.ID, string(st.Stage), a.EntryIntoForce, today)
			for _, f := range hist {
				if !f.ValidFrom.Before(a.EntryIntoForce) && !f.ValidFrom.After(today) {
					starts[f.ValidFrom] = true
				}
			}
		}
	}
	type pair struct {
		mineral, rule string
		up, down      date.Date
	}
	seen := map[pair]bool{}
	var out []refprice.StageOrderWarning
	for _, d := range slices.SortedFunc(maps.Keys(starts), func(x, y date.Date) int { return x.Compare(y) }) {
		floors, err := svc.Floors.Floors(ctx, d)
		if err != nil {
			continue
		}
		for _, w := range refprice.StageOrder(reg, d, floors) {
			k := pair{w.Mineral, w.Rule + "/" + w.Upstream.Stage + "/" + w.Downstream.Stage, w.Upstream.ValidFrom, w.Downstream.ValidFrom}
			if !seen[k] {
				seen[k] = true
				out = append(out, w)
			}
		}
	}
	return out
}

// handler mounts the API on its paths and the portal on everything else,
// both over the one set of services.
func handler(svc *service.Services, apiHandler *api.Server, opts ...web.Option) http.Handler {
	mux := http.NewServeMux()
	for _, p := range []string{"/v1/", "/openapi.json", "/healthz", "/readyz"} {
		mux.Handle(p, apiHandler)
	}
	mux.Handle("/", web.New(*svc, opts...))
	return mux
}

// recordAgreement stores the loaded agreement version, content-addressed,
// and notes in the audit trail that actor loaded it.
func recordAgreement(ctx context.Context, st store.Store, a *agreement.Agreement, src *agreement.Source, actor string) error {
	_, err := service.RecordAgreement(ctx, st, a, src.File, actor, time.Now().UTC()) // the adapter's clock, never an engine's
	return err
}

func displayAddr(a net.Addr) string {
	s := a.String()
	if strings.HasPrefix(s, "[::]:") || strings.HasPrefix(s, "0.0.0.0:") {
		return "localhost" + s[strings.LastIndex(s, ":"):]
	}
	return s
}

// maskDSN hides a password in a store address before it is logged.
func maskDSN(dsn string) string {
	at := strings.LastIndex(dsn, "@")
	scheme := strings.Index(dsn, "://")
	if at < 0 || scheme < 0 {
		return dsn
	}
	creds := dsn[scheme+3 : at]
	if user, _, ok := strings.Cut(creds, ":"); ok {
		return dsn[:scheme+3] + user + ":***" + dsn[at:]
	}
	return dsn
}
