-- Vraagbaak schema, part 10: the words of the index as they are written, for the
-- typo repair of a question's words (package retrieval, speller.go).
--
-- A citizen who types "paspoord" or "huurtoelsag" finds nothing in the full text: the
-- search replaces a word the index does not have by the nearest word it has. These are
-- the chunks' words lower-cased but not stemmed (PostgreSQL's 'simple' configuration),
-- so that the replacement is stemmed by the search exactly as the page's own word was.
-- Refreshed with lexeme_stats after every ingest.
CREATE TABLE word_stats (
    word text PRIMARY KEY,
    ndoc integer NOT NULL CHECK (ndoc > 0)
);

-- When the counts were last refreshed: a running service reloads its word list when
-- this changes.
ALTER TABLE lexeme_total ADD COLUMN refreshed_at timestamptz NOT NULL DEFAULT now();

-- An index built before this migration gets its words now, not at its next ingest.
INSERT INTO word_stats (word, ndoc)
SELECT word, ndoc FROM ts_stat($$SELECT to_tsvector('simple', title || ' ' || headings || ' ' || body) FROM chunks$$)
WHERE length(word) >= 4 AND word !~ '[0-9_]';
