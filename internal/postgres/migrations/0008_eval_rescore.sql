-- Vraagbaak schema, part 8: evaluators may change a score they gave (package eval).

-- created_at stays the time of the first score (it orders the evaluators of an item
-- for inter-rater agreement); updated_at is when the score last changed.
ALTER TABLE eval_scores ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
UPDATE eval_scores SET updated_at = created_at;
