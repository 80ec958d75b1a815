package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"github.com/vraagbaak/vraagbaak/ingest"
	"github.com/vraagbaak/vraagbaak/internal/postgres"
	"github.com/vraagbaak/vraagbaak/internal/samplesite"
	"github.com/vraagbaak/vraagbaak/retrieval"
)

func newFlags(a *app, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	fs.Usage = func() {
		fmt.Fprintf(a.stderr, "Usage: vraagbaak %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

func cmdMigrate(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "migrate", "migrate")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := a.cfg.needDatabase(); err != nil {
		return err
	}
	n, err := postgres.Migrate(ctx, a.cfg.DatabaseURL)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "applied %d migration(s); the schema is current\n", n)
	return nil
}

// crawlFlags registers the crawler's flags on fs, with def as defaults.
func crawlFlags(fs *flag.FlagSet, def ingest.Config) *ingest.Config {
	c := def
	fs.StringVar(&c.UserAgent, "user-agent", def.UserAgent, "User-Agent sent with every request")
	fs.IntVar(&c.Workers, "workers", def.Workers, "pages processed at once, over all hosts")
	fs.IntVar(&c.PerHost, "per-host", def.PerHost, "requests at once to one host")
	fs.DurationVar(&c.Delay, "delay", def.Delay, "minimum time between requests to one host (robots.txt Crawl-delay may raise it; 0 for local mirrors)")
	fs.DurationVar(&c.Timeout, "timeout", def.Timeout, "timeout per request, body included")
	fs.Int64Var(&c.MaxPageBytes, "max-page-bytes", def.MaxPageBytes, "larger pages are skipped and counted as failed")
	fs.IntVar(&c.MaxRedirects, "max-redirects", def.MaxRedirects, "redirects followed per request (inside the allow-list only)")
	fs.IntVar(&c.MaxPages, "max-pages", def.MaxPages, "addresses crawled per source at most")
	fs.IntVar(&c.Retries, "retries", def.Retries, "retries on network errors, 429 and 5xx (with backoff, honouring Retry-After)")
	return &c
}

func cmdIngest(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "ingest", "ingest [--sources sources.yaml] [--only name,name] [crawl flags]")
	sourcesPath := fs.String("sources", "sources.yaml", "the sources file")
	only := fs.String("only", "", "comma-separated source names to crawl (default: all)")
	ccfg := crawlFlags(fs, ingest.DefaultConfig())
	if err := fs.Parse(args); err != nil {
		return err
	}
	sources, err := ingest.LoadSources(*sourcesPath)
	if err != nil {
		return err
	}
	if *only != "" {
		sources, err = pick(sources, strings.Split(*only, ","))
		if err != nil {
			return err
		}
	}
	return a.ingest(ctx, sources, *ccfg)
}

func pick(sources []ingest.Source, names []string) ([]ingest.Source, error) {
	var out []ingest.Source
	for _, n := range names {
		found := false
		for _, s := range sources {
			if s.Name == strings.TrimSpace(n) {
				out, found = append(out, s), true
			}
		}
		if !found {
			return nil, fmt.Errorf("--only: no source named %q in the sources file", n)
		}
	}
	return out, nil
}

// ingest crawls the sources into the index, embeds what needs it and prints a summary.
func (a *app) ingest(ctx context.Context, sources []ingest.Source, ccfg ingest.Config) error {
	pool, store, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	vecs, err := a.vectors(ctx, store)
	if err != nil {
		return err
	}
	if f, ok := a.stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		ccfg.Progress = a.stderr
	}
	crawler := ingest.New(ccfg, store, vecs.Embedder, a.log)
	var failed []string
	for _, src := range sources {
		st, err := crawler.Crawl(ctx, src)
		fmt.Fprintln(a.stdout, st)
		if err != nil {
			if ctx.Err() != nil {
				return err
			}
			a.log.Error("source failed", "source", src.Name, "err", err)
			failed = append(failed, src.Name)
		}
		if err := store.RecordRun(ctx, st); err != nil {
			return err
		}
	}
	if _, err := vecs.Finish(ctx); err != nil {
		return err
	}
	if err := store.RefreshTermStats(ctx); err != nil {
		return err
	}
	if err := a.printStats(ctx, store); err != nil {
		return err
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d sources failed: %s (see the log above)", len(failed), len(sources), strings.Join(failed, ", "))
	}
	return nil
}

func cmdReindex(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "reindex", "reindex")
	if err := fs.Parse(args); err != nil {
		return err
	}
	pool, store, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	var service retrieval.Embedder
	name := ""
	if a.cfg.Embedder != embedderBuiltin {
		e, err := a.service()
		if err != nil {
			return err
		}
		service, name = e, e.Name
	}
	vecs, n, err := ingest.Reindex(ctx, store, service, name, a.log)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "re-embedded %d chunks with %s (dim %d)\n", n, vecs.Info.Name, vecs.Info.Dim)
	return nil
}

