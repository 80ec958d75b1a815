-- Vraagbaak schema, part 9: document frequencies of the full-text lexemes (package
-- retrieval), refreshed with term_stats after every ingest.
--
-- The full-text side of the hybrid search weighs a question's words by how rare they
-- are: a chunk that has "kwijtschelding" matches the question better than one that has
-- "krijg". term_stats counts the Go stemmer's terms for the answerer; these are
-- PostgreSQL's own 'dutch' lexemes, as they appear in chunks.tsv, so that the search
-- statement can join them to the question's lexemes.
CREATE TABLE lexeme_stats (
    lexeme text PRIMARY KEY,
    ndoc   integer NOT NULL CHECK (ndoc > 0)
);

-- How many chunks lexeme_stats was counted over: one row, or none before the first
-- refresh (then every word weighs the same).
CREATE TABLE lexeme_total (
    one    boolean PRIMARY KEY DEFAULT true CHECK (one),
    chunks integer NOT NULL CHECK (chunks >= 0)
);

-- An index built before this migration gets its counts now, not at its next ingest.
INSERT INTO lexeme_stats (lexeme, ndoc) SELECT word, ndoc FROM ts_stat('SELECT tsv FROM chunks');
INSERT INTO lexeme_total (chunks) SELECT count(*) FROM chunks;
