package retrieval

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vraagbaak/vraagbaak/internal/dutch"
)

// TermStats holds in how many chunks each stemmed term occurs.
type TermStats struct {
	Chunks int
	DF     map[string]int
}

// IDF is the inverse document frequency of a stemmed term; a term no chunk has gets
// the weight of a term in one chunk.
func (ts *TermStats) IDF(term string) float64 {
	df := max(ts.DF[term], 1)
	return math.Log(1 + float64(max(ts.Chunks, 1))/float64(df))
}

// RefreshTermStats counts the stemmed terms of every chunk anew (after an ingest), and
// the full-text lexemes the search weighs the question's words by.
func (s *Store) RefreshTermStats(ctx context.Context) error {
	df := map[string]int{}
	seen := map[string]bool{}
	err := s.ChunkTexts(ctx, func(text string) error {
		clear(seen)
		for _, t := range dutch.Terms(text) {
			if !seen[t] {
				seen[t] = true
				df[t]++
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	rows := make([][]any, 0, len(df))
	for t, n := range df {
		rows = append(rows, []any{t, n})
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM term_stats`); err != nil {
			return err
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"term_stats"}, []string{"term", "ndoc"}, pgx.CopyFromRows(rows)); err != nil {
			return err
		}
		return refreshLexemeStats(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("retrieval: refresh term stats: %w", err)
	}
	s.cache.mu.Lock()
	s.cache.checked = time.Time{} // reload the counts at the next search
	s.cache.mu.Unlock()
	return nil
}

// TermStats reads the term counts.
func (s *Store) TermStats(ctx context.Context) (*TermStats, error) {
	ts := &TermStats{DF: map[string]int{}}
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM chunks`).Scan(&ts.Chunks); err != nil {
		return nil, fmt.Errorf("retrieval: term stats: %w", err)
	}
	rows, err := s.pool.Query(ctx, `SELECT term, ndoc FROM term_stats`)
	if err != nil {
		return nil, fmt.Errorf("retrieval: term stats: %w", err)
	}
	var term string
	var n int
	_, err = pgx.ForEachRow(rows, []any{&term, &n}, func() error {
		ts.DF[term] = n
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("retrieval: term stats: %w", err)
	}
	return ts, nil
}

// refreshLexemeStats counts in how many chunks each full-text lexeme occurs
// (PostgreSQL's ts_stat over chunks.tsv), for the word weights of searchSQL, and each
// written word, for the typo repair (speller.go). The new lexeme_total row's
// refreshed_at tells running services to reload their word lists.
func refreshLexemeStats(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `
		DELETE FROM lexeme_stats;
		DELETE FROM lexeme_total;
		INSERT INTO lexeme_stats (lexeme, ndoc) SELECT word, ndoc FROM ts_stat('SELECT tsv FROM chunks');
		DELETE FROM word_stats;
		INSERT INTO word_stats (word, ndoc)
		SELECT word, ndoc FROM ts_stat($$SELECT to_tsvector('simple', title || ' ' || headings || ' ' || body) FROM chunks$$)
		WHERE length(word) >= 4 AND word !~ '[0-9_]';
		INSERT INTO lexeme_total (chunks) SELECT count(*) FROM chunks;`)
	if err != nil {
		return fmt.Errorf("lexeme stats: %w", err)
	}
	return nil
}

// countsRecheck is how long loaded counts are used before the database is asked whether
// the index was refreshed since.
const countsRecheck = 30 * time.Second

// counts are the index's counts a running service keeps in memory: the term counts the
// answerer weighs words by and the word list of the typo repair.
type counts struct {
	terms *TermStats
	words *speller
}

// countsCache holds the Store's counts, loaded on first use and reloaded when the index
// was refreshed since (by an ingest in this or another process: lexeme_total.refreshed_at).
type countsCache struct {
	mu      sync.Mutex
	c       *counts
	version time.Time // lexeme_total.refreshed_at of the loaded counts
	checked time.Time
}

// CurrentTermStats returns the term counts as of the last refresh of the index, so that
// a running service weighs the words of pages an ingest added since it started.
func (s *Store) CurrentTermStats(ctx context.Context) (*TermStats, error) {
	c, err := s.counts(ctx)
	if err != nil {
		return nil, err
	}
	return c.terms, nil
}

// counts returns the current counts, reloading them when they may be stale.
func (s *Store) counts(ctx context.Context) (*counts, error) {
	cc := &s.cache
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.c != nil && time.Since(cc.checked) < countsRecheck {
		return cc.c, nil
	}
	var version time.Time
	err := s.pool.QueryRow(ctx, `SELECT refreshed_at FROM lexeme_total`).Scan(&version)
	switch {
	case errors.Is(err, pgx.ErrNoRows): // never refreshed: no counts yet
	case err != nil:
		return nil, fmt.Errorf("retrieval: index counts: %w", err)
	}
	if cc.c != nil && version.Equal(cc.version) {
		cc.checked = time.Now()
		return cc.c, nil
	}
	ts, err := s.TermStats(ctx)
	if err != nil {
		return nil, err
	}
	words := map[string]int{}
	rows, err := s.pool.Query(ctx, `SELECT word, ndoc FROM word_stats`)
	if err != nil {
		return nil, fmt.Errorf("retrieval: word list: %w", err)
	}
	var w string
	var n int
	if _, err := pgx.ForEachRow(rows, []any{&w, &n}, func() error {
		words[strings.ToLower(w)] = n
		return nil
	}); err != nil {
		return nil, fmt.Errorf("retrieval: word list: %w", err)
	}
	cc.c, cc.version, cc.checked = &counts{terms: ts, words: newSpeller(words)}, version, time.Now()
	return cc.c, nil
}
