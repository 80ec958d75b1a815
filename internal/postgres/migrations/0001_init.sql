-- Vraagbaak schema, part 1: sources, crawled addresses, documents and their chunks.

CREATE EXTENSION IF NOT EXISTS vector;

-- A source is one entry of sources.yaml: a site or part of a site that is crawled.
CREATE TABLE sources (
    id           bigserial PRIMARY KEY,
    name         text NOT NULL UNIQUE,
    scope        text NOT NULL CHECK (scope IN ('national', 'municipality')),
    municipality text CHECK (municipality ~ '^GM[0-9]{4}$'),
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK ((scope = 'municipality') = (municipality IS NOT NULL))
);

-- A document is one page, identified by its canonical URL (the URL citations show).
CREATE TABLE documents (
    id            bigserial PRIMARY KEY,
    source_id     bigint NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    url           text NOT NULL UNIQUE,
    title         text NOT NULL,
    modified_at   timestamptz,              -- the page's own "last modified" date, if it states one
    fetched_at    timestamptz NOT NULL,     -- last time its content was downloaded and stored
    checked_at    timestamptz NOT NULL,     -- last time the crawler confirmed it (200 or 304)
    etag          text,
    last_modified text,                     -- the Last-Modified response header, verbatim
    content_hash  bytea NOT NULL,           -- sha256 of the extracted text
    removed_at    timestamptz               -- set when the page gave 404/410; its chunks are deleted
);
CREATE INDEX documents_source_idx ON documents (source_id);

-- Every address the crawler fetched, with what it needs for a conditional GET next time.
-- Several addresses may lead to one document (same canonical URL).
CREATE TABLE crawl_urls (
    url           text PRIMARY KEY,
    source_id     bigint NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    document_id   bigint REFERENCES documents (id) ON DELETE SET NULL,
    status        integer NOT NULL,         -- last HTTP status (304 keeps the previous 200)
    etag          text,
    last_modified text,
    checked_at    timestamptz NOT NULL,
    gone          boolean NOT NULL DEFAULT false
);
CREATE INDEX crawl_urls_source_idx ON crawl_urls (source_id);
CREATE INDEX crawl_urls_document_idx ON crawl_urls (document_id);

-- A chunk is one heading section (or part of a long one) of a document. The scope and
-- municipality are copied from the source so that search filters without a join.
-- The embedding column gets its dimension from the embedder (see embedder below);
-- its HNSW index is created when that dimension is known.
CREATE TABLE chunks (
    id           bigserial PRIMARY KEY,
    document_id  bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    ord          integer NOT NULL,
    title        text NOT NULL,                 -- the page title
    headings     text NOT NULL DEFAULT '',      -- heading path, joined with ' > '
    anchor       text NOT NULL DEFAULT '',      -- section id on the page, '' if none
    body         text NOT NULL,
    scope        text NOT NULL,
    municipality text,
    tsv          tsvector GENERATED ALWAYS AS (
                     setweight(to_tsvector('dutch'::regconfig, title), 'A') ||
                     setweight(to_tsvector('dutch'::regconfig, headings), 'A') ||
                     setweight(to_tsvector('dutch'::regconfig, body), 'B')) STORED,
    embedding    vector,
    UNIQUE (document_id, ord)
);
CREATE INDEX chunks_tsv_idx ON chunks USING gin (tsv);
CREATE INDEX chunks_scope_idx ON chunks (scope, municipality);
CREATE INDEX chunks_pending_idx ON chunks (id) WHERE embedding IS NULL;

-- The one embedder whose vectors the chunks hold. Mixing vectors of two embedders (or
-- of two fits of the built-in one) would make search silently wrong, so the service
-- refuses to start with another one until `vraagbaak reindex` re-embeds everything.
CREATE TABLE embedder (
    singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    name        text NOT NULL,              -- e.g. builtin-lsa-v1, ollama:nomic-embed-text
    fingerprint text NOT NULL DEFAULT '',   -- identifies a fitted built-in model
    dim         integer NOT NULL CHECK (dim > 0 AND dim <= 2000),
    model       bytea,                      -- the fitted built-in model, if any
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per ingest run, for operators.
CREATE TABLE ingest_runs (
    id          bigserial PRIMARY KEY,
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    stats       jsonb NOT NULL DEFAULT '{}'
);
