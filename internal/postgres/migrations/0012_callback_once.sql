-- A conversation has at most one open call-back request: one conversation once stored
-- a hundred with arbitrary phone numbers. Requests beyond the first open one of a
-- conversation are closed first (done_at set, done_by empty), so that the index can
-- be built; the first stays.
UPDATE callbacks c SET done_at = now()
WHERE c.done_at IS NULL AND c.conversation_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM callbacks o
    WHERE o.conversation_id = c.conversation_id AND o.done_at IS NULL AND o.id < c.id);

CREATE UNIQUE INDEX callbacks_one_open_idx ON callbacks (conversation_id) WHERE done_at IS NULL;
