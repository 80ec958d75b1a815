package retrieval

import (
	"context"
	"fmt"
	"math"
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
	s.spell.mu.Lock()
	s.spell.checked = time.Time{} // reload the word list at the next search
	s.spell.mu.Unlock()
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
