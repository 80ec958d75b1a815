package ingest

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"
)

// Stats counts what a crawl of one source did.
type Stats struct {
	Source      string         `json:"source"`
	Fetched     int            `json:"fetched"`      // HTTP requests answered (after retries)
	New         int            `json:"new"`          // pages stored for the first time
	Changed     int            `json:"changed"`      // pages whose content changed and was replaced
	Unchanged   int            `json:"unchanged"`    // pages fetched again with the same content
	NotModified int            `json:"not_modified"` // 304 answers to a conditional GET
	Removed     int            `json:"removed"`      // pages that now give 404/410, taken out of search
	Sitemaps    int            `json:"sitemaps"`
	Chunks      int            `json:"chunks"` // chunks written
	Skipped     map[string]int `json:"skipped"`
	Failed      map[string]int `json:"failed"`
	Duration    time.Duration  `json:"duration_ns"`

	mu      sync.Mutex
	started time.Time
}

func newStats(source string) *Stats {
	return &Stats{Source: source, Skipped: map[string]int{}, Failed: map[string]int{}, started: time.Now()}
}

func (s *Stats) count(n *int) {
	s.mu.Lock()
	*n++
	s.mu.Unlock()
}

func (s *Stats) addChunks(n int) {
	s.mu.Lock()
	s.Chunks += n
	s.mu.Unlock()
}

func (s *Stats) skip(reason string) {
	s.mu.Lock()
	s.Skipped[reason]++
	s.mu.Unlock()
}

func (s *Stats) failure(reason string) {
	s.mu.Lock()
	s.Failed[reason]++
	s.mu.Unlock()
}

func (s *Stats) finish() {
	s.mu.Lock()
	s.Duration = time.Since(s.started)
	s.mu.Unlock()
}

// Pages is the number of HTML pages stored or confirmed.
func (s *Stats) Pages() int { return s.New + s.Changed + s.Unchanged + s.NotModified }

// FailedTotal is the number of failed pages.
func (s *Stats) FailedTotal() int { return sum(s.Failed) }

// SkippedTotal is the number of skipped addresses.
func (s *Stats) SkippedTotal() int { return sum(s.Skipped) }

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// line renders one progress line.
func (s *Stats) line(queued int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	el := time.Since(s.started).Seconds()
	rate := 0.0
	if el > 0 {
		rate = float64(s.Fetched) / el
	}
	return fmt.Sprintf("%s: fetched %d, queued %d, stored %d, unchanged %d, skipped %d, failed %d, %.1f pages/s",
		s.Source, s.Fetched, queued, s.New+s.Changed, s.Unchanged+s.NotModified, sum(s.Skipped), sum(s.Failed), rate)
}

// report rewrites a progress line on w every half second until done is closed.
func (s *Stats) report(w io.Writer, queued func() int, done <-chan struct{}) {
	t := time.NewTicker(500 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-done:
			fmt.Fprintf(w, "\r\033[K%s\n", s.line(0))
			return
		case <-t.C:
			fmt.Fprintf(w, "\r\033[K%s", s.line(queued()))
		}
	}
}

// String is the summary of a finished crawl.
func (s *Stats) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d fetched in %s (%.1f pages/s): %d new, %d changed, %d unchanged, %d not modified, %d removed; %d chunks written; %d sitemaps",
		s.Source, s.Fetched, s.Duration.Round(time.Millisecond), float64(s.Fetched)/max(s.Duration.Seconds(), 1e-9),
		s.New, s.Changed, s.Unchanged, s.NotModified, s.Removed, s.Chunks, s.Sitemaps)
	for _, part := range []struct {
		name string
		m    map[string]int
	}{{"skipped", s.Skipped}, {"failed", s.Failed}} {
		if len(part.m) == 0 {
			continue
		}
		fmt.Fprintf(&b, "; %s %d (", part.name, sum(part.m))
		for i, k := range slices.Sorted(maps.Keys(part.m)) {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%s %d", k, part.m[k])
		}
		b.WriteString(")")
	}
	return b.String()
}
