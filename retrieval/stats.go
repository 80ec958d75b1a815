package retrieval

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// SourceStats counts what the index holds for one source. It is scanned by column
// name (db tags): its counts are all ints, and by position two swapped columns would
// go unnoticed.
type SourceStats struct {
	Name         string `db:"name" json:"name"`
	Scope        string `db:"scope" json:"scope"`
	Municipality string `db:"municipality" json:"municipality,omitempty"`
	Documents    int    `db:"documents" json:"documents"`
	Removed      int    `db:"removed" json:"removed"`
	Chunks       int    `db:"chunks" json:"chunks"`
	Embedded     int    `db:"embedded" json:"embedded"`
	Words        int    `db:"words" json:"words"`
}

// Stats counts what the index holds, per source.
func (s *Store) Stats(ctx context.Context) ([]SourceStats, error) {
	rows, _ := s.pool.Query(ctx, `
		SELECT s.name, s.scope, coalesce(s.municipality, '') AS municipality,
			(SELECT count(*) FROM documents d WHERE d.source_id = s.id AND d.removed_at IS NULL) AS documents,
			(SELECT count(*) FROM documents d WHERE d.source_id = s.id AND d.removed_at IS NOT NULL) AS removed,
			count(c.id) AS chunks, count(c.embedding) AS embedded,
			coalesce(sum(array_length(regexp_split_to_array(trim(c.body), '\s+'), 1)), 0) AS words
		FROM sources s
		LEFT JOIN documents d ON d.source_id = s.id
		LEFT JOIN chunks c ON c.document_id = d.id
		GROUP BY s.id ORDER BY s.name`)
	stats, err := pgx.CollectRows(rows, pgx.RowToStructByName[SourceStats])
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