func cmdStats(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "stats", "stats")
	if err := fs.Parse(args); err != nil {
		return err
	}
	pool, store, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	return a.printStats(ctx, store)
}

func (a *app) printStats(ctx context.Context, store *retrieval.Store) error {
	stats, err := store.Stats(ctx)
	if err != nil {
		return err
	}
	info, err := store.Embedder(ctx)
	if err != nil && !errors.Is(err, retrieval.ErrNotFound) {
		return err
	}
	fmt.Fprintln(a.stdout)
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "source\tscope\tmunicipality\tpages\tremoved\tchunks\tembedded\twords/chunk\t")
	var tot retrieval.SourceStats
	for _, s := range stats {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t\n", s.Name, s.Scope, dash(s.Municipality), s.Documents, s.Removed, s.Chunks, s.Embedded, perChunk(s))
		tot.Documents += s.Documents
		tot.Removed += s.Removed
		tot.Chunks += s.Chunks
		tot.Embedded += s.Embedded
		tot.Words += s.Words
	}
	fmt.Fprintf(tw, "total\t\t\t%d\t%d\t%d\t%d\t%d\t\n", tot.Documents, tot.Removed, tot.Chunks, tot.Embedded, perChunk(tot))
	if err := tw.Flush(); err != nil {
		return err
	}
	if info.Name != "" {
		fmt.Fprintf(a.stdout, "\nembedder: %s, dimension %d %s\n", info.Name, info.Dim, info.Fingerprint)
	}
	return nil
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func perChunk(s retrieval.SourceStats) int {
	if s.Chunks == 0 {
		return 0
	}
	return s.Words / s.Chunks
}

func cmdDemo(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "demo", "demo [--host 127.0.0.1] [--port 8090] [--serve localhost:8080]")
	host := fs.String("host", "127.0.0.1", "loopback address the sample sites are served on")
	port := fs.Int("port", 8090, "first port; the sample sites get this port and the next two (0: any free ports)")
	serveAddr := fs.String("serve", "", "after the crawl, run the chat service on this address (e.g. localhost:8080) until stopped")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := a.cfg.needDatabase(); err != nil {
		return err
	}
	sources, stop, err := serveSampleSites(ctx, *host, *port, a.stdout)
	if err != nil {
		return err
	}
	defer stop()
	ccfg := ingest.DefaultConfig()
	ccfg.Delay, ccfg.PerHost, ccfg.Workers, ccfg.Retries = 0, 4, 4, 1
	if err := a.ingest(ctx, sources, ccfg); err != nil || *serveAddr == "" {
		return err
	}
	pool, store, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	names := map[string]string{}
	for _, s := range samplesite.Sites {
		if s.Municipality != "" {
			names[s.Municipality] = strings.TrimPrefix(s.Title, "Gemeente ") // web adds "Gemeente"
		}
	}
	return a.serve(ctx, pool, store, *serveAddr, names, nil)
}

// serveSampleSites serves each bundled site on its own loopback port and returns the
// sources that crawl them. Fixed ports keep URLs stable between runs, so a second
// demo recrawls incrementally instead of storing the pages again under new addresses.
func serveSampleSites(ctx context.Context, host string, port int, out io.Writer) ([]ingest.Source, func(), error) {
	var servers []*http.Server
	stop := func() {
		for _, s := range servers {
			_ = s.Close() // shutting down: Serve returns ErrServerClosed
		}
	}
	var sources []ingest.Source
	for i, site := range samplesite.Sites {
		h, err := samplesite.Handler(site.Name)
		if err != nil {
			stop()
			return nil, nil, err
		}
		p := 0
		if port != 0 {
			p = port + i
		}
		ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", net.JoinHostPort(host, fmt.Sprint(p)))
		if err != nil {
			stop()
			return nil, nil, fmt.Errorf("serve sample site %s: %w (choose another --port)", site.Name, err)
		}
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
		servers = append(servers, srv)
		go srv.Serve(ln) //nolint:errcheck // ends with Close
		base := "http://" + ln.Addr().String()
		fmt.Fprintf(out, "sample site %-12s %s (%s)\n", site.Name, base+"/", site.Title)
		sources = append(sources, ingest.Source{
			Name:         site.Name,
			Scope:        site.Scope,
			Municipality: site.Municipality,
			Start:        []string{base + "/sitemap.xml", base + "/"},
			Allow:        []string{base + "/"},
		})
	}
	return sources, stop, nil
}
