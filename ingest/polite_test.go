package ingest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/vraagbaak/vraagbaak/ingest"
)

// politeSite counts requests in flight and records when pages were asked for.
type politeSite struct {
	mu          sync.Mutex
	inFlight    int
	maxInFlight int
	times       []time.Time
}

func (p *politeSite) handler(robots string, pages int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			fmt.Fprint(w, robots)
			return
		}
		p.mu.Lock()
		p.inFlight++
		p.maxInFlight = max(p.maxInFlight, p.inFlight)
		p.times = append(p.times, time.Now())
		p.mu.Unlock()
		defer func() {
			p.mu.Lock()
			p.inFlight--
			p.mu.Unlock()
		}()
		time.Sleep(20 * time.Millisecond) // a server that takes a moment, so requests could overlap
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, "<html><head><title>Pagina</title></head><body><main><h1>Pagina %s</h1><p>Tekst over afval en de milieustraat van de gemeente.</p>", r.URL.Path)
		for i := range pages {
			fmt.Fprintf(w, `<a href="/p%d">p%d</a>`, i, i)
		}
		fmt.Fprint(w, "</main></body></html>")
	})
}

func TestCrawlIsPolite(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		robots    string
		perHost   int
		pages     int
		minGap    time.Duration
		maxFlight int
	}{
		{name: "per-host concurrency limit", robots: "User-agent: *\nAllow: /\n", perHost: 2, pages: 12, maxFlight: 2},
		{name: "robots.txt crawl-delay", robots: "User-agent: VraagbaakBot\nCrawl-delay: 0.15\n", perHost: 4, pages: 3, minGap: 100 * time.Millisecond, maxFlight: 1}, // 150 ms asked; arrival times jitter on a busy machine,
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, store := newStore(t)
			site := &politeSite{}
			srv := httptest.NewServer(site.handler(tc.robots, tc.pages))
			defer srv.Close()
			cfg := testConfig()
			cfg.Workers, cfg.PerHost, cfg.Timeout = 8, tc.perHost, 5*time.Second
			_, err := ingest.New(cfg, store, wordEmbedder{}, testLogger(t)).Crawl(context.Background(),
				ingest.Source{Name: "beleefd", Scope: "national", Start: []string{srv.URL + "/"}, Allow: []string{srv.URL + "/"}})
			if err != nil {
				t.Fatal(err)
			}
			site.mu.Lock()
			defer site.mu.Unlock()
			if len(site.times) != tc.pages+1 {
				t.Fatalf("%d pages fetched, want %d", len(site.times), tc.pages+1)
			}
			if site.maxInFlight > tc.maxFlight {
				t.Errorf("%d requests at once, want at most %d", site.maxInFlight, tc.maxFlight)
			}
			sort.Slice(site.times, func(i, j int) bool { return site.times[i].Before(site.times[j]) })
			for i := 1; i < len(site.times); i++ {
				if gap := site.times[i].Sub(site.times[i-1]); gap < tc.minGap {
					t.Errorf("requests %d and %d were %s apart, want at least %s", i-1, i, gap, tc.minGap)
				}
			}
		})
	}
}
