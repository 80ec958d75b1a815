package retrieval

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pgvector/pgvector-go"
)

// Store reads and writes the index in PostgreSQL.
type Store struct {
	pool  *pgxpool.Pool
	cache countsCache // the index's counts, for the answerer and the typo repair
}

// NewStore returns a Store on a migrated database.
func NewStore(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

// Scopes of a source.
const (
	ScopeNational     = "national"
	ScopeMunicipality = "municipality"
)

// Source is a crawled site or part of one.
type Source struct {
	ID           int64
	Name         string
	Scope        string // ScopeNational or ScopeMunicipality
	Municipality string // CBS code such as GM0363, for municipality sources
}

// SaveSource creates the source or updates its scope, and returns its ID.
func (s *Store) SaveSource(ctx context.Context, src Source) (int64, error) {
	var id int64
	err := s.pool.QueryRow(ctx, `
		INSERT INTO sources (name, scope, municipality) VALUES ($1, $2, NULLIF($3, ''))
		ON CONFLICT (name) DO UPDATE SET scope = excluded.scope, municipality = excluded.municipality
		RETURNING id`, src.Name, src.Scope, src.Municipality).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("retrieval: save source %s: %w", src.Name, err)
	}
	return id, nil
}

// Document is one page, identified by its canonical URL.
type Document struct {
	ID     int64
	Source Source
	URL    string // canonical URL
	Title  string
	// Kind is the page kind ingest decided: question, product, overview, news or other
	// ("" is other). An overview page is stored without chunks: never searched, never cited.
	Kind         string
	ModifiedAt   time.Time // the page's own date; zero if it states none
	FetchedAt    time.Time
	ETag         string
	LastModified string
	ContentHash  []byte
}

// Chunk is one section (or part of one) of a document.
type Chunk struct {
	Ord       int
	Title     string
	Headings  string // heading path joined with HeadingSeparator
	Anchor    string
	Body      string
	Lead      bool      // holds the lead answer of a question page
	Embedding []float32 // nil leaves it to be embedded later
}

// KindOverview is the kind of a page that is mostly links to other pages.
const KindOverview = "overview"

// Fetch is what the crawler learnt about one address: the response's validators for
// the next conditional GET and its status.
type Fetch struct {
	URL          string
	SourceID     int64
	Status       int
	ETag         string
	LastModified string
}

// CrawlURL is an address the crawler fetched before, scanned by column name (db tags).
type CrawlURL struct {
	URL          string `db:"url"`
	DocumentID   int64  `db:"document_id"` // 0 when it led to no document
	ETag         string `db:"etag"`
	LastModified string `db:"last_modified"`
	Gone         bool   `db:"gone"`
}

// CrawlURLs returns the addresses fetched before for a source.
func (s *Store) CrawlURLs(ctx context.Context, sourceID int64) ([]CrawlURL, error) {
	rows, _ := s.pool.Query(ctx, `
		SELECT url, coalesce(document_id, 0) AS document_id, coalesce(etag, '') AS etag,
			coalesce(last_modified, '') AS last_modified, gone
		FROM crawl_urls WHERE source_id = $1 ORDER BY url`, sourceID)
	urls, err := pgx.CollectRows(rows, pgx.RowToStructByName[CrawlURL])
	if err != nil {
		return nil, fmt.Errorf("retrieval: crawl urls: %w", err)
	}
	return urls, nil
}

// StoredHash returns the content hash of the live document with this canonical URL, or
// ErrNotFound when there is none (or it was removed).
func (s *Store) StoredHash(ctx context.Context, canonical string) ([]byte, error) {
	var h []byte
	err := s.pool.QueryRow(ctx, `SELECT content_hash FROM documents WHERE url = $1 AND removed_at IS NULL`, canonical).Scan(&h)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("retrieval: stored hash: %w", err)
	}
	return h, nil
}

