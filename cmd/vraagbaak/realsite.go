package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/vraagbaak/vraagbaak/eval/realsite"
)

// cmdRealsite serves the real official content of the shared corpus as local sites
// (see eval/realsite) until stopped, and writes the sources file that crawls them.
func cmdRealsite(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "realsite", "realsite --corpus DIR [--host 127.0.0.1] [--port 8093] [--sources FILE]")
	corpus := fs.String("corpus", "../shared/corpus/raw", "the corpus directory (SOURCES.md describes it)")
	host := fs.String("host", "127.0.0.1", "loopback address the sites are served on")
	port := fs.Int("port", 8093, "first port: rijksoverheid gets this one, amsterdam the next (0: any free ports)")
	sourcesOut := fs.String("sources", "", "write a sources file (for vraagbaak ingest --sources) that crawls the local sites")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c, err := realsite.Load(*corpus)
	if err != nil {
		return err
	}
	sites, err := c.Sites()
	if err != nil {
		return err
	}
	errc := make(chan error, len(sites))
	var servers []*http.Server
	defer func() {
		for _, s := range servers {
			_ = s.Close() // shutting down: Serve returns ErrServerClosed
		}
	}()
	var yaml, maps strings.Builder
	yaml.WriteString("# Written by vraagbaak realsite: the local copies of real sites.\nsources:\n")
	for i, site := range sites {
		p := 0
		if *port != 0 {
			p = *port + i
		}
		ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", net.JoinHostPort(*host, fmt.Sprint(p)))
		if err != nil {
			return fmt.Errorf("realsite: serve %s: %w (choose another --port)", site.Name, err)
		}
		srv := &http.Server{Handler: site.Handler, ReadHeaderTimeout: 5 * time.Second}
		servers = append(servers, srv)
		go func() { errc <- srv.Serve(ln) }()
		base := "http://" + ln.Addr().String()
		fmt.Fprintf(a.stdout, "realsite %-13s %s/ (%s)\n", site.Name, base, site.Origin)
		fmt.Fprintf(&yaml, "  - name: %s\n    scope: %s\n", site.Name, site.Scope)
		if site.Municipality != "" {
			fmt.Fprintf(&yaml, "    municipality: %s\n", site.Municipality)
		}
		fmt.Fprintf(&yaml, "    start:\n      - %s/sitemap.xml\n      - %s/\n    allow:\n      - %s/\n", base, base, base)
		if maps.Len() > 0 {
			maps.WriteString(",")
		}
		fmt.Fprintf(&maps, "%s=%s", site.Origin, base)
	}
	fmt.Fprintf(a.stdout, "realsite host map: %s\n", maps.String())
	if *sourcesOut != "" {
		if err := os.WriteFile(*sourcesOut, []byte(yaml.String()), 0o600); err != nil {
			return fmt.Errorf("realsite: %w", err)
		}
		fmt.Fprintf(a.stdout, "realsite wrote %s\n", *sourcesOut)
	}
	select {
	case <-ctx.Done():
		return nil
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return fmt.Errorf("realsite: %w", err)
	}
}
