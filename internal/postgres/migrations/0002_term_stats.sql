-- How many chunks each stemmed Dutch term occurs in, refreshed after every ingest.
-- The answerer weighs a question's words by it: a rare word the passages lack (say
-- "rijbewijs" when no page is about driving licences) means the question is not
-- answered, however well the common words match.
CREATE TABLE term_stats (
    term  text PRIMARY KEY,
    ndoc  integer NOT NULL CHECK (ndoc > 0)
);