// SaveDocument stores a new or changed document with its chunks in one transaction:
// searches see the old chunks until the new ones are committed, never a mix or none.
// An overview document keeps no chunks, whatever it is given.
func (s *Store) SaveDocument(ctx context.Context, doc Document, chunks []Chunk, f Fetch) (int64, error) {
	if doc.Kind == "" {
		doc.Kind = "other"
	}
	if doc.Kind == KindOverview {
		chunks = nil
	}
	var id int64
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			INSERT INTO documents (source_id, url, title, modified_at, fetched_at, checked_at, etag, last_modified, content_hash, kind)
			VALUES ($1, $2, $3, $4, $5, $5, NULLIF($6, ''), NULLIF($7, ''), $8, $9)
			ON CONFLICT (url) DO UPDATE SET
				source_id = excluded.source_id, title = excluded.title, modified_at = excluded.modified_at, kind = excluded.kind,
				fetched_at = excluded.fetched_at, checked_at = excluded.checked_at, etag = excluded.etag,
				last_modified = excluded.last_modified, content_hash = excluded.content_hash, removed_at = NULL
			RETURNING id`,
			doc.Source.ID, doc.URL, doc.Title, nullTime(doc.ModifiedAt), doc.FetchedAt, doc.ETag, doc.LastModified, doc.ContentHash, doc.Kind,
		).Scan(&id)
		if err != nil {
			return fmt.Errorf("upsert document: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM chunks WHERE document_id = $1`, id); err != nil {
			return fmt.Errorf("delete old chunks: %w", err)
		}
		_, err = tx.CopyFrom(ctx, pgx.Identifier{"chunks"},
			[]string{"document_id", "ord", "title", "headings", "anchor", "body", "lead", "scope", "municipality", "embedding"},
			pgx.CopyFromSlice(len(chunks), func(i int) ([]any, error) {
				c := chunks[i]
				return []any{id, c.Ord, c.Title, c.Headings, c.Anchor, c.Body, c.Lead, doc.Source.Scope, nullString(doc.Source.Municipality), nullVector(c.Embedding)}, nil
			}))
		if err != nil {
			return fmt.Errorf("insert chunks: %w", err)
		}
		return recordFetch(ctx, tx, f, id)
	})
	if err != nil {
		return 0, fmt.Errorf("retrieval: save document %s: %w", doc.URL, err)
	}
	return id, nil
}

// Touch records a fetch that found a stored document unchanged (304 Not Modified, or
// the same content). canonical is "" when the response had no body (304).
func (s *Store) Touch(ctx context.Context, f Fetch, canonical string) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var id int64
		var err error
		if canonical != "" {
			err = tx.QueryRow(ctx, `UPDATE documents SET checked_at = now() WHERE url = $1 RETURNING id`, canonical).Scan(&id)
		} else {
			err = tx.QueryRow(ctx, `
				UPDATE documents d SET checked_at = now() FROM crawl_urls c
				WHERE c.url = $1 AND d.id = c.document_id RETURNING d.id`, f.URL).Scan(&id)
		}
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if canonical == "" {
			_, err := tx.Exec(ctx, `UPDATE crawl_urls SET checked_at = now(), gone = false WHERE url = $1`, f.URL)
			return err
		}
		return recordFetch(ctx, tx, f, id)
	})
	if err != nil {
		return fmt.Errorf("retrieval: touch %s: %w", f.URL, err)
	}
	return nil
}

// RecordFetch remembers an address that led to no document (a sitemap, or a page that
// is not indexed), so that it is not mistaken for a new one next time.
func (s *Store) RecordFetch(ctx context.Context, f Fetch) error {
	if err := recordFetch(ctx, s.pool, f, 0); err != nil {
		return fmt.Errorf("retrieval: record fetch %s: %w", f.URL, err)
	}
	return nil
}

// execer is what a pool and a transaction have in common.
type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

func recordFetch(ctx context.Context, db execer, f Fetch, documentID int64) error {
	_, err := db.Exec(ctx, `
		INSERT INTO crawl_urls (url, source_id, document_id, status, etag, last_modified, checked_at, gone)
		VALUES ($1, $2, NULLIF($3, 0), $4, NULLIF($5, ''), NULLIF($6, ''), now(), false)
		ON CONFLICT (url) DO UPDATE SET source_id = excluded.source_id, document_id = excluded.document_id,
			status = excluded.status, etag = excluded.etag, last_modified = excluded.last_modified,
			checked_at = excluded.checked_at, gone = false`,
		f.URL, f.SourceID, documentID, f.Status, f.ETag, f.LastModified)
	return err
}

// Gone records that an address now answers 404 or 410. Its document leaves search
// (its chunks are deleted, the row stays with removed_at) unless another live address
// still leads to it. It reports whether a document was removed.
func (s *Store) Gone(ctx context.Context, f Fetch) (bool, error) {
	removed := false
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var docID *int64
		err := tx.QueryRow(ctx, `
			INSERT INTO crawl_urls (url, source_id, status, checked_at, gone) VALUES ($1, $2, $3, now(), true)
			ON CONFLICT (url) DO UPDATE SET status = excluded.status, checked_at = excluded.checked_at, gone = true
			RETURNING document_id`, f.URL, f.SourceID, f.Status).Scan(&docID)
		if err != nil || docID == nil {
			return err
		}
		var others bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM crawl_urls WHERE document_id = $1 AND NOT gone)`, *docID).Scan(&others); err != nil {
			return err
		}
		if others {
			return nil
		}
		tag, err := tx.Exec(ctx, `UPDATE documents SET removed_at = now() WHERE id = $1 AND removed_at IS NULL`, *docID)
		if err != nil {
			return err
		}
		removed = tag.RowsAffected() == 1
		_, err = tx.Exec(ctx, `DELETE FROM chunks WHERE document_id = $1`, *docID)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("retrieval: gone %s: %w", f.URL, err)
	}
	return removed, nil
}

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func nullString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nullVector(v []float32) *pgvector.Vector {
	if v == nil {
		return nil
	}
	vec := pgvector.NewVector(v)
	return &vec
}
