package retrieval

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// SourceStats counts what the index holds for one source.
type SourceStats struct {
	Name         string `json:"name"`
	Scope        string `json:"scope"`
	Municipality string `json:"municipality,omitempty"`
	Documents    int    `json:"documents"`
	Removed      int    `json:"removed"`
	Chunks       int    `json:"chunks"`
	Embedded     int    `json:"embedded"`
	Words        int    `json:"words"`
}

// Stats counts what the index holds, per source.
func (s *Store) Stats(ctx context.Context) ([]SourceStats, error) {
	rows, _ := s.pool.Query(ctx, `
		SELECT s.name, s.scope, coalesce(s.municipality, ''),
			(SELECT count(*) FROM documents d WHERE d.source_id = s.id AND d.removed_at IS NULL),
			(SELECT count(*) FROM documents d WHERE d.source_id = s.id AND d.removed_at IS NOT NULL),
			count(c.id), count(c.embedding),
			coalesce(sum(array_length(regexp_split_to_array(trim(c.body), '\s+'), 1)), 0)
		FROM sources s
		LEFT JOIN documents d ON d.source_id = s.id
		LEFT JOIN chunks c ON c.document_id = d.id
		GROUP BY s.id ORDER BY s.name`)
	stats, err := pgx.CollectRows(rows, pgx.RowToStructByPos[SourceStats])
	if err != nil {
		return nil, fmt.Errorf("retrieval: stats: %w", err)
	}
	return stats, nil
}

// RecordRun stores the summary of one source's crawl for operators.
func (s *Store) RecordRun(ctx context.Context, stats any) error {
	if _, err := s.pool.Exec(ctx, `INSERT INTO ingest_runs (finished_at, stats) VALUES (now(), $1)`, stats); err != nil {
		return fmt.Errorf("retrieval: record ingest run: %w", err)
	}
	return nil
}

// Municipalities returns the municipalities the index has sources for: CBS code →
// the name of (one of) their sources.
func (s *Store) Municipalities(ctx context.Context) (map[string]string, error) {
	rows, _ := s.pool.Query(ctx, `SELECT DISTINCT ON (municipality) municipality, name
		FROM sources WHERE municipality IS NOT NULL ORDER BY municipality, id`)
	out := map[string]string{}
	var code, name string
	_, err := pgx.ForEachRow(rows, []any{&code, &name}, func() error { out[code] = name; return nil })
	if err != nil {
		return nil, fmt.Errorf("retrieval: municipalities: %w", err)
	}
	return out, nil
}
