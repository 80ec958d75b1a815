package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/vraagbaak/vraagbaak/audit"
	"github.com/vraagbaak/vraagbaak/chat"
	"github.com/vraagbaak/vraagbaak/internal/postgres"
	"github.com/vraagbaak/vraagbaak/retrieval"
	"github.com/vraagbaak/vraagbaak/staff"
	"github.com/vraagbaak/vraagbaak/web"
)

func cmdServe(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "serve", "serve [--addr localhost:8080]")
	addr := fs.String("addr", a.cfg.Addr, "address to listen on (VRAAGBAAK_ADDR)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	pool, store, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	names, err := store.Municipalities(ctx)
	if err != nil {
		return err
	}
	for code, name := range names {
		names[code] = strings.ToUpper(name[:1]) + name[1:] // web adds "Gemeente"
	}
	return a.serve(ctx, pool, store, *addr, names, nil)
}

// serve runs the chat service on addr until ctx ends: the websocket, the pages, the
// health and metrics endpoints, and the retention job. ready, if not nil, receives
// the address it listens on.
func (a *app) serve(ctx context.Context, pool *pgxpool.Pool, store *retrieval.Store, addr string, municipalities map[string]string, ready chan<- string) error {
	svc, _, err := a.chatService(ctx, store, true)
	if err != nil {
		return err
	}
	// The classifiers learn on first use; train them before listening so that no
	// citizen's first question waits for it (about half a second together).
	if a.cfg.Rules.Crisis != nil {
		a.cfg.Rules.Crisis.Train()
	}
	if a.cfg.Rules.GuardClassifier != nil {
		a.cfg.Rules.GuardClassifier.Train()
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	convs := chat.NewConversations(pool)
	accounts := staff.NewStore(pool)
	// The session cookie is sent to the staff console and the evaluator pages alike.
	auth := staff.NewAuth(accounts, pool, staff.Config{SessionTTL: a.cfg.SessionTTL, Secure: a.cfg.SecureCookies,
		TrustedProxies: a.cfg.TrustedProxies, CookiePath: "/"}, a.log)
	maxConns := a.cfg.MaxConnections
	if maxConns == 0 {
		maxConns = connectionBudget(descriptorLimit())
	}
	srv := chat.NewServer(svc, convs, chat.ServerConfig{
		HelloTimeout:        a.cfg.HelloTimeout,
		MaxConnectionsPerIP: a.cfg.MaxConnectionsPerIP,
		MaxConnections:      maxConns,
		NewConversationRate: a.cfg.NewConversationRate,
		AllowedOrigins:      a.cfg.AllowedOrigins,
		IPRate:              a.cfg.IPRate,
		ConversationRate:    a.cfg.ConvRate,
		TrustedProxies:      a.cfg.TrustedProxies,
		OpeningHours:        a.cfg.OpeningHours,
		QueueTimeout:        a.cfg.QueueTimeout,
		CheckSession: func(ctx context.Context, token string) error {
			_, err := auth.Touch(ctx, token) // an agent at work stays logged in
			return err
		},
	}, chat.NewMetrics(reg), a.log)

	mux := http.NewServeMux()
	mux.Handle("GET /ws", srv)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	mux.Handle("GET /readyz", readyHandler(pool, a.log))
	mux.Handle("/", web.Handler(web.Options{Municipalities: municipalities, RetentionDays: a.cfg.RetentionDays}))
	// Staff: login and session routes, the console page and its websocket.
	auth.Routes(mux)
	agentsOnly := auth.Require(staff.Agent, staff.Supervisor)
	mux.Handle("GET /staff/ws", agentsOnly(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		acc, _ := staff.AccountFrom(r.Context())
		agent := chat.Agent{ID: acc.ID, Name: acc.Name, Municipality: acc.Municipality, Supervisor: acc.Role == staff.Supervisor}
		srv.ServeStaff(w, r.WithContext(chat.WithAgent(r.Context(), agent, staff.SessionToken(r))))
	})))
	staffPages := web.StaffHandler()
	mux.Handle("GET /staff/{$}", agentsOnly(staffPages))
	mux.Handle("GET /staff/static/", staffPages)
	// Evaluators: the workbench page, its files and its API under /eval/.
	mountEval(mux, auth, pool, a.log)
	// The privacy officer: the transcript access log.
	accessLog := audit.NewLog(pool)
	mountAccess(mux, auth, accessLog, a.cfg.AccessLogDays, a.log)

	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	// Idle keep-alive connections are closed after a while: each holds a descriptor.
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute, ErrorLog: nil}
	// Metrics on an address of their own (loopback by default), never the public one.
	var metrics *http.Server
	var metricsLn net.Listener
	if a.cfg.MetricsAddr != "" {
		if metricsLn, err = (&net.ListenConfig{}).Listen(ctx, "tcp", a.cfg.MetricsAddr); err != nil {
			ln.Close()
			return fmt.Errorf("serve: metrics (VRAAGBAAK_METRICS_ADDR): %w", err)
		}
		mm := http.NewServeMux()
		mm.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
		metrics = &http.Server{Handler: mm, ReadHeaderTimeout: 10 * time.Second}
	}

	ctx, stop := context.WithCancel(ctx)
	defer stop()
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); srv.Run(ctx) }()
	go func() { defer wg.Done(); a.retention(ctx, convs, auth, accessLog) }()

	a.log.Info("serving", "addr", "http://"+ln.Addr().String(), "retention_days", a.cfg.RetentionDays,
		"guard_file", orEmbedded(a.cfg.GuardFile, "guard.txt"), "handoff_file", orEmbedded(a.cfg.HandoffFile, "handoff.txt"),
		"max_connections", maxConns, "max_connections_per_ip", a.cfg.MaxConnectionsPerIP)
	if a.cfg.TrustProxy {
		a.log.Warn("VRAAGBAAK_TRUST_PROXY is deprecated: it now trusts a proxy on loopback only; list your proxies in VRAAGBAAK_TRUSTED_PROXIES",
			"trusted_proxies", fmt.Sprint(a.cfg.TrustedProxies))
	}
	if metrics != nil {
		a.log.Info("serving metrics", "addr", "http://"+metricsLn.Addr().String()+"/metrics")
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := metrics.Serve(metricsLn); err != nil && !errors.Is(err, http.ErrServerClosed) {
				a.log.Error("metrics server", "err", err)
			}
		}()
	}
	fmt.Fprintf(a.stdout, "chat at http://%s/ (stop with Ctrl-C)\n", ln.Addr())
	if ready != nil {
		ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err = <-errc:
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	stop() // the hub closes the websockets, which Shutdown does not track
	if serr := hs.Shutdown(shutdownCtx); serr != nil && err == nil {
		err = serr
	}
	if metrics != nil {
		_ = metrics.Shutdown(shutdownCtx)
	}
	wg.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	a.log.Info("stopped")
	return err
}

