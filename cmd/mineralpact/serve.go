package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/mineralpact/mineralpact/data"
	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/api"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/registry"
	"github.com/mineralpact/mineralpact/internal/store"
	"github.com/mineralpact/mineralpact/internal/web"
)

func runServe(ctx context.Context, args []string, s streams) error {
	fs := newFlags("serve")
	addr := fs.String("addr", ":8080", "address to listen on")
	dsn := fs.String("db", "sqlite:mineralpact.db", "store: sqlite:PATH or postgres://...")
	file := fs.String("agreement", "example", "agreement file to serve (example: the shipped examples/pact-2026.yaml)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usagef("takes no arguments")
	}
	log := slog.New(slog.NewTextHandler(s.err, nil))
	reg, err := registry.Default()
	if err != nil {
		return err
	}
	a, src, err := loadAgreement(*file)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := recordAgreement(ctx, st, a, src, *file); err != nil {
		return err
	}
	prices := refprice.New(a, priceSources(reg))
	newPrices := func(a *agreement.Agreement) *refprice.Engine { return refprice.New(a, priceSources(reg)) }
	dsvc, err := newDutyService(st, a, reg, prices)
	if err != nil {
		return err
	}
	defer dsvc.Close()
	h := handler(api.Deps{Registry: reg, Store: st, Agreement: a, AgreementFile: src.File, Prices: prices, Data: data.FS, NewPrices: newPrices,
		Assessor: dsvc.assessor, Ledger: dsvc.ledger, Recorder: dsvc.recorder},
		web.Deps{Registry: reg, Store: st, Agreement: a, AgreementFile: src.File, Prices: prices, Backcast: refprice.New(a, priceSources(reg), refprice.Backcast()),
			Duty: dsvc.assessor, Ledger: dsvc.ledger})
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, IdleTimeout: 2 * time.Minute}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	log.Info("serving", "url", "http://"+displayAddr(ln.Addr()), "agreement", a.ID, "store", maskDSN(*dsn))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
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

// handler mounts the API on its paths and the portal on everything else.
func handler(ad api.Deps, wd web.Deps) http.Handler {
	apiHandler := api.New(ad)
	mux := http.NewServeMux()
	for _, p := range []string{"/v1/", "/openapi.json", "/healthz", "/readyz"} {
		mux.Handle(p, apiHandler)
	}
	mux.Handle("/", web.New(wd))
	return mux
}

// recordAgreement stores the served agreement version, content-addressed, and
// notes in the audit log that it was loaded.
func recordAgreement(ctx context.Context, st store.Store, a *agreement.Agreement, src *agreement.Source, file string) error {
	canon, err := a.Canonical()
	if err != nil {
		return err
	}
	hash, err := a.Hash()
	if err != nil {
		return err
	}
	now := time.Now().UTC() // the adapter's clock, never an engine's
	created, err := st.PutAgreement(ctx, store.AgreementVersion{Hash: hash, Name: a.ID, Canonical: canon, StoredAt: now})
	if err != nil {
		return err
	}
	detail := fmt.Sprintf(`{"file":%q,"created":%t}`, src.File, created)
	_, err = st.AppendAudit(ctx, store.AuditRecord{At: now, Actor: "serve", Action: "agreement.loaded", Subject: "agreement:" + hash, Detail: []byte(detail)})
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