// readyHandler answers /readyz. Anyone may ask, so the answer is a plain status; why
// the service is not ready (which names the database's user, host and port) goes to
// the operators' log only.
func readyHandler(pool *pgxpool.Pool, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := readiness(r.Context(), pool); err != nil {
			log.Warn("not ready", "err", err)
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
}

// connectionBudget is how many citizen connections may be open at once for a process
// that may open limit file descriptors (0: unknown, no cap): the limit less a reserve
// for the database pool, the listener, the staff consoles, health checks and pages.
func connectionBudget(limit uint64) int {
	if limit == 0 || limit > 1<<30 {
		return 0
	}
	reserve := max(limit/10, 128)
	if reserve >= limit {
		return int(max(limit/2, 1))
	}
	return int(limit - reserve)
}

// readiness reports whether the database answers and its schema is current.
func readiness(ctx context.Context, pool *pgxpool.Pool) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := pool.Ping(ctx); err != nil {
		return fmt.Errorf("database: %w", err)
	}
	n, err := postgres.Pending(ctx, pool)
	if err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("%d migrations pending", n)
	}
	return nil
}

// retention deletes conversations and answers older than the retention period, and
// transcript access log rows older than theirs, at start and every hour.
func (a *app) retention(ctx context.Context, convs *chat.Conversations, auth *staff.Auth, accessLog *audit.Log) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		a.purge(ctx, convs, auth, accessLog, time.Now())
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// purge is one round of the retention job.
func (a *app) purge(ctx context.Context, convs *chat.Conversations, auth *staff.Auth, accessLog *audit.Log, now time.Time) {
	if _, err := auth.Purge(ctx); err != nil && ctx.Err() == nil {
		a.log.Error("purge expired staff sessions", "err", err)
	}
	cutoff := now.AddDate(0, 0, -a.cfg.RetentionDays)
	c, n, err := convs.Purge(ctx, cutoff)
	switch {
	case err != nil && ctx.Err() == nil:
		a.log.Error("retention", "err", err)
	case c+n > 0:
		a.log.Info("retention: deleted old conversations and answers", "conversations", c, "answers", n, "before", cutoff.Format(time.DateOnly))
	}
	cutoff = now.AddDate(0, 0, -a.cfg.AccessLogDays)
	k, err := accessLog.Purge(ctx, cutoff)
	switch {
	case err != nil && ctx.Err() == nil:
		a.log.Error("retention: transcript access log", "err", err)
	case k > 0:
		a.log.Info("retention: deleted old transcript access log rows", "rows", k, "before", cutoff.Format(time.DateOnly))
	}
}
